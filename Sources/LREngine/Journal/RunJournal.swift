import Foundation
import LRLanguage

/// What the engine and the audit log need of a journal: runs, their targets, actions (journaled
/// before they are sent), commands and results, and the audit chain's recorded head. ``Journal``
/// (SQLite) is the implementation every command uses today; a second backend implements this
/// protocol without the engine changing.
public protocol RunJournal: AnyObject, Sendable {
  /// Where the journal lives (a file path or a database URL, for `.profile` and `lr runs`).
  var location: String { get }

  // Runs.
  func create(_ run: RunRecord) throws
  func finish(run id: String, state: RunRecord.State, at time: Date) throws
  func resume(run id: String) throws
  /// Marks a run paused by its rollout's breaker, with the reason.
  func pause(run id: String, reason: String, at time: Date) throws
  /// Records the rollout `lr resume` applies from now on.
  func record(rollout: RolloutPolicy?, run id: String) throws
  func run(_ id: String) throws -> RunRecord?
  func runs(limit: Int) throws -> [RunRecord]
  func record(_ targets: [TargetRecord]) throws
  func targets(run id: String) throws -> [TargetRecord]

  // Actions, journaled before they are sent, then updated with what the service answered.
  func plan(_ action: ActionRecord) throws -> ActionRecord
  func update(
    action row: Int64, state: ActionRecord.State, actionID: String?, status: String?,
    error: String?, reconciliation: String?, at time: Date) throws
  func actions(run id: String) throws -> [ActionRecord]
  func action(token: String) throws -> ActionRecord?
  func record(_ command: CommandRecord) throws
  func commands(action row: Int64) throws -> [CommandRecord]
  /// A command's result as data and its parsed rows, replacing any recorded before, at once.
  func record(result: CommandResultRecord, rows: [ResultRowRecord]) throws
  func results(run id: String) throws -> [CommandResultRecord]
  func resultRows(run id: String) throws -> [ResultRowRecord]
  /// The service's times of a finished action (`lr report`'s timeline).
  func record(times: ActionTimes, action row: Int64) throws

  // The audit chain's recorded head, by the log's identity and by path.
  func recordAuditHead(_ head: AuditHead) throws
  func auditHead(log: String) throws -> AuditHead?
  func auditHeads(path: String) throws -> [AuditHead]
  func moveAuditHead(log: String, to path: String) throws
  func setAuditHead(path: String, sequence: Int, hash: String) throws
  func auditHead(path: String) throws -> (sequence: Int, hash: String)?
}

extension RunJournal {
  /// Marks a run finished (now).
  public func finish(run id: String, state: RunRecord.State) throws {
    try finish(run: id, state: state, at: Date())
  }

  /// The newest runs first (50).
  public func runs() throws -> [RunRecord] { try runs(limit: 50) }

  /// Records what the service answered; nil leaves a field as it was.
  public func update(
    action row: Int64, state: ActionRecord.State, actionID: String? = nil, status: String? = nil,
    error: String? = nil, reconciliation: String? = nil
  ) throws {
    try update(
      action: row, state: state, actionID: actionID, status: status, error: error,
      reconciliation: reconciliation, at: Date())
  }
}

extension Journal: RunJournal {
  public var location: String { url.path }
}
