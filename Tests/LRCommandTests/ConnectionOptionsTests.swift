import Foundation
import LRTestSupport
import Testing

/// Shared options and error mapping, without a service.
@Suite struct ConnectionOptionsTests {
  func emptyConfig() throws -> (URL, [String: String]) {
    let home = try LRTestSupport.temporaryDirectory()
    return (
      home,
      [
        "XDG_CONFIG_HOME": home.path, "LR_CONFIG": "", "LR_PROFILE": "", "AZURE_TENANT_ID": "",
        "AZURE_CLIENT_ID": "", "AZURE_CLIENT_SECRET": "", "LR_API_URL": "", "LR_AUTHORITY_URL": "",
      ]
    )
  }

  /// ``emptyConfig()`` with the lab's client credentials (the secret a test checks is never
  /// echoed) and the API and authority at `api` and `authority`.
  func credentials(
    api: String = "http://127.0.0.1:9", authority: String = "http://127.0.0.1:9"
  ) throws -> (URL, [String: String]) {
    let (home, empty) = try emptyConfig()
    var environment = empty
    environment["AZURE_TENANT_ID"] = "lab"
    environment["AZURE_CLIENT_ID"] = "lr-lab"
    environment["AZURE_CLIENT_SECRET"] = "s3cr3t-value"
    environment["LR_API_URL"] = api
    environment["LR_AUTHORITY_URL"] = authority
    return (home, environment)
  }

  @Test func usageErrorsExitTwo() async throws {
    #expect(try await LRTestSupport.runLR(["machines", "--limit", "0"]).status == 2)
    #expect(try await LRTestSupport.runLR(["machines", "--no-such-flag"]).status == 2)
    #expect(try await LRTestSupport.runLR(["machines", "--output", "yaml"]).status == 2)
    // There is no way to pass a secret as an argument, and a refused one is not echoed.
    for arguments in [
      ["machines", "--client-secret", "s3cr3t-on-argv"],
      ["machines", "--client-secret=s3cr3t-on-argv"],
      ["library", "upload", "--secret", "s3cr3t-on-argv"],
    ] {
      let refused = try await LRTestSupport.runLR(arguments)
      #expect(refused.status == 2)
      #expect(!refused.stderr.contains("s3cr3t-on-argv"), "\(refused.stderr)")
      #expect(!refused.stdout.contains("s3cr3t-on-argv"))
    }
  }

