import DefenderClient
import Foundation
import LRTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import LRTeam

/// The shared budget against a real PostgreSQL: several `TeamBudget`s (as separate processes
/// would hold, each on its own connection) share the windows, sessions, devices and pauses.
@Suite struct TeamBudgetTests {
  /// A budget on its own connection to `url`; scale 60 makes the service's minute one second.
  static func budget(
    _ url: TeamURL, limits: RateLimits = RateLimits(), scale: Double = 60,
    lease: Duration = .seconds(30), tenant: String = "lab"
  ) -> TeamBudget {
    TeamBudget(
      database: TeamDatabase(url: url), tenant: tenant, app: "lr-lab", limits: limits,
      clock: SystemRateClock(scale: scale), lease: lease, reconnectDelay: .milliseconds(200))
  }

  static func freshURL() throws -> TeamURL {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    _ = try TeamDatabase.open(url)
    return url
  }

  /// Collects a budget's events.
  final class Events: Sendable {
    let seen = Mutex<[GovernorEvent]>([])
    init(_ budget: TeamBudget) async {
      let stream = await budget.events()
      Task { for await event in stream { self.append(event) } }
    }
    func append(_ event: GovernorEvent) { seen.withLock { $0.append(event) } }
    var all: [GovernorEvent] { seen.withLock { $0 } }
  }

  /// Calls made: when each went out and when its answer came.
  final class Calls: Sendable {
    typealias Call = (start: ContinuousClock.Instant, answered: ContinuousClock.Instant)
    private let list = Mutex<[Call]>([])
    func add(_ start: ContinuousClock.Instant, _ answered: ContinuousClock.Instant) {
      list.withLock { $0.append((start, answered)) }
    }
    var all: [Call] { list.withLock { $0 } }
  }

  /// Work started in a task, which says when it finished.
  final class Started: Sendable {
    let task: Task<Void, any Error>
    init(_ body: @escaping @Sendable () async throws -> Void) {
      let done = Done()
      task = Task {
        try await body()
        done.set()
      }
      self.done = done
    }
    private let done: Done
    var finished: Bool { done.value }
  }

