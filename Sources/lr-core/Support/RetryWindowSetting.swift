import DefenderClient

/// `LR_RETRY_WINDOW`: how long (whole seconds, 0 to 3600; default 60) lr goes on retrying a
/// sign-in or an API read that meets a transient failure (a refused connection, a 5xx) before it
/// gives up. Every call still gets its first five attempts (about 8 s at most).
enum RetryWindowSetting {
  /// The environment variable.
  static let name = "LR_RETRY_WINDOW"

  /// The window the environment sets (nil: unset or empty); a value that is not a whole number
  /// of seconds from 0 to 3600 is a configuration error naming the variable.
  static func read(_ environment: [String: String]) throws -> Duration? {
    guard let text = environment[name], !text.isEmpty else { return nil }
    guard let seconds = Int(text), (0...3600).contains(seconds) else {
      throw DefenderClientError.configuration(
        "\(name) must be a whole number of seconds from 0 to 3600 (it is \"\(text)\")")
    }
    return .seconds(seconds)
  }

  /// The retry policy for a client: the defaults, with the environment's window.
  static func policy(_ environment: [String: String]) throws -> RetryPolicy {
    var policy = RetryPolicy()
    if let window = try read(environment) { policy.retryWindow = window }
    return policy
  }

  /// The window retry notices name: the environment's, else the default.
  static func window(_ environment: [String: String]) -> Duration {
    ((try? read(environment)) ?? nil) ?? RetryPolicy().retryWindow
  }
}
