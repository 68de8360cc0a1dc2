import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// `lr plan` and `lr run`'s pre-flight (issue 15 items 1 and 2) on a fleet with a machine in each
/// state, real `lr` processes against the emulator over loopback HTTP.
@Suite(.serialized) struct PlanCommandTests {
  /// The demo fleet with one machine in each state the pre-flight knows.
  static func scenario() throws -> Scenario {
    var s = try EmulatorFixture.demoScenario()
    func change(_ name: String, _ body: (inout ScenarioMachine) -> Void) {
      guard let i = s.machines.firstIndex(where: { $0.computerDnsName.hasPrefix(name) }) else {
        return
      }
      body(&s.machines[i])
    }
    change("ws-0150") { $0.onboardingStatus = "CanBeOnboarded" }
    change("ws-0143") { $0.platformReportedAfter = 86_400 }
    change("ws-hostile-13") {
      $0.stuckAction = StuckAction(requestor: "soc-bot@contoso.com", comment: "triage")
    }
    if var twin = s.machines.first(where: { $0.computerDnsName.hasPrefix("ws-broken-09") }) {
      twin.id = String(repeating: "d", count: 40)
      s.machines.append(twin)
    }
    return s
  }

  /// The fixture's sign-in plus a state, home and results folder under `dir`.
  static func environment(_ emulator: EmulatorFixture, _ dir: URL) -> [String: String] {
    emulator.environment().merging(
      [
        "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
      ], uniquingKeysWith: { _, new in new })
  }

  static let fleet =
    "on machines [ws-0142, ws-0150, mac-design-01, ws-0143, kiosk-lobby-02, ws-hostile-13, "
    + "ws-broken-09.contoso.com] < run Get-Processes.ps1 >\n"

  /// JSON lines of `output`.
  static func lines(_ output: String) throws -> [[String: Any]] {
    try output.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// The state of each machine line, by short computer name.
  static func states(_ lines: [[String: Any]]) -> [String: String] {
    var states: [String: String] = [:]
    for line in lines {
      guard let name = line["computerName"] as? String, let state = line["state"] as? String
      else { continue }
      states[String(name.split(separator: ".")[0])] = state
    }
    return states
  }

  /// Every state is listed with what explains it, the budget counts only the machines that can
  /// run, and nothing is submitted.
  @Test(.timeLimit(.minutes(2))) func planListsEachStateAndSendsNothing() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("fleet.lr")
    try Data(Self.fleet.utf8).write(to: script)
    try await EmulatorFixture.with(try Self.scenario(), timeScale: 60) { emulator in
      let env = Self.environment(emulator, dir)
      let json = try await LRTestSupport.runLR(
        ["plan", script.path, "--output", "json"], environment: env)
      #expect(json.status == 1, "\(json.stdout)\(json.stderr)")
      let lines = try Self.lines(json.stdout)
      #expect(
        Self.states(lines) == [
          "ws-0142": "ok", "ws-0150": "notOnboarded", "mac-design-01": "platformMismatch",
          "ws-0143": "unknownPlatform", "kiosk-lobby-02": "offline", "ws-hostile-13": "busy",
          "ws-broken-09": "duplicate",
        ], "\(json.stdout)")
      let busy = try #require(lines.first { $0["state"] as? String == "busy" })
      #expect(busy["requestor"] as? String == "soc-bot@contoso.com")
      #expect((busy["actionId"] as? String)?.isEmpty == false)
      #expect(busy["actionStatus"] as? String == "Pending")
      let mac = try #require(lines.first { $0["state"] as? String == "platformMismatch" })
      #expect(mac["platform"] as? String == "macOS")
      #expect(mac["scriptPlatform"] as? String == "Windows")
      let budget = try #require(lines.first { $0["plan"] as? String == "budget" })
      #expect(budget["submissions"] as? Int == 4)
      #expect(budget["blocked"] as? Int == 3)
      #expect(budget["reads"] as? Int == 8)
      let human = try await LRTestSupport.runLR(
        ["plan", script.path, "--output", "human"], environment: env)
      #expect(human.stdout.contains("not onboarded (CanBeOnboarded)"), "\(human.stdout)")
      #expect(human.stdout.contains("by soc-bot@contoso.com"), "\(human.stdout)")
      #expect(human.stdout.contains("budget: 4 submissions"), "\(human.stdout)")
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }

