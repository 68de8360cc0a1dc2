import DefenderClient
import DefenderEmulator
import Foundation
import LRTestSupport
import LiveResponse
import Testing

/// The real service's quirks (issue 15 item 3), each switched on in the emulator's scenario and
/// met by a real `lr` process over loopback HTTP.
@Suite(.serialized) struct ServiceQuirksTests {
  /// The demo fleet with `change` applied to its scenario.
  static func scenario(_ change: (inout Scenario) -> Void) throws -> Scenario {
    var scenario = try EmulatorFixture.demoScenario()
    change(&scenario)
    return scenario
  }

  /// Changes the demo machine whose name starts with `name`.
  static func machine(
    _ name: String, in scenario: inout Scenario, _ change: (inout ScenarioMachine) -> Void
  ) {
    guard let index = scenario.machines.firstIndex(where: { $0.computerDnsName.hasPrefix(name) })
    else { return }
    change(&scenario.machines[index])
  }

  /// The fixture's sign-in plus a state, home and results folder under `dir`.
  static func environment(_ emulator: EmulatorFixture, _ dir: URL) -> [String: String] {
    emulator.environment().merging(
      [
        "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
      ], uniquingKeysWith: { _, new in new })
  }

  /// Runs one statement with `lr run --output json`; its exit status and JSON lines.
  static func run(
    _ statement: String, _ emulator: EmulatorFixture, _ dir: URL, _ extra: [String] = []
  ) async throws -> (result: LRTestSupport.ProcessResult, events: [[String: Any]]) {
    let script = dir.appendingPathComponent("quirk.lr")
    try Data((statement + "\n").utf8).write(to: script)
    let result = try await LRTestSupport.runLR(
      ["run", script.path, "--output", "json"] + extra, environment: environment(emulator, dir))
    let events = try result.stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    return (result, events)
  }

  static func events(_ events: [[String: Any]], _ name: String) -> [[String: Any]] {
    events.filter { $0["event"] as? String == name }
  }

