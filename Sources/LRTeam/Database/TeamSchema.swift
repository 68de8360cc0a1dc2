import PostgresNIO

/// The team database's schema: versioned migrations, applied in order, each in its own
/// transaction, under an advisory lock so that processes starting together migrate once.
///
/// Every table carries the tenant it belongs to, so several tenants share one database without
/// seeing each other's runs, budget or audit chain.
public enum TeamSchema {
  /// One step of the schema.
  public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var sql: String
  }

  /// Every migration, oldest first; the last one's version is the schema this lr writes.
  public static let migrations: [Migration] = [
    .base,
    .journal,
    .budget,
    .workers,
    .approvals,
    .queryViews,
    .auditAppendIDs,
    .savedFiles,
  ]

  /// The newest schema version this lr knows.
  public static var currentVersion: Int { migrations.last?.version ?? 0 }

  /// An arbitrary key for `pg_advisory_lock`: lr's migrations.
  static let migrationLock: Int64 = 0x6c72_7465_616d

  /// Brings the database up to ``currentVersion``; refuses a newer one.
  public static func migrate(_ database: TeamDatabase) throws(TeamError) {
    try database.query("SELECT pg_advisory_lock(\(migrationLock))")
    defer { _ = try? database.query("SELECT pg_advisory_unlock(\(migrationLock))") }
    try database.query(
      """
      CREATE TABLE IF NOT EXISTS lr_schema (
        version integer NOT NULL, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())
      """)
    let found = try version(of: database)
    guard found <= currentVersion else {
      throw .newerSchema(found: found, known: currentVersion)
    }
    for migration in migrations where migration.version > found {
      try apply(migration, to: database)
    }
  }

  /// The schema version the database is at (0: empty).
  public static func version(of database: TeamDatabase) throws(TeamError) -> Int {
    let rows = try database.query("SELECT coalesce(max(version), 0) FROM lr_schema")
    guard let row = rows.first, let version = try? row.decode(Int.self) else { return 0 }
    return version
  }

  private static func apply(_ migration: Migration, to database: TeamDatabase) throws(TeamError) {
    do {
      try database.transaction { transaction in
        try transaction.script(migration.sql)
        try transaction.query(
          "INSERT INTO lr_schema (version, name) VALUES (\(migration.version), \(migration.name))")
      }
    } catch let error as TeamError {
      throw error
    } catch {
      throw TeamError(answering: error)
    }
  }
}

extension TeamSchema.Migration {
  /// Version 1: the tenants that share this database.
  static let base = TeamSchema.Migration(
    version: 1, name: "tenants",
    sql: """
      CREATE TABLE lr_tenant (
        tenant text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now());
      """)
}
