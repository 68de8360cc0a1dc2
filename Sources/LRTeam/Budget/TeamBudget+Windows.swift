import DefenderClient
import PostgresNIO

extension TeamBudget {
  /// How long a call waits before asking again when the window is full only because of calls
  /// still waiting for their answer (they may be answered at any moment).
  static let pendingRecheck: Duration = .milliseconds(100)

  /// The window lengths in real seconds: the service's minute and hour at the clock's scale.
  private var windows: (minute: Double, hour: Double) {
    (60 / clock.scale, 3600 / clock.scale)
  }

  /// Waits until a call of `endpoint` fits the tenant's windows, then counts it; returns the slot.
  ///
  /// - Parameter awaitsAnswer: the caller reports the answer with ``completed(_:slot:)``; until
  ///   then every process counts the call as reaching the service at any moment.
  @discardableResult
  public func acquire(_ endpoint: EndpointClass, awaitsAnswer: Bool = false) async throws
    -> Duration
  {
    let outage = self.outage(endpoint)
    try await register(outage: outage)
    let (minute, hour) = windows
    let statement: PostgresQuery = """
      SELECT o_id, o_wait, o_reason, o_pending FROM lr_budget_acquire(\(tenant), \(app),
        \(limits.bucket(endpoint)), \(holder), \(limits.minuteLimit(endpoint)),
        \(limits.hourLimit(endpoint) ?? 0), \(minute), \(hour), \(!awaitsAnswer))
      """
    var reported = false
    while true {
      let rows = try await reliably(statement, outage: outage)
      guard let row = rows.first,
        let (id, wait, reason, pending) = try? row.decode((Int64?, Double, String?, Bool).self)
      else { throw DefenderClientError(.configuration, "the team budget gave no answer") }
      if let id {
        let slot = max(clock.now, lastSlot + .nanoseconds(1))
        lastSlot = slot
        if awaitsAnswer { calls[slot] = id }
        return slot
      }
      let delay = Duration.seconds(max(wait, 0))
      if !reported {
        emit(.waiting(endpoint: endpoint, reason: Self.reason(reason), delay: delay * clock.scale))
        reported = true
      }
      let nap = pending ? min(delay, Self.pendingRecheck) : delay
      try await Task.sleep(for: nap + .milliseconds(Int.random(in: 1...20)))
    }
  }

  private static func reason(_ text: String?) -> GovernorEvent.Reason {
    switch text {
    case "retry-after": .retryAfter
    case "hour": .hourBudget
    default: .minuteBudget
    }
  }

  /// Records that the call counted at `slot` got its answer (or failed) now: from here on every
  /// process counts it at the database's time of this answer.
  public func completed(_ endpoint: EndpointClass, slot: Duration) async {
    guard let id = calls.removeValue(forKey: slot) else { return }
    pendingAnswers.append(id)
    await flushPending()
  }

  /// What is reported while `endpoint`'s budget step waits for an unreachable database.
  func outage(_ endpoint: EndpointClass) -> GovernorEvent {
    .waiting(endpoint: endpoint, reason: .teamDatabase, delay: reconnectDelay * clock.scale)
  }

  /// Records a 429: every process's calls of `endpoint`'s budget pause for `retryAfter` (real
  /// time, as the header says).
  public func throttled(_ endpoint: EndpointClass, retryAfter: Duration) async {
    emit(.throttled(endpoint: endpoint, retryAfter: retryAfter))
    let seconds =
      Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18
    // Waited through an outage like every budget step: a pause lost to a failed INSERT would
    // let the other processes call into the service's Retry-After.
    let outage = self.outage(endpoint)
    _ = try? await reliably(
      """
      INSERT INTO lr_budget_pause (tenant, app, bucket, blocked_until)
      VALUES (\(tenant), \(app), \(limits.bucket(endpoint)),
        clock_timestamp() + make_interval(secs => \(seconds)))
      ON CONFLICT (tenant, app, bucket) DO UPDATE
        SET blocked_until = greatest(lr_budget_pause.blocked_until, EXCLUDED.blocked_until)
      """, outage: outage)
  }

  /// The calls every process made in `endpoint`'s windows (zeros while the database is away).
  public func usage(_ endpoint: EndpointClass) async -> BudgetUsage {
    let (minute, hour) = windows
    let rows = try? await database.query(
      """
      SELECT
        count(*) FILTER (WHERE coalesce(answered, clock_timestamp())
          > clock_timestamp() - make_interval(secs => \(minute))),
        count(*) FILTER (WHERE coalesce(answered, clock_timestamp())
          > clock_timestamp() - make_interval(secs => \(hour)))
      FROM lr_budget_call
      WHERE tenant = \(tenant) AND app = \(app) AND bucket = \(limits.bucket(endpoint))
      """)
    let counts = (try? rows?.first?.decode((Int, Int).self)) ?? (0, 0)
    return BudgetUsage(
      lastMinute: counts.0, lastHour: counts.1, minuteLimit: limits.minuteLimit(endpoint),
      hourLimit: limits.hourLimit(endpoint))
  }

  /// The status-polling interval for the tenant's usage (the governor's rule).
  public func pollInterval(for endpoint: EndpointClass = .machineActions) async -> Duration {
    let used = limits.hourLimit(endpoint) == nil ? 0 : await usage(endpoint).lastHour
    return limits.pollInterval(for: endpoint, usedLastHour: used)
  }
}
