import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// Staged rollout (issue 15 item 2): `lr run --canary/--waves/--stop-if-failed`, a run paused by
/// its breaker, `lr resume` of a paused run and `--abandon`; real `lr` processes against the
/// emulator over loopback HTTP.
@Suite(.serialized) struct RolloutCommandTests {
  /// 100 online Windows machines, `fleet-000` to `fleet-099`: the odd ones (device group
  /// Servers) exit 1 from Get-Processes.ps1, the even ones (Workstations) exit 0.
  static func scenario() throws -> Scenario {
    var s = try EmulatorFixture.demoScenario()
    let template = try #require(s.machines.first { $0.computerDnsName.hasPrefix("ws-0142") })
    s.machines = (0..<100).map { i in
      var m = template
      m.id = String(format: "%040d", i)
      m.computerDnsName = String(format: "fleet-%03d.contoso.com", i)
      m.aadDeviceId = nil
      (m.rbacGroupId, m.rbacGroupName) = i % 2 == 1 ? (20, "Servers") : (101, "Workstations")
      return m
    }
    let failing = stride(from: 1, to: 100, by: 2).map { String(format: "fleet-%03d*", $0) }
    s.scripts.insert(
      ScriptBehaviour(
        script: "Get-Processes.ps1", machines: failing, output: "", errors: "access denied\n",
        exitCode: 1, durationSeconds: 2),
      at: 0)
    s.limits.liveResponsePerMinute = 10_000
    s.limits.concurrentSessions = 1_000
    return s
  }

  static let fleet = "on name 'fleet-*' < run Get-Processes.ps1 >\n"

