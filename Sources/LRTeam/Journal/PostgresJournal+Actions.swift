import Foundation
import LREngine
import PostgresNIO

extension PostgresJournal {
  /// Records an action before it is sent; returns it with its row id. Planned again (its
  /// first answer was lost), it is found by its token, never inserted twice; another action
  /// with a token already used is refused, as in the SQLite journal.
  public func plan(_ action: ActionRecord) throws -> ActionRecord {
    let rows = try database.query(
      """
      INSERT INTO lr_action (tenant, run_id, statement, request_index, machine_id,
        computer_name, token, body, state, action_id, status, error, reconciliation, created_at,
        updated_at)
      VALUES (\(tenant), \(action.runID), \(action.statement), \(action.requestIndex),
        \(action.machineID), \(action.computerName), \(action.token), \(action.body),
        \(action.state.rawValue), \(action.actionID), \(action.status), \(action.error),
        \(action.reconciliation), \(action.createdAt), \(action.updatedAt))
      ON CONFLICT (token) DO NOTHING
      RETURNING id
      """)
    var planned = action
    if let row = rows.first {
      planned.id = try row.decode(Int64.self)
      return planned
    }
    guard let existing = try self.action(token: action.token), existing.runID == action.runID,
      existing.statement == action.statement, existing.requestIndex == action.requestIndex,
      existing.machineID == action.machineID, existing.body == action.body
    else {
      throw TeamError.statement("an action with token \(action.token) is already journaled")
    }
    return existing
  }

  /// Records what the service answered (or learnt later by reconciliation); nil keeps a field.
  public func update(
    action row: Int64, state: ActionRecord.State, actionID: String?, status: String?,
    error: String?, reconciliation: String?, at time: Date
  ) throws {
    try database.query(
      """
      UPDATE lr_action SET state = \(state.rawValue),
        action_id = COALESCE(\(actionID), action_id), status = COALESCE(\(status), status),
        error = COALESCE(\(error), error),
        reconciliation = COALESCE(\(reconciliation), reconciliation), updated_at = \(time)
      WHERE tenant = \(tenant) AND id = \(row)
      """)
  }

  public func actions(run id: String) throws -> [ActionRecord] {
    let rows = try database.query(
      """
      SELECT \(unescaped: Self.actionColumns) FROM lr_action
      WHERE tenant = \(tenant) AND run_id = \(id) ORDER BY id
      """)
    return try rows.map(Self.action(from:))
  }

  public func action(token: String) throws -> ActionRecord? {
    let rows = try database.query(
      """
      SELECT \(unescaped: Self.actionColumns) FROM lr_action
      WHERE tenant = \(tenant) AND token = \(token)
      """)
    return try rows.first.map(Self.action(from:))
  }

  /// Records an action's service times.
  public func record(times: ActionTimes, action row: Int64) throws {
    try database.query(
      """
      UPDATE lr_action SET submitted_at = \(times.submitted), started_at = \(times.started),
        finished_at = \(times.finished)
      WHERE tenant = \(tenant) AND id = \(row)
      """)
  }
}
