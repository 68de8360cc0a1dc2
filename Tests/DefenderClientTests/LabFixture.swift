import DefenderEmulator
import Foundation
import LRTestSupport

@testable import DefenderClient

/// The client tests' lab: an ``EmulatorFixture`` (60 times real time by default) and a client
/// signed in to it, through a ``RewritingProxy`` when a test asks for one.
struct LabFixture {
  let emulator: EmulatorFixture
  let api: DefenderAPI
  /// The proxy between the client and the emulator, when one was asked for.
  let proxy: RewritingProxy?

  static let exampleMachine = EmulatorFixture.exampleMachine

  /// Fast retries so fault tests finish quickly.
  static var fastRetry: RetryPolicy {
    var policy = RetryPolicy()
    policy.baseDelay = .milliseconds(20)
    policy.maxDelay = .milliseconds(200)
    policy.retryWindow = .zero  // exactly maxAttempts attempts
    policy.requestTimeout = .seconds(20)
    policy.submissionSettle = .seconds(5)
    return policy
  }

  /// Starts the emulator and a client.
  ///
  /// - Parameters:
  ///   - scenario: the fleet and apps (default: the demo scenario).
  ///   - credential: how the client signs in (default: `secret`).
  ///   - tokenCacheDirectory: where a device-code sign-in is cached.
  ///   - rewrite: when given, the client talks to the emulator through a ``RewritingProxy``
  ///     applying it (API and sign-in).
  static func start(
    client: String = "lr-lab", secret: String = "lr-lab-secret", tenant: String = "lab",
    timeScale: Double = 60, tokenEndpoint: TokenEndpointVersion = .v2,
    limits: RateLimits = RateLimits(), retry: RetryPolicy = fastRetry, apiPort: Int? = nil,
    scenario: Scenario? = nil, credential: Credential? = nil, tokenCacheDirectory: String = "",
    rewrite: RewritingProxy.Rewrite? = nil
  ) async throws -> LabFixture {
    let emulator = try await EmulatorFixture.start(scenario, timeScale: timeScale)
    var base = emulator.base
    var proxy: RewritingProxy?
    if let rewrite {
      let started = try RewritingProxy(
        upstreamPort: emulator.server.baseURL.port ?? 0, rewrite: rewrite)
      proxy = started
      base = started.baseURL
    }
    let settings = try emulator.settings(
      client: client, secret: secret, tenant: tenant, credential: credential,
      tokenEndpoint: tokenEndpoint, limits: limits,
      apiBase: apiPort.map { "http://127.0.0.1:\($0)" } ?? base, authorityBase: base,
      tokenCacheDirectory: tokenCacheDirectory)
    let api = try emulator.client(settings, retry: retry)
    return LabFixture(emulator: emulator, api: api, proxy: proxy)
  }

  /// Another client for the same emulator (same settings, fresh token cache and budget).
  func freshClient() throws -> DefenderAPI {
    try emulator.client(api.settings, retry: api.retry)
  }

  /// Stops the proxy, the client and the emulator.
  func stop() async {
    proxy?.stop()
    await emulator.stop()
  }

  /// Runs `body` with a fresh fixture, always stopping it.
  static func with<T: Sendable>(
    client: String = "lr-lab", secret: String = "lr-lab-secret", tenant: String = "lab",
    timeScale: Double = 60, tokenEndpoint: TokenEndpointVersion = .v2,
    limits: RateLimits = RateLimits(), retry: RetryPolicy = fastRetry,
    scenario: Scenario? = nil, credential: Credential? = nil, tokenCacheDirectory: String = "",
    rewrite: RewritingProxy.Rewrite? = nil,
    _ body: (LabFixture) async throws -> T
  ) async throws -> T {
    let lab = try await start(
      client: client, secret: secret, tenant: tenant, timeScale: timeScale,
      tokenEndpoint: tokenEndpoint, limits: limits, retry: retry, scenario: scenario,
      credential: credential, tokenCacheDirectory: tokenCacheDirectory, rewrite: rewrite)
    do {
      let value = try await body(lab)
      await lab.stop()
      return value
    } catch {
      await lab.stop()
      throw error
    }
  }
}
