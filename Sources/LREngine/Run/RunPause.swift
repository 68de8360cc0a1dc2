import LRLanguage

/// Why a staged run paused: its failure breaker tripped on a statement, with machines left.
///
/// Thrown by the rollout when a stage ends with the breaker tripped; the engine journals the run
/// as paused with ``reason`` and `lr resume` continues it.
public struct RunPause: Error, Sendable, Equatable, Codable {
  /// The statement whose machines were being staged.
  public var statement: Int
  /// Machines of the statement that failed (a failed action, or a script's non-zero exit).
  public var failed: Int
  /// Machines of the statement that finished.
  public var finished: Int
  /// The breaker's threshold (`--stop-if-failed`).
  public var threshold: RolloutPolicy.Share
  /// Machines of the statement not started.
  public var remaining: Int

  public init(
    statement: Int, failed: Int, finished: Int, threshold: RolloutPolicy.Share, remaining: Int
  ) {
    self.statement = statement
    self.failed = failed
    self.finished = finished
    self.threshold = threshold
    self.remaining = remaining
  }

  /// "statement 1: 5 of 10 finished machines failed (--stop-if-failed 20%); 90 not started".
  public var reason: String {
    "statement \(statement): \(failed) of \(finished) finished machine\(finished == 1 ? "" : "s") "
      + "failed (--stop-if-failed \(threshold)); \(remaining) not started"
  }
}
