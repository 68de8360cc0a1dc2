import ArgumentParser
import Foundation
import LREngine
import LRTeam

/// Which journal `lr query`, `lr stack` and `lr results` read: `--journal PATH`, else the team
/// database when one is configured (`--team`, `LR_TEAM`, the profile's `team`; the tenant from
/// `--tenant`, `AZURE_TENANT_ID` or the profile), else `journal.sqlite` in the state folder.
struct JournalOptions: ParsableArguments {
  @Option(help: "The journal to read (default: the team database, else journal.sqlite).")
  var journal: String?

  @OptionGroup var team: TeamOption

  @OptionGroup var scope: TeamTenantOptions

  /// The journal's documented views, read-only.
  func reader() throws -> any ResultsReader {
    if let journal { return try JournalReader(url: URL(fileURLWithPath: journal)) }
    guard let opened = try team.open(tenant: scope.tenant, profile: scope.profile) else {
      return try JournalReader(url: RunWorkspace.journalURL())
    }
    defer { opened.close() }
    return PostgresResultsReader(url: opened.url, tenant: opened.tenant)
  }
}
