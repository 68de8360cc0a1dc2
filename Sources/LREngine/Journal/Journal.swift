import Foundation
import GRDB
import LRLanguage

/// The durable record of every run, action and result: SQLite (WAL) through GRDB. Every action is
/// written *before* it is submitted, so a crash or `kill -9` never loses an action the service may
/// have accepted; `lr resume` reconciles from here.
public final class Journal: Sendable {
  let pool: DatabasePool
  /// The database file.
  public let url: URL

  /// Opens (creating and migrating as needed) the journal at a path (commands open the state
  /// folder's through ``RunWorkspace``).
  public convenience init(url: URL) throws {
    try self.init(url: url, migratingUpTo: nil)
  }

  /// Opens the journal with migrations applied up to `last` (all when nil; tests of upgrades).
  init(url: URL, migratingUpTo last: String?) throws {
    self.url = url
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    try Journal.restrictPermissions(of: url)
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    pool = try DatabasePool(path: url.path, configuration: configuration)
    if let last {
      try Journal.migrator.migrate(pool, upTo: last)
    } else {
      try Journal.migrator.migrate(pool)
    }
  }

  /// Creates the database file owner-only (0600) before SQLite writes anything, and brings an
  /// older journal and its WAL and shared-memory files to 0600. SQLite gives the `-wal` and `-shm`
  /// files it creates the database file's permissions.
  static func restrictPermissions(of url: URL) throws {
    let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
    fchmod(descriptor, 0o600)
    close(descriptor)
    for suffix in ["-wal", "-shm"] {
      let path = url.path + suffix
      if FileManager.default.fileExists(atPath: path) { chmod(path, 0o600) }
    }
  }

