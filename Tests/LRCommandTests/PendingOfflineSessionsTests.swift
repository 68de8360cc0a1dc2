import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// Issue 15's quirk "`Pending` actions queued for offline devices hold sessions"
/// (microsoft-365-docs#11521: "0 running sessions" and 26 `Pending`, submissions refused), met by
/// a real `lr run` on the emulator, which models it by default
/// (`quirks.pendingOfflineHoldsSession`).
@Suite(.serialized) struct PendingOfflineSessionsTests {
  /// The first 25 machines of the `large` scenario that never come online (every 97th).
  static let offline = (1...25).map { String(format: "host-%05d.large.contoso.com", $0 * 97) }

  /// Another requestor's 25 actions wait for offline devices and hold all 25 sessions. lr counts
  /// them (the cautious policy) and waits for a session instead of submitting into the service's
  /// 429, whose `Retry-After` is the queued actions' expiry (days); once they are cancelled, lr
  /// sees the sessions free and runs. Before, lr submitted, was refused, and waited out the
  /// `Retry-After` until its `--timeout`.
  @Test(.timeLimit(.minutes(3))) func lrWaitsForSessionsHeldByOfflinePendingActions()
    async throws
  {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let large = try #require(Scenario.builtIn("large"))
    #expect(large.quirks.pendingOfflineHoldsSession)
    try await EmulatorFixture.with(
      large, timeScale: 60,
      libraryDirectory: LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")
    ) { emulator in
      let blockers = try await Self.queueOnOfflineDevices(emulator)
      #expect(blockers.count == 25)
      let script = dir.appendingPathComponent("two.lr")
      try Data(
        "on machines [host-00001, host-00002] < run Get-Processes.ps1 >\n".utf8
      ).write(to: script)
      let env = emulator.environment().merging(
        [
          "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
          "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
          "LR_TIME_SCALE": "60",
        ], uniquingKeysWith: { _, new in new })
      let live = try LiveLR(
        ["run", script.path, "--output", "json", "--yes", "--timeout", "30m"], environment: env)
      // lr has resolved its targets and is about to submit while the sessions are held: then
      // the other requestor cancels its actions.
      var events: [[String: Any]] = []
      var iterator = live.events.makeAsyncIterator()
      while let event = await iterator.next() {
        events.append(event.fields)
        if event["event"] as? String == "machinesResolved" { break }
      }
      try await Task.sleep(for: .seconds(3))
      let token = try await emulator.token()
      for id in blockers {
        let reply = try await emulator.post(
          "/api/machineactions/\(id)/cancel", token: token, json: #"{"Comment":"free"}"#)
        #expect(reply.status == 200, "\(reply.text)")
      }
      while let event = await iterator.next() { events.append(event.fields) }
      let status = await live.status()
      let finished = events.last { $0["event"] as? String == "runFinished" }
      #expect(status == 0, "\(events.suffix(4))")
      #expect(finished?["succeeded"] as? Int == 2, "\(finished ?? [:])")
      let stats = try await emulator.stats()
      #expect(stats.throttledBySessions == 0, "lr submitted into full sessions")
      #expect(stats.actionsCreated == 27)
    }
  }

  /// Queues an action on each of 25 offline devices as another requestor; their ids.
  static func queueOnOfflineDevices(_ emulator: EmulatorFixture) async throws -> [String] {
    let token = try await emulator.token()
    let filter = offline.map { "computerDnsName eq '\($0)'" }.joined(separator: " or ")
    let machines = try await emulator.get(
      "/api/machines?$filter="
        + (filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? filter),
      token: token)
    let object = try JSONSerialization.jsonObject(with: Data(machines.body)) as? [String: Any]
    let ids = (object?["value"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    var actions: [String] = []
    let body =
      #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Get-Processes.ps1"}]}],"Comment":"queued by soc-bot"}"#
    for id in ids {
      while true {
        let reply = try await emulator.post(
          "/api/machines/\(id)/runliveresponse", token: token, json: body)
        if reply.status == 429 {
          // The submission budget (10 a minute: a sixth of a second here).
          try await Task.sleep(for: .milliseconds(200))
          continue
        }
        let action = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        guard let actionID = action?["id"] as? String else {
          throw FixtureError("runliveresponse answered \(reply.status): \(reply.text)")
        }
        actions.append(actionID)
        break
      }
    }
    return actions
  }
}
