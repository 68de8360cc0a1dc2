import Foundation
import LRTestSupport
import Testing

/// One device that refuses Live Response (srv-legacy03: `403 DisallowedOperation`) in a fan-out:
/// that machine fails with the service's message, the others go on, the run exits 1.
@Suite(.serialized) struct RefusingDeviceTests {
  static let statement =
    "on machines [ws-0142, srv-legacy03, ws-broken-09, ws-0143] < run Get-Processes.ps1 >"

  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  static func lines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test(.timeLimit(.minutes(2))) func batchRunGoesOnAndExitsOne() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("fan.lr")
    try Data((Self.statement + "\n").utf8).write(to: script)
    let result = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: environment(dir))
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(!result.stderr.contains("DefenderClientError"), "\(result.stderr)")
    let events = try Self.lines(result.stdout)
    let refused = events.filter { $0["event"] as? String == "actionRefused" }
    #expect(refused.count == 1)
    let refusal = try #require(refused.first)
    #expect(refusal["computerName"] as? String == "srv-legacy03.contoso.com")
    #expect(refusal["code"] as? String == "DisallowedOperation")
    #expect(refusal["httpStatus"] as? Int == 403)
    #expect(refusal["status"] as? String == "Failed")
    let message = try #require(refusal["message"] as? String)
    #expect(!message.isEmpty && !message.contains("DefenderClientError"), "\(message)")
    // The others went on: two results, and ws-broken-09's script failure.
    let results = events.filter { $0["event"] as? String == "resultReady" }
    #expect(
      Set(results.compactMap { $0["computerName"] as? String })
        == ["ws-0142.contoso.com", "ws-0143.contoso.com"])
    #expect(
      events.contains {
        $0["event"] as? String == "commandFailed"
          && $0["computerName"] as? String == "ws-broken-09.contoso.com"
      })
    // Every actionFinished status is one of the service's values, with a real action id.
    for finished in events where finished["event"] as? String == "actionFinished" {
      #expect(
        ["Succeeded", "Failed", "TimeOut", "Cancelled"].contains(
          finished["status"] as? String ?? ""))
      #expect((finished["actionId"] as? String ?? "").count > 8)
    }
    let last = try #require(events.last)
    #expect(last["event"] as? String == "runFinished")
    #expect(last["state"] as? String == "finished")
    #expect(last["succeeded"] as? Int == 2)
    #expect(last["failed"] as? Int == 2)
    #expect(last["pending"] as? Int == 0)
    #expect(last["exitStatus"] as? Int == 1)

    // Journaled as finished, with the refusal in the manifest; nothing left to resume.
    let runs = try Self.lines(
      try await LRTestSupport.runLR(["runs", "--output", "json"], environment: environment(dir))
        .stdout)
    #expect(runs.first?["state"] as? String == "finished")
    let id = try #require(runs.first?["id"] as? String)
    let manifestURL = dir.appendingPathComponent("results/\(id)/manifest.json")
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    let actions = try #require(manifest["actions"] as? [[String: Any]])
    #expect(actions.count == 4)
    let legacy = try #require(
      actions.first { $0["computerName"] as? String == "srv-legacy03.contoso.com" })
    #expect(legacy["status"] as? String == "Failed")
    #expect(legacy["actionID"] == nil)
    #expect((legacy["error"] as? String) == message)
    let audit = try String(
      contentsOf: dir.appendingPathComponent("state/lr/audit.jsonl"), encoding: .utf8)
    #expect(audit.contains("\"event\":\"action.refused\""))
  }

  @Test(.timeLimit(.minutes(2))) func humanOutputShowsTheRefusal() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("fan.lr")
    try Data((Self.statement + "\n").utf8).write(to: script)
    let result = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "human"], environment: environment(dir))
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("srv-legacy03.contoso.com: refused: "))
    #expect(result.stdout.contains("[DisallowedOperation]"))
    #expect(result.stdout.contains("ws-0143.contoso.com: [1] exit code 0"))
    #expect(result.stdout.contains("2 succeeded, 2 failed"))
    #expect(!result.stdout.contains("DefenderClientError"))
  }

  /// In the REPL the statement shows each machine, and ws-0142 is free for the next statement
  /// (before the fix the job failed with no results and ws-0142 stayed "device busy").
  @Test(.timeLimit(.minutes(2))) func replGoesOnAndReleasesTheDevice() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try await LRTestSupport.runLR(
      ["--lab", "--output", "human"],
      stdin: Self.statement + "\non machine ws-0142 < run Get-Services.ps1 >\n",
      environment: environment(dir), currentDirectory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let out = result.stdout
    #expect(out.contains("[1] srv-legacy03.contoso.com  refused: "), "\(out)")
    #expect(out.contains("DisallowedOperation"))
    #expect(!out.contains("DefenderClientError"))
    #expect(out.contains("[1] ws-0143.contoso.com  #1 run Get-Processes.ps1  Completed"), "\(out)")
    #expect(out.contains("[2] ws-0142.contoso.com  #1 run Get-Services.ps1  Completed"), "\(out)")
    #expect(out.contains("[2] done in"), "\(out)")
    #expect(!out.contains("device busy"), "\(out)")
  }
}
