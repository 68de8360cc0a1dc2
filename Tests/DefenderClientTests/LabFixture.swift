import AsyncHTTPClient
import DefenderEmulator
import Foundation
import Logging
import NIOCore
import NIOHTTP1

@testable import DefenderClient

/// A real emulator on loopback plus a real client signed in to it.
struct LabFixture {
  let server: EmulatorServer
  let api: DefenderAPI
  let timeScale: Double

  static let exampleMachine = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"

  /// Fast retries so fault tests finish quickly.
  static var fastRetry: RetryPolicy {
    var policy = RetryPolicy()
    policy.baseDelay = .milliseconds(20)
    policy.maxDelay = .milliseconds(200)
    policy.requestTimeout = .seconds(20)
    return policy
  }

  static func start(
    client: String = "lr-lab", secret: String = "lr-lab-secret", tenant: String = "lab",
    timeScale: Double = 60, tokenEndpoint: TokenEndpointVersion = .v2,
    limits: RateLimits = RateLimits(), retry: RetryPolicy = fastRetry, apiPort: Int? = nil
  ) async throws -> LabFixture {
    let server = try await EmulatorServer.start(
      scenario: try requireScenario(), host: "127.0.0.1", port: 0, timeScale: timeScale,
      tls: false, libraryDirectory: nil)
    let base = server.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    let apiBase = apiPort.map { "http://127.0.0.1:\($0)" } ?? base
    let settings = ConnectionSettings(
      tenantID: tenant, clientID: client, credential: .secret(Secret(secret)),
      cloud: try Cloud.custom(apiBaseURL: apiBase, authorityBaseURL: base),
      tokenEndpoint: tokenEndpoint, limits: limits)
    let api = DefenderAPI(
      settings: settings, clock: SystemRateClock(scale: timeScale), retry: retry)
    return LabFixture(server: server, api: api, timeScale: timeScale)
  }

  func stop() async {
    await api.shutdown()
    await server.stop()
  }

  /// POSTs JSON to the emulator's admin endpoint (`/_emulator/<path>`).
  func admin(_ path: String, _ json: String) async throws {
    var request = HTTPClientRequest(
      url: server.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        + "/_emulator/" + path)
    request.method = .POST
    request.headers.add(name: "X-Emulator-Admin-Key", value: server.adminKey)
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(string: json))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    _ = try await response.body.collect(upTo: 1 << 20)
    guard (200..<300).contains(Int(response.status.code)) else {
      throw DefenderClientError.invalidInput("admin \(path) answered \(response.status.code)")
    }
  }

  /// Changes one of the emulator's limits (`maxPageSize`, `otherPerMinute`, ...).
  func setLimit(_ name: String, _ value: Int) async throws {
    var request = HTTPClientRequest(url: adminBase + "/_emulator/limits")
    request.headers.add(name: "X-Emulator-Admin-Key", value: server.adminKey)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 1 << 20)
    guard
      var limits = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        as? [String: Any]
    else { throw DefenderClientError.invalidInput("no limits") }
    limits[name] = value
    let json = String(decoding: try JSONSerialization.data(withJSONObject: limits), as: UTF8.self)
    try await admin("limits", json)
  }

  var adminBase: String {
    server.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
  }

  /// Runs `body` with a fresh fixture, always stopping it.
  static func with<T: Sendable>(
    client: String = "lr-lab", secret: String = "lr-lab-secret", tenant: String = "lab",
    timeScale: Double = 60, tokenEndpoint: TokenEndpointVersion = .v2,
    limits: RateLimits = RateLimits(), retry: RetryPolicy = fastRetry,
    _ body: (LabFixture) async throws -> T
  ) async throws -> T {
    let lab = try await start(
      client: client, secret: secret, tenant: tenant, timeScale: timeScale,
      tokenEndpoint: tokenEndpoint, limits: limits, retry: retry)
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

private func requireScenario() throws -> Scenario {
  guard let scenario = Scenario.builtIn("demo") else {
    throw DefenderClientError.invalidInput("no demo scenario")
  }
  return scenario
}
