import DefenderClient
import DefenderEmulator
import Foundation
import LRModules
import LRPrompt

/// The `--lab` emulator: the demo scenario in-process on 127.0.0.1, library seeded from the
/// repository's `stdlib/scripts`, signed in as the lab app (`lr-lab`, every role).
struct LabEmulator: Sendable {
  /// The running server.
  let server: EmulatorServer
  /// The time scale the lab runs at (``LabTimeScale``: `LR_LAB_TIME_SCALE`, default 10).
  let timeScale: Double
  /// Settings that sign in as the lab app.
  let settings: ConnectionSettings

  /// Starts the in-process emulator with the demo scenario.
  static func start() async throws -> LabEmulator {
    guard let scenario = Scenario.builtIn("demo") else {
      throw DefenderClientError.configuration("the demo scenario is missing from this build")
    }
    let environment = ProcessInfo.processInfo.environment
    let scale = LabTimeScale.scale(environment)
    let server: EmulatorServer
    do {
      server = try await EmulatorServer.start(
        scenario: scenario, host: "127.0.0.1", port: 0, timeScale: scale, tls: false,
        libraryDirectory: StdlibLocator.scriptsDirectory().map { URL(fileURLWithPath: $0) })
    } catch {
      throw DefenderClientError.configuration("cannot start the lab emulator: \(error)")
    }
    var base = server.baseURL.absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    let settings = ConnectionSettings(
      profileName: "lab", tenantID: server.tenantId, clientID: "lr-lab",
      credential: .secret(Secret("lr-lab-secret")),
      cloud: try Cloud.custom(apiBaseURL: base, authorityBaseURL: base),
      resultsDirectory: environment["LR_RESULTS_DIR"] ?? "results")
    return LabEmulator(server: server, timeScale: scale, settings: settings)
  }

  /// Stops it.
  func stop() async {
    await server.stop()
  }
}
