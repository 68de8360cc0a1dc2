/// The one line a front end shows when the sign-in or an API call starts retrying after a
/// transient failure (`cannot reach HOST (connection refused); retrying for up to 60 s (Ctrl-C
/// stops)`): once per outage, not once per attempt.
///
/// An outage is told by its cause (the `retrying` governor event's, the `retry` engine event's
/// reason): a cause is announced when no retry after it was seen for ``quiet`` (two minutes,
/// longer than any backoff step), so one outage is announced once however long it lasts.
public struct RetryNotice: Sendable {
  /// How long calls go on retrying (the client's `RetryPolicy.retryWindow`), named in the text.
  public let window: Duration
  /// How long without a retry after a cause ends its outage.
  public static let quiet: Duration = .seconds(120)
  /// When a retry after each cause was last seen.
  private var seen: [String: ContinuousClock.Instant] = [:]

  /// A notice for calls that retry for `window`.
  public init(window: Duration = .seconds(60)) {
    self.window = window
  }

  /// The line to show for a retry after `cause` (without a trailing newline), or nil when this
  /// outage was already announced.
  public mutating func line(cause: String, now: ContinuousClock.Instant = .now) -> String? {
    defer { seen[cause] = now }
    if let last = seen[cause], now - last < Self.quiet { return nil }
    return Self.text(cause: cause, window: window)
  }

  /// `CAUSE; retrying for up to N s (Ctrl-C stops)`.
  public static func text(cause: String, window: Duration) -> String {
    let seconds = max(1, Int(window.components.seconds))
    return "\(cause); retrying for up to \(seconds) s (Ctrl-C stops)"
  }
}
