import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

@Suite struct RateLimitTests {
  @Test func liveResponseTenPerMinute() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let machines = try await lab.get(
        "/api/machines?$filter=healthStatus%20eq%20'Active'", token: token
      ).value
        .compactMap { $0["id"] as? String }
      #expect(machines.count >= 11)
      var statuses: [Int] = []
      var last: Lab.Reply?
      for m in machines.prefix(11) {
        let reply = try await lab.run(
          m, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
        statuses.append(reply.status)
        last = reply
      }
      #expect(statuses.prefix(10).allSatisfy { $0 != 429 })
      #expect(statuses.last == 429)
      #expect(last?.errorCode == "TooManyRequests")
      let retry = Int(last?.headers.first(name: "Retry-After") ?? "") ?? 0
      #expect(retry >= 1 && retry <= 60)
      // The window slides on the virtual clock.
      lab.advance(61)
      let after = try await lab.run(
        machines[10], [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      #expect(after.status == 201)
    }
  }

  @Test func otherEndpointsPerMinuteAndPerHour() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.otherPerMinute = 5
    scenario.limits.otherPerHour = 8
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      for _ in 0..<5 { #expect(try await lab.get("/api/machines", token: token).status == 200) }
      let limited = try await lab.get("/api/machines", token: token)
      #expect(limited.status == 429)
      #expect(limited.errorCode == "TooManyRequests")
      #expect(limited.headers.first(name: "Retry-After") != nil)
      lab.advance(61)
      for _ in 0..<3 {
        #expect(try await lab.get("/api/machineactions", token: token).status == 200)
      }
      let hourly = try await lab.get("/api/libraryfiles", token: token)
      #expect(hourly.status == 429)
      let retry = Int(hourly.headers.first(name: "Retry-After") ?? "") ?? 0
      #expect(retry > 60)
      lab.advance(3600)
      #expect(try await lab.get("/api/machines", token: try await lab.token()).status == 200)
      // Token endpoints are not budgeted.
      for _ in 0..<10 { _ = try await lab.token() }
    }
  }

