import Foundation

/// The budget's events fanned out to every subscriber (the live view, the REPL's status line):
/// one per budget, shared by ``RateGovernor`` and the team's budget.
public final class GovernorEventBroadcast: @unchecked Sendable {
  private let lock = NSLock()
  private var subscribers: [Int: AsyncStream<GovernorEvent>.Continuation] = [:]
  private var nextSubscriber = 0

  public init() {}

  /// A new independent subscription (the newest 256 events are kept for a slow reader).
  public func subscribe() -> AsyncStream<GovernorEvent> {
    let (stream, continuation) = AsyncStream<GovernorEvent>.makeStream(
      bufferingPolicy: .bufferingNewest(256))
    let id = lock.withLock {
      defer { nextSubscriber += 1 }
      subscribers[nextSubscriber] = continuation
      return nextSubscriber
    }
    continuation.onTermination = { [weak self] _ in
      self?.lock.withLock { _ = self?.subscribers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Sends `event` to every subscriber.
  public func emit(_ event: GovernorEvent) {
    let continuations = lock.withLock { Array(subscribers.values) }
    for continuation in continuations { continuation.yield(event) }
  }
}
