import Foundation

/// A lab scenario: tenant, apps, fleet, each machine's files, library and script behaviours,
/// limits and fault injection. Scenario files are JSON in the format documented in
/// `docs/emulator.md`.
public struct Scenario: Sendable, Codable {
  /// Scenario name (informational).
  public var name: String
  /// The tenant id or name that token endpoints accept (`/{tenant}/oauth2/...`).
  public var tenant: String
  /// App registrations that may obtain tokens.
  public var apps: [ScenarioApp]
  /// Users that may sign in with the device-code flow.
  public var users: [ScenarioUser]
  /// The fleet.
  public var machines: [ScenarioMachine]
  /// Library files present at start (besides any seeded from a library directory).
  public var library: [ScenarioLibraryFile]
  /// What library scripts do on simulated devices (first matching rule wins).
  public var scripts: [ScriptBehaviour]
  /// Per-tenant limits.
  public var limits: Limits
  /// Fault injection.
  public var faults: FaultSettings
  /// Device-code sign-in settings.
  public var deviceCode: DeviceCodeSettings
  /// The real service's quirks this scenario models (none but the cautious session count by
  /// default).
  public var quirks: ServiceQuirks

  /// A scenario with the given parts; everything else defaults.
  public init(
    name: String, tenant: String = "lab", apps: [ScenarioApp] = [], users: [ScenarioUser] = [],
    machines: [ScenarioMachine] = [], library: [ScenarioLibraryFile] = [],
    scripts: [ScriptBehaviour] = [], limits: Limits = Limits(),
    faults: FaultSettings = FaultSettings(),
    deviceCode: DeviceCodeSettings = DeviceCodeSettings(), quirks: ServiceQuirks = ServiceQuirks()
  ) {
    self.name = name
    self.tenant = tenant
    self.apps = apps
    self.users = users
    self.machines = machines
    self.library = library
    self.scripts = scripts
    self.limits = limits
    self.faults = faults
    self.deviceCode = deviceCode
    self.quirks = quirks
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? "custom"
    tenant = try c.decodeIfPresent(String.self, forKey: .tenant) ?? "lab"
    apps = try c.decodeIfPresent([ScenarioApp].self, forKey: .apps) ?? []
    users = try c.decodeIfPresent([ScenarioUser].self, forKey: .users) ?? []
    machines = try c.decodeIfPresent([ScenarioMachine].self, forKey: .machines) ?? []
    library = try c.decodeIfPresent([ScenarioLibraryFile].self, forKey: .library) ?? []
    scripts = try c.decodeIfPresent([ScriptBehaviour].self, forKey: .scripts) ?? []
    limits = try c.decodeIfPresent(Limits.self, forKey: .limits) ?? Limits()
    faults = try c.decodeIfPresent(FaultSettings.self, forKey: .faults) ?? FaultSettings()
    deviceCode =
      try c.decodeIfPresent(DeviceCodeSettings.self, forKey: .deviceCode) ?? DeviceCodeSettings()
    quirks = try c.decodeIfPresent(ServiceQuirks.self, forKey: .quirks) ?? ServiceQuirks()
  }

  /// A built-in scenario by name: `demo` (the lab fleet) or `large` (10,000 machines).
  public static func builtIn(_ name: String) -> Scenario? {
    switch name.lowercased() {
    case "demo": return .demo
    case "large": return .large
    default: return nil
    }
  }

  /// Loads a scenario JSON file.
  public static func load(from url: URL) throws -> Scenario {
    let data = try Data(contentsOf: url)
    return try JSONDecoder().decode(Scenario.self, from: data)
  }

  /// The names of the built-in scenarios.
  public static let builtInNames = ["demo", "large"]
}

/// An app registration: client credentials and the application roles its tokens carry.
public struct ScenarioApp: Sendable, Codable {
  /// Application (client) id.
  public var clientId: String
  /// Client secret (nil: secret sign-in refused).
  public var clientSecret: String?
  /// Display name, used as the `requestor` of actions it starts.
  public var displayName: String
  /// Application roles (`Machine.LiveResponse`, `Machine.Read.All`, …).
  public var roles: [String]
  /// PEM public key (or certificate) for certificate-assertion sign-in.
  public var certificatePEM: String?
  /// Whether public-client flows (device code) are allowed.
  public var allowPublicClient: Bool

