import Foundation

/// Command-line overrides; flags win over the environment, which wins over the config file.
///
/// There is deliberately no field for a secret: secrets are never accepted as arguments.
public struct ConnectionOverrides: Sendable, Equatable {
  /// `--profile`.
  public var profile: String?
  /// `--tenant`.
  public var tenantID: String?
  /// `--client-id`.
  public var clientID: String?
  /// `--cloud`.
  public var cloud: String?
  /// `--region`.
  public var region: String?
  /// `--api-url`.
  public var apiURL: String?
  /// `--authority-url`.
  public var authorityURL: String?
  /// `--results-dir`.
  public var resultsDirectory: String?
  /// Use device-code sign-in (`lr login`).
  public var deviceCode: Bool = false

  /// No overrides.
  public init() {}
}

/// Everything needed to talk to one tenant, resolved from flags, environment and config file.
public struct ConnectionSettings: Sendable, Equatable, CustomStringConvertible {
  /// The profile the settings came from, if any.
  public var profileName: String?
  /// Entra tenant id or domain.
  public var tenantID: String
  /// Application (client) id.
  public var clientID: String
  /// How to sign in.
  public var credential: Credential
  /// Where the API and the authority are.
  public var cloud: Cloud
  /// v2 (`scope=`) or v1 (`resource=`) token endpoint.
  public var tokenEndpoint: TokenEndpointVersion
  /// The budget.
  public var limits: RateLimits
  /// Where results are saved (`results/<run>/<machine>/…`).
  public var resultsDirectory: String
  /// Where the device-code refresh token is cached (a file readable only by the user).
  public var tokenCacheDirectory: String

  /// Creates settings directly (tests, `--lab`).
  public init(
    profileName: String? = nil, tenantID: String, clientID: String, credential: Credential,
    cloud: Cloud, tokenEndpoint: TokenEndpointVersion = .v2, limits: RateLimits = RateLimits(),
    resultsDirectory: String = "results", tokenCacheDirectory: String = ""
  ) {
    self.profileName = profileName
    self.tenantID = tenantID
    self.clientID = clientID
    self.credential = credential
    self.cloud = cloud
    self.tokenEndpoint = tokenEndpoint
    self.limits = limits
    self.resultsDirectory = resultsDirectory
    self.tokenCacheDirectory = tokenCacheDirectory
  }

  /// A one-line summary without secrets: tenant, client, credential kind, cloud, API URL.
  public var description: String {
    "tenant \(tenantID), client \(clientID), credential \(credential), cloud \(cloud.name), "
      + "api \(cloud.apiBaseURL), authority \(cloud.authorityBaseURL)"
  }

  /// Resolves settings: flags override environment, environment overrides the profile.
  ///
  /// - Parameters:
  ///   - file: the parsed config file, if any.
  ///   - environment: the process environment (`AZURE_*`, `LR_*`).
  ///   - overrides: command-line flags.
  /// - Throws: a configuration error saying exactly what is missing or wrong.
  public static func resolve(
    file: ConfigFile?, environment: [String: String], overrides: ConnectionOverrides
  ) throws(DefenderClientError) -> ConnectionSettings {
    let sources = try SettingsSources(file: file, environment: environment, overrides: overrides)
    let tenant = try sources.tenantID()
    let client = try sources.clientID()
    let credential = try sources.credential()
    let cloud = try sources.cloud()
    let tokenEndpoint = try sources.tokenEndpoint()
    let profile = sources.profile
    let limits = try (profile.limits?.applied(to: RateLimits()) ?? RateLimits()).validated()
    let results =
      overrides.resultsDirectory ?? sources.env("LR_RESULTS_DIR") ?? profile.resultsDir
      ?? "results"
    return ConnectionSettings(
      profileName: sources.profileName, tenantID: tenant, clientID: client,
      credential: credential, cloud: cloud, tokenEndpoint: tokenEndpoint, limits: limits,
      resultsDirectory: expandTilde(results, environment: environment),
      tokenCacheDirectory: ConfigFile.configDirectory(environment: environment) + "/tokens")
  }

  /// Tenant and client ids are GUIDs or domain names; anything else could bend the token URL.
  static func validateIdentifier(_ value: String, what: String) throws(DefenderClientError) {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
    guard !value.isEmpty, value.count <= 256, value.allSatisfy({ allowed.contains($0) }) else {
      throw .configuration(
        "\(what) \"\(value.prefix(80))\" is not a GUID or domain name (letters, digits, '.', '-', '_')"
      )
    }
  }

  /// `path` with a leading `~` replaced by `HOME`.
  static func expandTilde(_ path: String, environment: [String: String]) -> String {
    guard path == "~" || path.hasPrefix("~/") else { return path }
    let home = HomeFolder.path(environment: environment)
    return home + path.dropFirst()
  }
}