  /// A script name the library does not have (a typo) is a warning with the closest name, not a
  /// surprise on the device; the verdicts and the exit status are the same.
  @Test(.timeLimit(.minutes(2))) func planWarnsOfAScriptNotInTheLibrary() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("typo.lr")
    try Data("on machine ws-0142 < run Get-Process.ps1 >\n".utf8).write(to: script)
    let env = [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600",
    ]
    let plan = try await LRTestSupport.runLR(
      ["plan", script.path, "--lab", "--output", "human"], environment: env)
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    #expect(
      plan.stderr.contains("script `Get-Process.ps1` is not in the library"), "\(plan.stderr)")
    #expect(plan.stderr.contains("`Get-Processes.ps1`"), "\(plan.stderr)")
    #expect(plan.stdout.contains("nothing was sent"), "\(plan.stdout)")
    let known = dir.appendingPathComponent("known.lr")
    try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(to: known)
    let clean = try await LRTestSupport.runLR(
      ["plan", known.path, "--lab", "--output", "human"], environment: env)
    #expect(clean.status == 0)
    #expect(!clean.stderr.contains("not in the library"), "\(clean.stderr)")
  }

  /// `lr run` lists the machines that cannot run, exits 1 and sends nothing; with
  /// `--skip-ineligible` it lists them as skipped and runs the rest.
  @Test(.timeLimit(.minutes(2))) func runRefusesOrSkipsIneligibleMachines() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("three.lr")
    try Data("on machines [ws-0142, ws-0150, mac-design-01] < run Get-Processes.ps1 >\n".utf8)
      .write(to: script)
    try await EmulatorFixture.with(try Self.scenario(), timeScale: 60) { emulator in
      let env = Self.environment(emulator, dir)
      let refused = try await LRTestSupport.runLR(
        ["run", script.path, "--output", "json"], environment: env)
      #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
      let listed = try Self.lines(refused.stdout).filter {
        $0["event"] as? String == "machineIneligible"
      }
      #expect(
        Self.states(listed) == ["ws-0150": "notOnboarded", "mac-design-01": "platformMismatch"])
      #expect(listed.allSatisfy { $0["skipped"] as? Bool == false })
      #expect(try await emulator.stats().actionsCreated == 0)
      let human = try await LRTestSupport.runLR(
        ["run", script.path, "--output", "human"], environment: env)
      #expect(human.status == 1)
      #expect(human.stderr.contains("2 machines cannot run this script"), "\(human.stderr)")
      #expect(try await emulator.stats().actionsCreated == 0)

      let skipped = try await LRTestSupport.runLR(
        ["run", script.path, "--skip-ineligible", "--output", "json"], environment: env)
      #expect(skipped.status == 0, "\(skipped.stdout)\(skipped.stderr)")
      let lines = try Self.lines(skipped.stdout)
      let skips = lines.filter { $0["event"] as? String == "machineIneligible" }
      #expect(skips.count == 2 && skips.allSatisfy { $0["skipped"] as? Bool == true })
      #expect(
        lines.filter { $0["event"] as? String == "resultReady" }.compactMap {
          $0["computerName"] as? String
        } == ["ws-0142.contoso.com"])
      #expect(try await emulator.stats().actionsCreated == 1)
    }
  }

  /// `.plan` in the REPL checks the statement after it live and sends nothing; the statement
  /// after that runs.
  @Test(.timeLimit(.minutes(2))) func replPlanChecksTheNextStatement() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(try Self.scenario(), timeScale: 60) { emulator in
      let config = dir.appendingPathComponent("config.toml")
      try Data("[profiles.plan]\ntenant_id = \"lab\"\nclient_id = \"lr-lab\"\n".utf8).write(
        to: config)
      var env = Self.environment(emulator, dir)
      env["LR_CONFIG"] = config.path
      let input = [
        ".plan", "on machines [ws-0142, ws-0150, mac-design-01] < run Get-Processes.ps1 >",
      ]
      let result = try await LRTestSupport.runLR(
        ["--profile", "plan", "--output", "human"], stdin: input.joined(separator: "\n") + "\n",
        environment: env, currentDirectory: dir)
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      #expect(result.stdout.contains("not onboarded (CanBeOnboarded)"), "\(result.stdout)")
      #expect(result.stdout.contains("platformMismatch"), "\(result.stdout)")
      #expect(result.stdout.contains("budget: 1 submission"), "\(result.stdout)")
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }
}
