import Foundation
import LREngine
import LRLanguage
import PostgresNIO

/// The journal in the team database (docs/team.md): the same records and rules as the SQLite
/// ``Journal`` (states, unique tokens, nil keeps a field), every row under this tenant, so that
/// several processes, on several hosts, record and resume one tenant's runs.
///
/// A statement that loses its connection is sent again on a new one for a while (the
/// database's ``TeamDatabase/retryWindow``): every write is idempotent (an action planned again
/// is found by its token), except counting a resume, which is sent once.
///
/// A command that saved a file has the file stored too (``TeamFileStore``), after its row.
public final class PostgresJournal: RunJournal, Sendable {
  /// The connection (shared with the audit chain; statements are serialised on it).
  public let database: TeamDatabase
  /// The tenant whose rows these are.
  public let tenant: String
  /// The files commands saved, stored in the database as they are journaled (Saved files).
  public let files: TeamFileStore

  public init(database: TeamDatabase, tenant: String) {
    self.database = database
    self.tenant = tenant
    self.files = TeamFileStore(database: database, tenant: tenant)
  }

  public var location: String { "\(database.url) (tenant \(tenant))" }

  // MARK: - Runs

  public func create(_ run: RunRecord) throws {
    let modules = String(decoding: try JSONEncoder().encode(run.modules), as: UTF8.self)
    let rollout = try run.rollout.map {
      String(decoding: try JSONEncoder().encode($0), as: UTF8.self)
    }
    try database.query(
      """
      INSERT INTO lr_run (tenant, id, created_at, source_path, source_text, modules, profile,
        results_directory, state, finished_at, resumes, parent_run, who, rollout, pause_reason)
      VALUES (\(tenant), \(run.id), \(run.createdAt), \(run.sourcePath), \(run.sourceText),
        \(modules), \(run.profile), \(run.resultsDirectory), \(run.state.rawValue),
        \(run.finishedAt), \(run.resumes), \(run.parentRun), \(run.who), \(rollout),
        \(run.pauseReason))
      ON CONFLICT (tenant, id) DO NOTHING
      """)
  }

  /// Marks a run finished, first storing any file of it the database missed (Saved files).
  public func finish(run id: String, state: RunRecord.State, at time: Date) throws {
    files.storeMissing(run: id)
    try database.query(
      """
      UPDATE lr_run SET state = \(state.rawValue), finished_at = \(time)
      WHERE tenant = \(tenant) AND id = \(id)
      """)
  }

  /// Marks a run as running again and counts the resume (sent once: counting is not idempotent).
  public func resume(run id: String) throws {
    try database.queryOnce(
      """
      UPDATE lr_run SET state = \(RunRecord.State.running.rawValue), finished_at = NULL,
        pause_reason = NULL, resumes = resumes + 1
      WHERE tenant = \(tenant) AND id = \(id)
      """)
  }

  public func pause(run id: String, reason: String, at time: Date) throws {
    try database.query(
      """
      UPDATE lr_run SET state = \(RunRecord.State.paused.rawValue), finished_at = \(time),
        pause_reason = \(reason)
      WHERE tenant = \(tenant) AND id = \(id)
      """)
  }

  public func record(rollout: RolloutPolicy?, run id: String) throws {
    let text = try rollout.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    try database.query(
      "UPDATE lr_run SET rollout = \(text) WHERE tenant = \(tenant) AND id = \(id)")
  }

  public func run(_ id: String) throws -> RunRecord? {
    let rows = try database.query(
      "SELECT \(unescaped: Self.runColumns) FROM lr_run WHERE tenant = \(tenant) AND id = \(id)")
    return try rows.first.map(Self.run(from:))
  }

  /// Runs, newest first.
  public func runs(limit: Int) throws -> [RunRecord] {
    let rows = try database.query(
      """
      SELECT \(unescaped: Self.runColumns) FROM lr_run WHERE tenant = \(tenant)
      ORDER BY created_at DESC LIMIT \(limit)
      """)
    return try rows.map(Self.run(from:))
  }

  // MARK: - Targets

  public func record(_ targets: [TargetRecord]) throws {
    guard !targets.isEmpty else { return }
    try database.transaction { transaction in
      for target in targets {
        try transaction.query(
          """
          INSERT INTO lr_target (tenant, run_id, statement, machine_id, computer_name, position)
          VALUES (\(tenant), \(target.runID), \(target.statement), \(target.machineID),
            \(target.computerName), \(target.position))
          ON CONFLICT (tenant, run_id, statement, machine_id) DO UPDATE
            SET computer_name = excluded.computer_name, position = excluded.position
          """)
      }
    }
  }

  public func targets(run id: String) throws -> [TargetRecord] {
    let rows = try database.query(
      """
      SELECT run_id, statement, machine_id, computer_name, position FROM lr_target
      WHERE tenant = \(tenant) AND run_id = \(id) ORDER BY statement, position
      """)
    return try rows.map(Self.target(from:))
  }

  // MARK: - Commands

  public func record(_ command: CommandRecord) throws {
    try database.query(
      """
      INSERT INTO lr_command (tenant, action_row, command_index, type, status, exit_code,
        result_path, result_size, result_sha256, errors)
      VALUES (\(tenant), \(command.actionRow), \(command.commandIndex), \(command.type),
        \(command.status), \(command.exitCode), \(command.resultPath), \(command.resultSize),
        \(command.resultSHA256), \(command.errors))
      ON CONFLICT (action_row, command_index) DO UPDATE SET type = excluded.type,
        status = excluded.status, exit_code = excluded.exit_code,
        result_path = excluded.result_path, result_size = excluded.result_size,
        result_sha256 = excluded.result_sha256, errors = excluded.errors
      """)
    files.store(command)
  }

  public func commands(action row: Int64) throws -> [CommandRecord] {
    let rows = try database.query(
      """
      SELECT action_row, command_index, type, status, exit_code, result_path, result_size,
        result_sha256, errors
      FROM lr_command WHERE tenant = \(tenant) AND action_row = \(row) ORDER BY command_index
      """)
    return try rows.map(Self.command(from:))
  }
}