  /// The fixture's sign-in plus a state, home, results and config folder under `dir`; the config
  /// lifts the client's budget (10 submissions a minute of real time would take the 100-machine
  /// run 10 minutes).
  static func environment(_ emulator: EmulatorFixture, _ dir: URL) throws -> [String: String] {
    let config = dir.appendingPathComponent("config/lr")
    try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
    let file = config.appendingPathComponent("config.toml")
    try Data(
      """
      default_profile = "lab"
      [profiles.lab.limits]
      live_response_per_minute = 10000
      concurrent_sessions = 1000
      api_per_minute = 100000
      api_per_hour = 1000000

      """.utf8
    ).write(to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    return emulator.environment().merging(
      [
        "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
        "XDG_CONFIG_HOME": dir.appendingPathComponent("config").path,
      ], uniquingKeysWith: { _, new in new })
  }

  static func lines(_ output: String) throws -> [[String: Any]] {
    try output.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  static func write(_ text: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent("fleet.lr")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// Validates JSON lines against docs/schema/lr-json.schema.json, each with its definition.
  static func validate(_ definition: String, _ output: String) async throws {
    let root = LRTestSupport.packageRoot
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("lines.tsv")
    let lines = output.split(separator: "\n").map { "\(definition)\t\($0)" }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    let validated = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"),
      [
        root.appendingPathComponent("Tests/pty/python.sh").path,
        root.appendingPathComponent("Tests/schema/validate.py").path,
        root.appendingPathComponent("docs/schema/lr-json.schema.json").path, file.path,
      ])
    #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
  }

  /// The run's state as `lr runs` shows it.
  static func state(of run: String, env: [String: String]) async throws -> String? {
    let runs = try await LRTestSupport.runLR(["runs", "--output", "json"], environment: env)
    return try lines(runs.stdout).first { $0["id"] as? String == run }?["state"] as? String
  }

  /// Bad values are usage errors (exit 2) and nothing is sent.
  @Test(.timeLimit(.minutes(3))) func badValuesExitTwoAndSendNothing() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = try Self.write(Self.fleet, in: dir)
    let one = dir.appendingPathComponent("one.lr")
    try Data("on machine fleet-000 < run Get-Processes.ps1 >\n".utf8).write(to: one)
    try await EmulatorFixture.with(try Self.scenario(), timeScale: 600) { emulator in
      let env = try Self.environment(emulator, dir)
      let cases: [([String], String)] = [
        (["--canary", "0"], "--canary must be at least 1 machine (got 0)"),
        (["--waves", "0%"], "--waves must be more than 0% (got 0%)"),
        (["--stop-if-failed", "150%"], "--stop-if-failed cannot be more than 100% (got 150%)"),
        (["--waves", "ten"], "--waves 'ten' is not a count or a percentage"),
      ]
      for (options, message) in cases {
        let result = try await LRTestSupport.runLR(
          ["run", script, "--yes"] + options, environment: env)
        #expect(result.status == 2, "\(options): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
      }
      let single = try await LRTestSupport.runLR(
        ["run", one.path, "--stop-if-failed", "5%"], environment: env)
      #expect(single.status == 2, "\(single.stdout)\(single.stderr)")
      #expect(
        single.stderr.contains("--stop-if-failed cannot apply to a one-machine run"),
        "\(single.stderr)")
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }

  /// The "Done when": half of a 100-machine fleet fails; `--canary 10 --stop-if-failed
  /// 20%` stops after the canary (10 actions), journaled paused; `lr resume` with nothing changed
  /// pauses again and sends nothing; with a breaker of 51 failures (the fleet has 50) it
  /// finishes the other 90 in waves of 30.
  @Test(.timeLimit(.minutes(5))) func canaryPausesAndResumeContinues() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = try Self.write(Self.fleet, in: dir)
    try await EmulatorFixture.with(try Self.scenario(), timeScale: 600) { emulator in
      let env = try Self.environment(emulator, dir)
      let run = try await LRTestSupport.runLR(
        [
          "run", script, "--yes", "--canary", "10", "--stop-if-failed", "20%", "--output",
          "json",
        ], environment: env)
      #expect(run.status == 5, "\(run.stdout)\(run.stderr)")
      let lines = try Self.lines(run.stdout)
      let paused = try #require(lines.first { $0["event"] as? String == "runPaused" })
      #expect(paused["finished"] as? Int == 10)
      #expect(paused["failed"] as? Int == 5)
      #expect(paused["threshold"] as? String == "20%")
      #expect(paused["remaining"] as? Int == 90)
      #expect(lines.last?["state"] as? String == "paused")
      #expect(lines.last?["exitStatus"] as? Int == 5)
      #expect(try await emulator.stats().actionsCreated == 10)
      let id = try #require(paused["run"] as? String)
      #expect(try await Self.state(of: id, env: env) == "paused")
      try await Self.validate("runEvent", run.stdout)
      let runs = try await LRTestSupport.runLR(["runs", "--output", "json"], environment: env)
      #expect(runs.stdout.contains("\"pauseReason\":\"statement 1: 5 of 10"), "\(runs.stdout)")
      try await Self.validate("runRecord", runs.stdout)

      let again = try await LRTestSupport.runLR(
        ["resume", id, "--yes", "--output", "json"], environment: env)
      #expect(again.status == 5, "\(again.stdout)\(again.stderr)")
      #expect(try await emulator.stats().actionsCreated == 10)

      let resumed = try await LRTestSupport.runLR(
        ["resume", id, "--yes", "--stop-if-failed", "51", "--waves", "30", "--output", "json"],
        environment: env)
      // The scripts' non-zero exits are results, not failed actions: the run exits 0.
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      let finished = try #require(try Self.lines(resumed.stdout).last)
      #expect(finished["state"] as? String == "finished")
      #expect(finished["succeeded"] as? Int == 100)
      #expect(try await emulator.stats().actionsCreated == 100)
      #expect(try await Self.state(of: id, env: env) == "finished")
    }
  }

  /// `lr resume RUN --abandon` ends a paused run with nothing sent; resume then leaves it alone.
  @Test(.timeLimit(.minutes(3))) func abandonEndsAPausedRun() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = try Self.write(Self.fleet, in: dir)
    try await EmulatorFixture.with(try Self.scenario(), timeScale: 600) { emulator in
      let env = try Self.environment(emulator, dir)
      let run = try await LRTestSupport.runLR(
        ["run", script, "--yes", "--canary", "4", "--stop-if-failed", "1", "--output", "human"],
        environment: env)
      #expect(run.status == 5, "\(run.stdout)\(run.stderr)")
      #expect(run.stdout.contains("paused"), "\(run.stdout)")
      let runs = try Self.lines(
        try await LRTestSupport.runLR(["runs", "--output", "json"], environment: env).stdout)
      let id = try #require(runs.first?["id"] as? String)
      let abandoned = try await LRTestSupport.runLR(
        ["resume", id, "--abandon"], environment: env)
      #expect(abandoned.status == 0, "\(abandoned.stderr)")
      #expect(abandoned.stdout.contains("abandoned (was paused)"))
      #expect(try await Self.state(of: id, env: env) == "abandoned")
      let after = try await LRTestSupport.runLR(["resume", id], environment: env)
      #expect(after.stdout.contains("already abandoned"), "\(after.stdout)")
      #expect(try await emulator.stats().actionsCreated == 4)
    }
  }
}
