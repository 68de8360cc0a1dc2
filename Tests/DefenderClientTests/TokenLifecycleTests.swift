import DefenderEmulator
import Foundation
import LRTestSupport
import Synchronization
import Testing

@testable import DefenderClient

/// Access tokens refreshed before they expire, the 401 fallback, device-code refresh tokens
/// exchanged over loopback, and consent errors — all against the emulator.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TokenLifecycleTests {
  func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lr-tok-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
  }

  @Test func tokenIsRefreshedBeforeItExpiresWithoutA401() async throws {
    // At time scale 1200 the emulator's 3599-second tokens live three real seconds (the client is
    // told `expires_in: 2`, whole seconds rounded down, and refreshes after 1.8).
    try await LabFixture.with(timeScale: 1200) { lab in
      _ = try await lab.api.machine(LabFixture.exampleMachine)
      #expect(await lab.api.tokens.signIns == 1)
      try await Task.sleep(for: .milliseconds(3200))
      // The first token has expired on the service by now; the client knew and signed in first.
      _ = try await lab.api.machine(LabFixture.exampleMachine)
      #expect(await lab.api.tokens.signIns == 2)
      let api = lab.emulator.requests.api
      #expect(api.count == 2)
      #expect(api.allSatisfy { $0.status == 200 }, "\(api.map(\.status))")
      #expect(try await lab.emulator.stats().apiRequests == 2)
    }
  }

  @Test func tokenTheServiceRejectsIsReplacedAfterOne401() async throws {
    try await LabFixture.with { lab in
      _ = try await lab.api.machines()
      #expect(await lab.api.tokens.signIns == 1)
      // Two virtual hours pass on the service only: the client's token is still "fresh" to it.
      try await lab.emulator.admin("clock", #"{"advanceSeconds": 7200}"#)
      _ = try await lab.api.machines()
      #expect(await lab.api.tokens.signIns == 2)
      #expect(lab.emulator.requests.api.map(\.status) == [200, 401, 200])
    }
  }

  @Test func deviceCodeRefreshTokenIsExchangedOverLoopback() async throws {
    let cache = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    try await LabFixture.with(credential: .deviceCode, tokenCacheDirectory: cache) { lab in
      let prompted = Mutex(false)
      try await lab.api.tokens.signInWithDeviceCode { _ in prompted.withLock { $0 = true } }
      #expect(prompted.withLock { $0 })
      let store = RefreshTokenStore(settings: lab.api.settings)
      let first = try #require(try store.load())
      let refresh = try #require(first.refreshToken)
      #expect(refresh.revealed.hasPrefix("lr-rt."))

      // A new process: nothing in memory, the refresh token on disk.
      let later = try lab.freshClient()
      let machines = try await later.machines()
      #expect(!machines.isEmpty)
      #expect(await later.tokens.signIns == 1)
      let second = try #require(try store.load())
      // The authority rotated the refresh token, and the new one was kept.
      #expect(second.refreshToken != nil)
      #expect(second.refreshToken != first.refreshToken)
      #expect(second.accessToken != first.accessToken)
      await later.shutdown()
    }
  }

  @Test func refreshAnswerWithoutANewRefreshTokenKeepsTheCachedOne() async throws {
    let cache = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let strip = Mutex(false)
    try await LabFixture.with(
      credential: .deviceCode, tokenCacheDirectory: cache,
      rewrite: { method, target, status, body in
        guard strip.withLock({ $0 }), method == "POST", target.hasSuffix("/oauth2/v2.0/token"),
          status == 200, var object = JSONBody.object(body)
        else { return nil }
        object["refresh_token"] = nil
        return JSONBody.bytes(object)
      }
    ) { lab in
      try await lab.api.tokens.signInWithDeviceCode { _ in }
      let store = RefreshTokenStore(settings: lab.api.settings)
      let signedIn = try #require(try store.load())
      #expect(signedIn.refreshToken != nil)
      strip.withLock { $0 = true }
      let later = try lab.freshClient()
      _ = try await later.machines()
      #expect(lab.proxy?.exchanges.contains { $0.rewritten } == true)
      let after = try #require(try store.load())
      #expect(after.refreshToken == signedIn.refreshToken)
      #expect(after.accessToken != signedIn.accessToken)
      // And it still works for the next process.
      strip.withLock { $0 = false }
      let third = try lab.freshClient()
      _ = try await third.machines()
      #expect(await third.tokens.signIns == 1)
      await later.shutdown()
      await third.shutdown()
    }
  }

  @Test func consentMissingIsNamedAsSuch() async throws {
    var scenario = try EmulatorFixture.demoScenario()
    scenario.apps.append(
      ScenarioApp(
        clientId: "lr-noconsent", clientSecret: "lr-noconsent-secret",
        displayName: "app without consent", roles: []))
    try await LabFixture.with(
      client: "lr-noconsent", secret: "lr-noconsent-secret", scenario: scenario
    ) { lab in
      let error = await #expect(throws: DefenderClientError.self) { try await lab.api.machines() }
      #expect(error?.kind == .permissionDenied)
      #expect(error?.httpStatus == 403)
      #expect(
        error?.message.contains("admin consent is missing") == true, "\(error?.message ?? "")")
      #expect(error?.message.contains("lr-noconsent") == true)
      #expect(error?.message.contains("Machine.Read.All") == true)
      #expect(error?.message.contains("lr-noconsent-secret") == false)
    }
  }

  @Test func missingOnePermissionIsNotCalledMissingConsent() async throws {
    try await LabFixture.with(client: "lr-lab-readonly", secret: "lr-lab-readonly-secret") { lab in
      let error = await #expect(throws: DefenderClientError.self) {
        try await lab.api.libraryFiles()
      }
      #expect(error?.message.contains("Library.Manage") == true)
      #expect(error?.message.contains("admin consent is missing") == false)
    }
  }
}
