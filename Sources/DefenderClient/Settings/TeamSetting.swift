import Foundation

/// Where the team database is, and which tenant lr works for in it, read from the same sources
/// as every connection setting: `--team` > `LR_TEAM` > the chosen profile's `team`.
public struct TeamSetting: Sendable, Equatable {
  /// The team database URL as written (nil: no team mode, the local SQLite journal).
  public var url: String?
  /// The tenant id when one is configured (`--tenant`, `AZURE_TENANT_ID`, the profile's).
  public var tenantID: String?
  /// The profile's `approval_above` (four-eyes approval above this many machines).
  public var approvalAbove: Int?
  /// The profile's `high_impact` script globs (four-eyes approval for runs of them).
  public var highImpact: [String]?

  /// Resolves the team URL and tenant; `flag` is `--team`.
  public static func resolve(
    flag: String?, file: ConfigFile?, environment: [String: String],
    overrides: ConnectionOverrides = ConnectionOverrides()
  ) throws(DefenderClientError) -> TeamSetting {
    let sources = try SettingsSources(file: file, environment: environment, overrides: overrides)
    let url = nonEmpty(flag) ?? sources.env("LR_TEAM") ?? nonEmpty(sources.profile.team)
    let tenant =
      overrides.tenantID ?? sources.env("AZURE_TENANT_ID") ?? nonEmpty(sources.profile.tenantID)
    return TeamSetting(
      url: url, tenantID: tenant, approvalAbove: sources.profile.approvalAbove,
      highImpact: sources.profile.highImpact)
  }

  private static func nonEmpty(_ text: String?) -> String? {
    guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
    return text
  }
}