  /// An app with the given credentials and roles.
  public init(
    clientId: String, clientSecret: String?, displayName: String? = nil, roles: [String],
    certificatePEM: String? = nil, allowPublicClient: Bool = false
  ) {
    self.clientId = clientId
    self.clientSecret = clientSecret
    self.displayName = displayName ?? clientId
    self.roles = roles
    self.certificatePEM = certificatePEM
    self.allowPublicClient = allowPublicClient
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    clientId = try c.decode(String.self, forKey: .clientId)
    clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
    displayName = try c.decodeIfPresent(String.self, forKey: .displayName) ?? clientId
    roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
    certificatePEM = try c.decodeIfPresent(String.self, forKey: .certificatePEM)
    allowPublicClient = try c.decodeIfPresent(Bool.self, forKey: .allowPublicClient) ?? false
  }

  /// Every application role the LR-related endpoints check.
  public static let allRoles = [
    "Machine.Read.All", "Machine.ReadWrite.All", "Machine.LiveResponse", "Library.Manage",
    "Machine.CollectForensics", "Machine.Isolate", "Machine.RestrictExecution", "Machine.Scan",
    "Machine.Offboard", "Machine.StopAndQuarantine",
  ]
}

/// A user for delegated (device-code) sign-in; tokens carry `scp`.
public struct ScenarioUser: Sendable, Codable {
  /// User principal name.
  public var userPrincipalName: String
  /// Delegated scopes (`Machine.LiveResponse`, `Machine.Read`, …).
  public var scopes: [String]

  /// A user with scopes.
  public init(userPrincipalName: String, scopes: [String]) {
    self.userPrincipalName = userPrincipalName
    self.scopes = scopes
  }
}

/// Device-code flow settings.
public struct DeviceCodeSettings: Sendable, Codable {
  /// When set, pending device codes are approved automatically as this user after
  /// `autoApproveAfterSeconds` virtual seconds (a lab convenience).
  public var autoApproveUser: String?
  /// Virtual seconds before automatic approval.
  public var autoApproveAfterSeconds: Double

  /// Defaults: no automatic approval.
  public init(autoApproveUser: String? = nil, autoApproveAfterSeconds: Double = 5) {
    self.autoApproveUser = autoApproveUser
    self.autoApproveAfterSeconds = autoApproveAfterSeconds
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    autoApproveUser = try c.decodeIfPresent(String.self, forKey: .autoApproveUser)
    autoApproveAfterSeconds =
      try c.decodeIfPresent(Double.self, forKey: .autoApproveAfterSeconds) ?? 5
  }
}

/// Per-tenant limits (defaults are the documented ones).
public struct Limits: Sendable, Codable {
  /// runliveresponse calls per minute.
  public var liveResponsePerMinute: Int
  /// Concurrently running live response sessions.
  public var concurrentSessions: Int
  /// Calls per minute for every other API endpoint.
  public var otherPerMinute: Int
  /// Calls per hour for every other API endpoint.
  public var otherPerHour: Int
  /// Largest page a list returns before `@odata.nextLink`.
  public var maxPageSize: Int
  /// RunScript timeout (virtual seconds).
  public var runScriptTimeoutSeconds: Double
  /// How long an action waits for an offline device (virtual seconds).
  public var queueExpirySeconds: Double
  /// Access token lifetime (virtual seconds).
  public var tokenLifetimeSeconds: Double
  /// Download link lifetime (virtual seconds).
  public var linkLifetimeSeconds: Double
  /// Library upload size limit in bytes.
  public var libraryMaxBytes: Int

