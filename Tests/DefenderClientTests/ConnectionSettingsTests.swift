import Foundation
import Testing

@testable import DefenderClient

@Suite struct ConnectionSettingsTests {
  let labEnvironment = [
    "AZURE_TENANT_ID": "lab", "AZURE_CLIENT_ID": "lr-lab", "AZURE_CLIENT_SECRET": "lr-lab-secret",
    "LR_API_URL": "http://127.0.0.1:1", "LR_AUTHORITY_URL": "http://127.0.0.1:1",
  ]

  @Test func environmentAloneMakesACustomCloud() throws {
    let settings = try ConnectionSettings.resolve(
      file: nil, environment: labEnvironment, overrides: ConnectionOverrides())
    #expect(settings.tenantID == "lab")
    #expect(settings.clientID == "lr-lab")
    #expect(settings.credential == .secret(Secret("lr-lab-secret")))
    #expect(settings.cloud.name == "custom")
    #expect(settings.cloud.apiBaseURL == "http://127.0.0.1:1")
    #expect(settings.cloud.scope == "https://api.securitycenter.microsoft.com/.default")
  }

  @Test func descriptionNeverShowsTheSecret() throws {
    let settings = try ConnectionSettings.resolve(
      file: nil, environment: labEnvironment, overrides: ConnectionOverrides())
    let rendered = "\(settings) \(String(reflecting: settings)) \(settings.credential)"
    #expect(!rendered.contains("lr-lab-secret"))
  }

  @Test func flagsOverrideEnvironmentOverrideFile() throws {
    let file = try ConfigFile.parse(
      """
      default_profile = "prod"
      [profiles.prod]
      tenant_id = "file-tenant"
      client_id = "file-client"
      cloud = "gcc"
      [profiles.prod.limits]
      api_per_hour = 1000
      """, path: "test.toml")
    var overrides = ConnectionOverrides()
    overrides.clientID = "flag-client"
    let settings = try ConnectionSettings.resolve(
      file: file, environment: ["AZURE_TENANT_ID": "env-tenant", "AZURE_CLIENT_SECRET": "s"],
      overrides: overrides)
    #expect(settings.profileName == "prod")
    #expect(settings.tenantID == "env-tenant")
    #expect(settings.clientID == "flag-client")
    #expect(settings.cloud == .gcc)
    #expect(settings.limits.apiPerHour == 1000)
    #expect(settings.limits.apiPerMinute == 100)
  }

