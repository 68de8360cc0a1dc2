import ArgumentParser
import LRLanguage

/// `--canary N`, `--waves N|P%`, `--stop-if-failed N|P%`: the staged rollout of `lr run`,
/// `lr rerun` and `lr resume` (docs/batch.md).
struct RolloutOptions: ParsableArguments {
  @Option(
    help:
      "Run this many machines first (across platforms and device groups) and go on only if they pass."
  )
  var canary: Int?

  @Option(help: "Send the other machines in waves of this many, or this share (10%).")
  var waves: String?

  @Option(
    name: .customLong("stop-if-failed"),
    help: "Pause the run once this many, or this share (5%), of the finished machines failed.")
  var stopIfFailed: String?

  /// The policy the options give; nil when none was given. Bad values are usage errors (exit 2).
  func policy() throws -> RolloutPolicy? {
    guard canary != nil || waves != nil || stopIfFailed != nil else { return nil }
    do {
      let policy = RolloutPolicy(
        canary: canary, waves: try waves.map { try RolloutPolicy.Share.parse($0, option: .waves) },
        stopIfFailed: try stopIfFailed.map {
          try RolloutPolicy.Share.parse($0, option: .stopIfFailed)
        })
      // Counts against the run's machines are checked once targets resolve; these never fit.
      try policy.validate(machineCount: Int.max)
      return policy
    } catch let error as RolloutPolicyError {
      throw ValidationError(error.description)
    }
  }

  func validate() throws { _ = try policy() }
}
