import DefenderEmulator
import Foundation
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
}
