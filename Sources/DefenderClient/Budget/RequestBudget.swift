/// What the API client and the engine take their budget from: the per-minute and per-hour
/// windows, `Retry-After` pauses, the concurrent sessions and one running action per device.
///
/// ``RateGovernor`` keeps it in this process (the default); a team budget (`LRTeam.TeamBudget`)
/// keeps it in a PostgreSQL database shared by every process on the tenant.
public protocol RequestBudget: AnyObject, Sendable {
  /// The clock slots, waits and poll intervals are measured on (an emulator's time scale).
  var clock: any RateClock { get }
  /// The limits in force.
  var limits: RateLimits { get async }

  /// Waits until a call of `endpoint` fits the budget, then counts it; returns its slot.
  ///
  /// - Parameter awaitsAnswer: the caller reports the answer with ``completed(_:slot:)``.
  /// - Throws: `CancellationError` if the task is cancelled while waiting.
  @discardableResult
  func acquire(_ endpoint: EndpointClass, awaitsAnswer: Bool) async throws -> Duration
  /// Records that the call counted at `slot` got its answer (or failed) now.
  func completed(_ endpoint: EndpointClass, slot: Duration) async
  /// Records a 429: calls of `endpoint` pause for `retryAfter` (real time).
  func throttled(_ endpoint: EndpointClass, retryAfter: Duration) async
  /// Reports a retry (so front ends can show it).
  func retrying(_ endpoint: EndpointClass, attempt: Int, delay: Duration, cause: String) async
  /// The calls made or reserved for `endpoint` in the current windows.
  func usage(_ endpoint: EndpointClass) async -> BudgetUsage
  /// The status-polling interval that keeps polling within its share of the budget.
  func pollInterval(for endpoint: EndpointClass) async -> Duration

  /// Waits for a Live Response session slot on `machineID` (tenant-wide and per-device limits).
  func acquireSession(machineID: String) async throws
  /// Releases the session slot of a finished (or abandoned) action on `machineID`.
  func releaseSession(machineID: String) async
  /// Sessions this budget holds now.
  var runningSessions: Int { get async }
  /// Records how many sessions the service counts for actions this budget does not hold
  /// (``RateGovernor/heldElsewhere``); waiting submissions start if that frees enough.
  func setHeldElsewhere(_ count: Int) async
  /// Whether a submission waits for a session while others hold some.
  var waitsForSessionsHeldElsewhere: Bool { get async }
  /// The devices (lowercased ids) whose sessions this budget holds.
  var sessionMachines: Set<String> { get async }

  /// A stream of budget events; each call returns a new independent subscription.
  func events() async -> AsyncStream<GovernorEvent>
}

extension RequestBudget {
  /// Waits for a call that is counted at its slot (no answer reported).
  @discardableResult
  public func acquire(_ endpoint: EndpointClass) async throws -> Duration {
    try await acquire(endpoint, awaitsAnswer: false)
  }

  /// By default sessions held elsewhere are not counted.
  public func setHeldElsewhere(_ count: Int) async {}

  /// By default nothing waits for sessions held elsewhere.
  public var waitsForSessionsHeldElsewhere: Bool { get async { false } }

  /// By default no devices are known.
  public var sessionMachines: Set<String> { get async { [] } }

  /// The polling interval for status polls (`GET /machineactions`).
  public func pollInterval() async -> Duration {
    await pollInterval(for: .machineActions)
  }
}

/// Budget figures for one endpoint class, for front ends and polling.
public struct BudgetUsage: Sendable, Equatable {
  /// Calls (made or reserved) in the last minute.
  public var lastMinute: Int
  /// Calls (made or reserved) in the last hour.
  public var lastHour: Int
  /// The per-minute limit.
  public var minuteLimit: Int
  /// The per-hour limit (`nil` for `runliveresponse`, which only has a per-minute limit).
  public var hourLimit: Int?

  /// Creates usage figures.
  public init(lastMinute: Int, lastHour: Int, minuteLimit: Int, hourLimit: Int?) {
    self.lastMinute = lastMinute
    self.lastHour = lastHour
    self.minuteLimit = minuteLimit
    self.hourLimit = hourLimit
  }
}

extension RateLimits {
  /// The budget a class draws from: `runliveresponse` alone; every other class shares one budget
  /// unless ``sharedAPIBudget`` is off (then each class has its own).
  public func bucket(_ endpoint: EndpointClass) -> String {
    endpoint.isLiveResponse ? endpoint.name : (sharedAPIBudget ? "api" : endpoint.name)
  }

  /// The per-minute limit of `endpoint`'s budget.
  public func minuteLimit(_ endpoint: EndpointClass) -> Int {
    endpoint.isLiveResponse ? liveResponsePerMinute : apiPerMinute
  }

  /// The per-hour limit of `endpoint`'s budget (nil: none).
  public func hourLimit(_ endpoint: EndpointClass) -> Int? {
    endpoint.isLiveResponse ? nil : apiPerHour
  }

  /// The status-polling interval given the budget's usage: the largest of the configured minimum,
  /// the interval at which polling alone would spend ``pollingShare`` of the per-minute limit, and
  /// the share of the hourly budget still left spread over one hour.
  public func pollInterval(for endpoint: EndpointClass, usedLastHour: Int) -> Duration {
    var interval = minimumPollInterval
    let perMinute = max(1, Double(minuteLimit(endpoint)) * pollingShare)
    interval = max(interval, .seconds(60) / perMinute)
    if let perHour = hourLimit(endpoint) {
      let left = max(1, Double(perHour - usedLastHour) * pollingShare)
      interval = max(interval, .seconds(3600) / left)
    }
    return interval
  }
}
