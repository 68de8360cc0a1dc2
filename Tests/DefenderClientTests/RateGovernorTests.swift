import Synchronization
import Testing

@testable import DefenderClient

/// A clock that jumps to the deadline when slept on: minutes of budget waits take no real time.
final class JumpingClock: RateClock {
  private let time = Mutex(Duration.zero)
  var now: Duration { time.withLock { $0 } }
  func sleep(until deadline: Duration) async throws {
    try Task.checkCancellation()
    time.withLock { $0 = max($0, deadline) }
  }
  func advance(_ by: Duration) { time.withLock { $0 += by } }
}

@Suite struct RateGovernorTests {
  @Test func liveResponseWaitsForTheMinuteWindow() async throws {
    let clock = JumpingClock()
    let governor = RateGovernor(clock: clock)
    let events = await governor.events()
    for _ in 0..<10 { try await governor.acquire(.runLiveResponse) }
    #expect(clock.now == .zero)
    try await governor.acquire(.runLiveResponse)
    #expect(clock.now == .seconds(60))
    var iterator = events.makeAsyncIterator()
    let event = await iterator.next()
    #expect(
      event == .waiting(endpoint: .runLiveResponse, reason: .minuteBudget, delay: .seconds(60)))
  }

  @Test func thousandSubmissionsTakeTheBoundNotMore() async throws {
    let clock = JumpingClock()
    let governor = RateGovernor(clock: clock)
    for _ in 0..<1000 { try await governor.acquire(.runLiveResponse) }
    // 1,000 calls at 10/min: the last goes out at minute 99 — the physical bound, no slack.
    #expect(clock.now == .seconds(99 * 60))
  }

  @Test func hourlyWindowBindsOtherAPIs() async throws {
    let clock = JumpingClock()
    let governor = RateGovernor(clock: clock)
    for _ in 0..<1500 { try await governor.acquire(.machineActions) }
    // 100/min means 1,500 calls fill 15 minutes; the 1,501st must wait for the hour to roll.
    #expect(clock.now == .seconds(14 * 60))
    try await governor.acquire(.machines)
    #expect(clock.now == .seconds(3600))
    let usage = await governor.usage(.machineActions)
    #expect(usage.hourLimit == 1500)
  }

  @Test func separateBudgetsWhenConfigured() async throws {
    var limits = RateLimits()
    limits.sharedAPIBudget = false
    limits.apiPerMinute = 2
    let clock = JumpingClock()
    let governor = RateGovernor(limits: limits, clock: clock)
    try await governor.acquire(.machines)
    try await governor.acquire(.machines)
    try await governor.acquire(.library)
    #expect(clock.now == .zero)
    try await governor.acquire(.machines)
    #expect(clock.now == .seconds(60))
  }

  @Test func retryAfterPausesTheClass() async throws {
    let clock = JumpingClock()
    let governor = RateGovernor(clock: clock)
    await governor.throttled(.machines, retryAfter: .seconds(30))
    try await governor.acquire(.machines)
    #expect(clock.now == .seconds(30))
    try await governor.acquire(.runLiveResponse)  // a different budget is not paused
    #expect(clock.now == .seconds(30))
  }

  @Test func pollIntervalStretchesAsTheHourRunsDown() async throws {
    let clock = JumpingClock()
    let governor = RateGovernor(clock: clock)
    let fresh = await governor.pollInterval()
    #expect(fresh == .seconds(5))
    for _ in 0..<1400 { try await governor.acquire(.machineActions) }
    let late = await governor.pollInterval()
    #expect(late >= .seconds(60))
  }

  @Test func sessionsAreLimitedPerTenantAndPerDevice() async throws {
    var limits = RateLimits()
    limits.concurrentSessions = 2
    let governor = RateGovernor(limits: limits, clock: JumpingClock())
    try await governor.acquireSession(machineID: "a")
    let waiter = Task { try await governor.acquireSession(machineID: "A") }  // same device
    try await Task.sleep(for: .milliseconds(20))
    #expect(await governor.runningSessions == 1)
    try await governor.acquireSession(machineID: "b")
    #expect(await governor.runningSessions == 2)
    await governor.releaseSession(machineID: "a")
    try await waiter.value
    #expect(await governor.runningSessions == 2)
    let blocked = Task { try await governor.acquireSession(machineID: "c") }
    try await Task.sleep(for: .milliseconds(20))
    blocked.cancel()
    await #expect(throws: CancellationError.self) { try await blocked.value }
  }

  @Test func backoffIsCappedWithJitter() {
    let policy = RetryPolicy()
    for attempt in 1...12 {
      let delay = policy.delay(afterAttempt: attempt)
      #expect(delay <= policy.maxDelay)
      #expect(delay >= .zero)
    }
    #expect(policy.delay(afterAttempt: 1) <= .milliseconds(500))
  }
}
