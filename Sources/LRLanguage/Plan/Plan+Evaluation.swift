import LiveResponse

extension PlanValue {
  /// Truthiness for `and`/`or`/`not` and `if`: false, 0 and "" are false.
  public var isTruthy: Bool {
    switch self {
    case .bool(let b): b
    case .number(let n): n != 0
    case .string(let s): !s.isEmpty && s.lowercased() != "false"
    }
  }

  var number: Int? {
    switch self {
    case .number(let n): n
    case .bool: nil
    case .string(let s): Int(s.trimmingSpaces())
    }
  }
}

extension PlanExpression {
  /// The value, given the results bound so far (unbound fields read as empty).
  public func evaluate(_ results: ResultValues) -> PlanValue {
    switch self {
    case .literal(let v):
      return v
    case .field(let binding, let field):
      return results[binding]?[field] ?? .string("")
    case .not(let e):
      return .bool(!e.evaluate(results).isTruthy)
    case .binary(.and, let l, let r):
      return .bool(l.evaluate(results).isTruthy && r.evaluate(results).isTruthy)
    case .binary(.or, let l, let r):
      return .bool(l.evaluate(results).isTruthy || r.evaluate(results).isTruthy)
    case .binary(let op, let l, let r):
      return .bool(PlanExpression.compare(op, l.evaluate(results), r.evaluate(results)))
    case .template(let text):
      return .string(text.resolve(results))
    }
  }

  static func compare(_ op: BinaryOperator, _ a: PlanValue, _ b: PlanValue) -> Bool {
    switch op {
    case .contains:
      return a.description.lowercased().contains(b.description.lowercased())
    case .matches:
      return Glob.matches(b.description, a.description)
    case .equal, .notEqual, .lessEqual, .greaterEqual:
      let order: Int
      if let x = a.number, let y = b.number {
        order = x < y ? -1 : (x > y ? 1 : 0)
      } else if case .bool(let x) = a, case .bool(let y) = b {
        order = x == y ? 0 : (x ? 1 : -1)
      } else if case .bool(let x) = a {
        order = b.description.lowercased() == (x ? "true" : "false") ? 0 : 1
      } else if case .bool(let y) = b {
        order = a.description.lowercased() == (y ? "true" : "false") ? 0 : 1
      } else {
        let x = a.description
        let y = b.description
        order = x < y ? -1 : (x > y ? 1 : 0)
      }
      switch op {
      case .equal: return order == 0
      case .notEqual: return order != 0
      case .lessEqual: return order <= 0
      default: return order >= 0
      }
    case .and, .or:
      return false
    }
  }

  /// Whether the expression reads any result.
  public var isConstant: Bool {
    switch self {
    case .literal: true
    case .field: false
    case .not(let e): e.isConstant
    case .binary(_, let l, let r): l.isConstant && r.isConstant
    case .template(let text):
      text.parts.allSatisfy {
        if case .runtime(let e) = $0 { return e.isConstant }
        return true
      }
    }
  }

  /// Evaluates constant sub-expressions now.
  func folded() -> PlanExpression {
    isConstant ? .literal(evaluate([:])) : self
  }
}

extension PlanString {
  /// The text with run-time parts evaluated against the results bound so far.
  public func resolve(_ results: ResultValues) -> String {
    parts.map {
      switch $0 {
      case .literal(let s): s
      case .runtime(let e): e.evaluate(results).description
      }
    }.joined()
  }
}