  final class Done: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var value: Bool { flag.withLock { $0 } }
  }

  /// Whether the work finishes within `seconds` (real time).
  static func finishes(within seconds: Double, _ work: Started) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
      if work.finished { return true }
      try? await Task.sleep(for: .milliseconds(20))
    }
    return work.finished
  }

  @Test func severalBudgetsNeverExceedTheWindowsTogether() async throws {
    let url = try Self.freshURL()
    var limits = RateLimits()
    limits.liveResponsePerMinute = 5
    let budgets = (0..<3).map { _ in Self.budget(url, limits: limits) }
    let window = 1.0  // the service's minute at scale 60, in real seconds
    let calls = Calls()
    let began = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for budget in budgets {
        for _ in 0..<5 {
          group.addTask {
            let slot = try await budget.acquire(.runLiveResponse, awaitsAnswer: true)
            let start = ContinuousClock.now
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...60)))
            let answered = ContinuousClock.now
            await budget.completed(.runLiveResponse, slot: slot)
            calls.add(start, answered)
          }
        }
      }
      try await group.waitForAll()
    }
    let all = calls.all
    #expect(all.count == 15)
    // When each call went out, fewer than 5 others had reached the service within the window
    // before it (an unanswered one counts as reaching it at any moment).
    for call in all {
      let others = all.filter {
        $0.start < call.start && $0.answered > call.start - .seconds(window)
      }
      #expect(others.count < 5, "\(others.count) calls in the window before one went out")
    }
    #expect(ContinuousClock.now - began >= .seconds(2 * window * 0.9))
    for budget in budgets { await budget.close() }
  }

  @Test func sessionsOverTheLimitWait() async throws {
    let url = try Self.freshURL()
    var limits = RateLimits()
    limits.concurrentSessions = 3
    let first = Self.budget(url, limits: limits)
    let second = Self.budget(url, limits: limits)
    try await first.acquireSession(machineID: "m1")
    try await first.acquireSession(machineID: "m2")
    try await second.acquireSession(machineID: "m3")
    let events = await Events(second)
    let fourth = Started { try await second.acquireSession(machineID: "m4") }
    #expect(await !Self.finishes(within: 0.6, fourth))
    #expect(events.all.contains(.waitingForSession(machineID: "m4", reason: .sessions)))
    await first.releaseSession(machineID: "m1")
    #expect(await Self.finishes(within: 3, fourth))
    #expect(await second.runningSessions == 2)
    await first.close()
    await second.close()
  }

  @Test func twoHoldersOfOneDeviceTakeTurns() async throws {
    let url = try Self.freshURL()
    let first = Self.budget(url)
    let second = Self.budget(url)
    try await first.acquireSession(machineID: "dev-1")
    let events = await Events(second)
    let waiting = Started { try await second.acquireSession(machineID: "DEV-1") }
    #expect(await !Self.finishes(within: 0.6, waiting))
    #expect(events.all.contains(.waitingForSession(machineID: "DEV-1", reason: .deviceBusy)))
    // The database refuses a second running action on the device whatever the caller checked.
    let database = try TeamDatabase.open(url)
    #expect(throws: TeamError.self) {
      try database.query(
        """
        INSERT INTO lr_budget_session (tenant, holder, machine, session_no, device_no)
        VALUES ('lab', 'intruder', 'dev-1', 20, 1)
        """)
    }
    await first.releaseSession(machineID: "dev-1")
    #expect(await Self.finishes(within: 3, waiting))
    await first.close()
    await second.close()
  }

  @Test func aDeadHoldersSessionsAndCallsComeBackAfterItsLease() async throws {
    let url = try Self.freshURL()
    var limits = RateLimits()
    limits.concurrentSessions = 1
    limits.liveResponsePerMinute = 1
    let dead = Self.budget(url, limits: limits, scale: 1, lease: .seconds(1))
    try await dead.acquireSession(machineID: "m1")
    _ = try await dead.acquire(.runLiveResponse, awaitsAnswer: true)  // never answered
    await dead.stopHeartbeat()  // the process "dies": no release, no answer, no heartbeat
    let alive = Self.budget(url, limits: limits, scale: 1)
    let session = Started { try await alive.acquireSession(machineID: "m2") }
    #expect(await !Self.finishes(within: 0.5, session))
    #expect(await Self.finishes(within: 4, session))
    // The dead call counts at its lease's end: the window (a real minute here) is still full.
    let call = Started { try await alive.acquire(.runLiveResponse, awaitsAnswer: false) }
    #expect(await !Self.finishes(within: 0.5, call))
    call.task.cancel()
    await alive.close()
  }

  @Test func aRetryAfterSeenByOnePausesTheOthers() async throws {
    let url = try Self.freshURL()
    let first = Self.budget(url)
    let second = Self.budget(url)
    try await second.acquire(.machines)  // registered, budget fine
    let events = await Events(second)
    // From before the pause is recorded: its second counts from the INSERT, not its answer.
    let began = ContinuousClock.now
    await first.throttled(.machineActions, retryAfter: .seconds(1))
    try await second.acquire(.machines)  // the same shared API budget
    #expect(ContinuousClock.now - began >= .milliseconds(900))
    #expect(
      events.all.contains {
        if case .waiting(_, .retryAfter, _) = $0 { return true }
        return false
      })
    // Another bucket is not paused.
    let other = ContinuousClock.now
    try await second.acquire(.runLiveResponse)
    #expect(ContinuousClock.now - other < .milliseconds(500))
    await first.close()
    await second.close()
  }

  @Test func theServerRestartedMidAcquireIsWaitedFor() async throws {
    let server = try PostgresServer()
    try server.start()
    defer { server.stop() }
    let url = try TeamURL(try server.makeDatabase())
    _ = try TeamDatabase.open(url)
    let budget = Self.budget(url)
    try await budget.acquire(.machines)
    let events = await Events(budget)
    server.stop()
    let call = Started { try await budget.acquire(.machines, awaitsAnswer: false) }
    #expect(await !Self.finishes(within: 1, call))
    #expect(
      events.all.contains {
        if case .waiting(_, .teamDatabase, _) = $0 { return true }
        return false
      })
    try server.start()
    #expect(await Self.finishes(within: 8, call))
    let session = Started { try await budget.acquireSession(machineID: "m1") }
    #expect(await Self.finishes(within: 3, session))
    await budget.close()
  }

  @Test func theClientTakesItsBudgetFromTheTeam() async throws {
    let url = try Self.freshURL()
    try await EmulatorFixture.with(timeScale: 60) { lab in
      let budget = Self.budget(url)
      let api = DefenderAPI(settings: try lab.settings(), budget: budget)
      #expect(api.governor === budget)
      _ = try await api.machines()
      await api.shutdown()
      await budget.close()
    }
    let database = try TeamDatabase.open(url)
    let rows = try await database.query(
      "SELECT count(*) FROM lr_budget_call WHERE tenant = 'lab' AND bucket = 'api' AND answered IS NOT NULL"
    )
    #expect(try rows.first?.decode(Int.self) ?? 0 >= 1)
  }
}
