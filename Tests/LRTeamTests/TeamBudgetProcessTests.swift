import DefenderEmulator
import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// The issue's measurement with real processes: two `lr run --team` at once on the same machines
/// against one emulator stay inside the tenant's limits together.
@Suite(.serialized) struct TeamBudgetProcessTests {
  /// Thirty Windows hosts of the `large` scenario, always online.
  static let hosts = (1...60).filter { $0 % 6 < 4 }.prefix(30).map {
    String(format: "host-%05d.large.contoso.com", $0)
  }

  static func environment(_ emulator: EmulatorFixture, _ dir: URL) -> [String: String] {
    emulator.environment().merging(
      [
        "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path, "LR_TIME_SCALE": "60",
      ], uniquingKeysWith: { _, new in new })
  }

  /// Runs two sweeps of the same hosts at once, with `extra` arguments; returns the emulator's
  /// client-caused 429s and its 400s on `runliveresponse` (`ActiveRequestAlreadyExists`).
  static func twoSweeps(_ extra: [String]) async throws -> (throttled: Int, busy: Int) {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data((hosts.joined(separator: "\n") + "\n").utf8).write(
      to: dir.appendingPathComponent("hosts.txt"))
    let script = dir.appendingPathComponent("sweep.lr")
    try Data(#"on file "hosts.txt" < run Get-Processes.ps1 >"#.appending("\n").utf8).write(
      to: script)
    let large = try #require(Scenario.builtIn("large"))
    return try await EmulatorFixture.with(
      large, timeScale: 60,
      libraryDirectory: LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")
    ) { emulator in
      let arguments = ["run", script.path, "--output", "json", "--yes", "--no-preflight"] + extra
      async let first = LRTestSupport.runLR(
        arguments, environment: environment(emulator, dir.appendingPathComponent("a")))
      async let second = LRTestSupport.runLR(
        arguments, environment: environment(emulator, dir.appendingPathComponent("b")))
      let results = try await [first, second]
      for result in results {
        #expect(result.status == 0, "\(result.stdout.suffix(2000))\(result.stderr)")
      }
      let stats = try await emulator.stats()
      let busy = stats.responses.filter { $0.key.contains("runliveresponse") }
        .map { $0.value["400"] ?? 0 }.reduce(0, +)
      return (stats.throttledByClient, busy)
    }
  }

  @Test(.timeLimit(.minutes(5))) func twoTeamRunsOnTheSameMachinesStayInsideTheLimits()
    async throws
  {
    let url = try PostgresServer.shared().makeDatabase()
    let together = try await Self.twoSweeps(["--team", url])
    #expect(together.throttled == 0)
    #expect(together.busy == 0)
    // Both took their budget from the database: 60 submissions counted there.
    let database = try TeamDatabase.open(TeamURL(url))
    let rows = try await database.query(
      "SELECT count(*) FROM lr_budget_call WHERE tenant = 'lab' AND bucket = 'runliveresponse'")
    #expect(try rows.first?.decode(Int.self) ?? 0 >= 60)
  }

  /// The same two without `--team` (each its own budget) collide; recorded, not asserted, as the
  /// count varies with timing.
  @Test(.timeLimit(.minutes(5))) func twoRunsWithoutTheTeamCollide() async throws {
    let apart = try await Self.twoSweeps([])
    print("two lr run without --team: \(apart.throttled) 429s, \(apart.busy) busy-device 400s")
  }
}
