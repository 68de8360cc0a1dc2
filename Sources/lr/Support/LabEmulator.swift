import DefenderClient
import Foundation

/// The `--lab` emulator (placeholder until the emulator module lands on this branch).
struct LabEmulator: Sendable {
  /// The time scale the lab runs at.
  let timeScale: Double
  /// Settings that sign in as the lab app.
  let settings: ConnectionSettings

  /// Starts the in-process emulator with the demo scenario.
  static func start() async throws -> LabEmulator {
    throw DefenderClientError.configuration("--lab is not available in this build yet")
  }

  /// Stops it.
  func stop() async {}
}
