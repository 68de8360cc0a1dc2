import DefenderClient
import Foundation
import LRTestSupport
import Testing

@testable import LRTeam

/// The cost of the shared budget (docs/benchmarks.md, "Team: five processes on one tenant"): how
/// many acquire+complete cycles per second one `TeamBudget` can take from PostgreSQL, with the
/// windows raised so that nothing waits. Run by `make bench-team` (`LR_BENCH_TEAM_BUDGET=SECONDS`);
/// skipped otherwise.
@Suite(.serialized) struct TeamBudgetCostBench {
  static let seconds = Double(ProcessInfo.processInfo.environment["LR_BENCH_TEAM_BUDGET"] ?? "")

  /// Runs `inFlight` loops of acquire+complete on one budget for `duration`; returns cycles/s.
  static func cyclesPerSecond(_ url: TeamURL, inFlight: Int, duration: Double) async throws
    -> Double
  {
    var limits = RateLimits()
    limits.liveResponsePerMinute = 1_000_000
    limits.apiPerMinute = 1_000_000
    limits.apiPerHour = 1_000_000
    let budget = TeamBudgetTests.budget(url, limits: limits, scale: 1)
    _ = try await budget.acquire(.machines)  // registers the holder before the clock starts
    let start = ContinuousClock.now
    let end = start + .seconds(duration)
    let cycles = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<inFlight {
        group.addTask {
          var done = 0
          while ContinuousClock.now < end {
            let slot = try await budget.acquire(.runLiveResponse, awaitsAnswer: true)
            await budget.completed(.runLiveResponse, slot: slot)
            done += 1
          }
          return done
        }
      }
      return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    await budget.close()
    let real = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(cycles) / real
  }

  @Test(.enabled(if: seconds != nil, "set LR_BENCH_TEAM_BUDGET=SECONDS (make bench-team)"))
  func budgetCyclesPerSecond() async throws {
    let duration = Self.seconds ?? 10
    let url = try TeamBudgetTests.freshURL()
    for inFlight in [1, 8] {
      let rate = try await Self.cyclesPerSecond(url, inFlight: inFlight, duration: duration)
      print(
        "team-budget: \(inFlight) in flight on one TeamBudget: "
          + String(format: "%.0f", rate) + " acquire+complete cycles/s")
      #expect(rate > 10)
    }
  }
}
