/// Keeps the client inside the tenant's API budget: sliding per-minute and per-hour windows per
/// endpoint class, `Retry-After` pauses, concurrent sessions and one running action per device.
///
/// Calls wait for budget instead of provoking 429. Slots are handed out first come, first served:
/// ``acquire(_:)`` reserves the earliest slot that keeps every window under its limit, then sleeps
/// until it. Front ends subscribe to ``events()`` to show what is being waited for.
public actor RateGovernor: RequestBudget {
  /// Budget figures for one endpoint class (the name it had before ``RequestBudget``).
  public typealias Usage = BudgetUsage

  private struct Window {
    var times: [Duration] = []  // sorted ascending; may hold future reservations
    var blockedUntil: Duration = .zero
    /// Calls sent: their slot, and when their answer came (nil: not answered yet).
    var sent: [(slot: Duration, answered: Duration?)] = []
  }

  /// The limits in force.
  public let limits: RateLimits
  /// The clock (scaled to an emulator's time scale in the lab and in tests).
  public nonisolated let clock: any RateClock
  private var windows: [String: Window] = [:]
  private let broadcast = GovernorEventBroadcast()
  private var running: [String: Int] = [:]  // machine id -> running actions
  private var runningTotal = 0
  private var sessionWaiters:
    [(id: Int, machineID: String, continuation: CheckedContinuation<Void, any Error>)] = []
  private var nextWaiter = 0
  /// Sessions the service counts that this client does not hold (see ``heldElsewhere``).
  private var sessionsHeldElsewhere = 0

  /// Creates a governor.
  public init(limits: RateLimits = RateLimits(), clock: any RateClock = SystemRateClock()) {
    self.limits = limits
    self.clock = clock
  }

  /// A stream of governor events; each call returns a new independent subscription.
  public func events() -> AsyncStream<GovernorEvent> { broadcast.subscribe() }

  private func emit(_ event: GovernorEvent) { broadcast.emit(event) }

  private func bucket(_ endpoint: EndpointClass) -> String { limits.bucket(endpoint) }

  private func minuteLimit(_ endpoint: EndpointClass) -> Int { limits.minuteLimit(endpoint) }

  private func hourLimit(_ endpoint: EndpointClass) -> Int? { limits.hourLimit(endpoint) }

  /// Waits until a call of `endpoint` fits the budget, then counts it; returns the slot.
  ///
  /// - Parameter awaitsAnswer: the caller reports the answer with ``completed(_:slot:)``; until
  ///   then the call counts as reaching the service at any moment (else: at its slot).
  /// - Throws: `CancellationError` if the task is cancelled while waiting (its slot is released).
  @discardableResult
  public func acquire(_ endpoint: EndpointClass, awaitsAnswer: Bool = false) async throws
    -> Duration
  {
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
    if slot > now, let reason {
      emit(.waiting(endpoint: endpoint, reason: reason, delay: slot - now))
      try await sleep(until: slot, holding: endpoint)
    }
    // The reservation assumed every earlier call reached the service at its own slot. Before
    // sending, check what was really sent (see ``completed(_:slot:)``); wait more if needed.
    while true {
      if let blocked = windows[bucket(endpoint)]?.blockedUntil, blocked > clock.now {
        // A 429 arrived while we slept.
        emit(.waiting(endpoint: endpoint, reason: .retryAfter, delay: blocked - clock.now))
        try await sleep(until: blocked, holding: endpoint)
        continue
      }
      guard let later = laterSlot(endpoint) else { break }
      move(endpoint, from: slot, to: later.slot)
      slot = later.slot
      emit(.waiting(endpoint: endpoint, reason: later.reason, delay: slot - clock.now))
      try await sleep(until: slot, holding: endpoint)
    }
    windows[bucket(endpoint)]?.sent.append((slot, awaitsAnswer ? nil : slot))
    return slot
  }

  /// Sleeps until `slot`; if cancelled, gives the slot back.
  private func sleep(until slot: Duration, holding endpoint: EndpointClass) async throws {
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
  }

  /// When a call of `endpoint` may go out, if not now, judging by the calls already sent: a call
  /// still waiting for its answer may reach the service at any moment up to now, an answered
  /// one reached it before its answer.
  private func laterSlot(_ endpoint: EndpointClass)
    -> (slot: Duration, reason: GovernorEvent.Reason)?
  {
    let key = bucket(endpoint)
    guard var window = windows[key] else { return nil }
    let now = clock.now
    window.sent.removeAll { ($0.answered ?? now) <= now - .seconds(3600) }
    windows[key] = window
    let times = window.sent.map { $0.answered ?? now }.sorted()
    var needed = now
    var reason = GovernorEvent.Reason.minuteBudget
    let perMinute = minuteLimit(endpoint)
    if times.count >= perMinute {
      needed = max(needed, times[times.count - perMinute] + .seconds(60))
    }
    if let perHour = hourLimit(endpoint), times.count >= perHour {
      let freeAt = times[times.count - perHour] + .seconds(3600)
      if freeAt > needed {
        needed = freeAt
        reason = .hourBudget
      }
    }
    return needed > now ? (needed, reason) : nil
  }

  /// Moves a counted call from `old` to `new`, keeping the window sorted.
  private func move(_ endpoint: EndpointClass, from old: Duration, to new: Duration) {
    let key = bucket(endpoint)
    guard var window = windows[key], let index = window.times.lastIndex(of: old) else { return }
    window.times.remove(at: index)
    let insertAt = window.times.lastIndex { $0 <= new }.map { $0 + 1 } ?? 0
    window.times.insert(new, at: insertAt)
    windows[key] = window
  }

  /// Records that the call counted at `slot` got its answer (or failed) now.
  ///
  /// The service counts a call when the request arrives, somewhere between the slot and the
  /// answer (a request can also wait in the connection pool). Until the answer, a call counts as
  /// arriving "now" for calls about to go out; then at the answer's time. Every window is so
  /// measured from the latest moment the service can have counted a call, and request latency
  /// can never squeeze eleven calls into the service's minute.
  public func completed(_ endpoint: EndpointClass, slot: Duration) {
    let key = bucket(endpoint)
    let now = clock.now
    if let i = windows[key]?.sent.firstIndex(where: { $0.slot == slot && $0.answered == nil }) {
      windows[key]?.sent[i].answered = now
    }
    guard now > slot else { return }
    move(endpoint, from: slot, to: now)
  }

  /// Records a 429: calls of `endpoint` pause for `retryAfter` (real time, as the header says;
  /// a time-scaled emulator converts its service time to real seconds).
  public func throttled(_ endpoint: EndpointClass, retryAfter: Duration) {
    let until = clock.now + retryAfter * clock.scale
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
    limits.pollInterval(for: endpoint, usedLastHour: usage(endpoint).lastHour)
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
    wakeSessionWaiters()
  }

  /// Sessions the service counts that this client does not hold: actions of other requestors
  /// or earlier runs, pending or in progress, those queued for offline devices included (the
  /// cautious reading of microsoft-365-docs#11521). Submissions wait while they and this
  /// client's own fill ``RateLimits/concurrentSessions``.
  public var heldElsewhere: Int { sessionsHeldElsewhere }

  /// Records how many sessions others hold (``DefenderAPI/countSessionsHeldElsewhere()``);
  /// waiting submissions start if that frees enough.
  public func setHeldElsewhere(_ count: Int) {
    sessionsHeldElsewhere = max(0, min(count, limits.concurrentSessions))
    wakeSessionWaiters()
  }

  /// Whether a submission waits for a session while others hold some.
  public var waitsForSessionsHeldElsewhere: Bool {
    !sessionWaiters.isEmpty && sessionsHeldElsewhere > 0
  }

  /// The devices (lowercased ids) whose sessions this client holds.
  public var sessionMachines: Set<String> { Set(running.keys) }

  /// Starts every waiting submission that now fits, in order.
  private func wakeSessionWaiters() {
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
    runningTotal + sessionsHeldElsewhere < limits.concurrentSessions
      && running[key, default: 0] < limits.actionsPerDevice
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
