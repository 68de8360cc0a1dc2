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
    func env(_ key: String) -> String? {
      guard let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty
      else { return nil }
      return value
    }
    let profileName = overrides.profile ?? env("LR_PROFILE") ?? file?.defaultProfile
    var profile = Profile()
    if let profileName {
      guard let file else {
        throw .configuration(
          "profile \"\(profileName)\" requested but there is no config file (\(ConfigFile.defaultPath(environment: environment).path))"
        )
      }
      guard let found = file.profiles[profileName] else {
        let known = file.profiles.keys.sorted().joined(separator: ", ")
        throw .configuration(
          "profile \"\(profileName)\" is not in \(file.path)"
            + (known.isEmpty ? "" : "; profiles there: \(known)"))
      }
      profile = found
    }
    // A readable secret is exposed whichever profile is in use: refuse the file as a whole.
    if let file, file.readableByOthers,
      let holder = file.profiles.keys.sorted().first(where: {
        file.profiles[$0]?.clientSecret != nil
      })
    {
      throw .configuration(
        "\(file.path) holds a client secret (profile \"\(holder)\") but other users can read it; "
          + "refusing to use it. Run: chmod 600 \(file.path)")
    }

    guard
      let tenant = overrides.tenantID ?? env("AZURE_TENANT_ID") ?? profile.tenantID
    else {
      throw .configuration(
        "no tenant: set AZURE_TENANT_ID, pass --tenant, or choose a profile with tenant_id (see docs/configuration.md)"
      )
    }
    try validateIdentifier(tenant, what: "tenant id")
    guard let client = overrides.clientID ?? env("AZURE_CLIENT_ID") ?? profile.clientID else {
      throw .configuration(
        "no application (client) id: set AZURE_CLIENT_ID, pass --client-id, or set client_id in the profile"
      )
    }
    try validateIdentifier(client, what: "client id")

    let credential: Credential
    if overrides.deviceCode {
      credential = .deviceCode
    } else if let secret = env("AZURE_CLIENT_SECRET") {
      credential = .secret(Secret(secret))
    } else if let path = env("AZURE_CLIENT_CERTIFICATE_PATH") {
      credential = .certificate(path: expandTilde(path, environment: environment))
    } else {
      switch profile.credential?.lowercased() {
      case "secret":
        guard let secret = profile.clientSecret else {
          throw .configuration(
            "profile \"\(profileName ?? "")\" uses a client secret but none is set: export AZURE_CLIENT_SECRET or add client_secret to the (private) config file"
          )
        }
        credential = .secret(secret)
      case "certificate":
        guard let path = profile.certificatePath else {
          throw .configuration(
            "profile \"\(profileName ?? "")\" uses a certificate but certificate_path is not set")
        }
        credential = .certificate(path: expandTilde(path, environment: environment))
      case "device-code", "devicecode", "device_code":
        credential = .deviceCode
      case nil:
        if let secret = profile.clientSecret {
          credential = .secret(secret)
        } else if let path = profile.certificatePath {
          credential = .certificate(path: expandTilde(path, environment: environment))
        } else {
          credential = .deviceCode
        }
      case let other?:
        throw .configuration(
          "unknown credential \"\(other)\"; expected secret, certificate or device-code")
      }
    }

    let cloudName = overrides.cloud ?? env("LR_CLOUD") ?? profile.cloud
    let region = overrides.region ?? env("LR_REGION") ?? profile.region
    let apiURL = overrides.apiURL ?? env("LR_API_URL") ?? profile.apiURL
    let authorityURL = overrides.authorityURL ?? env("LR_AUTHORITY_URL") ?? profile.authorityURL
    let resource = env("LR_RESOURCE") ?? profile.resource
    var cloud: Cloud
    if cloudName?.lowercased() == "custom"
      || (cloudName == nil && (apiURL != nil || authorityURL != nil))
    {
      guard let apiURL, let authorityURL else {
        throw .configuration(
          "a custom cloud needs both the API URL and the authority URL (LR_API_URL and LR_AUTHORITY_URL, or api_url and authority_url)"
        )
      }
      cloud = try .custom(apiBaseURL: apiURL, authorityBaseURL: authorityURL)
    } else {
      cloud = try Cloud.named(cloudName ?? "commercial", region: region)
      if let apiURL {
        cloud = try .custom(
          apiBaseURL: apiURL, authorityBaseURL: authorityURL ?? cloud.authorityBaseURL,
          resource: cloud.resource)
      } else if let authorityURL {
        cloud = try .custom(
          apiBaseURL: cloud.apiBaseURL, authorityBaseURL: authorityURL, resource: cloud.resource)
      }
    }
    if let resource { cloud.resource = resource }

    let tokenEndpoint: TokenEndpointVersion
    switch (env("LR_TOKEN_ENDPOINT") ?? profile.tokenEndpoint)?.lowercased() {
    case nil, "v2", "v2.0": tokenEndpoint = .v2
    case "v1", "v1.0": tokenEndpoint = .v1
    case let other?: throw .configuration("unknown token_endpoint \"\(other)\"; expected v2 or v1")
    }

    let limits = try (profile.limits?.applied(to: RateLimits()) ?? RateLimits()).validated()
    let results =
      overrides.resultsDirectory ?? env("LR_RESULTS_DIR") ?? profile.resultsDir ?? "results"
    return ConnectionSettings(
      profileName: profileName, tenantID: tenant, clientID: client, credential: credential,
      cloud: cloud, tokenEndpoint: tokenEndpoint, limits: limits,
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

  static func expandTilde(_ path: String, environment: [String: String]) -> String {
    guard path == "~" || path.hasPrefix("~/") else { return path }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + path.dropFirst()
  }
}
