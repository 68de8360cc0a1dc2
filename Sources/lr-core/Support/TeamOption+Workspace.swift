import Foundation
import LREngine
import LRSystem
import LRTeam

extension TeamOption {
  /// Where a run is recorded: with a team configured, the team database's journal and audit
  /// chain; else the state folder's journal and audit log. Opening the team is where a bad URL,
  /// a refused sign-in, an unreachable server or a newer schema stops the command (exit 3),
  /// before anything is sent.
  func workspace(resultsRoot: URL, tenant: String?, profile: String?) throws -> RunWorkspace {
    guard let team = try open(tenant: tenant, profile: profile) else {
      return try RunWorkspace.open(resultsRoot: resultsRoot)
    }
    return RunWorkspace(journal: team.journal, audit: try team.auditLog(), resultsRoot: resultsRoot)
  }

  /// The workspace of an already open journal (`lr resume` reads the run first).
  func workspace(journal: any RunJournal, resultsRoot: URL) throws -> RunWorkspace {
    if let journal = journal as? PostgresJournal {
      let store = PostgresAuditStore(database: journal.database, tenant: journal.tenant)
      return RunWorkspace(
        journal: journal, audit: try AuditLog(store: store, url: store.url),
        resultsRoot: resultsRoot)
    }
    guard let journal = journal as? Journal else {
      throw UsageError("no audit log for the journal at \(journal.location)")
    }
    return try RunWorkspace.open(journal: journal, resultsRoot: resultsRoot)
  }

  /// The journal runs are read from: the team's when configured, else the state folder's.
  func journal(tenant: String?, profile: String?) throws -> any RunJournal {
    guard let team = try open(tenant: tenant, profile: profile) else {
      return try RunWorkspace.openJournal()
    }
    return team.journal
  }

  /// ``journal(tenant:profile:)`` for the commands that read without signing in; a team that
  /// cannot be opened is reported here (`lr: error: …`, exit 3).
  func openedJournal(_ scope: TeamTenantOptions) throws -> any RunJournal {
    do {
      return try journal(tenant: scope.tenant, profile: scope.profile)
    } catch {
      throw ErrorReporting.report(error)
    }
  }
}