  /// Versioned schema migrations; add new ones at the end, never edit old ones.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.create(table: "run") { t in
        t.primaryKey("id", .text)
        t.column("createdAt", .datetime).notNull()
        t.column("sourcePath", .text).notNull()
        t.column("sourceText", .text).notNull()
        t.column("profile", .text).notNull()
        t.column("tenant", .text).notNull()
        t.column("resultsDirectory", .text).notNull()
        t.column("state", .text).notNull()
        t.column("finishedAt", .datetime)
      }
      try db.create(table: "target") { t in
        t.column("runID", .text).notNull().references("run", onDelete: .cascade)
        t.column("statement", .integer).notNull()
        t.column("machineID", .text).notNull()
        t.column("computerName", .text).notNull()
        t.primaryKey(["runID", "statement", "machineID"])
      }
      try db.create(table: "action") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("runID", .text).notNull().references("run", onDelete: .cascade).indexed()
        t.column("statement", .integer).notNull()
        t.column("requestIndex", .integer).notNull()
        t.column("machineID", .text).notNull()
        t.column("computerName", .text).notNull()
        t.column("token", .text).notNull().unique()
        t.column("body", .text).notNull()
        t.column("state", .text).notNull()
        t.column("actionID", .text)
        t.column("status", .text)
        t.column("error", .text)
        t.column("createdAt", .datetime).notNull()
        t.column("updatedAt", .datetime).notNull()
      }
      try db.create(table: "command") { t in
        t.column("actionRow", .integer).notNull().references("action", onDelete: .cascade)
        t.column("commandIndex", .integer).notNull()
        t.column("type", .text).notNull()
        t.column("status", .text).notNull()
        t.column("exitCode", .integer)
        t.column("resultPath", .text)
        t.column("resultSize", .integer)
        t.column("resultSHA256", .text)
        t.column("errors", .text)
        t.primaryKey(["actionRow", "commandIndex"])
      }
      try db.create(table: "auditHead") { t in
        t.primaryKey("path", .text)
        t.column("sequence", .integer).notNull()
        t.column("hash", .text).notNull()
      }
    }
    // v2 (`lr resume`): the order a statement's machines resolved in, how many times a run was
    // resumed, and how an unacknowledged action was reconciled (`adopted` or `resubmitted`).
    migrator.registerMigration("v2") { db in
      try db.alter(table: "target") { t in
        t.add(column: "position", .integer).notNull().defaults(to: 0)
      }
      try db.alter(table: "run") { t in
        t.add(column: "resumes", .integer).notNull().defaults(to: 0)
      }
      try db.alter(table: "action") { t in
        t.add(column: "reconciliation", .text)
      }
    }
    // v3 (a shared, checked audit chain): each audit log's head under the log's own identity
    // (the random id in its first entry), updated on every append, with the path it was written at.
    migrator.registerMigration("v3") { db in
      try db.create(table: "auditChain") { t in
        t.primaryKey("log", .text)
        t.column("path", .text).notNull().indexed()
        t.column("sequence", .integer).notNull()
        t.column("hash", .text).notNull()
      }
    }
    // v4: the modules a run's source imported, as compiled (JSON object: name → text), so that
    // `lr resume` recompiles exactly what ran even if a module file changed or went away.
    migrator.registerMigration("v4") { db in
      try db.alter(table: "run") { t in
        t.add(column: "modules", .text).notNull().defaults(to: "{}")
      }
    }
    // v5 (structured results, issue 13): each completed RunScript or GetFile command's result as
    // data — the cleaned output text, standard error, exit code, the format the output was parsed
    // as (and why not, when it fell back to text) and the command's finish time — and one row per
    // parsed output row (a GetFile result is one row too), `data` the row as a JSON object.
    migrator.registerMigration("v5") { db in
      try db.create(table: "commandResult") { t in
        t.column("actionRow", .integer).notNull().references("action", onDelete: .cascade)
        t.column("commandIndex", .integer).notNull()
        t.column("runID", .text).notNull().indexed()
        t.column("type", .text).notNull()
        t.column("output", .text)
        t.column("errors", .text)
        t.column("exitCode", .integer)
        t.column("format", .text)
        t.column("formatWarning", .text)
        t.column("finishedAt", .datetime).notNull()
        t.primaryKey(["actionRow", "commandIndex"])
      }
      try db.create(table: "resultRow") { t in
        t.column("runID", .text).notNull().indexed()
        t.column("actionRow", .integer).notNull().references("action", onDelete: .cascade)
        t.column("machineID", .text).notNull()
        t.column("computerName", .text).notNull()
        t.column("commandIndex", .integer).notNull()
        t.column("n", .integer).notNull()
        t.column("data", .text).notNull()
        t.primaryKey(["actionRow", "commandIndex", "n"])
      }
    }
    // v6 (issue 13): the documented, versioned, read-only SQL schema (views `runs`, `results`,
    // `rows`, `targets`, `schema_version`) and who ran each run (`run.who`); see JournalSchema.
    migrator.registerMigration("v6", migrate: JournalSchema.migrate)
    // v7 (`lr rerun`, `lr report`): the run a rerun came from, and each action's times as the
    // service reported them (submitted, first command started, finished).
    migrator.registerMigration("v7") { db in
      try db.alter(table: "run") { t in
        t.add(column: "parentRun", .text)
      }
      try db.alter(table: "action") { t in
        t.add(column: "submittedAt", .datetime)
        t.add(column: "startedAt", .datetime)
        t.add(column: "finishedAt", .datetime)
      }
    }
    // v8 (staged rollout, issue 15): the command line's rollout policy (JSON), which `lr resume`
    // applies again, and why a paused run paused.
    migrator.registerMigration("v8") { db in
      try db.alter(table: "run") { t in
        t.add(column: "rollout", .text)
        t.add(column: "pauseReason", .text)
      }
    }
    return migrator
  }

  /// The migrations applied so far (for diagnostics and tests).
  public func appliedMigrations() throws -> [String] {
    try pool.read { db in try Journal.migrator.appliedIdentifiers(db).sorted() }
  }

  // MARK: - Runs

  public func create(_ run: RunRecord) throws {
    try pool.write { db in try run.insert(db) }
  }

  public func finish(run id: String, state: RunRecord.State, at time: Date) throws {
    try pool.write { db in
      try db.execute(
        sql: "UPDATE run SET state = ?, finishedAt = ? WHERE id = ?",
        arguments: [state.rawValue, time, id])
    }
  }

  /// Marks a run as running again and counts the resume.
  public func resume(run id: String) throws {
    try pool.write { db in
      try db.execute(
        sql: """
          UPDATE run SET state = ?, finishedAt = NULL, pauseReason = NULL, resumes = resumes + 1
          WHERE id = ?
          """,
        arguments: [RunRecord.State.running.rawValue, id])
    }
  }

  /// Marks a run paused by its breaker, with the reason.
  public func pause(run id: String, reason: String, at time: Date) throws {
    try pool.write { db in
      try db.execute(
        sql: "UPDATE run SET state = ?, finishedAt = ?, pauseReason = ? WHERE id = ?",
        arguments: [RunRecord.State.paused.rawValue, time, reason, id])
    }
  }

  /// Records the rollout `lr resume` applies from now on (its options over the journaled ones).
  public func record(rollout: RolloutPolicy?, run id: String) throws {
    let text = try rollout.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    try pool.write { db in
      try db.execute(sql: "UPDATE run SET rollout = ? WHERE id = ?", arguments: [text, id])
    }
  }

  public func run(_ id: String) throws -> RunRecord? {
    try pool.read { db in try RunRecord.fetchOne(db, key: id) }
  }

  /// Runs, newest first.
  public func runs(limit: Int) throws -> [RunRecord] {
    try pool.read { db in
      try RunRecord.order(Column("createdAt").desc).limit(limit).fetchAll(db)
    }
  }

  // MARK: - Targets

  public func record(_ targets: [TargetRecord]) throws {
    try pool.write { db in
      for target in targets { try target.save(db) }
    }
  }

  public func targets(run id: String) throws -> [TargetRecord] {
    try pool.read { db in
      try TargetRecord.filter(Column("runID") == id).order(Column("statement"), Column("position"))
        .fetchAll(db)
    }
  }

  // MARK: - Actions

  /// Records an action before it is sent; returns it with its row id.
  public func plan(_ action: ActionRecord) throws -> ActionRecord {
    try pool.write { db in
      var action = action
      try action.insert(db)
      return action
    }
  }

  /// Records what the service answered (or learnt later by reconciliation).
  public func update(
    action row: Int64, state: ActionRecord.State, actionID: String?, status: String?,
    error: String?, reconciliation: String?, at time: Date
  ) throws {
    try pool.write { db in
      try db.execute(
        sql: """
          UPDATE action SET state = ?, actionID = COALESCE(?, actionID), status = COALESCE(?, status),
          error = COALESCE(?, error), reconciliation = COALESCE(?, reconciliation), updatedAt = ?
          WHERE id = ?
          """,
        arguments: [state.rawValue, actionID, status, error, reconciliation, time, row])
    }
  }

  public func actions(run id: String) throws -> [ActionRecord] {
    try pool.read { db in
      try ActionRecord.filter(Column("runID") == id).order(Column("id")).fetchAll(db)
    }
  }

  public func action(token: String) throws -> ActionRecord? {
    try pool.read { db in try ActionRecord.filter(Column("token") == token).fetchOne(db) }
  }

  // MARK: - Commands

  public func record(_ command: CommandRecord) throws {
    try pool.write { db in try command.save(db) }
  }

  public func commands(action row: Int64) throws -> [CommandRecord] {
    try pool.read { db in
      try CommandRecord.filter(Column("actionRow") == row).order(Column("commandIndex")).fetchAll(
        db)
    }
  }
}
