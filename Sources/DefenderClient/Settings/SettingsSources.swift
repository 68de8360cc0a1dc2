import Foundation

/// The sources of one connection setting in precedence order: flags, environment, then the
/// chosen profile of the config file.
struct SettingsSources {
  /// The parsed config file, if any.
  var file: ConfigFile?
  /// The process environment (`AZURE_*`, `LR_*`).
  var environment: [String: String]
  /// Command-line flags.
  var overrides: ConnectionOverrides
  /// The chosen profile's name (flag, `LR_PROFILE`, the file's default), if any.
  var profileName: String?
  /// The chosen profile, empty when none is chosen.
  var profile = Profile()

  /// Chooses the profile and refuses a config file whose secret other users can read.
  init(
    file: ConfigFile?, environment: [String: String], overrides: ConnectionOverrides
  ) throws(DefenderClientError) {
    self.file = file
    self.environment = environment
    self.overrides = overrides
    profileName = overrides.profile ?? Self.value(environment, "LR_PROFILE") ?? file?.defaultProfile
    if let profileName {
      profile = try Self.profile(profileName, in: file, environment: environment)
    }
    try Self.refuseReadableSecret(file)
  }

  /// The trimmed, non-empty value of an environment variable.
  func env(_ key: String) -> String? { Self.value(environment, key) }

  /// The trimmed, non-empty value of `key` in `environment`.
  static func value(_ environment: [String: String], _ key: String) -> String? {
    guard let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty
    else { return nil }
    return value
  }

  /// The profile called `name` in `file`, or an error naming the profiles there.
  static func profile(
    _ name: String, in file: ConfigFile?, environment: [String: String]
  ) throws(DefenderClientError) -> Profile {
    guard let file else {
      throw .configuration(
        "profile \"\(name)\" requested but there is no config file (\(ConfigFile.defaultPath(environment: environment).path))"
      )
    }
    guard let found = file.profiles[name] else {
      let known = file.profiles.keys.sorted().joined(separator: ", ")
      throw .configuration(
        "profile \"\(name)\" is not in \(file.path)"
          + (known.isEmpty ? "" : "; profiles there: \(known)"))
    }
    return found
  }

  /// A readable secret is exposed whichever profile is in use: refuse the file as a whole.
  static func refuseReadableSecret(_ file: ConfigFile?) throws(DefenderClientError) {
    guard let file, file.readableByOthers,
      let holder = file.profiles.keys.sorted().first(where: {
        file.profiles[$0]?.clientSecret != nil
      })
    else { return }
    throw .configuration(
      "\(file.path) holds a client secret (profile \"\(holder)\") but other users can read it; "
        + "refusing to use it. Run: chmod 600 \(file.path)")
  }

  /// The tenant id, validated.
  func tenantID() throws(DefenderClientError) -> String {
    guard let tenant = overrides.tenantID ?? env("AZURE_TENANT_ID") ?? profile.tenantID else {
      throw .configuration(
        "no tenant: set AZURE_TENANT_ID, pass --tenant, or choose a profile with tenant_id "
          + "(see docs/configuration.md); --lab uses the built-in lab instead, no tenant needed")
    }
    try ConnectionSettings.validateIdentifier(tenant, what: "tenant id")
    return tenant
  }

  /// The application (client) id, validated.
  func clientID() throws(DefenderClientError) -> String {
    guard let client = overrides.clientID ?? env("AZURE_CLIENT_ID") ?? profile.clientID else {
      throw .configuration(
        "no application (client) id: set AZURE_CLIENT_ID, pass --client-id, or set client_id in the profile"
      )
    }
    try ConnectionSettings.validateIdentifier(client, what: "client id")
    return client
  }

  /// The token endpoint version (`LR_TOKEN_ENDPOINT`, the profile's `token_endpoint`, else v2).
  func tokenEndpoint() throws(DefenderClientError) -> TokenEndpointVersion {
    switch (env("LR_TOKEN_ENDPOINT") ?? profile.tokenEndpoint)?.lowercased() {
    case nil, "v2", "v2.0": return .v2
    case "v1", "v1.0": return .v1
    case let other?: throw .configuration("unknown token_endpoint \"\(other)\"; expected v2 or v1")
    }
  }

  /// `path` with a leading `~` replaced by the home folder.
  func expandTilde(_ path: String) -> String {
    ConnectionSettings.expandTilde(path, environment: environment)
  }
}
