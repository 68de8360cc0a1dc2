import Foundation

/// Sliding-window request budgets on the virtual clock.
struct RateLimiter: Sendable {
  /// One budget: at most `limit` calls in any `window` virtual seconds.
  struct Window: Sendable {
    var limit: Int
    var window: TimeInterval
  }

  private var history: [String: [Date]] = [:]

  /// Records a call in `bucket` if every window allows it; otherwise returns the virtual seconds
  /// until one would (the call is not recorded).
  mutating func admit(bucket: String, windows: [Window], now: Date) -> TimeInterval? {
    let longest = windows.map(\.window).max() ?? 0
    var calls = history[bucket, default: []]
    let horizon = now.addingTimeInterval(-longest)
    if let firstKept = calls.firstIndex(where: { $0 > horizon }) {
      if firstKept > 0 { calls.removeFirst(firstKept) }
    } else {
      calls.removeAll()
    }
    var wait: TimeInterval = 0
    for w in windows {
      let start = now.addingTimeInterval(-w.window)
      let inWindow = calls.filter { $0 > start }
      if inWindow.count >= w.limit {
        let oldest = inWindow[inWindow.count - w.limit]
        wait = max(wait, oldest.addingTimeInterval(w.window).timeIntervalSince(now))
      }
    }
    if wait > 0 {
      history[bucket] = calls
      return wait
    }
    calls.append(now)
    history[bucket] = calls
    return nil
  }

  /// Forgets every recorded call (admin reset).
  mutating func reset() { history.removeAll() }
}
