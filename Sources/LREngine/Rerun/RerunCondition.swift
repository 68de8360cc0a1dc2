import LRLanguage

/// `lr rerun --where CONDITION`: a condition on each machine's own result (`exit_code != 0`,
/// `output contains "mimikatz"`, `ProcessName == "lsass.exe"`), the same language as
/// `on $r where …`, compiled by lr's own compiler.
public enum RerunCondition {
  /// Why a condition does not compile: the compiler's messages.
  public struct Invalid: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// Compiles `text`; throws ``Invalid`` with the compiler's messages when it does not compile.
  public static func compile(_ text: String) throws -> PlanExpression {
    let block = "< run \"condition.ps1\" >"
    let program = """
      let r = on machine "lr-rerun-condition" \(block)
      on $r where \(text) \(block)

      """
    let output = Compiler.compile(SourceFile(name: "--where", text: program))
    let errors = output.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
      throw Invalid(description: errors.map(\.message).joined(separator: "; "))
    }
    for statement in output.plan.allStatements {
      for case .results(_, _, let condition?) in statement.target.terms { return condition }
    }
    throw Invalid(description: "not a condition: \(text)")
  }
}
