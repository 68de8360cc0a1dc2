import DefenderClient
import Foundation
import LRTeam
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
  /// What prints retry notices on stderr (one-shot commands; runs and the REPL show them as
  /// their own events).
  var notices: Task<Void, Never>?

  /// Resolves settings (flags > environment > config file) or starts the lab, and builds the
  /// client.
  ///
  /// - Parameters:
  ///   - deviceCode: sign in with device code (`lr login`).
  ///   - team: `--team` (or `LR_TEAM`, or the profile's `team`): when a team database is
  ///     configured, the client takes its budget from it, shared with every process on the
  ///     tenant, instead of keeping its own.
  ///   - notices: where the sign-in's and the calls' retries are announced on stderr (once per
  ///     outage); nil: nowhere (the REPL shows them as its own notes).
  static func open(
    _ options: ConnectionOptions, deviceCode: Bool = false, team: TeamOption? = nil,
    notices: RetryAnnouncer? = nil
  ) async throws -> Connection {
    var connection = try await client(options, deviceCode: deviceCode, team: team)
    if let notices { connection.notices = await announceRetries(connection.api, to: notices) }
    return connection
  }

  /// Hands each retry the client reports to `announcer` (subscribed before any call is made).
  static func announceRetries(_ api: DefenderAPI, to announcer: RetryAnnouncer) async -> Task<
    Void, Never
  > {
    let events = await api.governor.events()
    return Task {
      for await event in events {
        if case .retrying(_, _, _, let cause) = event { announcer.announce(cause: cause) }
      }
    }
  }

  /// The client (and the lab) for the options.
  private static func client(
    _ options: ConnectionOptions, deviceCode: Bool, team: TeamOption?
  ) async throws -> Connection {
    let logger = makeLogger(verbose: options.verbose)
    let environment = ProcessInfo.processInfo.environment
    let retry = try RetryWindowSetting.policy(environment)
    if options.lab {
      let lab = try await LabEmulator.start()
      var settings = lab.settings
      if let results = options.resultsDir { settings.resultsDirectory = results }
      let clock = SystemRateClock(scale: lab.timeScale)
      let api = DefenderAPI(
        settings: settings, clock: clock, retry: retry, logger: logger,
        budget: try teamBudget(team, options: options, settings: settings, clock: clock))
      return Connection(api: api, lab: lab)
    }
    let file = try ConfigFile.load(environment: environment)
    var overrides = options.overrides
    overrides.deviceCode = deviceCode
    let settings = try ConnectionSettings.resolve(
      file: file, environment: environment, overrides: overrides)
    logger.debug("connection", metadata: ["settings": "\(settings)"])
    // `LR_TIME_SCALE`: for an emulator started with `--time-scale S`, budgets in its time.
    let scale =
      environment["LR_TIME_SCALE"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 1
    let clock = SystemRateClock(scale: scale)
    return Connection(
      api: DefenderAPI(
        settings: settings, clock: clock, retry: retry, logger: logger,
        budget: try teamBudget(team, options: options, settings: settings, clock: clock)),
      lab: nil)
  }

  /// The team's shared budget on a connection of its own (nil without a team: the client's own
  /// ``RateGovernor``); the lease comes from `LR_TEAM_LEASE`. Opening the team reports a bad
  /// URL, a refused sign-in, an unreachable server or a newer schema (exit 3) before any call.
  static func teamBudget(
    _ option: TeamOption?, options: ConnectionOptions, settings: ConnectionSettings,
    clock: any RateClock
  ) throws -> TeamBudget? {
    guard let team = try option?.open(tenant: settings.tenantID, profile: options.profile) else {
      return nil
    }
    defer { team.close() }
    return TeamBudget(
      database: team.connect(), tenant: team.tenant, app: settings.clientID,
      limits: settings.limits, clock: clock, lease: TeamBudget.lease())
  }

  /// Shuts the client (and the lab emulator) down.
  func close() async {
    notices?.cancel()
    if let budget = api.governor as? TeamBudget { await budget.close() }
    await api.shutdown()
    await lab?.stop()
  }

  /// Runs `body` with an open connection, closing it afterwards whatever happens.
  ///
  /// `notices`: where retries are announced (``open(_:deviceCode:team:notices:)``); a run
  /// passes its renderer's, which its own `retry` events share.
  static func with<T: Sendable>(
    _ options: ConnectionOptions, deviceCode: Bool = false, team: TeamOption? = nil,
    notices: RetryAnnouncer? = RetryAnnouncer(), _ body: (Connection) async throws -> T
  ) async throws -> T {
    let connection = try await open(
      options, deviceCode: deviceCode, team: team, notices: notices)
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
