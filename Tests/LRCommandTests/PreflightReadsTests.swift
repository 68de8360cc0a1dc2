import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// What `lr run`'s pre-flight and target resolution read (issue 18: the soak's per-trial cost):
/// only the targeted machines and their pending actions, counted in the emulator's request log on
/// the 10,000-machine `large` scenario with pages of 100 (listing the fleet is 100 calls).
@Suite(.serialized) struct PreflightReadsTests {
  /// Twelve Windows hosts of the `large` scenario, always online.
  static let hosts = (1...20).filter { $0 % 6 < 4 }.prefix(12).map {
    String(format: "host-%05d.large.contoso.com", $0)
  }

  /// The fixture's sign-in plus a state, home and results folder under `dir`.
  static func environment(_ emulator: EmulatorFixture, _ dir: URL) -> [String: String] {
    emulator.environment().merging(
      [
        "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
      ], uniquingKeysWith: { _, new in new })
  }

  /// A 12-machine run reads the machines and the pending actions in O(12) calls, not O(fleet):
  /// before, the pre-flight and the engine each listed all 10,000 machines (200 pages here).
  @Test(.timeLimit(.minutes(3))) func aTwelveMachineRunReadsOnlyItsMachines() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Short names and full names, as a host list holds them.
    let names = Self.hosts.enumerated().map { i, host in
      i % 2 == 0 ? host : String(host.split(separator: ".")[0])
    }
    try Data((names.joined(separator: "\n") + "\n").utf8).write(
      to: dir.appendingPathComponent("hosts.txt"))
    let script = dir.appendingPathComponent("sweep.lr")
    try Data(#"on file "hosts.txt" < run Get-Processes.ps1 >"#.appending("\n").utf8).write(
      to: script)
    let large = try #require(Scenario.builtIn("large"))
    try await EmulatorFixture.with(
      large, timeScale: 60,
      libraryDirectory: LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")
    ) { emulator in
      try await emulator.setLimit("maxPageSize", 100)
      let result = try await LRTestSupport.runLR(
        ["run", script.path, "--output", "json", "--yes"],
        environment: Self.environment(emulator, dir))
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      let machineReads = emulator.requests.matching("GET") { $0.hasPrefix("/api/machines") }
      #expect(
        machineReads.count <= 4, "\(machineReads.count) machine reads: \(machineReads.prefix(3))")
      // The pre-flight's pending actions: one call per chunk of machines; the tenant's only for
      // the sessions others hold, one page of at most the session limit plus lr's own.
      let pending = emulator.requests.matching("GET") {
        $0.hasPrefix("/api/machineactions") && $0.contains("Pending")
      }
      #expect(pending.count <= 3, "\(pending.map(\.target))")
      #expect(
        pending.allSatisfy { $0.target.contains("machineId") || $0.target.contains("$top=") },
        "\(pending.map(\.target))")
      #expect(try await emulator.stats().actionsCreated == 12)
    }
  }

  /// A plan over 1,000 machines (the `large` scenario's tag "Critical") reads the tenant's
  /// active actions in one paged list and looks them up by machine, rather than 40 calls of 25
  /// machines (4,000 at 100,000 machines: hours of the hourly read budget); a busy machine is
  /// still found, and an action on an untargeted machine is not reported.
  @Test(.timeLimit(.minutes(3))) func aThousandMachinePlanReadsTheActiveActionsOnce() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("critical.lr")
    try Data(#"on tag "Critical" < run Get-Processes.ps1 >"#.appending("\n").utf8).write(to: script)
    var large = try #require(Scenario.builtIn("large"))
    for name in ["host-00020.", "host-00021."] {
      let i = try #require(large.machines.firstIndex { $0.computerDnsName.hasPrefix(name) })
      large.machines[i].stuckAction = StuckAction(requestor: "soc-bot@contoso.com", comment: "x")
    }
    try await EmulatorFixture.with(large, timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["plan", script.path, "--output", "json"], environment: Self.environment(emulator, dir))
      let lines = result.stdout.split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
      let verdicts = lines.filter { $0["machineId"] != nil }
      #expect(verdicts.count == 1_000, "\(result.stderr)")
      let busy = verdicts.filter { $0["state"] as? String == "busy" }
      #expect(busy.map { $0["computerName"] as? String } == ["host-00020.large.contoso.com"])
      #expect(busy.first?["requestor"] as? String == "soc-bot@contoso.com")
      let active = emulator.requests.matching("GET") {
        $0.hasPrefix("/api/machineactions") && $0.contains("Pending")
      }
      #expect(active.count <= 2, "\(active.count) reads: \(active.prefix(2).map(\.target))")
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }

  /// A plan over 10,000 machines named by a prefix (the fleet is not listed to resolve them)
  /// lists the fleet once for its duplicate check, rather than 400 calls of 25 names.
  @Test(.timeLimit(.minutes(3))) func aTenThousandMachinePlanListsTheFleetOnceForDuplicates()
    async throws
  {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("all.lr")
    try Data(#"on name "host-" < run Get-Processes.ps1 >"#.appending("\n").utf8).write(to: script)
    let large = try #require(Scenario.builtIn("large"))
    try await EmulatorFixture.with(large, timeScale: 60) { emulator in
      let result = try await LRTestSupport.runLR(
        ["plan", script.path, "--output", "json"], environment: Self.environment(emulator, dir))
      #expect(result.stdout.split(separator: "\n").count == 10_001, "\(result.stderr)")
      let machineReads = emulator.requests.matching("GET") { $0.hasPrefix("/api/machines") }
      #expect(machineReads.count <= 25, "\(machineReads.count) machine reads")
    }
  }
}
