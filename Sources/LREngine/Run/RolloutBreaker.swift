import LRLanguage

/// A statement's failure breaker: counts its finished and failed machines and, once the failed
/// share reaches the policy's threshold, keeps the machines not started from starting.
///
/// A percentage is judged only once the first stage (the canary, else the first wave) has
/// finished, so one early failure is not a share; a count is judged at once.
actor RolloutBreaker {
  let policy: RolloutPolicy
  let statement: Int
  /// Finished machines needed before a percentage is judged.
  let sample: Int
  private(set) var failed = 0
  private(set) var finished = 0
  private(set) var tripped = false

  init(policy: RolloutPolicy, statement: Int, sample: Int) {
    self.policy = policy
    self.statement = statement
    self.sample = sample
  }

  /// Whether a machine may start (false once the breaker tripped).
  func admits() -> Bool { !tripped }

  /// Counts a finished machine, and trips the breaker when the threshold is reached.
  func record(failed machineFailed: Bool) {
    finished += 1
    if machineFailed { failed += 1 }
    guard let threshold = policy.stopIfFailed else { return }
    if case .percent = threshold, finished < sample { return }
    if policy.breakerTrips(failed: failed, finished: finished) { tripped = true }
  }

  /// The pause to report when the breaker tripped and `remaining` machines did not start.
  func pause(remaining: Int) -> RunPause? {
    guard tripped, remaining > 0, let threshold = policy.stopIfFailed else { return nil }
    return RunPause(
      statement: statement, failed: failed, finished: finished, threshold: threshold,
      remaining: remaining)
  }
}
