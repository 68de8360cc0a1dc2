/// What the rate governor is doing, for front ends to show ("waiting for budget").
public enum GovernorEvent: Sendable, Equatable {
  /// Why a call or a session waits.
  public enum Reason: String, Sendable, Equatable {
    /// The per-minute window is full.
    case minuteBudget = "per-minute budget"
    /// The per-hour window is full.
    case hourBudget = "per-hour budget"
    /// The service answered 429 and asked to wait (`Retry-After`).
    case retryAfter = "Retry-After"
    /// All concurrent Live Response sessions are in use.
    case sessions = "concurrent sessions"
    /// The device already runs an action.
    case deviceBusy = "device busy"
    /// The shared budget's database (team mode) cannot be reached: nothing is sent until it is.
    case teamDatabase = "shared budget (team database unreachable)"
  }

  /// A call of `endpoint` waits `delay` (clock time) for `reason`.
  case waiting(endpoint: EndpointClass, reason: Reason, delay: Duration)
  /// The service answered 429 for `endpoint`; calls pause for `retryAfter`.
  case throttled(endpoint: EndpointClass, retryAfter: Duration)
  /// A Live Response submission waits for a session slot (`machineID` is the target).
  case waitingForSession(machineID: String, reason: Reason)
  /// A call is being retried after a transient failure.
  case retrying(endpoint: EndpointClass, attempt: Int, delay: Duration, cause: String)
}