  @Test func secretInAFileOthersCanReadIsRefused() throws {
    var file = try ConfigFile.parse(
      """
      [profiles.p]
      tenant_id = "t"
      client_id = "c"
      client_secret = "hunter2"
      """, path: "/tmp/x.toml")
    file.readableByOthers = true
    var overrides = ConnectionOverrides()
    overrides.profile = "p"
    let error = #expect(throws: DefenderClientError.self) {
      try ConnectionSettings.resolve(file: file, environment: [:], overrides: overrides)
    }
    #expect(error?.kind == .configuration)
    #expect(error?.message.contains("chmod 600") == true)
    #expect(error?.message.contains("hunter2") == false)
    file.readableByOthers = false
    let settings = try ConnectionSettings.resolve(
      file: file, environment: [:], overrides: overrides)
    #expect(settings.credential == .secret(Secret("hunter2")))
  }

  @Test func realFilePermissionsAreChecked() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-cfg-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("config.toml").path
    try #require(
      FileManager.default.createFile(
        atPath: path, contents: Data("[profiles.p]\nclient_secret = \"x\"\n".utf8),
        attributes: [.posixPermissions: 0o644]))
    let loaded = try #require(try ConfigFile.load(environment: ["LR_CONFIG": path]))
    #expect(loaded.readableByOthers)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    #expect(try ConfigFile.load(environment: ["LR_CONFIG": path])?.readableByOthers == false)
  }

  @Test(arguments: [
    ("[profiles.p\ntenant_id = 1", "test.toml:"),
    ("[profiles.p]\ntenant = \"x\"", "unknown setting"),
    ("[profiles.p]\ntenant_id = 5", "expected"),
  ])
  func badFilesGiveClearErrors(text: String, expected: String) {
    let error = #expect(throws: DefenderClientError.self) {
      try ConfigFile.parse(text, path: "test.toml")
    }
    #expect(error?.kind == .configuration)
    #expect(error?.message.contains(expected) == true, "\(error?.message ?? "nil")")
  }

  @Test func missingPiecesAreNamed() {
    let noTenant = #expect(throws: DefenderClientError.self) {
      try ConnectionSettings.resolve(file: nil, environment: [:], overrides: .init())
    }
    #expect(noTenant?.message.contains("AZURE_TENANT_ID") == true)
    let noClient = #expect(throws: DefenderClientError.self) {
      try ConnectionSettings.resolve(
        file: nil, environment: ["AZURE_TENANT_ID": "t"], overrides: .init())
    }
    #expect(noClient?.message.contains("AZURE_CLIENT_ID") == true)
    let unknownProfile = #expect(throws: DefenderClientError.self) {
      var overrides = ConnectionOverrides()
      overrides.profile = "nope"
      return try ConnectionSettings.resolve(
        file: try ConfigFile.parse("[profiles.a]\n", path: "c.toml"), environment: [:],
        overrides: overrides)
    }
    #expect(unknownProfile?.message.contains("profiles there: a") == true)
  }

  @Test func hostileTenantIsRefused() {
    let error = #expect(throws: DefenderClientError.self) {
      try ConnectionSettings.resolve(
        file: nil, environment: ["AZURE_TENANT_ID": "../evil?x=", "AZURE_CLIENT_ID": "c"],
        overrides: .init())
    }
    #expect(error?.kind == .configuration)
  }

  @Test func aFlagBeatsTheEnvironmentForTheSameKey() throws {
    let environment = [
      "AZURE_TENANT_ID": "env-tenant", "AZURE_CLIENT_ID": "env-client",
      "AZURE_CLIENT_SECRET": "s", "LR_CLOUD": "dod", "LR_REGION": "", "LR_RESULTS_DIR": "/env",
    ]
    var overrides = ConnectionOverrides()
    overrides.tenantID = "flag-tenant"
    overrides.clientID = "flag-client"
    overrides.cloud = "gcc"
    overrides.resultsDirectory = "/flag"
    let settings = try ConnectionSettings.resolve(
      file: nil, environment: environment, overrides: overrides)
    #expect(settings.tenantID == "flag-tenant")
    #expect(settings.clientID == "flag-client")
    #expect(settings.cloud == .gcc)
    #expect(settings.resultsDirectory == "/flag")
    var region = ConnectionOverrides()
    region.region = "uk"
    let regional = try ConnectionSettings.resolve(
      file: nil, environment: environment.merging(["LR_CLOUD": "", "LR_REGION": "eu"]) { $1 },
      overrides: region)
    #expect(regional.cloud.apiBaseURL == "https://uk.api.security.microsoft.com")
  }

  @Test func profileCloudAndRegionComeFromTheEnvironment() throws {
    let file = try ConfigFile.parse(
      """
      default_profile = "first"
      [profiles.first]
      tenant_id = "first-tenant"
      client_id = "c"
      cloud = "gcc-high"
      [profiles.second]
      tenant_id = "second-tenant"
      client_id = "c"
      cloud = "gcc"
      """, path: "test.toml")
    let picked = try ConnectionSettings.resolve(
      file: file, environment: ["LR_PROFILE": "second", "AZURE_CLIENT_SECRET": "s"],
      overrides: .init())
    #expect(picked.profileName == "second")
    #expect(picked.tenantID == "second-tenant")
    #expect(picked.cloud == .gcc)
    var flag = ConnectionOverrides()
    flag.profile = "first"
    let flagWins = try ConnectionSettings.resolve(
      file: file, environment: ["LR_PROFILE": "second"], overrides: flag)
    #expect(flagWins.tenantID == "first-tenant")
    let cloud = try ConnectionSettings.resolve(
      file: file, environment: ["LR_PROFILE": "second", "LR_CLOUD": "dod"], overrides: .init())
    #expect(cloud.cloud == .dod)
    let region = try ConnectionSettings.resolve(
      file: file, environment: ["LR_CLOUD": "commercial", "LR_REGION": "au"], overrides: .init())
    #expect(region.profileName == "first")
    #expect(region.cloud.apiBaseURL == "https://au.api.security.microsoft.com")
    #expect(region.cloud.authorityBaseURL == "https://login.microsoftonline.com")
    let badRegion = #expect(throws: DefenderClientError.self) {
      try ConnectionSettings.resolve(
        file: file, environment: ["LR_REGION": "eu"], overrides: .init())
    }
    #expect(badRegion?.message.contains("applies only to the commercial cloud") == true)
  }

  @Test func aSecretInAnyProfileOfAReadableFileIsRefused() throws {
    var file = try ConfigFile.parse(
      """
      default_profile = "analyst"
      [profiles.analyst]
      tenant_id = "t"
      client_id = "c"
      credential = "device-code"
      [profiles.automation]
      tenant_id = "t"
      client_id = "c"
      client_secret = "hunter2"
      """, path: "/tmp/shared.toml")
    file.readableByOthers = true
    let error = #expect(throws: DefenderClientError.self) {
      try ConnectionSettings.resolve(file: file, environment: [:], overrides: .init())
    }
    #expect(error?.kind == .configuration)
    #expect(error?.message.contains("profile \"automation\"") == true, "\(error?.message ?? "")")
    #expect(error?.message.contains("chmod 600 /tmp/shared.toml") == true)
    #expect(error?.message.contains("hunter2") == false)
    // A readable file without any secret is fine.
    var clean = try ConfigFile.parse(
      "[profiles.analyst]\ntenant_id = \"t\"\nclient_id = \"c\"\n", path: "/tmp/c.toml")
    clean.readableByOthers = true
    var overrides = ConnectionOverrides()
    overrides.profile = "analyst"
    #expect(
      try ConnectionSettings.resolve(file: clean, environment: [:], overrides: overrides).credential
        == .deviceCode)
  }

  @Test func noCredentialMeansDeviceCode() throws {
    let settings = try ConnectionSettings.resolve(
      file: nil, environment: ["AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"], overrides: .init())
    #expect(settings.credential == .deviceCode)
    #expect(settings.cloud == .commercial())
  }
}