  /// The documented limits.
  public init(
    liveResponsePerMinute: Int = 10, concurrentSessions: Int = 25, otherPerMinute: Int = 100,
    otherPerHour: Int = 1500, maxPageSize: Int = 10_000, runScriptTimeoutSeconds: Double = 600,
    queueExpirySeconds: Double = 3 * 86_400, tokenLifetimeSeconds: Double = 3599,
    linkLifetimeSeconds: Double = 1800, libraryMaxBytes: Int = 20 * 1024 * 1024
  ) {
    self.liveResponsePerMinute = liveResponsePerMinute
    self.concurrentSessions = concurrentSessions
    self.otherPerMinute = otherPerMinute
    self.otherPerHour = otherPerHour
    self.maxPageSize = maxPageSize
    self.runScriptTimeoutSeconds = runScriptTimeoutSeconds
    self.queueExpirySeconds = queueExpirySeconds
    self.tokenLifetimeSeconds = tokenLifetimeSeconds
    self.linkLifetimeSeconds = linkLifetimeSeconds
    self.libraryMaxBytes = libraryMaxBytes
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = Limits()
    liveResponsePerMinute =
      try c.decodeIfPresent(Int.self, forKey: .liveResponsePerMinute) ?? d.liveResponsePerMinute
    concurrentSessions =
      try c.decodeIfPresent(Int.self, forKey: .concurrentSessions) ?? d.concurrentSessions
    otherPerMinute = try c.decodeIfPresent(Int.self, forKey: .otherPerMinute) ?? d.otherPerMinute
    otherPerHour = try c.decodeIfPresent(Int.self, forKey: .otherPerHour) ?? d.otherPerHour
    maxPageSize = try c.decodeIfPresent(Int.self, forKey: .maxPageSize) ?? d.maxPageSize
    runScriptTimeoutSeconds =
      try c.decodeIfPresent(Double.self, forKey: .runScriptTimeoutSeconds)
      ?? d.runScriptTimeoutSeconds
    queueExpirySeconds =
      try c.decodeIfPresent(Double.self, forKey: .queueExpirySeconds) ?? d.queueExpirySeconds
    tokenLifetimeSeconds =
      try c.decodeIfPresent(Double.self, forKey: .tokenLifetimeSeconds) ?? d.tokenLifetimeSeconds
    linkLifetimeSeconds =
      try c.decodeIfPresent(Double.self, forKey: .linkLifetimeSeconds) ?? d.linkLifetimeSeconds
    libraryMaxBytes = try c.decodeIfPresent(Int.self, forKey: .libraryMaxBytes) ?? d.libraryMaxBytes
  }
}

/// Fault injection, applied to `/api` requests (not to token or admin endpoints).
public struct FaultSettings: Sendable, Codable, Equatable {
  /// Fraction (0…1) of requests answered with 500/503.
  public var serverErrorRate: Double
  /// Fraction of requests whose connection is closed without a response.
  public var connectionResetRate: Double
  /// Fraction of requests answered 429 regardless of the budget.
  public var forced429Rate: Double
  /// Fraction of requests processed in full (an action created, a cancel applied) whose
  /// connection is then closed before the answer: the client cannot tell whether it happened.
  public var lostAnswerRate: Double
  /// Real milliseconds added to every API response.
  public var addedLatencyMilliseconds: Int
  /// Seed for the fault dice (deterministic runs).
  public var seed: UInt64

  /// No faults.
  public init(
    serverErrorRate: Double = 0, connectionResetRate: Double = 0, forced429Rate: Double = 0,
    addedLatencyMilliseconds: Int = 0, lostAnswerRate: Double = 0, seed: UInt64 = 1
  ) {
    self.serverErrorRate = serverErrorRate
    self.lostAnswerRate = lostAnswerRate
    self.connectionResetRate = connectionResetRate
    self.forced429Rate = forced429Rate
    self.addedLatencyMilliseconds = addedLatencyMilliseconds
    self.seed = seed
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    serverErrorRate = try c.decodeIfPresent(Double.self, forKey: .serverErrorRate) ?? 0
    connectionResetRate = try c.decodeIfPresent(Double.self, forKey: .connectionResetRate) ?? 0
    forced429Rate = try c.decodeIfPresent(Double.self, forKey: .forced429Rate) ?? 0
    lostAnswerRate = try c.decodeIfPresent(Double.self, forKey: .lostAnswerRate) ?? 0
    addedLatencyMilliseconds =
      try c.decodeIfPresent(Int.self, forKey: .addedLatencyMilliseconds) ?? 0
    seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
  }
}

/// A library file present when the scenario starts.
public struct ScenarioLibraryFile: Sendable, Codable {
  /// File name in the library.
  public var fileName: String
  /// Description.
  public var description: String?
  /// Whether the script takes parameters.
  public var hasParameters: Bool
  /// Parameters description.
  public var parametersDescription: String?
  /// Literal content (default: a generated stub).
  public var content: String?

  /// A library file.
  public init(
    fileName: String, description: String? = nil, hasParameters: Bool = false,
    parametersDescription: String? = nil, content: String? = nil
  ) {
    self.fileName = fileName
    self.description = description
    self.hasParameters = hasParameters
    self.parametersDescription = parametersDescription
    self.content = content
  }

  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    fileName = try c.decode(String.self, forKey: .fileName)
    description = try c.decodeIfPresent(String.self, forKey: .description)
    hasParameters = try c.decodeIfPresent(Bool.self, forKey: .hasParameters) ?? false
    parametersDescription = try c.decodeIfPresent(String.self, forKey: .parametersDescription)
    content = try c.decodeIfPresent(String.self, forKey: .content)
  }
}
