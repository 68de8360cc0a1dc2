import Foundation

/// A Microsoft cloud: where the Defender API and the Entra sign-in endpoints live.
public struct Cloud: Sendable, Equatable, CustomStringConvertible {
  /// The cloud's name as written in config and `LR_CLOUD` (`commercial`, `gcc`, `gcc-high`, `dod`,
  /// `custom`).
  public var name: String
  /// The API base URL (no trailing slash), e.g. `https://api.security.microsoft.com`.
  public var apiBaseURL: String
  /// The sign-in authority base URL (no trailing slash), e.g. `https://login.microsoftonline.com`.
  public var authorityBaseURL: String
  /// The token audience: v1 `resource=`, and v2 `scope=<resource>/.default`.
  public var resource: String

  /// Creates a cloud from explicit URLs.
  public init(name: String, apiBaseURL: String, authorityBaseURL: String, resource: String) {
    self.name = name
    self.apiBaseURL = Cloud.trimmed(apiBaseURL)
    self.authorityBaseURL = Cloud.trimmed(authorityBaseURL)
    self.resource = Cloud.trimmed(resource)
  }

  /// The v2 `scope` value for client-credentials sign-in.
  public var scope: String { resource + "/.default" }

  /// The cloud's name.
  public var description: String { name }

  /// Commercial regions with their own API host (`https://<region>.api.security.microsoft.com`).
  public static let commercialRegions = ["us", "eu", "uk", "au", "swa", "ina"]

  /// Commercial (worldwide) cloud, optionally pinned to a regional API host.
  public static func commercial(region: String? = nil) -> Cloud {
    let host =
      if let region, !region.isEmpty { "https://\(region).api.security.microsoft.com" } else {
        "https://api.security.microsoft.com"
      }
    return Cloud(
      name: "commercial", apiBaseURL: host, authorityBaseURL: "https://login.microsoftonline.com",
      resource: "https://api.securitycenter.microsoft.com")
  }

  /// US Government Community Cloud (GCC).
  public static let gcc = Cloud(
    name: "gcc", apiBaseURL: "https://api-gcc.securitycenter.microsoft.us",
    authorityBaseURL: "https://login.microsoftonline.com",
    resource: "https://api-gcc.securitycenter.microsoft.us")

  /// US Government GCC High.
  public static let gccHigh = Cloud(
    name: "gcc-high", apiBaseURL: "https://api-gov.securitycenter.microsoft.us",
    authorityBaseURL: "https://login.microsoftonline.us",
    resource: "https://api-gov.securitycenter.microsoft.us")

  /// US Department of Defense.
  public static let dod = Cloud(
    name: "dod", apiBaseURL: "https://api-gov.securitycenter.microsoft.us",
    authorityBaseURL: "https://login.microsoftonline.us",
    resource: "https://api-gov.securitycenter.microsoft.us")

  /// Looks a cloud up by name (case-insensitive, `_` and `-` equivalent), applying a region.
  ///
  /// - Throws: a configuration error for unknown names, for a region outside the commercial cloud,
  ///   and for `custom` (which needs explicit URLs, see ``custom(apiBaseURL:authorityBaseURL:resource:)``).
  public static func named(_ raw: String, region: String? = nil) throws(DefenderClientError)
    -> Cloud
  {
    let name = raw.lowercased().replacingOccurrences(of: "_", with: "-")
    if let region, !region.isEmpty {
      guard name == "commercial" || name == "public" || name == "global" else {
        throw .configuration("region \"\(region)\" applies only to the commercial cloud")
      }
      guard commercialRegions.contains(region.lowercased()) else {
        throw .configuration(
          "unknown region \"\(region)\"; expected one of \(commercialRegions.joined(separator: ", "))"
        )
      }
      return .commercial(region: region.lowercased())
    }
    switch name {
    case "commercial", "public", "global": return .commercial()
    case "gcc": return .gcc
    case "gcc-high", "gcchigh": return .gccHigh
    case "dod": return .dod
    case "custom":
      throw .configuration(
        "cloud \"custom\" needs api_url and authority_url (or LR_API_URL and LR_AUTHORITY_URL)")
    default:
      throw .configuration(
        "unknown cloud \"\(raw)\"; expected commercial, gcc, gcc-high, dod or custom")
    }
  }

  /// A custom cloud (the emulator, a proxy): explicit API and authority URLs.
  public static func custom(
    apiBaseURL: String, authorityBaseURL: String,
    resource: String = "https://api.securitycenter.microsoft.com"
  ) throws(DefenderClientError) -> Cloud {
    for (label, url) in [("API URL", apiBaseURL), ("authority URL", authorityBaseURL)] {
      guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
        throw .configuration("\(label) \"\(url)\" must start with https:// or http://")
      }
    }
    return Cloud(
      name: "custom", apiBaseURL: apiBaseURL, authorityBaseURL: authorityBaseURL, resource: resource
    )
  }

  private static func trimmed(_ url: String) -> String {
    var url = url
    while url.hasSuffix("/") { url.removeLast() }
    return url
  }
}