  /// A device that is not onboarded (`400 ClientVersionNotSupported`) and one whose platform the
  /// service does not support (`400 OsPlatformNotSupported`) are refused with sentences that say
  /// so; the third machine runs.
  @Test(.timeLimit(.minutes(2))) func notOnboardedAndUnsupportedPlatformAreRefused() async throws {
    let scenario = try Self.scenario { s in
      Self.machine("ws-0150", in: &s) { $0.onboardingStatus = "CanBeOnboarded" }
      s.quirks.unsupportedPlatforms = ["macOS"]
    }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(scenario, timeScale: 60) { emulator in
      let (result, events) = try await Self.run(
        "on machines [ws-0142, ws-0150, mac-design-01] < run Get-Processes.ps1 >", emulator, dir,
        ["--no-preflight"])
      #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
      let refused = Self.events(events, "actionRefused")
      let notOnboarded = try #require(
        refused.first { $0["computerName"] as? String == "ws-0150.contoso.com" })
      #expect(notOnboarded["code"] as? String == "ClientVersionNotSupported")
      #expect(
        (notOnboarded["message"] as? String)?.contains("not onboarded") == true, "\(notOnboarded)")
      let mac = try #require(
        refused.first { $0["computerName"] as? String == "mac-design-01.contoso.com" })
      #expect(mac["code"] as? String == "OsPlatformNotSupported")
      #expect(
        (mac["message"] as? String)?.contains("platform does not support") == true, "\(mac)")
      #expect(
        Self.events(events, "resultReady").compactMap { $0["computerName"] as? String }
          == ["ws-0142.contoso.com"])
      #expect(try await emulator.stats().actionsCreated == 1)
    }
  }

  /// A newly onboarded device reports `osPlatform: null`: `lr machines` reads it and shows its
  /// platform as unknown, not as an empty cell or as Windows.
  @Test(.timeLimit(.minutes(2))) func platformlessMachineIsUnknown() async throws {
    let scenario = try Self.scenario { s in
      Self.machine("ws-0143", in: &s) { $0.platformReportedAfter = 86_400 }
    }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(scenario, timeScale: 60) { emulator in
      let env = Self.environment(emulator, dir)
      let json = try await LRTestSupport.runLR(
        ["machines", "--output", "json"], environment: env)
      #expect(json.status == 0, "\(json.stderr)")
      let line = try #require(json.stdout.split(separator: "\n").first { $0.contains("ws-0143") })
      #expect(!line.contains("osPlatform"), "\(line)")
      let human = try await LRTestSupport.runLR(
        ["machines", "--output", "human"], environment: env)
      let row = try #require(human.stdout.split(separator: "\n").first { $0.contains("ws-0143") })
      #expect(row.contains("unknown"), "\(row)")
      let api = try emulator.client()
      let machine = try await api.machine("ws-0143.contoso.com")
      #expect(machine.osPlatform == nil)
      #expect(machine.platform == .unknown)
      #expect(try await api.machine("ws-0142.contoso.com").platform == .windows)
      #expect(try await api.machine("web-01.contoso.com").platform == .linux)
    }
  }

  /// The service answers a submission with the device's existing action (another requestor's):
  /// lr does not adopt it, waits for it as for a busy device, and then submits its own.
  @Test(.timeLimit(.minutes(2))) func anotherActionInTheAnswerIsNotAdopted() async throws {
    let scenario = try Self.scenario { $0.quirks.duplicateSubmission = .returnExisting }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(scenario, timeScale: 60) { emulator in
      let api = try emulator.client()
      let other = try await api.runLiveResponse(
        machineID: "ws-0142.contoso.com", commands: [.runScript("sleep.ps1", args: "120")],
        comment: "someone else's", holdSession: false)
      let (result, events) = try await Self.run(
        "on machine ws-0142 < run Get-Processes.ps1 >", emulator, dir)
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      let submitted = Self.events(events, "actionSubmitted").compactMap {
        $0["actionId"] as? String
      }
      #expect(submitted.count == 1)
      #expect(!submitted.contains(other.action.id), "adopted another requestor's action")
      let stats = try await emulator.stats()
      #expect(stats.existingActionsReturned >= 1)
      #expect(stats.actionsCreated == 2)
      let finished = try await api.machineAction(other.action.id)
      #expect(finished.status == .succeeded)
    }
  }

  /// New actions are invisible to list and get for a while: lr neither submits again nor calls
  /// its action lost; it gets the result.
  @Test(.timeLimit(.minutes(2))) func visibilityDelayIsWaitedOut() async throws {
    let scenario = try Self.scenario { $0.quirks.visibilityDelaySeconds = 600 }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(scenario, timeScale: 60) { emulator in
      let (result, events) = try await Self.run(
        "on machine ws-0142 < run Get-Processes.ps1 >", emulator, dir)
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      #expect(Self.events(events, "resultReady").count == 1, "\(result.stdout)")
      #expect(try await emulator.stats().actionsCreated == 1)
      // Not yet visible is not a failure: no polling round failed on it.
      #expect(!result.stdout.contains("polling failed"), "\(result.stdout)")
      #expect(!result.stdout.contains("was not found"), "\(result.stdout)")
    }
  }

  /// A token for the legacy `securitycenter` audience gets 403: lr says which audience the token
  /// had and which one the API expects, and exits 3.
  @Test(.timeLimit(.minutes(2))) func wrongAudienceIsExplained() async throws {
    let legacy = "https://securitycenter.onmicrosoft.com"
    let scenario = try Self.scenario { $0.quirks.rejectedAudiences = [legacy] }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(scenario, timeScale: 60) { emulator in
      var env = Self.environment(emulator, dir)
      env["LR_RESOURCE"] = legacy
      let result = try await LRTestSupport.runLR(["machines"], environment: env)
      #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
      #expect(result.stderr.contains("audience \(legacy)"), "\(result.stderr)")
      #expect(
        result.stderr.contains("expects tokens for https://api.securitycenter.microsoft.com"),
        "\(result.stderr)")
      #expect(result.stderr.contains("not valid for this API"), "\(result.stderr)")
    }
  }

  /// A `Pending` action of another requestor that the device never picks up blocks it: the REPL's
  /// `.cancel ACTION-ID` shows the action and its requestor, asks, and cancels it through the API
  /// only after `y`; then the device runs the next statement.
  @Test(.timeLimit(.minutes(2))) func replCancelsABlockingActionAfterConfirmation() async throws {
    let scenario = try Self.scenario { s in
      Self.machine("ws-0142", in: &s) {
        $0.stuckAction = StuckAction(
          requestor: "soc-automation@contoso.com", comment: "nightly sweep")
      }
    }
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EmulatorFixture.with(scenario, timeScale: 60) { emulator in
      let api = try emulator.client()
      let machine = try await api.machine("ws-0142.contoso.com")
      let stuck = try #require(try await api.runningActions(machineID: machine.id).first)
      #expect(stuck.requestor == "soc-automation@contoso.com")
      let input = [
        ".cancel \(stuck.id)", "n", ".cancel \(stuck.id)", "y",
        "on machine ws-0142 < run Get-Processes.ps1 >",
      ].joined(separator: "\n")
      // The REPL connects to a profile; the fixture's environment says where the emulator is.
      let config = dir.appendingPathComponent("config.toml")
      try Data("[profiles.quirks]\ntenant_id = \"lab\"\nclient_id = \"lr-lab\"\n".utf8).write(
        to: config)
      var env = Self.environment(emulator, dir)
      env["LR_CONFIG"] = config.path
      let result = try await LRTestSupport.runLR(
        ["--profile", "quirks", "--output", "human"], stdin: input + "\n", environment: env,
        currentDirectory: dir)
      let out = result.stdout
      #expect(result.status == 0, "\(out)\(result.stderr)")
      #expect(
        out.contains(
          "action \(stuck.id) on ws-0142.contoso.com: Pending, requested by soc-automation@contoso.com"
        ), "\(out)")
      #expect(out.contains("cancel it through the API? [y/N]"), "\(out)")
      #expect(out.contains("action \(stuck.id) not cancelled"), "\(out)")
      #expect(out.contains("action \(stuck.id): Cancelled"), "\(out)")
      #expect(out.contains("run Get-Processes.ps1  Completed"), "\(out)")
      let cancelled = try await api.machineAction(stuck.id)
      #expect(cancelled.status == .cancelled)
    }
  }
}
