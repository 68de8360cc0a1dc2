import AsyncHTTPClient
import DefenderEmulator
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

@testable import DefenderClient

/// A real emulator on loopback plus a real client signed in to it.
struct LabFixture {
  let server: EmulatorServer
  let api: DefenderAPI
  let timeScale: Double
  /// Every request the emulator answered (from its request log).
  let requests: RequestLog
  /// The proxy between the client and the emulator, when one was asked for.
  let proxy: RewritingProxy?

  static let exampleMachine = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"

  /// Fast retries so fault tests finish quickly.
  static var fastRetry: RetryPolicy {
    var policy = RetryPolicy()
    policy.baseDelay = .milliseconds(20)
    policy.maxDelay = .milliseconds(200)
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
    let requests = RequestLog()
    let server = try await EmulatorServer.start(
      scenario: try scenario ?? requireScenario(), host: "127.0.0.1", port: 0,
      timeScale: timeScale, tls: false, libraryDirectory: nil, logger: requests.logger)
    var base = server.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    var proxy: RewritingProxy?
    if let rewrite {
      let started = try RewritingProxy(upstreamPort: server.baseURL.port ?? 0, rewrite: rewrite)
      proxy = started
      base = started.baseURL
    }
    let apiBase = apiPort.map { "http://127.0.0.1:\($0)" } ?? base
    let settings = ConnectionSettings(
      tenantID: tenant, clientID: client, credential: credential ?? .secret(Secret(secret)),
      cloud: try Cloud.custom(apiBaseURL: apiBase, authorityBaseURL: base),
      tokenEndpoint: tokenEndpoint, limits: limits, tokenCacheDirectory: tokenCacheDirectory)
    let api = DefenderAPI(
      settings: settings, clock: SystemRateClock(scale: timeScale), retry: retry)
    return LabFixture(
      server: server, api: api, timeScale: timeScale, requests: requests, proxy: proxy)
  }

  /// Another client for the same emulator (same settings, fresh token cache and budget).
  func freshClient() -> DefenderAPI {
    DefenderAPI(
      settings: api.settings, clock: SystemRateClock(scale: timeScale), retry: api.retry)
  }

  /// The emulator's counters (`GET /_emulator/stats`).
  func stats() async throws -> EmulatorStats {
    var request = HTTPClientRequest(url: adminBase + "/_emulator/stats")
    request.headers.add(name: "X-Emulator-Admin-Key", value: server.adminKey)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 1 << 20)
    return try JSONDecoder().decode(EmulatorStats.self, from: Data(body.readableBytesView))
  }

  func stop() async {
    await api.shutdown()
    proxy?.stop()
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

func requireScenario() throws -> Scenario {
  guard let scenario = Scenario.builtIn("demo") else {
    throw DefenderClientError.invalidInput("no demo scenario")
  }
  return scenario
}

/// The emulator's request log, captured: one entry per answered request.
final class RequestLog: Sendable {
  struct Entry: Sendable {
    /// When the answer was ready (real time).
    var time: ContinuousClock.Instant
    var method: String
    /// Path and query, percent-decoded.
    var target: String
    var status: Int
  }

  private let entries = Mutex<[Entry]>([])

  /// A logger for `EmulatorServer.start(logger:)` that feeds this log.
  var logger: Logger {
    var logger = Logger(label: "lr.emulator.test") { _ in Handler(log: self) }
    logger.logLevel = .info
    return logger
  }

  /// Everything so far.
  var all: [Entry] { entries.withLock { $0 } }

  /// Entries whose method and decoded target match.
  func matching(_ method: String, _ predicate: (String) -> Bool) -> [Entry] {
    all.filter { $0.method == method && predicate($0.target) }
  }

  /// `/api` requests only.
  var api: [Entry] { all.filter { $0.target.lowercased().hasPrefix("/api") } }

  fileprivate func record(_ message: String) {
    // "GET /api/machines?$top=3 -> 200 (4 ms)"
    let parts = message.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, let arrow = parts[1].range(of: " -> ", options: .backwards) else {
      return
    }
    let target = String(parts[1][..<arrow.lowerBound])
    let status = Int(parts[1][arrow.upperBound...].prefix { $0.isNumber }) ?? 0
    let entry = Entry(
      time: .now, method: String(parts[0]),
      target: target.removingPercentEncoding ?? target, status: status)
    entries.withLock { $0.append(entry) }
  }

  private struct Handler: LogHandler {
    let log: RequestLog
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      if event.level == .info { log.record(event.message.description) }
    }
  }
}
