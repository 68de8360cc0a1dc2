import Foundation
import LRTestSupport
import Testing

/// `lr run` streams that stop before anything is sent (unknown machines, the pre-flight, targets
/// that match no machine) still end with `runFinished`, and a target matching no machine is named.
@Suite(.serialized) struct RunRefusalTests {
  func environment(_ dir: URL) -> [String: String] {
    [
      "HOME": dir.path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  func run(_ text: String, _ extra: [String] = [], in dir: URL) async throws -> (
    status: Int32, stdout: String, stderr: String, events: [[String: Any]]
  ) {
    let url = dir.appendingPathComponent("s.lr")
    try Data(text.utf8).write(to: url)
    let result = try await LRTestSupport.runLR(
      ["run", url.path, "--lab"] + extra, environment: environment(dir))
    let events: [[String: Any]] =
      extra.contains("json")
      ? try result.stdout.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      } : []
    return (result.status, result.stdout, result.stderr, events)
  }

  @Test func anUnknownMachineEndsTheStreamWithRunFinishedRefused() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try await run(
      "on machine NOSUCH-1 < run Get-Processes.ps1 >\n", ["--output", "json"], in: dir)
    #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
    #expect(r.events.first?["event"] as? String == "runStarted")
    let last = try #require(r.events.last)
    #expect(last["event"] as? String == "runFinished", "\(r.stdout)")
    #expect(last["state"] as? String == "refused")
    #expect(last["exitStatus"] as? Int == 2)
    #expect((last["error"] as? String)?.contains("NOSUCH-1") == true)
    #expect(last["run"] as? String == r.events.first?["run"] as? String)
  }

  @Test func aPreflightRefusalEndsWithRunFinishedAndEventComesFirst() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // web-01 is Linux, the script PowerShell.
    let r = try await run(
      "on machines [ws-0142, web-01] < run Get-Processes.ps1 >\n", ["--output", "json"], in: dir)
    #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.contains { $0.hasPrefix(#"{"event":"machineIneligible","#) }, "\(r.stdout)")
    #expect(!lines.contains { $0.contains("machineIneligible") && !$0.hasPrefix(#"{"event""#) })
    #expect(r.events.first?["event"] as? String == "runStarted", "\(r.stdout)")
    let last = try #require(r.events.last)
    #expect(last["event"] as? String == "runFinished", "\(r.stdout)")
    #expect(last["state"] as? String == "refused")
    #expect(last["exitStatus"] as? Int == 1)
  }

  @Test func aDryRunStreamEndsWithRunFinished() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try await run(
      "on machine ws-0142 < run Get-Processes.ps1 >\n", ["--dry-run", "--output", "json"], in: dir)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let last = try #require(r.events.last)
    #expect(last["event"] as? String == "runFinished", "\(r.stdout)")
    #expect(last["state"] as? String == "dryRun")
    #expect(last["exitStatus"] as? Int == 0)
    let human = try await run(
      "on machine ws-0142 < run Get-Processes.ps1 >\n", ["--dry-run", "--output", "human"], in: dir)
    #expect(human.stdout.contains("dry run: nothing was sent or journaled"), "\(human.stdout)")
  }

  @Test func aTagMatchingNoMachineRefusesARunThatWouldDoNothing() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let human = try await run(
      "on tag nosuchtag < run Get-Processes.ps1 >\n", ["--output", "human"], in: dir)
    #expect(human.status == 2, "\(human.stdout)\(human.stderr)")
    #expect(human.stderr.contains(#"tag "nosuchtag" matches no machine"#), "\(human.stderr)")
    let json = try await run(
      "on tag nosuchtag < run Get-Processes.ps1 >\n", ["--output", "json"], in: dir)
    #expect(json.status == 2)
    #expect(json.events.last?["state"] as? String == "refused", "\(json.stdout)")
    #expect((json.events.last?["error"] as? String)?.contains("nosuchtag") == true)
  }

  @Test func aTagMatchingNoMachineBesideOthersIsWarnedAbout() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try await run(
      "on tag nosuchtag < run Get-Processes.ps1 >\non machine ws-0142 < run Get-Processes.ps1 >\n",
      ["--output", "human"], in: dir)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(
      r.stderr.contains(#"lr: warning: statement 1: tag "nosuchtag" matches no machine"#),
      "\(r.stderr)")
  }

  @Test func planFlagsATargetMatchingNoMachine() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("t.lr")
    try Data("on tag nosuchtag < run Get-Processes.ps1 >\n".utf8).write(to: url)
    let human = try await LRTestSupport.runLR(
      ["plan", url.path, "--lab", "--output", "human"], environment: environment(dir))
    #expect(
      human.stdout.contains(#"statement 1: tag "nosuchtag" matches no machine"#),
      "\(human.stdout)\(human.stderr)")
    let json = try await LRTestSupport.runLR(
      ["plan", url.path, "--lab", "--output", "json"], environment: environment(dir))
    #expect(
      json.stdout.contains(#"{"plan":"noMachine","statement":1,"target":"tag \"nosuchtag\""}"#),
      "\(json.stdout)")
  }
}
