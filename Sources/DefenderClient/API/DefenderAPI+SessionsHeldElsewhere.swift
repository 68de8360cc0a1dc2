import Foundation

/// Live Response sessions the service counts for actions this client does not follow.
extension DefenderAPI {
  /// The `$filter` of the actions that hold a session: every Live Response action pending or in
  /// progress, those queued for offline devices included (the cautious policy: the service was
  /// seen refusing submissions with "0 running sessions" and 26 `Pending`,
  /// microsoft-365-docs#11521).
  public static let sessionHoldingFilter =
    "(status eq 'Pending' or status eq 'InProgress') and type eq 'LiveResponse'"

  /// Counts the sessions others hold (other requestors, earlier runs) with one list call of at
  /// most ``RateLimits/concurrentSessions`` more than this client's own, and hands the count to
  /// the governor, which keeps submissions from provoking the service's 429 (whose `Retry-After`
  /// for a queued action can be its expiry, days away). Returns the count.
  @discardableResult
  public func countSessionsHeldElsewhere() async throws -> Int {
    let mine = await governor.sessionMachines
    let active = try await machineActions(
      filter: Self.sessionHoldingFilter, top: await governor.limits.concurrentSessions + mine.count)
    let others = active.filter { !mine.contains(($0.machineId ?? "").lowercased()) }
    await governor.setHeldElsewhere(others.count)
    return others.count
  }
}