  @Test func aReadableConfigWithASecretInAnotherProfileIsRefused() async throws {
    let (home, env) = try emptyConfig()
    defer { try? FileManager.default.removeItem(at: home) }
    try FileManager.default.createDirectory(
      at: home.appendingPathComponent("lr"), withIntermediateDirectories: true)
    let config = home.appendingPathComponent("lr/config.toml")
    try Data(
      """
      default_profile = "analyst"
      [profiles.analyst]
      tenant_id = "lab"
      client_id = "lr-lab"
      credential = "device-code"
      api_url = "http://127.0.0.1:9"
      authority_url = "http://127.0.0.1:9"
      [profiles.robot]
      tenant_id = "lab"
      client_id = "lr-lab"
      client_secret = "robot-secret-value"
      """.utf8
    ).write(to: config)
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: config.path)
    let result = try await LRTestSupport.runLR(["machines"], environment: env)
    #expect(result.status == 3)
    #expect(result.stderr.contains("profile \"robot\""), "\(result.stderr)")
    #expect(result.stderr.contains("chmod 600"))
    #expect(!result.stderr.contains("robot-secret-value"))
  }

  @Test func missingConfigurationExitsThreeAndSaysWhatToSet() async throws {
    let (home, env) = try emptyConfig()
    defer { try? FileManager.default.removeItem(at: home) }
    let result = try await LRTestSupport.runLR(["machines"], environment: env)
    #expect(result.status == 3)
    #expect(result.stderr.contains("AZURE_TENANT_ID"))
  }

  @Test func worldReadableSecretConfigIsRefused() async throws {
    let (home, env) = try emptyConfig()
    defer { try? FileManager.default.removeItem(at: home) }
    try FileManager.default.createDirectory(
      at: home.appendingPathComponent("lr"), withIntermediateDirectories: true)
    let config = home.appendingPathComponent("lr/config.toml")
    try Data(
      """
      default_profile = "p"
      [profiles.p]
      tenant_id = "lab"
      client_id = "lr-lab"
      client_secret = "very-secret-value"
      api_url = "http://127.0.0.1:9"
      authority_url = "http://127.0.0.1:9"
      """.utf8
    ).write(to: config)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.path)
    let result = try await LRTestSupport.runLR(["machines"], environment: env)
    #expect(result.status == 3)
    #expect(result.stderr.contains("chmod 600"))
    #expect(!result.stderr.contains("very-secret-value"))
  }

  @Test func brokenConfigPointsAtTheLine() async throws {
    let (home, env) = try emptyConfig()
    defer { try? FileManager.default.removeItem(at: home) }
    let config = home.appendingPathComponent("broken.toml")
    try Data("[profiles.p\ntenant_id = 1\n".utf8).write(to: config)
    var environment = env
    environment["LR_CONFIG"] = config.path
    let result = try await LRTestSupport.runLR(["machines"], environment: environment)
    #expect(result.status == 3)
    #expect(result.stderr.contains("broken.toml:1:"))
  }

  @Test func unreachableServiceExitsOne() async throws {
    let (home, env) = try credentials()
    defer { try? FileManager.default.removeItem(at: home) }
    var environment = env
    environment["LR_RETRY_WINDOW"] = "2"
    let started = ContinuousClock.now
    let result = try await LRTestSupport.runLR(["machines", "--verbose"], environment: environment)
    #expect(ContinuousClock.now - started < .seconds(20))
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot reach"))
    #expect(!result.stderr.contains("s3cr3t-value"))
    // While it retried, it said so: once, naming the host, the cause and the window.
    let notice =
      "lr: sign-in: cannot reach 127.0.0.1:9 (connection refused); retrying for up to 2 s (Ctrl-C stops)"
    #expect(result.stderr.components(separatedBy: notice).count == 2, "\(result.stderr)")
  }

  /// `lr run` says so too: in JSON lines, each sign-in retry is a `retry` event from the run's
  /// start (before its targets are resolved); in human output, one notice on stderr.
  @Test func aRunShowsTheSignInRetries() async throws {
    let (home, env) = try credentials()
    defer { try? FileManager.default.removeItem(at: home) }
    var environment = env
    environment["LR_RETRY_WINDOW"] = "1"
    environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
    let file = home.appendingPathComponent("t.lr")
    try "on machine ws-0142 < run Get-Processes.ps1 >\n".write(
      to: file, atomically: true, encoding: .utf8)
    let json = try await LRTestSupport.runLR(
      ["run", "--output", "json", "--no-preflight", file.path], environment: environment,
      currentDirectory: home)
    #expect(json.status == 1, "\(json.stderr)")
    #expect(
      json.stdout.contains(
        #"{"event":"retry","reason":"sign-in: cannot reach 127.0.0.1:9 (connection refused)","attempt":2,"#
      ), "\(json.stdout)")
    let human = try await LRTestSupport.runLR(
      ["run", "--output", "human", "--no-preflight", file.path], environment: environment,
      currentDirectory: home)
    #expect(human.status == 1, "\(human.stderr)")
    #expect(human.stderr.components(separatedBy: "retrying for up to 1 s").count == 2)
    #expect(!human.stdout.contains("retry"), "\(human.stdout)")
    #expect(!json.stdout.contains("s3cr3t-value") && !human.stderr.contains("s3cr3t-value"))
  }

  /// A bad `LR_RETRY_WINDOW` is refused, naming it.
  @Test func aBadRetryWindowIsRefused() async throws {
    let (home, env) = try credentials()
    defer { try? FileManager.default.removeItem(at: home) }
    var environment = env
    environment["LR_RETRY_WINDOW"] = "soon"
    let result = try await LRTestSupport.runLR(["machines"], environment: environment)
    #expect(result.status == 3)
    #expect(result.stderr.contains("LR_RETRY_WINDOW"), "\(result.stderr)")
  }

  /// An authority host name that does not exist (`.invalid`, RFC 2606) is a setting to fix:
  /// lr fails at once (no minute of retries), naming the host and the setting, and no secret.
  @Test func anUnknownAuthorityHostFailsAtOnceNamingTheSetting() async throws {
    let (home, environment) = try credentials(
      api: "https://api.lr-test.invalid", authority: "https://login.lr-test.invalid")
    defer { try? FileManager.default.removeItem(at: home) }
    let started = ContinuousClock.now
    let result = try await LRTestSupport.runLR(["machines"], environment: environment)
    #expect(ContinuousClock.now - started < .seconds(10))
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("login.lr-test.invalid"), "\(result.stderr)")
    #expect(result.stderr.contains("does not exist"), "\(result.stderr)")
    #expect(result.stderr.contains("LR_AUTHORITY_URL"), "\(result.stderr)")
    #expect(!result.stderr.contains("retrying for up to"), "\(result.stderr)")
    #expect(!result.stderr.contains("s3cr3t-value"))
  }

  /// Signed in, an API that refuses connections is retried with one notice; an API host name
  /// that does not exist fails at once naming `LR_API_URL`.
  @Test func anUnreachableAPIIsAnnouncedAndAnUnknownOneFailsAtOnce() async throws {
    let emulator = try await EmulatorFixture.start()
    var environment = emulator.environment()
    environment["LR_API_URL"] = "http://127.0.0.1:9"
    environment["LR_RETRY_WINDOW"] = "1"
    let refused = try await LRTestSupport.runLR(["machines"], environment: environment)
    #expect(refused.status == 1, "\(refused.stderr)")
    let notice =
      "lr: cannot reach 127.0.0.1:9 (connection refused); retrying for up to 1 s (Ctrl-C stops)"
    #expect(refused.stderr.components(separatedBy: notice).count == 2, "\(refused.stderr)")
    environment["LR_API_URL"] = "http://api.lr-test.invalid"
    let started = ContinuousClock.now
    let unknown = try await LRTestSupport.runLR(["machines"], environment: environment)
    #expect(ContinuousClock.now - started < .seconds(10))
    #expect(unknown.status == 3, "\(unknown.stderr)")
    #expect(unknown.stderr.contains("api.lr-test.invalid"), "\(unknown.stderr)")
    #expect(unknown.stderr.contains("LR_API_URL"), "\(unknown.stderr)")
    #expect(!unknown.stderr.contains("lr-lab-secret"))
    await emulator.stop()
  }

  /// An authority whose TLS certificate lr does not trust fails at once, naming the setting.
  @Test func anUntrustedCertificateFailsAtOnceNamingTheSetting() async throws {
    let emulator = try await EmulatorFixture.start(tls: true)
    let started = ContinuousClock.now
    let result = try await LRTestSupport.runLR(["machines"], environment: emulator.environment())
    #expect(ContinuousClock.now - started < .seconds(10))
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("TLS"), "\(result.stderr)")
    #expect(result.stderr.contains("LR_AUTHORITY_URL"), "\(result.stderr)")
    #expect(!result.stderr.contains("lr-lab-secret"))
    await emulator.stop()
  }
}
