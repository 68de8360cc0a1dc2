import Foundation
import LRTestSupport
import Testing

/// The reliability soak (`make soak`, issue 18), gated by `LR_SOAK_SECONDS`, and the replay of
/// the seeds it once failed on (always run, a few seconds each).
///
/// Parameters (environment): `LR_SOAK_SECONDS` (budget, real seconds), `LR_SOAK_SWEEPS` and
/// `LR_SOAK_KILLS` (how many of each, at most), `LR_SOAK_MACHINES` (per sweep, default 12),
/// `LR_SOAK_KILL_MACHINES` (per kill trial, default 8), `LR_SOAK_SEED` (the first seed; trial
/// `i` uses seed + i), `LR_SOAK_TIME_SCALE` (default 60).
@Suite(.serialized) struct SoakTests {
  static let environment = ProcessInfo.processInfo.environment

  static func setting(_ name: String, _ fallback: Int) -> Int {
    environment[name].flatMap(Int.init) ?? fallback
  }

  /// Soak seeds replayed by `make test` (a few seconds each, 8 machines): a sweep through the
  /// lossy proxy, and a kill -9 of `lr run` then of `lr resume` before the resume that finishes.
  /// Add a seed here whenever `make soak` reports one failing. Sweep 6221: a pre-flight read
  /// dropped five times in a row by the proxy stopped `lr run` (`ReadRetryWindowTests`).
  static let recordedSeeds: [(kind: String, seed: UInt64)] = [
    ("sweep", 1001), ("kill", 1005), ("sweep", 6221),
  ]

  @Test(arguments: SoakTests.recordedSeeds.indices)
  func replayRecordedSeed(_ index: Int) async throws {
    let (kind, seed) = Self.recordedSeeds[index]
    let soak = try await Soak.start()
    defer { Task { await soak.close() } }
    let outcome =
      kind == "sweep"
      ? try await soak.sweep(seed: seed, machines: 8)
      : try await soak.killTrial(seed: seed, machines: 8)
    #expect(outcome.failures.isEmpty, "\(kind) seed \(seed): \(outcome.failures)")
  }

  @Test(.enabled(if: SoakTests.environment["LR_SOAK_SECONDS"] != nil))
  func soak() async throws {
    let budget = Duration.seconds(Self.setting("LR_SOAK_SECONDS", 1200))
    let sweeps = Self.setting("LR_SOAK_SWEEPS", 200)
    let kills = Self.setting("LR_SOAK_KILLS", 100)
    let machines = Self.setting("LR_SOAK_MACHINES", 12)
    let killMachines = Self.setting("LR_SOAK_KILL_MACHINES", 8)
    let firstSeed = UInt64(Self.setting("LR_SOAK_SEED", Int(Date().timeIntervalSince1970)))
    let soak = try await Soak.start(timeScale: Self.setting("LR_SOAK_TIME_SCALE", 60))
    defer { Task { await soak.close() } }
    print(
      "soak: seed \(firstSeed), \(sweeps) sweeps of \(machines) machines, \(kills) kill trials of \(killMachines), budget \(budget)"
    )
    let start = ContinuousClock.now
    var done = (sweeps: 0, kills: 0, faults: 0, killed: 0, failed: 0)
    var trial: UInt64 = 0
    while ContinuousClock.now - start < budget, done.sweeps < sweeps || done.kills < kills {
      let seed = firstSeed &+ trial
      trial += 1
      // Two sweeps for each kill trial, in the proportion of the targets.
      let isSweep =
        done.kills >= kills || (done.sweeps < sweeps && done.sweeps < 2 * done.kills + 2)
      let outcome =
        isSweep
        ? try await soak.sweep(seed: seed, machines: machines)
        : try await soak.killTrial(seed: seed, machines: killMachines)
      if isSweep { done.sweeps += 1 } else { done.kills += 1 }
      done.faults += outcome.faults
      done.killed += outcome.kills
      if !outcome.failures.isEmpty {
        done.failed += 1
        let kind = isSweep ? "sweep" : "kill"
        print(
          "soak: FAILED \(kind) seed \(seed): " + outcome.failures.prefix(5).joined(separator: "; ")
        )
        Issue.record("\(kind) seed \(seed): \(outcome.failures.joined(separator: "; "))")
      }
    }
    let elapsed = ContinuousClock.now - start
    print(
      "soak: \(done.sweeps) sweeps (\(done.faults) faults injected), \(done.kills) kill trials "
        + "(\(done.killed) kill -9), \(done.failed) failed, in \(elapsed)")
  }
}
