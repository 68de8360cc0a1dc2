import DefenderClient
import DefenderEmulator
import Foundation
import LRTestSupport
import Synchronization
import Testing

/// Sign-in survives transient failures of the token endpoint: resets, 5xx and 429 are retried
/// with the API's backoff and window, Entra's 4xx answers fail at once, and a failed early
/// refresh keeps serving the cached token until it expires.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SignInRetryTests {
  /// What the proxy in front of the token endpoint does to sign-in requests.
  struct Plan: Sendable {
    /// Faults for the next sign-in requests, in order.
    var next: [LossyProxy.Fault] = []
    /// A fault for every sign-in request while set (an outage).
    var outage: LossyProxy.Fault?
    /// Sign-in requests seen.
    var tokenRequests = 0
  }

  /// An emulator whose authority is reached through a ``LossyProxy`` (the API directly).
  struct Setup {
    let emulator: EmulatorFixture
    let proxy: LossyProxy
    let api: DefenderAPI
    let plan: LossyProxy.Shared<Plan>

    init(
      _ faults: [LossyProxy.Fault] = [], outage: LossyProxy.Fault? = nil,
      secret: String = "lr-lab-secret", timeScale: Double = 60,
      tokenLifetimeSeconds: Int? = nil, retry: RetryPolicy = SignInRetryTests.policy
    ) async throws {
      emulator = try await EmulatorFixture.start(timeScale: timeScale)
      if let tokenLifetimeSeconds {
        try await emulator.setLimit("tokenLifetimeSeconds", tokenLifetimeSeconds)
      }
      let plan = LossyProxy.Shared(Plan(next: faults, outage: outage))
      self.plan = plan
      proxy = try LossyProxy(upstreamPort: emulator.server.baseURL.port ?? 0) { request in
        guard request.method == "POST", request.target.contains("/oauth2/") else {
          return (.none, 0)
        }
        return plan.value.withLock { plan in
          plan.tokenRequests += 1
          if let outage = plan.outage { return (outage, 0) }
          return (plan.next.isEmpty ? .none : plan.next.removeFirst(), 0)
        }
      }
      api = try emulator.client(
        try emulator.settings(secret: secret, authorityBase: proxy.baseURL), retry: retry)
    }

    var tokenRequests: Int { plan.value.withLock { $0.tokenRequests } }

    func setOutage(_ fault: LossyProxy.Fault?) { plan.value.withLock { $0.outage = fault } }

    /// Stops the proxy, then (once connections it opened to the emulator have settled) the
    /// emulator: stopping the emulator while a connection is being accepted can crash the test
    /// process ("Deinited NIOAsyncWriter without calling finish()"), and every sign-in attempt
    /// through the proxy opens one.
    func stop() async {
      proxy.stop()
      try? await Task.sleep(for: .milliseconds(300))
      await emulator.stop()
    }
  }

  /// Fast backoff (20 ms doubling to 100 ms) and a 3 s window.
  static var policy: RetryPolicy {
    var policy = RetryPolicy()
    policy.baseDelay = .milliseconds(20)
    policy.maxDelay = .milliseconds(100)
    policy.retryWindow = .seconds(3)
    return policy
  }

  /// No secret, assertion or refresh token in a message shown to the analyst.
  static func expectNoSecret(_ message: String, secret: String = "lr-lab-secret") {
    for leak in [secret, "client_secret", "client_assertion", "refresh_token", "lr-rt."] {
      #expect(!message.contains(leak), "\(message)")
    }
  }

  /// The token endpoint resets the connection twice, then answers: one token, three requests.
  @Test func twoResetsThenAnAnswerSignsIn() async throws {
    let setup = try await Setup([.resetBeforeForwarding, .resetBeforeForwarding])
    defer { Task { await setup.stop() } }
    let machines = try await setup.api.machines()
    #expect(!machines.isEmpty)
    #expect(await setup.api.tokens.signIns == 1)
    #expect(setup.tokenRequests == 3)
    #expect(setup.proxy.counts.resets == 2)
  }

  /// A sign-in that is retried says so through the budget's events, as API calls do (every
  /// front end shows them): one `retrying` event per retry, for the `sign-in` endpoint class,
  /// naming the proxy's host and the cause, and no secret.
  @Test func aRetriedSignInIsReportedAsARetryingEvent() async throws {
    let setup = try await Setup([
      .resetBeforeForwarding, .serverErrorBeforeForwarding(status: 503),
    ])
    defer { Task { await setup.stop() } }
    let events = await setup.api.governor.events()
    let seen = Task {
      var causes: [String] = []
      for await event in events {
        if case .retrying(let endpoint, _, _, let cause) = event {
          #expect(endpoint == .signIn)
          causes.append(cause)
          if causes.count == 2 { break }
        }
      }
      return causes
    }
    _ = try await setup.api.machines()
    let causes = await seen.value
    let host = String(setup.proxy.baseURL.dropFirst("http://".count))
    #expect(causes.first?.hasPrefix("sign-in: cannot reach \(host) (") == true, "\(causes)")
    #expect(causes.last == "sign-in: the token endpoint answered HTTP 503", "\(causes)")
    for cause in causes { Self.expectNoSecret(cause) }
  }

  /// A 503 from the token endpoint, then a token.
  @Test func a503ThenAnAnswerSignsIn() async throws {
    let setup = try await Setup([.serverErrorBeforeForwarding(status: 503)])
    defer { Task { await setup.stop() } }
    _ = try await setup.api.machines()
    #expect(await setup.api.tokens.signIns == 1)
    #expect(setup.tokenRequests == 2)
  }

  /// A 429 is retried after its `Retry-After` (one second, under the policy's cap), not after
  /// the 20 ms backoff.
  @Test func a429IsRetriedAfterItsRetryAfter() async throws {
    var policy = Self.policy
    policy.maxDelay = .seconds(2)
    let setup = try await Setup([.serverErrorBeforeForwarding(status: 429)], retry: policy)
    defer { Task { await setup.stop() } }
    let start = ContinuousClock.now
    _ = try await setup.api.machines()
    #expect(ContinuousClock.now - start >= .milliseconds(900))
    #expect(setup.tokenRequests == 2)
  }

  /// Entra's 4xx (a wrong secret) is not retried: the explained error, one request.
  @Test func aWrongSecretFailsAtOnceWithTheExplainedError() async throws {
    let setup = try await Setup(secret: "wrong-secret")
    defer { Task { await setup.stop() } }
    let error = await #expect(throws: DefenderClientError.self) {
      try await setup.api.machines()
    }
    #expect(error?.kind == .signIn)
    #expect(
      error?.message
        == "the client secret for app lr-lab is wrong (AADSTS7000215); check AZURE_CLIENT_SECRET")
    #expect(setup.tokenRequests == 1)
    Self.expectNoSecret(error?.description ?? "", secret: "wrong-secret")
  }

  /// Concurrent callers share one retrying sign-in.
  @Test func concurrentCallersShareOneRetryingSignIn() async throws {
    let setup = try await Setup([.resetBeforeForwarding, .serverErrorBeforeForwarding(status: 503)])
    defer { Task { await setup.stop() } }
    let api = setup.api
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<6 { group.addTask { _ = try await api.machines() } }
      try await group.waitForAll()
    }
    #expect(await api.tokens.signIns == 1)
    #expect(setup.tokenRequests == 3)
  }

  /// At time scale 1200 a token lives eight real seconds (its refresh is due after 7.2). An
  /// outage of the token endpoint then: calls keep the cached token until it expires, without a
  /// refresh attempt on every call; after the outage a later call signs in afresh.
  @Test func aFailedEarlyRefreshKeepsTheCachedTokenUntilItExpires() async throws {
    let setup = try await Setup(timeScale: 1200, tokenLifetimeSeconds: 9600)
    defer { Task { await setup.stop() } }
    _ = try await setup.api.machines()
    // The token arrived before this instant, and the API call after it took milliseconds.
    let signedIn = ContinuousClock.now
    #expect(await setup.api.tokens.signIns == 1)
    setup.setOutage(.resetBeforeForwarding)
    try await Task.sleep(until: signedIn + .milliseconds(7400))
    _ = try await setup.api.machines()
    _ = try await setup.api.machines()
    #expect(ContinuousClock.now < signedIn + .milliseconds(7900), "the test ran too slowly")
    #expect(await setup.api.tokens.signIns == 1)
    #expect(setup.tokenRequests == 2, "one refresh attempt, not one per call")
    setup.setOutage(nil)
    try await Task.sleep(until: signedIn + .milliseconds(8300))
    _ = try await setup.api.machines()
    #expect(await setup.api.tokens.signIns == 2)
    #expect(setup.emulator.requests.api.allSatisfy { $0.status == 200 })
  }

  /// An outage longer than the window: a transport error saying the sign-in failed, after
  /// retries, with no secret in it and nothing sent to the API.
  @Test func anOutageLongerThanTheWindowFailsClearly() async throws {
    var policy = Self.policy
    policy.retryWindow = .seconds(1)
    let setup = try await Setup(outage: .resetBeforeForwarding, retry: policy)
    defer { Task { await setup.stop() } }
    let start = ContinuousClock.now
    let error = await #expect(throws: DefenderClientError.self) {
      try await setup.api.machines()
    }
    let elapsed = ContinuousClock.now - start
    #expect(error?.kind == .transport)
    let message = error?.message ?? ""
    #expect(message.hasPrefix("sign-in failed: cannot reach"), "\(message)")
    #expect(message.contains("gave up after"), "\(message)")
    #expect(elapsed >= .milliseconds(800) && elapsed < .seconds(10), "\(elapsed)")
    #expect(setup.tokenRequests > policy.maxAttempts)
    #expect(setup.emulator.requests.api.isEmpty)
    Self.expectNoSecret(error?.description ?? "")
  }

  /// A 503 outage past the window: the service is unavailable (not a credential problem).
  @Test func a5xxOutageLongerThanTheWindowIsServiceUnavailable() async throws {
    var policy = Self.policy
    policy.retryWindow = .milliseconds(500)
    let setup = try await Setup(outage: .serverErrorBeforeForwarding(status: 503), retry: policy)
    defer { Task { await setup.stop() } }
    let error = await #expect(throws: DefenderClientError.self) {
      try await setup.api.machines()
    }
    #expect(error?.kind == .serviceUnavailable)
    #expect(error?.httpStatus == 503)
    let message = error?.message ?? ""
    #expect(message.hasPrefix("sign-in failed: "), "\(message)")
    #expect(message.contains("gave up after"), "\(message)")
    Self.expectNoSecret(error?.description ?? "")
  }

  /// A long window, so only cancellation ends a sign-in during an outage.
  static var patientPolicy: RetryPolicy {
    var policy = Self.policy
    policy.retryWindow = .seconds(60)
    return policy
  }

  /// Cancelling the only caller waiting for a retrying sign-in ends it promptly.
  @Test func cancellingTheOnlyCallerEndsTheRetryingSignIn() async throws {
    let setup = try await Setup(outage: .resetBeforeForwarding, retry: Self.patientPolicy)
    defer { Task { await setup.stop() } }
    let api = setup.api
    let call = Task { try await api.machines() }
    try await Task.sleep(for: .milliseconds(300))
    let cancelled = ContinuousClock.now
    call.cancel()
    let error = await #expect(throws: DefenderClientError.self) { try await call.value }
    #expect(error?.kind == .cancelled)
    #expect(ContinuousClock.now - cancelled < .seconds(2))
  }

  /// A cancelled caller does not cancel the sign-in another caller still waits for.
  @Test func aCancelledCallerLeavesTheSharedSignInToTheOthers() async throws {
    let setup = try await Setup(outage: .resetBeforeForwarding, retry: Self.patientPolicy)
    defer { Task { await setup.stop() } }
    let api = setup.api
    let leaving = Task { try await api.machines() }
    let staying = Task { try await api.machines() }
    try await Task.sleep(for: .milliseconds(300))
    leaving.cancel()
    try await Task.sleep(for: .milliseconds(300))
    setup.setOutage(nil)
    let machines = try await staying.value
    #expect(!machines.isEmpty)
    #expect(await api.tokens.signIns == 1)
    _ = try? await leaving.value
  }
}
