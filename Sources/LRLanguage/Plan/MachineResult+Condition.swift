/// `where` conditions: evaluated on each machine's own result (`on $r where output contains "x"`,
/// `lr rerun --where`, the REPL's `r where …`).
extension PlanExpression {
  /// The binding a `where` condition reads a machine's own fields from (`output`).
  public static let machineScope = "."
  /// The binding a `where` condition reads a row's columns from (`ProcessName`, `row.Path`).
  public static let rowScope = ".row"

  /// Whether the expression reads a column of a machine's rows.
  public var readsRows: Bool {
    switch self {
    case .literal: false
    case .field(let binding, _): binding == PlanExpression.rowScope
    case .not(let e): e.readsRows
    case .binary(_, let l, let r): l.readsRows || r.readsRows
    case .template(let text):
      text.parts.contains {
        if case .runtime(let e) = $0 { return e.readsRows }
        return false
      }
    }
  }
}

extension MachineResult {
  /// Whether the machine's own result makes a `where` condition true. A condition that reads a
  /// row column is true when at least one of the machine's rows makes it true (all the columns
  /// it reads from that same row); a machine without rows never matches it. Other bound results
  /// (`results`) may be read too.
  public func matches(_ condition: PlanExpression, results: ResultValues = [:]) -> Bool {
    var scope = results
    scope[PlanExpression.machineScope] = ResultSet(machines: [self])
    guard condition.readsRows else { return condition.evaluate(scope).isTruthy }
    return rows.contains { row in
      scope[PlanExpression.rowScope] = MachineResult.columns(of: row)
      return condition.evaluate(scope).isTruthy
    }
  }
}

extension ResultSet {
  /// The machines of a subset (`machines`, `succeeded`, `failed`) whose result makes `condition`
  /// true (all of them without a condition), in order.
  public func machines(
    _ subset: ResultField, where condition: PlanExpression?, results: ResultValues = [:]
  ) -> [MachineResult] {
    let chosen: [MachineResult] =
      switch subset {
      case .succeeded: succeeded
      case .failed: failed
      default: machines
      }
    guard let condition else { return chosen }
    return chosen.filter { $0.matches(condition, results: results) }
  }
}
