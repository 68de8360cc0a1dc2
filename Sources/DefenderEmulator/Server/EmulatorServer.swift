import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import UnixSignals

/// A running emulator: the authority (`/{tenant}/oauth2/...`) and the API (`/api/...`) on one
/// loopback port, started in-process for `lr --lab`, for tests, and by `lr emulator`.
public final class EmulatorServer: Sendable {
  let service: EmulatorService
  private let task: Task<Void, any Error>

  /// The server's base URL, e.g. `http://127.0.0.1:54321`.
  public let baseURL: URL
  /// With `tls`, the path of the generated CA certificate (PEM) clients should trust.
  public let caCertificatePath: String?
  /// The secret for the admin endpoint (`X-Emulator-Admin-Key` header).
  public var adminKey: String { service.adminKey }
  /// The virtual clock every modelled duration runs on.
  public var clock: VirtualClock { service.clock }
  /// The scenario being served.
  public var scenario: Scenario { service.scenario }
  /// The tenant id (GUID) tokens carry in `tid`.
  public var tenantId: String { service.tenantId }

  private init(
    service: EmulatorService, task: Task<Void, any Error>, baseURL: URL, caPath: String?
  ) {
    self.service = service
    self.task = task
    self.baseURL = baseURL
    self.caCertificatePath = caPath
  }

  /// Starts a server for `scenario` and returns once it is listening.
  /// - Parameters:
  ///   - scenario: Fleet, apps, scripts, limits and faults.
  ///   - host: Address to bind (loopback by default).
  ///   - port: Port (0 picks a free one).
  ///   - timeScale: Virtual seconds per real second.
  ///   - tls: Serve HTTPS with a generated certificate (CA at ``caCertificatePath``).
  ///   - libraryDirectory: Seeds the library from the files in this folder.
  ///   - logger: Request log (default: warnings only).
  ///   - adminKey: Secret for the admin endpoint (default: random).
  ///   - stopOnSignals: Shut down gracefully on SIGINT/SIGTERM (standalone use; see ``wait()``).
  public static func start(
    scenario: Scenario, host: String = "127.0.0.1", port: Int = 0, timeScale: Double = 1,
    tls: Bool = false, libraryDirectory: URL? = nil, logger: Logger? = nil,
    adminKey: String? = nil, stopOnSignals: Bool = false
  ) async throws -> EmulatorServer {
    try await start(
      scenario: scenario, host: host, port: port, timeScale: timeScale, tls: tls,
      libraryDirectory: libraryDirectory, logger: logger, adminKey: adminKey,
      stopOnSignals: stopOnSignals, signer: .shared)
  }

  /// ``start(scenario:host:port:timeScale:tls:libraryDirectory:logger:adminKey:stopOnSignals:)``
  /// with a given token signer (tests use their own to see when its key is made).
  static func start(
    scenario: Scenario, host: String = "127.0.0.1", port: Int = 0, timeScale: Double = 1,
    tls: Bool = false, libraryDirectory: URL? = nil, logger: Logger? = nil,
    adminKey: String? = nil, stopOnSignals: Bool = false, signer: TokenSigner
  ) async throws -> EmulatorServer {
    let log =
      logger
      ?? {
        var l = Logger(label: "lr.emulator")
        l.logLevel = .warning
        return l
      }()
    let clock = VirtualClock(scale: timeScale)
    let service = EmulatorService(
      scenario: scenario, clock: clock, signer: signer, libraryDirectory: libraryDirectory,
      logger: log, adminKey: adminKey)
    let publicHost = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host

    var caPath: String? = nil
    let serverBuilder: HTTPServerBuilder
    if tls {
      let material = try TLSMaterial.generate(host: publicHost)
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "lr-emulator-\(UUID().uuidString.lowercased())")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let path = directory.appendingPathComponent("lab-ca.pem")
      try Data(material.caPEM.utf8).write(to: path)
      caPath = path.path
      serverBuilder = try .tls(.http1(), tlsConfiguration: material.serverConfiguration())
    } else {
      serverBuilder = .http1()
    }

    let (ports, continuation) = AsyncStream<Int>.makeStream()
    // Hummingbird's own log (start-up, shutdown of idle connections) stays quiet.
    var appLogger = log
    appLogger.logLevel = .critical
    let app = Application(
      responder: EmulatorResponder(service: service), server: serverBuilder,
      configuration: .init(address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in
        continuation.yield(channel.localAddress?.port ?? 0)
        continuation.finish()
      }, logger: appLogger)
    let task = Task {
      defer { continuation.finish() }
      if stopOnSignals {
        // Stop promptly on a signal, even with downloads in flight (a graceful shutdown would
        // wait for every open transfer to finish).
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await app.run() }
          group.addTask {
            for await _ in signals { return }
          }
          _ = try await group.next()
          group.cancelAll()
        }
      } else {
        try await app.run()
      }
    }
    var iterator = ports.makeAsyncIterator()
    guard let bound = await iterator.next() else {
      try await task.value
      throw EmulatorStartError.notListening
    }
    let scheme = tls ? "https" : "http"
    let hostPart = publicHost.contains(":") ? "[\(publicHost)]" : publicHost
    let base = "\(scheme)://\(hostPart):\(bound)"
    service.setBaseURL(base)
    guard let url = URL(string: base) else { throw EmulatorStartError.notListening }
    return EmulatorServer(service: service, task: task, baseURL: url, caPath: caPath)
  }

  /// A logger writing to standard error: one line per request when `requests`, else warnings.
  public static func standardErrorLogger(requests: Bool = true) -> Logger {
    var logger = Logger(label: "lr.emulator") { label in
      StreamLogHandler.standardError(label: label)
    }
    logger.logLevel = requests ? .info : .warning
    return logger
  }

  /// Stops the server and waits for it to shut down.
  public func stop() async {
    task.cancel()
    _ = try? await task.value
  }

  /// Waits until the server stops (with `stopOnSignals`, after SIGINT or SIGTERM).
  public func wait() async throws {
    try await task.value
  }
}

/// Why the emulator could not start.
public enum EmulatorStartError: Error, CustomStringConvertible {
  /// The token signing key could not be generated.
  case keyGeneration
  /// The server stopped before it was listening.
  case notListening

  /// A human-readable reason.
  public var description: String {
    switch self {
    case .keyGeneration: return "could not generate the token signing key"
    case .notListening: return "the server did not start listening"
    }
  }
}