  @Test func concurrentSessionLimit() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.concurrentSessions = 2
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      let sleep = [("RunScript", [("ScriptName", "sleep.ps1"), ("Args", "300")])]
      #expect(try await lab.run("ws-0142", sleep, token: token).status == 201)
      #expect(try await lab.run("ws-0143", sleep, token: token).status == 201)
      let third = try await lab.run("ws-0150", sleep, token: token)
      #expect(third.status == 429)
      #expect(third.errorCode == "TooManyRequests")
      lab.advance(400)
      #expect(try await lab.run("ws-0150", sleep, token: token).status == 201)
    }
  }

  @Test func retryAfterIsInRealSecondsUnderTimeScale() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.otherPerMinute = 1
    try await withLab(scenario, timeScale: 30) { lab in
      let token = try await lab.token()
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      let limited = try await lab.get("/api/machines", token: token)
      #expect(limited.status == 429)
      // A 60-virtual-second window at 30x is at most 2 real seconds.
      let retry = try #require(Int(limited.headers.first(name: "Retry-After") ?? ""))
      #expect(retry >= 1 && retry <= 2)
      try await Task.sleep(for: .seconds(retry))
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  @Test func limitsAdjustableThroughAdmin() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let set = try await lab.admin(.PUT, "limits", json: #"{"otherPerMinute": 2}"#)
      #expect(set.status == 200)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      #expect(try await lab.get("/api/machines", token: token).status == 429)
      #expect(try await lab.admin(.POST, "budgets/reset").status == 204)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  /// A fleet of `online` always-online machines plus `offline` never-online and `later`
  /// online-after-an-hour ones, with the documented limits except runliveresponse per minute.
  static func fleet(online: Int, offline: Int, later: Int) throws -> Scenario {
    var scenario = try #require(Scenario.builtIn("demo"))
    let template = try #require(scenario.machines.first { $0.computerDnsName.hasPrefix("ws-0142") })
    var count = 0
    func machine(_ name: String, _ schedule: OnlineSchedule) -> ScenarioMachine {
      var m = template
      count += 1
      m.id = String(repeating: "f", count: 34) + String(format: "%06x", count)
      m.computerDnsName = name + ".fleet.test"
      m.online = schedule
      m.checkInLatencySeconds = 5
      return m
    }
    scenario.machines =
      (0..<online).map { machine("on-\($0)", .always) }
      + (0..<offline).map { machine("off-\($0)", .offline) }
      + (0..<later).map { machine("later-\($0)", OnlineSchedule(after: 3600)) }
    // Only the per-minute submission budget is raised, so 30 submissions fit in a test.
    scenario.limits.liveResponsePerMinute = 1000
    return scenario
  }

  /// The documented 25 concurrent sessions under the policy where actions queued for offline
  /// devices hold none (`pendingOfflineHoldsSession: false`), and the 429 says (in real seconds)
  /// when the first running session ends.
  @Test func defaultTwentyFiveSessionsCountOnlyOnlineDevices() async throws {
    var scenario = try Self.fleet(online: 27, offline: 3, later: 2)
    scenario.quirks.pendingOfflineHoldsSession = false
    #expect(scenario.limits.concurrentSessions == 25)
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      func sleep(_ seconds: Int) -> [(String, [(String, String)])] {
        [("RunScript", [("ScriptName", "sleep.ps1"), ("Args", String(seconds))])]
      }
      // Queued on offline devices (never, or not for an hour): no session.
      for name in ["off-0", "off-1", "off-2", "later-0", "later-1"] {
        #expect(try await lab.run(name + ".fleet.test", sleep(60), token: token).status == 201)
      }
      // 25 on online devices: the first ends soonest (sleep 100, after 5 s check-in).
      for i in 0..<25 {
        let reply = try await lab.run("on-\(i).fleet.test", sleep(i == 0 ? 100 : 500), token: token)
        #expect(reply.status == 201, "session \(i + 1): \(reply.text)")
      }
      let refused = try await lab.run("on-25.fleet.test", sleep(10), token: token)
      #expect(refused.status == 429)
      #expect(refused.errorCode == "TooManyRequests")
      #expect(refused.text.contains("limit is 25"))
      let retry = try #require(Int(refused.headers.first(name: "Retry-After") ?? ""))
      // 5 s check-in + 0.5 s + 100 s script, less the little time the submissions took.
      #expect(retry >= 100 && retry <= 106, "Retry-After \(retry)")
      let stats = try await lab.admin(.GET, "stats")
      #expect(stats.object["throttledBySessions"] as? Int == 1)
      // Once the first session ends, there is room for one more.
      lab.advance(Double(retry))
      #expect(try await lab.run("on-25.fleet.test", sleep(10), token: token).status == 201)
      #expect(try await lab.run("on-26.fleet.test", sleep(10), token: token).status == 429)
      // An offline device coming online turns its queued action into a running session.
      lab.advance(3600 - Double(retry) + 10)
      let fresh = try await lab.token()
      let list = try await lab.get(
        "/api/machineactions?$filter=status%20eq%20'InProgress'", token: fresh)
      #expect(
        list.value.contains { ($0["computerDnsName"] as? String)?.hasPrefix("later-") == true })
    }
  }

  /// The documented 1,500 calls an hour, with the other defaults: 15 minutes of 100 calls.
  @Test func defaultFifteenHundredPerHour() async throws {
    let scenario = try #require(Scenario.builtIn("demo"))
    #expect(scenario.limits.otherPerHour == 1500)
    #expect(scenario.limits.otherPerMinute == 100)
    try await withLab(scenario) { lab in
      let token = try await lab.token()
      var lastMinute = 0
      for minute in 0..<15 {
        var ok = 0
        for _ in 0..<100 where try await lab.get("/api/libraryfiles", token: token).status == 200 {
          ok += 1
        }
        #expect(ok == 100, "minute \(minute)")
        // The 101st call in a minute is the per-minute limit.
        if minute == 0 {
          let perMinute = try await lab.get("/api/libraryfiles", token: token)
          #expect(perMinute.status == 429)
          let retry = Int(perMinute.headers.first(name: "Retry-After") ?? "") ?? 0
          #expect(retry >= 1 && retry <= 60)
        }
        lastMinute = minute
        lab.advance(61)
      }
      #expect(lastMinute == 14)
      let hourly = try await lab.get("/api/libraryfiles", token: token)
      #expect(hourly.status == 429)
      #expect(hourly.errorCode == "TooManyRequests")
      // The oldest call leaves the hour window about 45 minutes from now.
      let retry = try #require(Int(hourly.headers.first(name: "Retry-After") ?? ""))
      #expect(retry > 60 * 40 && retry <= 3600 - 15 * 61 + 5, "Retry-After \(retry)")
      let stats = try await lab.admin(.GET, "stats")
      #expect(stats.object["throttledByBudget"] as? Int == 2)
      lab.advance(Double(retry))
      #expect(try await lab.get("/api/libraryfiles", token: try await lab.token()).status == 200)
    }
  }
}
