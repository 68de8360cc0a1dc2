import LiveResponse

/// What a program does, per statement: symbolic targets and the exact request bodies, in order.
public struct Plan: Sendable {
  /// The name of the main source file.
  public var source: String
  public var steps: [PlanStep]

  public init(source: String, steps: [PlanStep]) {
    self.source = source
    self.steps = steps
  }

  /// Every planned statement, depth first (both branches of every `if`).
  public var allStatements: [PlannedStatement] {
    var out: [PlannedStatement] = []
    func walk(_ steps: [PlanStep]) {
      for step in steps {
        switch step {
        case .statement(let s): out.append(s)
        case .branch(let b):
          walk(b.thenSteps)
          walk(b.elseSteps)
        }
      }
    }
    walk(steps)
    return out
  }

  /// Whether the plan has an `if`.
  public var hasBranches: Bool {
    steps.contains {
      if case .branch = $0 { return true }
      return false
    }
  }
}

/// One step: run a statement, or choose between two lists of steps at run time.
public enum PlanStep: Sendable {
  case statement(PlannedStatement)
  case branch(PlannedBranch)
}

/// An `on … < … >` statement: where it runs and the requests to send, one after another, per machine.
public struct PlannedStatement: Sendable {
  /// 1-based number of the statement in the plan.
  public var number: Int
  /// The file and range the statement came from.
  public var file: String
  public var range: ByteRange
  public var target: TargetSelector
  /// The request bodies, sent in order to each machine (several when the API's order rule forced a split).
  public var requests: [RequestBody]
  /// The variable the statement's result is bound to, if any.
  public var binding: String?
  /// The staged rollout written on the statement (`with canary 10, …`); nil when none was. The
  /// engine applies it where the command line gives no option of its own.
  public var rollout: RolloutPolicy? = nil
}

/// `if`: a condition over earlier results, evaluated by the engine.
public struct PlannedBranch: Sendable {
  public var file: String
  public var range: ByteRange
  public var condition: PlanExpression
  public var thenSteps: [PlanStep]
  public var elseSteps: [PlanStep]
}

/// One command of a request body: `{"type": …, "params": [{"key": …, "value": …}]}`.
public struct PlannedCommand: Sendable {
  public var type: CommandType
  public var params: [(key: String, value: PlanString)]
  /// Where the command was written (a procedure call expands to commands from the call's range).
  public var file: String
  public var range: ByteRange

  /// The value of a parameter by key.
  public func param(_ key: String) -> PlanString? {
    params.first { $0.key == key }?.value
  }
}

/// A request body exactly as POSTed to `runliveresponse`: `{"Commands": [...], "Comment": "..."}`.
public struct RequestBody: Sendable {
  public var commands: [PlannedCommand]
  public var comment: PlanString
}

/// Text that may contain values known only at run time (fields of earlier results).
public struct PlanString: Sendable, Hashable, CustomStringConvertible {
  public enum Part: Sendable, Hashable {
    case literal(String)
    case runtime(PlanExpression)
  }
  public var parts: [Part]

  public init(_ parts: [Part]) {
    var merged: [Part] = []
    for part in parts {
      if case .literal(let b) = part, case .literal(let a)? = merged.last {
        merged[merged.count - 1] = .literal(a + b)
      } else if case .literal(let s) = part, s.isEmpty {
        continue
      } else {
        merged.append(part)
      }
    }
    self.parts = merged
  }

  public init(literal: String) {
    self.parts = literal.isEmpty ? [] : [.literal(literal)]
  }

  /// The text when it is fully known at compile time.
  public var literal: String? {
    var out = ""
    for part in parts {
      guard case .literal(let s) = part else { return nil }
      out += s
    }
    return out
  }

  /// The text with run-time parts written as `${…}`.
  public var description: String {
    parts.map {
      switch $0 {
      case .literal(let s): s
      case .runtime(let e): "${\(e)}"
      }
    }.joined()
  }
}

/// Which machines a statement runs on; resolved by the engine through the machines API.
public struct TargetSelector: Sendable, Hashable {
  public enum Term: Sendable, Hashable {
    /// A computer name (short or FQDN, case-insensitive) or a 40-hex machine id.
    case machine(PlanString)
    case tag(PlanString)
    /// A glob over computer names (`*`, `?`); text without wildcards is a prefix.
    case name(PlanString)
    /// A file of machine names, one per line, relative to the script's folder.
    case file(PlanString)
    /// An OData `$filter` for the machines API.
    case filter(PlanString)
    /// Machines of a bound result, known once it is: `$r.machines` (every machine it ran on),
    /// `$r.succeeded`, `$r.failed`, each optionally with a condition on each machine's own result
    /// (`$r where output contains "x"`; see ``MachineResult/matches(_:results:)``).
    case results(binding: String, subset: ResultField, condition: PlanExpression?)
  }
  public var terms: [Term]
  public init(terms: [Term]) { self.terms = terms }
}

/// A value of a condition or a `let`.
public enum PlanValue: Sendable, Hashable, CustomStringConvertible {
  case string(String)
  case number(Int)
  case bool(Bool)

  public var description: String {
    switch self {
    case .string(let s): s
    case .number(let n): String(n)
    case .bool(let b): b ? "true" : "false"
    }
  }
}

/// An expression the engine evaluates once the results it reads are known.
public indirect enum PlanExpression: Sendable, Hashable, CustomStringConvertible {
  case literal(PlanValue)
  /// A field of a bound result: `r.exit_code`.
  case field(binding: String, field: String)
  case not(PlanExpression)
  case binary(BinaryOperator, PlanExpression, PlanExpression)
  /// Text with run-time parts (`"x${r.output}"`), filled in when evaluated.
  case template(PlanString)

  public var description: String {
    switch self {
    case .literal(.string(let s)):
      "\"\(PlanExpression.escaped(s))\""
    case .literal(let v): v.description
    case .template(let t):
      "\""
        + t.parts.map {
          switch $0 {
          case .literal(let s): PlanExpression.escaped(s)
          case .runtime(let e): "${\(e)}"
          }
        }.joined() + "\""
    case .field(PlanExpression.machineScope, let f): f
    case .field(PlanExpression.rowScope, let f): "row.\(f)"
    case .field(let b, let f): f.isEmpty ? b : "\(b).\(f)"
    case .not(let e): "not \(e.parenthesizedIfBinary)"
    case .binary(let op, let l, let r):
      "\(l.parenthesizedIfBinary) \(op.rawValue) \(r.parenthesizedIfBinary)"
    }
  }

  /// Text for inside `"…"` (backslashes, quotes and `${` escaped).
  static func escaped(_ s: String) -> String {
    s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("${", with: "\\${")
  }

  var parenthesizedIfBinary: String {
    if case .binary = self { return "(\(self))" }
    return description
  }
}