@Suite struct CloudTests {
  @Test(
    arguments: [
      (
        "commercial", nil, "https://api.security.microsoft.com", "https://login.microsoftonline.com"
      ),
      (
        "commercial", "eu", "https://eu.api.security.microsoft.com",
        "https://login.microsoftonline.com"
      ),
      (
        "gcc", nil, "https://api-gcc.securitycenter.microsoft.us",
        "https://login.microsoftonline.com"
      ),
      (
        "gcc-high", nil, "https://api-gov.securitycenter.microsoft.us",
        "https://login.microsoftonline.us"
      ),
      (
        "GCC_HIGH", nil, "https://api-gov.securitycenter.microsoft.us",
        "https://login.microsoftonline.us"
      ),
      (
        "dod", nil, "https://api-gov.securitycenter.microsoft.us",
        "https://login.microsoftonline.us"
      ),
    ] as [(String, String?, String, String)])
  func knownClouds(name: String, region: String?, api: String, authority: String) throws {
    let cloud = try Cloud.named(name, region: region)
    #expect(cloud.apiBaseURL == api)
    #expect(cloud.authorityBaseURL == authority)
  }

  @Test func badCloudsAndRegions() {
    #expect(throws: DefenderClientError.self) { try Cloud.named("azure-china") }
    #expect(throws: DefenderClientError.self) { try Cloud.named("gcc", region: "eu") }
    #expect(throws: DefenderClientError.self) { try Cloud.named("commercial", region: "mars") }
    #expect(throws: DefenderClientError.self) {
      try Cloud.custom(apiBaseURL: "ftp://x", authorityBaseURL: "http://y")
    }
  }

  @Test func govTokenAudienceIsTheGovHost() {
    #expect(Cloud.gccHigh.scope == "https://api-gov.securitycenter.microsoft.us/.default")
  }
}
