import Foundation
import LREngine
import PostgresNIO

/// A team: one tenant's share of a team database (docs/team.md). lr opens it once per process;
/// the journal and the audit chain use its connection, and each other user (the budget, workers,
/// `lr watch`) opens a connection of its own with ``connect()``.
public final class Team: Sendable {
  /// Where the database is (its password never printed).
  public let url: TeamURL
  /// The Defender tenant whose runs, budget and audit chain these are.
  public let tenant: String
  /// The connection the journal and the audit chain use.
  public let database: TeamDatabase
  /// The tenant's journal (runs, actions, results, the audit chain's heads).
  public let journal: PostgresJournal
  /// The tenant's audit chain, in the database.
  public let auditStore: PostgresAuditStore

  init(url: TeamURL, tenant: String, database: TeamDatabase) {
    self.url = url
    self.tenant = tenant
    self.database = database
    self.journal = PostgresJournal(database: database, tenant: tenant)
    self.auditStore = PostgresAuditStore(database: database, tenant: tenant)
  }

  /// Connects, brings the schema up to date and registers the tenant: a wrong password, an
  /// unreachable server or a newer schema is reported here, before anything is sent.
  public static func open(_ url: TeamURL, tenant: String) throws(TeamError) -> Team {
    guard !tenant.isEmpty else { throw .badURL("no tenant to work for in the team database") }
    let database = try TeamDatabase.open(url)
    try database.query(
      "INSERT INTO lr_tenant (tenant) VALUES (\(tenant)) ON CONFLICT (tenant) DO NOTHING")
    return Team(url: url, tenant: tenant, database: database)
  }

  /// The audit log whose chain is the tenant's table (what a run appends to in team mode).
  public func auditLog() throws -> AuditLog {
    try AuditLog(store: auditStore, url: auditStore.url)
  }

  /// A new connection to the same database (for a caller that holds transactions or LISTENs).
  public func connect() -> TeamDatabase {
    TeamDatabase(url: url)
  }

  /// Closes the journal's connection.
  public func close() {
    database.close()
  }
}
