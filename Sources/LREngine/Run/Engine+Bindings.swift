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
  /// The machine's part of a bound result; its rows are the ones the journal stored (the
  /// script's declared format first, then detection).
  var result: MachineResult {
    MachineResult(
      machine: machine.computerName, machineID: machine.id, status: status, exitCode: exitCode,
      output: output ?? "", errors: errors ?? "", file: file, rows: rows)
  }
}
