/// Keeps the client inside the tenant's API budget: sliding per-minute and per-hour windows per
/// endpoint class, `Retry-After` pauses, concurrent sessions and one running action per device.
///
/// Calls wait for budget instead of provoking 429. Slots are handed out first come, first served:
/// ``acquire(_:)`` reserves the earliest slot that keeps every window under its limit, then sleeps
/// until it. Front ends subscribe to ``events()`` to show what is being waited for.
public actor RateGovernor {
  /// Budget figures for one endpoint class, for front ends and polling.
  public struct Usage: Sendable, Equatable {
    /// Calls (made or reserved) in the last minute.
    public var lastMinute: Int
    /// Calls (made or reserved) in the last hour.
    public var lastHour: Int
    /// The per-minute limit.
    public var minuteLimit: Int
    /// The per-hour limit (`nil` for `runliveresponse`, which only has a per-minute limit).
    public var hourLimit: Int?
  }

  private struct Window {
    var times: [Duration] = []  // sorted ascending; may hold future reservations
    var blockedUntil: Duration = .zero
  }

  /// The limits in force.
  public let limits: RateLimits
  /// The clock (scaled to an emulator's time scale in the lab and in tests).
  public nonisolated let clock: any RateClock
  private var windows: [String: Window] = [:]
  private var subscribers: [Int: AsyncStream<GovernorEvent>.Continuation] = [:]
  private var nextSubscriber = 0
  private var running: [String: Int] = [:]  // machine id -> running actions
  private var runningTotal = 0
  private var sessionWaiters:
    [(id: Int, machineID: String, continuation: CheckedContinuation<Void, any Error>)] = []
  private var nextWaiter = 0

  /// Creates a governor.
  public init(limits: RateLimits = RateLimits(), clock: any RateClock = SystemRateClock()) {
    self.limits = limits
    self.clock = clock
  }

  /// A stream of governor events; each call returns a new independent subscription.
  public func events() -> AsyncStream<GovernorEvent> {
    let (stream, continuation) = AsyncStream<GovernorEvent>.makeStream(
      bufferingPolicy: .bufferingNewest(256))
    let id = nextSubscriber
    nextSubscriber += 1
    subscribers[id] = continuation
    continuation.onTermination = { [weak self] _ in
      Task { await self?.unsubscribe(id) }
    }
    return stream
  }

  private func unsubscribe(_ id: Int) { subscribers[id] = nil }

  private func emit(_ event: GovernorEvent) {
    for continuation in subscribers.values { continuation.yield(event) }
  }

  /// The budget a class draws from: `runliveresponse` alone; every other class shares one budget
  /// unless ``RateLimits/sharedAPIBudget`` is off (then each class has its own).
  private func bucket(_ endpoint: EndpointClass) -> String {
    endpoint.isLiveResponse ? endpoint.name : (limits.sharedAPIBudget ? "api" : endpoint.name)
  }

  private func minuteLimit(_ endpoint: EndpointClass) -> Int {
    endpoint.isLiveResponse ? limits.liveResponsePerMinute : limits.apiPerMinute
  }

  private func hourLimit(_ endpoint: EndpointClass) -> Int? {
    endpoint.isLiveResponse ? nil : limits.apiPerHour
  }

  /// Waits until a call of `endpoint` fits the budget, then counts it.
  ///
  /// - Throws: `CancellationError` if the task is cancelled while waiting (its slot is released).
  public func acquire(_ endpoint: EndpointClass) async throws {
    let now = clock.now
    var window = windows[bucket(endpoint), default: Window()]
    window.times.removeAll { $0 <= now - .seconds(3600) }
    var slot = max(now, window.times.last ?? now)
    var reason: GovernorEvent.Reason?
    if window.blockedUntil > slot {
      slot = window.blockedUntil
      reason = .retryAfter
    }
    let perMinute = minuteLimit(endpoint)
    if window.times.count >= perMinute {
      let freeAt = window.times[window.times.count - perMinute] + .seconds(60)
      if freeAt > slot {
        slot = freeAt
        reason = .minuteBudget
      }
    }
    if let perHour = hourLimit(endpoint), window.times.count >= perHour {
      let freeAt = window.times[window.times.count - perHour] + .seconds(3600)
      if freeAt > slot {
        slot = freeAt
        reason = .hourBudget
      }
    }
    window.times.append(slot)
    windows[bucket(endpoint)] = window
    guard slot > now, let reason else { return }
    emit(.waiting(endpoint: endpoint, reason: reason, delay: slot - now))
    do {
      try await clock.sleep(until: slot)
      try Task.checkCancellation()
    } catch {
      if var window = windows[bucket(endpoint)], let index = window.times.lastIndex(of: slot) {
        window.times.remove(at: index)
        windows[bucket(endpoint)] = window
      }
      throw error
    }
    // A 429 may have arrived while we slept.
    if let blocked = windows[bucket(endpoint)]?.blockedUntil, blocked > clock.now {
      emit(.waiting(endpoint: endpoint, reason: .retryAfter, delay: blocked - clock.now))
      try await clock.sleep(until: blocked)
    }
  }

  /// Records a 429: calls of `endpoint` pause for `retryAfter`.
  public func throttled(_ endpoint: EndpointClass, retryAfter: Duration) {
    let until = clock.now + retryAfter
    var window = windows[bucket(endpoint), default: Window()]
    window.blockedUntil = max(window.blockedUntil, until)
    windows[bucket(endpoint)] = window
    emit(.throttled(endpoint: endpoint, retryAfter: retryAfter))
  }

  /// Reports a retry (so front ends can show it).
  public func retrying(_ endpoint: EndpointClass, attempt: Int, delay: Duration, cause: String) {
    emit(.retrying(endpoint: endpoint, attempt: attempt, delay: delay, cause: cause))
  }

  /// The calls made or reserved for `endpoint` in the current windows.
  public func usage(_ endpoint: EndpointClass) -> Usage {
    let now = clock.now
    let times = windows[bucket(endpoint)]?.times ?? []
    return Usage(
      lastMinute: times.filter { $0 > now - .seconds(60) }.count,
      lastHour: times.filter { $0 > now - .seconds(3600) }.count,
      minuteLimit: minuteLimit(endpoint), hourLimit: hourLimit(endpoint))
  }

  /// The status-polling interval that keeps polling within its share of the budget.
  ///
  /// It is the largest of: the configured minimum; the interval at which polling alone would spend
  /// `pollingShare` of the per-minute and per-hour limits; and the interval that spreads the share
  /// of the hourly budget still left over one hour (so it stretches as the budget runs down).
  public func pollInterval(for endpoint: EndpointClass = .machineActions) -> Duration {
    let share = limits.pollingShare
    var interval = limits.minimumPollInterval
    let perMinute = max(1, Double(minuteLimit(endpoint)) * share)
    interval = max(interval, .seconds(60) / perMinute)
    if let perHour = hourLimit(endpoint) {
      let used = usage(endpoint).lastHour
      let left = max(1, Double(perHour - used) * share)
      interval = max(interval, .seconds(3600) / left)
    }
    return interval
  }

  // MARK: Sessions

  /// Waits for a Live Response session slot on `machineID` (tenant-wide and per-device limits).
  public func acquireSession(machineID: String) async throws {
    let key = machineID.lowercased()
    if canStart(key) {
      start(key)
      return
    }
    let reason: GovernorEvent.Reason =
      running[key, default: 0] >= limits.actionsPerDevice ? .deviceBusy : .sessions
    emit(.waitingForSession(machineID: machineID, reason: reason))
    let id = nextWaiter
    nextWaiter += 1
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        sessionWaiters.append((id, key, continuation))
      }
    } onCancel: {
      Task { await self.cancelWaiter(id) }
    }
  }

  /// Releases the session slot of a finished (or abandoned) action on `machineID`.
  public func releaseSession(machineID: String) {
    let key = machineID.lowercased()
    guard let count = running[key], count > 0 else { return }
    running[key] = count == 1 ? nil : count - 1
    runningTotal -= 1
    var index = 0
    while index < sessionWaiters.count {
      let waiter = sessionWaiters[index]
      if canStart(waiter.machineID) {
        sessionWaiters.remove(at: index)
        start(waiter.machineID)
        waiter.continuation.resume()
      } else {
        index += 1
      }
    }
  }

  /// Running sessions, tenant-wide.
  public var runningSessions: Int { runningTotal }

  private func canStart(_ key: String) -> Bool {
    runningTotal < limits.concurrentSessions && running[key, default: 0] < limits.actionsPerDevice
  }

  private func start(_ key: String) {
    running[key, default: 0] += 1
    runningTotal += 1
  }

  private func cancelWaiter(_ id: Int) {
    guard let index = sessionWaiters.firstIndex(where: { $0.id == id }) else { return }
    let waiter = sessionWaiters.remove(at: index)
    waiter.continuation.resume(throwing: CancellationError())
  }
}
