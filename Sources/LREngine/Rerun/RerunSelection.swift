import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// Which machines of a journaled run `lr rerun` runs again: those that failed, or those whose
/// result matches a condition. A machine failed when any of its actions in the run was refused,
/// ended `Failed`, `TimeOut` or `Cancelled`, had a command that failed (or whose result could
/// not be downloaded), or ran a script that exited non-zero. Actions still pending are not
/// failures (`lr resume` finishes them).
public struct RerunSelection: Sendable {
  /// A machine to run again, and why.
  public struct Machine: Sendable, Equatable {
    public var id: String
    public var computerName: String
    /// Why it was chosen (`refused: …`, `action TimeOut`, `exit code 1`, `matches`).
    public var reason: String
  }

  /// One machine's part of the run: its actions and their commands.
  struct MachineResults {
    var id: String
    var computerName: String
    var actions: [(action: ActionRecord, commands: [CommandRecord])] = []
  }

  /// The machines of `run` that failed, in the order the run resolved them.
  public static func failed(run: String, journal: any RunJournal) throws -> [Machine] {
    try machines(of: run, journal: journal).compactMap { machine in
      failure(of: machine).map {
        Machine(id: machine.id, computerName: machine.computerName, reason: $0)
      }
    }
  }

  /// The machines of `run` whose own result makes a `where` condition true (see
  /// ``RerunCondition`` and `MachineResult.matches`): `status`, `ok`, `exit_code`, `output`,
  /// `errors`, `file`, `machine`, and the columns of its parsed rows.
  public static func matching(
    run: String, journal: any RunJournal, condition: PlanExpression
  ) throws -> [Machine] {
    let results = try machineResults(of: run, journal: journal)
    return try machines(of: run, journal: journal).compactMap { machine in
      guard let result = results[machine.id], result.matches(condition) else { return nil }
      return Machine(id: machine.id, computerName: machine.computerName, reason: "matches")
    }
  }

  /// Why a machine failed, or nil when it did not.
  static func failure(of machine: MachineResults) -> String? {
    for (action, commands) in machine.actions {
      if action.actionID == nil, let error = action.error, action.state == .terminal {
        return "refused: " + error
      }
      if let text = action.status {
        let status = ActionStatus(text)
        if [.failed, .timeOut, .cancelled].contains(status) { return "action \(status.rawValue)" }
      }
      for command in commands {
        if command.status == "Failed" || command.status == "DownloadFailed" {
          return "command \(command.commandIndex + 1) \(command.status)"
        }
        if command.type == "RunScript", let code = command.exitCode, code != 0 {
          return "exit code \(code)"
        }
      }
    }
    return nil
  }

  /// Each machine's result as the language reads it (`r where …`), by machine id: the worst
  /// status, the last script's exit code, cleaned output and errors, the last file saved, and
  /// the rows its output was parsed into.
  static func machineResults(of run: String, journal: any RunJournal) throws
    -> [String: MachineResult]
  {
    var outputs: [Int64: CommandResultRecord] = [:]
    for result in try journal.results(run: run) where result.type == "RunScript" {
      outputs[result.actionRow] = result
    }
    var rows: [String: [JSONValue]] = [:]
    for row in try journal.resultRows(run: run) {
      if let value = JSONValue.parse(row.data) { rows[row.machineID, default: []].append(value) }
    }
    var byID: [String: MachineResult] = [:]
    for machine in try machines(of: run, journal: journal) {
      let statuses = machine.actions.map { ActionStatus($0.action.status ?? "Pending") }
      var result = MachineResult(
        machine: machine.computerName, machineID: machine.id,
        status: statuses.max { Engine.rank($0) < Engine.rank($1) } ?? .pending,
        rows: rows[machine.id] ?? [])
      for (action, commands) in machine.actions {
        for command in commands where command.type == "RunScript" {
          let saved = action.id.flatMap { outputs[$0] }
          result.exitCode = command.exitCode ?? saved?.exitCode ?? result.exitCode
          result.output = saved?.output ?? result.output
          result.errors = saved?.errors ?? result.errors
        }
        for command in commands where command.type == "GetFile" && command.resultPath != nil {
          result.file = command.resultPath
        }
      }
      byID[machine.id] = result
    }
    return byID
  }

  /// Every machine the run targeted (resolution order), with its actions and commands.
  static func machines(of run: String, journal: any RunJournal) throws -> [MachineResults] {
    var order: [String] = []
    var byID: [String: MachineResults] = [:]
    func note(_ id: String, _ name: String) {
      if byID[id] == nil {
        order.append(id)
        byID[id] = MachineResults(id: id, computerName: name)
      }
    }
    for target in try journal.targets(run: run) { note(target.machineID, target.computerName) }
    for action in try journal.actions(run: run) {
      note(action.machineID, action.computerName)
      let commands = try action.id.map { try journal.commands(action: $0) } ?? []
      byID[action.machineID]?.actions.append((action, commands))
    }
    return order.compactMap { byID[$0] }
  }
}
