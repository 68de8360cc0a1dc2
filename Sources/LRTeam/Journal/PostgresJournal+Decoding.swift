import Foundation
import LREngine
import LRLanguage
import PostgresNIO

/// The journal's rows as records (columns named as each SELECT lists them).
extension PostgresJournal {
  static let runColumns = """
    id, created_at, source_path, source_text, modules, profile, tenant, results_directory, state,
    finished_at, resumes, parent_run, who, rollout, pause_reason
    """

  static let actionColumns = """
    id, run_id, statement, request_index, machine_id, computer_name, token, body, state,
    action_id, status, error, reconciliation, created_at, updated_at, submitted_at, started_at,
    finished_at
    """

  static func run(from row: PostgresRow) throws -> RunRecord {
    let cells = row.makeRandomAccess()
    let modules = try JSONDecoder().decode(
      [String: String].self, from: Data(try cells["modules"].decode(String.self).utf8))
    var run = RunRecord(
      id: try cells["id"].decode(String.self), createdAt: try cells["created_at"].decode(Date.self),
      sourcePath: try cells["source_path"].decode(String.self),
      sourceText: try cells["source_text"].decode(String.self), modules: modules,
      profile: try cells["profile"].decode(String.self),
      tenant: try cells["tenant"].decode(String.self),
      resultsDirectory: try cells["results_directory"].decode(String.self),
      state: try state(cells["state"].decode(String.self)),
      finishedAt: try cells["finished_at"].decode(Date?.self),
      resumes: try cells["resumes"].decode(Int.self),
      parentRun: try cells["parent_run"].decode(String?.self),
      who: try cells["who"].decode(String?.self))
    if let rollout = try cells["rollout"].decode(String?.self) {
      run.rollout = try JSONDecoder().decode(RolloutPolicy.self, from: Data(rollout.utf8))
    }
    run.pauseReason = try cells["pause_reason"].decode(String?.self)
    return run
  }

  static func state(_ text: String) throws -> RunRecord.State {
    guard let state = RunRecord.State(rawValue: text) else {
      throw TeamError.statement("unknown run state \(text)")
    }
    return state
  }

  static func target(from row: PostgresRow) throws -> TargetRecord {
    let (run, statement, machine, name, position) = try row.decode(
      (String, Int, String, String, Int).self)
    return TargetRecord(
      runID: run, statement: statement, machineID: machine, computerName: name,
      position: position)
  }

  static func action(from row: PostgresRow) throws -> ActionRecord {
    let cells = row.makeRandomAccess()
    var action = ActionRecord(
      runID: try cells["run_id"].decode(String.self),
      statement: try cells["statement"].decode(Int.self),
      requestIndex: try cells["request_index"].decode(Int.self),
      machineID: try cells["machine_id"].decode(String.self),
      computerName: try cells["computer_name"].decode(String.self),
      token: try cells["token"].decode(String.self), body: try cells["body"].decode(String.self),
      now: try cells["created_at"].decode(Date.self))
    action.id = try cells["id"].decode(Int64.self)
    let state = try cells["state"].decode(String.self)
    guard let known = ActionRecord.State(rawValue: state) else {
      throw TeamError.statement("unknown action state \(state)")
    }
    action.state = known
    action.actionID = try cells["action_id"].decode(String?.self)
    action.status = try cells["status"].decode(String?.self)
    action.error = try cells["error"].decode(String?.self)
    action.reconciliation = try cells["reconciliation"].decode(String?.self)
    action.updatedAt = try cells["updated_at"].decode(Date.self)
    action.submittedAt = try cells["submitted_at"].decode(Date?.self)
    action.startedAt = try cells["started_at"].decode(Date?.self)
    action.finishedAt = try cells["finished_at"].decode(Date?.self)
    return action
  }

  static func command(from row: PostgresRow) throws -> CommandRecord {
    let (action, index, type, status, exitCode, path, size, sha, errors) = try row.decode(
      (Int64, Int, String, String, Int?, String?, Int64?, String?, String?).self)
    return CommandRecord(
      actionRow: action, commandIndex: index, type: type, status: status, exitCode: exitCode,
      resultPath: path, resultSize: size, resultSHA256: sha, errors: errors)
  }

  static func result(from row: PostgresRow) throws -> CommandResultRecord {
    let (action, index, run, type, output, errors, exitCode, format, warning, finished) =
      try row.decode(
        (Int64, Int, String, String, String?, String?, Int?, String?, String?, Date).self)
    return CommandResultRecord(
      actionRow: action, commandIndex: index, runID: run, type: type, output: output,
      errors: errors, exitCode: exitCode, format: format, formatWarning: warning,
      finishedAt: finished)
  }

  static func resultRow(from row: PostgresRow) throws -> ResultRowRecord {
    let (run, action, machine, name, index, n, data) = try row.decode(
      (String, Int64, String, String, Int, Int, String).self)
    return ResultRowRecord(
      runID: run, actionRow: action, machineID: machine, computerName: name, commandIndex: index,
      n: n, data: data)
  }

  static func auditHead(from row: PostgresRow) throws -> AuditHead {
    let (log, path, sequence, hash) = try row.decode((String, String, Int, String).self)
    return AuditHead(log: log, path: path, sequence: sequence, hash: hash)
  }
}
