/// How transient failures (5xx, resets, timeouts, 429) are retried: capped exponential backoff
/// with "equal jitter" (a random half to whole of each step, so retries spread out but never
/// come back at once), for a time window as well as a count (``mayRetry(afterAttempt:elapsed:delay:)``).
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts for idempotent calls hitting 5xx, resets or timeouts (including the first): at
  /// least this many, more while ``retryWindow`` lasts. Also the attempts of a submission and of
  /// its lookups by token.
  public var maxAttempts: Int = 5
  /// How long (real time, from the first attempt, budget waits included) an idempotent call (a
  /// read, a download, a cancel) goes on retrying connection failures and 5xx before its error
  /// is thrown: a flaky network gets about a minute, not five quick tries.
  public var retryWindow: Duration = .seconds(60)
  /// Attempts when the service keeps answering 429.
  public var maxThrottledAttempts: Int = 8
  /// First backoff delay.
  public var baseDelay: Duration = .milliseconds(500)
  /// Largest backoff delay.
  public var maxDelay: Duration = .seconds(30)
  /// Wait after a 429 without `Retry-After`.
  public var defaultRetryAfter: Duration = .seconds(60)
  /// Per-request timeout (real time).
  public var requestTimeout: Duration = .seconds(60)
  /// After a submission's answer was lost (reset, timeout, 5xx), how long (service time, on the
  /// governor's clock) lookups by token go on before the POST counts as never having arrived and
  /// is sent again: the service's action list can lag behind a creation, and a POST the client
  /// gave up on may still be in the service's hands.
  public var submissionSettle: Duration = .seconds(30)
  /// How long (service time) a new action may stay invisible to `GET /machineactions` (list and
  /// by id) before a poller calls it missing: the service shows a new action only after a moment
  /// (Kibana retries its lookups; other clients allow up to 120 s).
  public var visibilityDeadline: Duration = .seconds(120)

  /// The defaults.
  public init() {}

  /// Whether an idempotent call that failed `attempt` times (counting from 1), `elapsed` after
  /// its first attempt, is tried again after `delay`: always below ``maxAttempts``, then while
  /// the retry would start within ``retryWindow``.
  public func mayRetry(afterAttempt attempt: Int, elapsed: Duration, delay: Duration) -> Bool {
    attempt < maxAttempts || elapsed + delay <= retryWindow
  }

  /// The backoff before attempt `attempt + 1` (attempt counts from 1): random in
  /// `0.5×…1×` of `min(maxDelay, baseDelay * 2^(attempt-1))`.
  public func delay(afterAttempt attempt: Int) -> Duration {
    let exponent = min(max(attempt - 1, 0), 20)
    let ceiling = min(maxDelay, baseDelay * (1 << exponent))
    let fraction = Double.random(in: 0.5...1)
    return ceiling * fraction
  }
}
