import DefenderClient
import Foundation
import Logging

/// An open connection: the API client, plus the in-process emulator when `--lab` was given.
///
/// The REPL and the engine reuse this: `let connection = try await Connection.open(options)`,
/// then `connection.api`, and `await connection.close()` at the end.
struct Connection: Sendable {
  /// The typed API client.
  let api: DefenderAPI
  /// The lab emulator, when `--lab` started one.
  let lab: LabEmulator?

  /// Resolves settings (flags > environment > config file) or starts the lab, and builds the
  /// client.
  ///
  /// - Parameter deviceCode: sign in with device code (`lr login`).
  static func open(_ options: ConnectionOptions, deviceCode: Bool = false) async throws
    -> Connection
  {
    let logger = makeLogger(verbose: options.verbose)
    if options.lab {
      let lab = try await LabEmulator.start()
      var settings = lab.settings
      if let results = options.resultsDir { settings.resultsDirectory = results }
      let api = DefenderAPI(
        settings: settings, clock: SystemRateClock(scale: lab.timeScale), logger: logger)
      return Connection(api: api, lab: lab)
    }
    let environment = ProcessInfo.processInfo.environment
    let file = try ConfigFile.load(environment: environment)
    var overrides = options.overrides
    overrides.deviceCode = deviceCode
    let settings = try ConnectionSettings.resolve(
      file: file, environment: environment, overrides: overrides)
    logger.debug("connection", metadata: ["settings": "\(settings)"])
    // A time-scaled `lr emulator` (benchmarks): the budget is planned on the emulator's clock.
    let scale =
      environment["LR_EMULATOR_TIME_SCALE"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 1
    return Connection(
      api: DefenderAPI(settings: settings, clock: SystemRateClock(scale: scale), logger: logger),
      lab: nil)
  }

  /// Shuts the client (and the lab emulator) down.
  func close() async {
    await api.shutdown()
    await lab?.stop()
  }

  /// Runs `body` with an open connection, closing it afterwards whatever happens.
  static func with<T: Sendable>(
    _ options: ConnectionOptions, deviceCode: Bool = false,
    _ body: (Connection) async throws -> T
  ) async throws -> T {
    let connection = try await open(options, deviceCode: deviceCode)
    do {
      let value = try await body(connection)
      await connection.close()
      return value
    } catch {
      await connection.close()
      throw error
    }
  }

  static func makeLogger(verbose: Bool) -> Logger {
    var logger = Logger(label: "lr") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = verbose ? .debug : .warning
    return logger
  }
}
