import DefenderClient
import DefenderEmulator
import Foundation
import Synchronization

/// A real emulator on loopback for tests: started with a scenario and a time scale, clients
/// signed in to it, its admin endpoint, and a stop that also shuts down every client it made.
///
/// Every suite that needs a server starts it here (`EmulatorFixture+Client.swift` signs in,
/// `EmulatorFixture+HTTP.swift` sends raw requests, `EmulatorFixture+Admin.swift` drives the
/// admin endpoint).
public final class EmulatorFixture: Sendable {
  /// The demo scenario's example machine (the one the API documentation uses).
  public static let exampleMachine = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"

  /// The running server.
  public let server: EmulatorServer
  /// How much faster than real time the emulator (and the clients it makes) run.
  public let timeScale: Double
  /// Every request the emulator answered.
  public let requests: RequestLog
  /// An empty config folder for `lr` child processes, so no user config leaks into tests.
  public let configHome: URL
  /// The clients ``client(_:retry:)`` made, shut down by ``stop()``.
  let clients = Mutex<[DefenderAPI]>([])

  private init(server: EmulatorServer, timeScale: Double, requests: RequestLog, configHome: URL) {
    self.server = server
    self.timeScale = timeScale
    self.requests = requests
    self.configHome = configHome
  }

  /// The server's URL without a trailing slash (`http://127.0.0.1:PORT`).
  public var base: String {
    server.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
  }

  /// The built-in demo scenario.
  public static func demoScenario() throws -> Scenario {
    guard let scenario = Scenario.builtIn("demo") else { throw FixtureError("no demo scenario") }
    return scenario
  }

  /// Starts an emulator on 127.0.0.1 (a free port) serving `scenario` (default: demo).
  public static func start(
    _ scenario: Scenario? = nil, timeScale: Double = 1, tls: Bool = false,
    libraryDirectory: URL? = nil
  ) async throws -> EmulatorFixture {
    let requests = RequestLog()
    let configHome = try LRTestSupport.temporaryDirectory()
    let server = try await EmulatorServer.start(
      scenario: try scenario ?? demoScenario(), host: "127.0.0.1", port: 0,
      timeScale: timeScale, tls: tls, libraryDirectory: libraryDirectory,
      logger: requests.logger)
    return EmulatorFixture(
      server: server, timeScale: timeScale, requests: requests, configHome: configHome)
  }

  /// Shuts down the clients it made, stops the server and removes the config folder.
  public func stop() async {
    for client in clients.withLock({ $0 }) { await client.shutdown() }
    await server.stop()
    try? FileManager.default.removeItem(at: configHome)
  }

  /// Runs `body` with a fresh emulator, always stopping it afterwards.
  public static func with<T>(
    _ scenario: Scenario? = nil, timeScale: Double = 1, tls: Bool = false,
    libraryDirectory: URL? = nil, _ body: (EmulatorFixture) async throws -> T
  ) async throws -> T {
    let fixture = try await start(
      scenario, timeScale: timeScale, tls: tls, libraryDirectory: libraryDirectory)
    do {
      let value = try await body(fixture)
      await fixture.stop()
      return value
    } catch {
      await fixture.stop()
      throw error
    }
  }
}

/// A fixture call that could not be made (no scenario, an admin call refused).
public struct FixtureError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
