import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

/// `lr rerun`: a fan-out where srv-legacy03 is refused and ws-broken-09's script fails, then
/// `lr rerun --failed` runs the statement again on exactly those two, as a new run linked to
/// the first; the emulator receives submissions for no other machine.
@Suite(.serialized) struct RerunCommandTests {
  static let statement =
    "on machines [ws-0142, srv-legacy03, ws-broken-09, ws-0143] < run Get-Processes.ps1 >"

  /// One emulator for lr run and lr rerun, with a fresh state folder.
  static func withLab(_ body: (URL, [String: String], EmulatorFixture) async throws -> Void)
    async throws
  {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let library = LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")
    try await EmulatorFixture.with(timeScale: 600, libraryDirectory: library) { emulator in
      var environment = emulator.environment()
      environment["HOME"] = dir.path
      environment["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
      environment["LR_RESULTS_DIR"] = dir.appendingPathComponent("results").path
      environment["LR_TIME_SCALE"] = "600"
      try await body(dir, environment, emulator)
    }
  }

  static func lines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// The machine ids the emulator accepted submissions for, oldest first.
  static func submittedMachines(_ emulator: EmulatorFixture) async throws -> [String] {
    let reply = try await emulator.admin(.GET, "submissions")
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(reply.body)) as? [[String: Any]])
    return list.compactMap { $0["machineId"] as? String }
  }

  /// The machines a run's statements resolved to, by computer name → id.
  static func resolved(_ events: [[String: Any]]) -> [String: String] {
    var names: [String: String] = [:]
    for event in events where event["event"] as? String == "machinesResolved" {
      for machine in event["machines"] as? [[String: Any]] ?? [] {
        if let name = machine["computerName"] as? String, let id = machine["machineId"] as? String {
          names[name] = id
        }
      }
    }
    return names
  }

  @Test(.timeLimit(.minutes(3))) func rerunsExactlyTheFailedMachinesAsALinkedRun() async throws {
    try await Self.withLab { dir, environment, emulator in
      let script = dir.appendingPathComponent("fan.lr")
      try Data((Self.statement + "\n").utf8).write(to: script)
      let first = try await LRTestSupport.runLR(
        ["run", script.path, "--output", "json"], environment: environment)
      #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
      let ids = Self.resolved(try Self.lines(first.stdout))
      #expect(ids.count == 4)
      let before = try await Self.submittedMachines(emulator)
      let runs = try Self.lines(
        try await LRTestSupport.runLR(["runs", "--output", "json"], environment: environment)
          .stdout)
      let firstRun = try #require(runs.first?["id"] as? String)

      let dry = try await LRTestSupport.runLR(
        ["rerun", "--failed", "--dry-run", "--output", "human"], environment: environment)
      #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
      #expect(dry.stdout.contains("would rerun run \(firstRun) on 2 machines:"), "\(dry.stdout)")
      #expect(dry.stdout.contains("srv-legacy03.contoso.com  refused: "), "\(dry.stdout)")
      #expect(dry.stdout.contains("ws-broken-09.contoso.com  "), "\(dry.stdout)")
      #expect(!dry.stdout.contains("ws-0142"), "\(dry.stdout)")
      #expect(try await Self.submittedMachines(emulator) == before, "--dry-run sent something")

      let rerun = try await LRTestSupport.runLR(
        ["rerun", "--failed", firstRun, "--output", "json"], environment: environment)
      #expect(rerun.status == 1, "\(rerun.stdout)\(rerun.stderr)")
      let events = try Self.lines(rerun.stdout)
      #expect(
        Set(Self.resolved(events).keys) == ["srv-legacy03.contoso.com", "ws-broken-09.contoso.com"])
      // The service accepted one new action: ws-broken-09's (srv-legacy03 refuses again).
      let after = try await Self.submittedMachines(emulator)
      #expect(
        Array(after.dropFirst(before.count)) == [ids["ws-broken-09.contoso.com"]].compactMap { $0 })

      // The new run is linked to the first.
      let listed = try Self.lines(
        try await LRTestSupport.runLR(["runs", "--output", "json"], environment: environment)
          .stdout)
      #expect(listed.count == 2)
      #expect(listed.first?["parent"] as? String == firstRun)
      #expect(listed.last?["parent"] == nil)
      let human = try await LRTestSupport.runLR(
        ["runs", "--output", "human"], environment: environment)
      #expect(human.stdout.contains("(rerun of \(firstRun))"), "\(human.stdout)")
    }
  }

  /// With `--lab`, as `lr run --lab`: the lab's demo fleet has the same machine ids each time.
  @Test(.timeLimit(.minutes(3))) func worksWithTheLab() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let environment = [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
    let script = dir.appendingPathComponent("fan.lr")
    try Data((Self.statement + "\n").utf8).write(to: script)
    let first = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: environment)
    #expect(first.status == 1, "\(first.stdout)\(first.stderr)")
    let rerun = try await LRTestSupport.runLR(
      ["rerun", "--failed", "--lab", "--output", "json"], environment: environment)
    #expect(rerun.status == 1, "\(rerun.stdout)\(rerun.stderr)")
    let events = try Self.lines(rerun.stdout)
    #expect(
      Set(Self.resolved(events).keys) == ["srv-legacy03.contoso.com", "ws-broken-09.contoso.com"])
    #expect(events.filter { $0["event"] as? String == "actionSubmitted" }.count == 1)
  }

  /// A rerun stopped early and resumed still runs only on the machines it chose: a statement
  /// none of them was in is not resolved again over the whole fleet.
  @Test(.timeLimit(.minutes(3))) func aResumedRerunKeepsItsMachines() async throws {
    try await Self.withLab { dir, environment, emulator in
      let script = dir.appendingPathComponent("two.lr")
      try Data(
        """
        on machines [ws-broken-09, ws-0142] < run Get-Processes.ps1 >
        on machines [kiosk-lobby-02, ws-0143] < run Get-Processes.ps1 >

        """.utf8
      ).write(to: script)
      // kiosk-lobby-02 never comes online: each run stops waiting for it.
      _ = try await LRTestSupport.runLR(
        ["run", script.path, "--timeout", "10m", "--output", "json"], environment: environment)
      let rerun = try await LRTestSupport.runLR(
        ["rerun", "--where", "machine contains \"kiosk\"", "--timeout", "10m", "--output", "json"],
        environment: environment)
      #expect(
        Set(Self.resolved(try Self.lines(rerun.stdout)).keys) == ["kiosk-lobby-02.contoso.com"],
        "\(rerun.stdout)\(rerun.stderr)")
      let runs = try Self.lines(
        try await LRTestSupport.runLR(["runs", "--output", "json"], environment: environment)
          .stdout)
      let rerunID = try #require(runs.first?["id"] as? String)
      #expect(runs.first?["state"] as? String == "interrupted")
      let before = try await Self.submittedMachines(emulator)
      let resumed = try await LRTestSupport.runLR(
        ["resume", rerunID, "--timeout", "10m", "--settle", "0", "--output", "json"],
        environment: environment)
      let names = Set(Self.resolved(try Self.lines(resumed.stdout)).keys)
      #expect(names == ["kiosk-lobby-02.contoso.com"], "\(resumed.stdout)\(resumed.stderr)")
      #expect(try await Self.submittedMachines(emulator) == before)
    }
  }

  @Test(.timeLimit(.minutes(3))) func whereNothingAndUnknownRun() async throws {
    try await Self.withLab { dir, environment, emulator in
      let script = dir.appendingPathComponent("fan.lr")
      try Data((Self.statement + "\n").utf8).write(to: script)
      _ = try await LRTestSupport.runLR(
        ["run", script.path, "--output", "json"], environment: environment)
      let matching = try await LRTestSupport.runLR(
        [
          "rerun", "--where", "machine contains \"0143\" and exit_code == 0", "--dry-run",
          "--output", "json",
        ], environment: environment)
      #expect(matching.status == 0, "\(matching.stdout)\(matching.stderr)")
      let chosen = try Self.lines(matching.stdout)
      #expect(chosen.map { $0["computerName"] as? String } == ["ws-0143.contoso.com"])
      #expect(chosen.first?["event"] as? String == "rerunMachine")

      // A column of the parsed rows: only ws-0142 runs lsass.exe from C:\Users\Public.
      let byRow = try await LRTestSupport.runLR(
        [
          "rerun", "--where", "CommandLine contains \"Users\\\\Public\"", "--dry-run", "--output",
          "json",
        ],
        environment: environment)
      #expect(byRow.status == 0, "\(byRow.stdout)\(byRow.stderr)")
      #expect(
        try Self.lines(byRow.stdout).map { $0["computerName"] as? String }
          == ["ws-0142.contoso.com"])

      let bad = try await LRTestSupport.runLR(
        ["rerun", "--where", "exit_code ==", "--dry-run"], environment: environment)
      #expect(bad.status == 2, "\(bad.stdout)\(bad.stderr)")

      let unknown = try await LRTestSupport.runLR(
        ["rerun", "--failed", "no-such-run"], environment: environment)
      #expect(unknown.status == 2)
      #expect(unknown.stderr.contains("no run no-such-run"), "\(unknown.stderr)")

      let fine = dir.appendingPathComponent("fine.lr")
      try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(to: fine)
      let ok = try await LRTestSupport.runLR(
        ["run", fine.path, "--output", "json"], environment: environment)
      #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
      let before = try await Self.submittedMachines(emulator)
      let nothing = try await LRTestSupport.runLR(
        ["rerun", "--failed", "--output", "human"], environment: environment)
      #expect(nothing.status == 0, "\(nothing.stdout)\(nothing.stderr)")
      #expect(nothing.stdout.contains("nothing to rerun: no machine failed in run "))
      #expect(try await Self.submittedMachines(emulator) == before)
    }
  }
}
