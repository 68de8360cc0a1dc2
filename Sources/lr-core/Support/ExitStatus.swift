import ArgumentParser

/// The exit statuses every `lr` command shares (documented in README and docs/batch.md).
enum ExitStatus {
  /// Everything succeeded.
  static let success = ExitCode(0)
  /// The service refused a request, or a Live Response command failed or timed out.
  static let failure = ExitCode(1)
  /// Usage error, or `.lr` text that does not compile.
  static let usage = ExitCode(2)
  /// Sign-in or configuration error: wrong secret, unknown tenant, missing permission, bad config.
  static let configuration = ExitCode(3)
  /// Cancelled by the user (Ctrl-C) or through the API.
  static let cancelled = ExitCode(4)
  /// A staged run paused by its failure breaker (`--stop-if-failed`); `lr resume` continues it.
  static let paused = ExitCode(5)
}
