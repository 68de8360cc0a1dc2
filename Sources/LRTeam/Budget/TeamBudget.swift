import DefenderClient
import Foundation
import PostgresNIO

/// One API budget for every `lr` process on the tenant, kept in the team database (docs/team.md):
/// the same windows, pauses and sessions as the ``RateGovernor``, counted across processes and
/// hosts on the database server's clock.
///
/// Every step is one statement calling a function of migration v3 (`TeamSchema+Budget.swift`).
/// While the database cannot be reached the budget hands out nothing (so nothing is sent), says
/// so through its events (`teamDatabase`), and goes on when the database is back.
public actor TeamBudget: RequestBudget {
  /// The clock slots and poll intervals are given on (scaled to the emulator's time scale).
  public nonisolated let clock: any RateClock
  /// The limits in force (the tenant's; every process should use the same).
  public let limits: RateLimits
  /// The tenant whose budget this is.
  public nonisolated let tenant: String
  /// The app registration (client id): the windows are per tenant and app.
  public nonisolated let app: String
  /// This process's name in the database (its sessions and unanswered calls are its own).
  public nonisolated let holder: String
  /// How long a holder's sessions outlive its last heartbeat (real time).
  public nonisolated let lease: Duration
  /// How long to wait before asking an unreachable database again (real time).
  public nonisolated let reconnectDelay: Duration
  /// How often waiting sessions are asked for again, at most (real time).
  nonisolated let sessionRecheck: Duration = .milliseconds(250)
  let database: TeamDatabase
  /// The session rounds' own connection: a round waits for the tenant's sessions lock, and no
  /// call's window step or answer should wait behind it.
  let sessionDatabase: TeamDatabase
  var calls: [Duration: Int64] = [:]
  var lastSlot: Duration = .zero
  var pendingAnswers: [Int64] = []
  var pendingReleases: [String] = []
  var held: [String: Int] = [:]
  var sessionWaiters: [SessionWaiter] = []
  var nextWaiter = 0
  var pumping = false
  var kicked = false
  var registered = false
  var heartbeatTask: Task<Void, Never>?
  private let broadcast = GovernorEventBroadcast()

  /// A budget on `database` (which it owns: one connection for the budget alone, and a second
  /// to the same database for its session rounds).
  ///
  /// - Parameters:
  ///   - app: the app registration's client id.
  ///   - lease: see ``lease(environment:)`` for the configured one.
  public init(
    database: TeamDatabase, tenant: String, app: String, limits: RateLimits = RateLimits(),
    clock: any RateClock = SystemRateClock(), lease: Duration = .seconds(30),
    reconnectDelay: Duration = .seconds(1)
  ) {
    self.database = database
    self.sessionDatabase = TeamDatabase(url: database.url)
    self.tenant = tenant
    self.app = app
    self.limits = limits
    self.clock = clock
    self.lease = lease
    self.reconnectDelay = reconnectDelay
    let host = ProcessInfo.processInfo.hostName
    holder = "\(host)/\(getpid())/\(UUID().uuidString.prefix(8).lowercased())"
  }

  /// The lease from `LR_TEAM_LEASE` (seconds, real time), else 30 s.
  public static func lease(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Duration {
    guard let text = environment["LR_TEAM_LEASE"], let seconds = Double(text), seconds > 0 else {
      return .seconds(30)
    }
    return .seconds(seconds)
  }

  deinit {
    heartbeatTask?.cancel()
  }

  // MARK: Events

  /// A stream of budget events; each call returns a new independent subscription.
  public func events() -> AsyncStream<GovernorEvent> { broadcast.subscribe() }

  func emit(_ event: GovernorEvent) { broadcast.emit(event) }

  /// Reports a retry (so front ends can show it).
  public func retrying(_ endpoint: EndpointClass, attempt: Int, delay: Duration, cause: String) {
    emit(.retrying(endpoint: endpoint, attempt: attempt, delay: delay, cause: cause))
  }

  // MARK: The database

  /// Runs `statement`, waiting out an unreachable database; `outage` is emitted once per call
  /// that has to wait. Any other refusal is a configuration error (exit status 3).
  func reliably(_ statement: PostgresQuery, outage: GovernorEvent) async throws -> [PostgresRow] {
    var reported = false
    while true {
      do {
        return try await database.query(statement)
      } catch  where error.isTransient {
        if !reported {
          emit(outage)
          reported = true
        }
        try await Task.sleep(for: reconnectDelay)
      } catch {
        throw DefenderClientError(.configuration, error.description)
      }
    }
  }

  /// Registers this holder (first use) and starts its heartbeat.
  func register(outage: GovernorEvent) async throws {
    guard !registered else { return }
    _ = try await reliably(heartbeatStatement, outage: outage)
    registered = true
    guard heartbeatTask == nil else { return }
    let period = lease / 3
    heartbeatTask = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: period)
        guard let self else { return }
        await self.beat()
      }
    }
  }

  var heartbeatStatement: PostgresQuery {
    let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
    return """
      SELECT lr_budget_heartbeat(\(tenant), \(holder), \(ProcessInfo.processInfo.hostName),
        \(Int(getpid())), \(seconds))
      """
  }

  /// One heartbeat; a holder the others had given up on takes its sessions again.
  func beat() async {
    guard let rows = try? await database.query(heartbeatStatement) else { return }
    if (try? rows.first?.decode(Bool.self)) == true { await retakeHeld() }
    await flushPending()
  }

  /// Sends the answers and releases that could not be recorded (the database was away).
  func flushPending() async {
    let answers = pendingAnswers
    let releases = pendingReleases
    guard !answers.isEmpty || !releases.isEmpty else { return }
    pendingAnswers = []
    pendingReleases = []
    do {
      if !answers.isEmpty {
        try await database.query(
          """
          UPDATE lr_budget_call SET answered = clock_timestamp()
          WHERE tenant = \(tenant) AND id = ANY(\(answers)) AND answered IS NULL
          """)
      }
      for (index, machine) in releases.enumerated() {
        do { try await database.query(releaseStatement(machine)) } catch {
          pendingReleases.append(contentsOf: releases[index...])
          throw error
        }
      }
    } catch {
      pendingAnswers.append(contentsOf: answers)
    }
  }

  /// Stops the heartbeat without giving anything back (a test's stand-in for a dead process).
  func stopHeartbeat() {
    heartbeatTask?.cancel()
  }

  /// Gives everything back (sessions, unanswered calls) and stops the heartbeat.
  public func close() async {
    heartbeatTask?.cancel()
    heartbeatTask = nil
    await flushPending()
    _ = try? await database.query(
      """
      UPDATE lr_budget_call SET answered = clock_timestamp()
      WHERE tenant = \(tenant) AND holder = \(holder) AND answered IS NULL
      """)
    _ = try? await database.query(
      "DELETE FROM lr_budget_session WHERE tenant = \(tenant) AND holder = \(holder)")
    _ = try? await database.query(
      "DELETE FROM lr_budget_holder WHERE tenant = \(tenant) AND holder = \(holder)")
    held = [:]
    database.close()
    sessionDatabase.close()
  }
}
