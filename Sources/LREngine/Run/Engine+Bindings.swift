import LRLanguage
import LRResults
import LiveResponse

/// The binding store: what `let r = on … < … >` keeps of a statement, per machine, for the
/// statements after it (`if`, `${r.output}`, `on $r.failed`) and for the REPL's later inputs.
extension Engine {
  /// A statement's result from each machine's outcome, in the order the target resolved.
  static func bind(_ outcomes: [MachineOutcome]) -> ResultSet {
    ResultSet(machines: outcomes.map(\.result))
  }
}

extension Engine.MachineOutcome {
  /// The machine's part of a bound result, its output parsed into rows.
  var result: MachineResult {
    MachineResult(
      machine: machine.computerName, machineID: machine.id, status: status, exitCode: exitCode,
      output: output ?? "", errors: errors ?? "", file: file, rows: Engine.rows(of: output))
  }
}

extension Engine {
  /// The rows a script's output holds (JSON, CSV, PowerShell tables and lists), read as the
  /// journal reads them: the transcript's own notice stripped, then the format detected.
  static func rows(of output: String?) -> [JSONValue] {
    guard let output, !output.isEmpty else { return [] }
    return OutputParser.parse(TranscriptCleaner.clean(output)).rows
  }
}
