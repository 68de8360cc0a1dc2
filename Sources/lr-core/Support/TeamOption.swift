import ArgumentParser
import DefenderClient
import Foundation
import LRSystem
import LRTeam

/// `--team URL`: record runs in a team database (PostgreSQL) instead of the local journal.
///
/// The URL comes from `--team`, else `LR_TEAM`, else the chosen profile's `team` key; with none,
/// commands use the local SQLite journal as before.
struct TeamOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Team database, postgres://user@host:port/db (default: LR_TEAM, then the profile's team).",
      valueName: "url"))
  var team: String?

  /// The configured team URL and tenant (flag > environment > profile), read without signing in.
  func setting(
    profile: String? = nil, tenant: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> TeamSetting {
    var overrides = ConnectionOverrides()
    overrides.profile = profile
    overrides.tenantID = tenant
    let file = try ConfigFile.load(environment: environment)
    return try TeamSetting.resolve(
      flag: team, file: file, environment: environment, overrides: overrides)
  }

  /// Opens the team for `tenant` when a team URL is configured (nil: the local journal).
  /// A bad URL, a refused sign-in, an unreachable server or a newer schema throws ``TeamError``
  /// (exit status 3) before anything is sent to the service.
  func open(
    tenant: String?, profile: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Team? {
    let setting = try setting(profile: profile, tenant: tenant, environment: environment)
    guard let text = setting.url else { return nil }
    let url = try TeamURL(text, environment: environment)
    guard let tenant = tenant ?? setting.tenantID else {
      throw TeamError.badURL(
        "no tenant for the team database: set AZURE_TENANT_ID, pass --tenant or use a profile "
          + "with tenant_id")
    }
    let team = try Team.open(url, tenant: tenant)
    // A saved file not stored in the database (over the cap, unreadable, the database away) is
    // said on standard error; the run goes on, and `lr results fetch` reports it too.
    team.journal.files.report { Terminal.printError("lr: warning: " + Terminal.sanitize($0)) }
    return team
  }

  /// The team for a command that only works with one (`lr worker`, `lr watch`, `lr approve`,
  /// `lr run --detach`): opened, or a usage error naming the ways to give it.
  func require(_ command: String, tenant: String?, profile: String? = nil) throws -> Team {
    guard let team = try open(tenant: tenant, profile: profile) else {
      throw UsageError("\(command) needs a team database: --team URL, LR_TEAM or a profile's team")
    }
    return team
  }
}
