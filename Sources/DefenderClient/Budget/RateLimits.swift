/// The API budget the client plans against; defaults are the documented limits.
public struct RateLimits: Sendable, Equatable {
  /// `runliveresponse` calls per minute (documented: 10).
  public var liveResponsePerMinute: Int = 10
  /// Calls per minute for every other API (documented: 100).
  public var apiPerMinute: Int = 100
  /// Calls per hour for every other API (documented: 1,500).
  public var apiPerHour: Int = 1500
  /// Concurrently running Live Response sessions per tenant (documented: 25).
  public var concurrentSessions: Int = 25
  /// Running Live Response actions per device (documented: 1).
  public var actionsPerDevice: Int = 1
  /// The smallest interval between two status polls.
  public var minimumPollInterval: Duration = .seconds(5)
  /// Share (0...1) of a class's hourly budget that status polling may spend.
  public var pollingShare: Double = 0.6

  /// Whether every API other than `runliveresponse` draws from one shared budget (the safe
  /// reading of the docs, and what the emulator enforces); off = one budget per endpoint class.
  public var sharedAPIBudget: Bool = true

  /// The documented limits.
  public init() {}

  /// Checks every limit is positive.
  public func validated() throws(DefenderClientError) -> RateLimits {
    let counts = [
      ("live_response_per_minute", liveResponsePerMinute), ("api_per_minute", apiPerMinute),
      ("api_per_hour", apiPerHour), ("concurrent_sessions", concurrentSessions),
      ("actions_per_device", actionsPerDevice),
    ]
    for (name, value) in counts where value < 1 {
      throw .configuration("limit \(name) must be at least 1 (got \(value))")
    }
    guard pollingShare > 0, pollingShare <= 1 else {
      throw .configuration("limit polling_share must be in (0, 1] (got \(pollingShare))")
    }
    return self
  }
}
