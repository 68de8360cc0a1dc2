import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

@Suite struct TimeScaleTests {
  @Test func durationsRunFasterAndWaitsAreReal() async throws {
    try await withLab(timeScale: 600) { lab in
      // Token lifetime: 3599 virtual seconds = 5 real seconds.
      let reply = try await lab.form(
        "/lab/oauth2/v2.0/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("scope", "https://api.securitycenter.microsoft.com/.default"),
        ])
      #expect(reply.object["expires_in"] as? Int == 5)
      let token = try #require(reply.object["access_token"] as? String)
      let claims = jwtClaims(token)
      #expect((claims["exp"] as? Int ?? 0) - (claims["iat"] as? Int ?? 0) == 3599)
      // The documented example (3 s check-in, 12 s script, 51 MB GetFile) finishes in real
      // fractions of a second.
      let run = try await lab.post(
        "/api/machines/\(exampleMachine)/runliveresponse", token: token,
        json: LiveResponseTests.exampleBody)
      let id = try #require(run.object["id"] as? String)
      var status = ""
      for _ in 0..<50 {
        status = try await lab.action(id, token: token)["status"] as? String ?? ""
        if status == "Succeeded" { break }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(status == "Succeeded")
      // Timestamps are virtual: the action spans more virtual seconds than real time passed.
      let a = try await lab.action(id, token: token)
      let created = try #require(a["creationDateTimeUtc"] as? String)
      let updated = try #require(a["lastUpdateDateTimeUtc"] as? String)
      #expect(updated > created)
    }
  }

  @Test func clockThroughAdminEndpoint() async throws {
    try await withLab { lab in
      let before = try await lab.admin(.GET, "clock")
      #expect(before.status == 200)
      let after = try await lab.admin(.POST, "clock", json: #"{"advanceSeconds": 86400}"#)
      let now = try #require(after.object["now"] as? String)
      let then = try #require(before.object["now"] as? String)
      #expect(now > then)
      #expect(lab.server.clock.elapsed() >= 86_400)
    }
  }

  @Test func virtualClockArithmetic() {
    let clock = VirtualClock(scale: 100, start: Date(timeIntervalSince1970: 0))
    #expect(clock.realSeconds(forVirtual: 60) == 0.6)
    clock.advance(by: 10)
    #expect(clock.elapsed() >= 10)
    #expect(clock.elapsed() < 20)
  }

  /// Token expiry in real time: 3599 virtual seconds at 1800x is 2 real seconds.
  @Test func tokenExpiresInRealTimeUnderAScale() async throws {
    try await withLab(timeScale: 1800) { lab in
      let reply = try await lab.form(
        "/lab/oauth2/v2.0/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("scope", "https://api.securitycenter.microsoft.com/.default"),
        ])
      let expiresIn = try #require(reply.object["expires_in"] as? Int)
      #expect(expiresIn == 1)
      let token = try #require(reply.object["access_token"] as? String)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      try await Task.sleep(for: .milliseconds(2200))
      let expired = try await lab.get("/api/machines", token: token)
      #expect(expired.status == 401)
      #expect(expired.text.contains("expired"))
    }
  }

  /// Link expiry in real time: 30 virtual minutes at 1000x is 1.8 real seconds.
  @Test func resultLinkExpiresInRealTimeUnderAScale() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.tokenLifetimeSeconds = 30 * 86_400
    try await withLab(scenario, timeScale: 1000) { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "web-01", [("RunScript", [("ScriptName", "processes.sh")])], token: token)
      let id = try #require(run.object["id"] as? String)
      var status = ""
      for _ in 0..<50 where status != "Succeeded" {
        try await Task.sleep(for: .milliseconds(50))
        status = try await lab.action(id, token: token)["status"] as? String ?? ""
      }
      #expect(status == "Succeeded")
      let link = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: token)
      let url = try #require(link.object["value"] as? String)
      #expect(try await lab.send(.GET, url).status == 200)
      try await Task.sleep(for: .milliseconds(2500))
      let expired = try await lab.send(.GET, url)
      #expect(expired.status == 403)
      #expect(expired.text.contains("Signed expiry time"))
    }
  }

  /// Queue expiry in real time: 3 virtual days at 86,400x is 3 real seconds.
  @Test func queuedActionTimesOutInRealTimeUnderAScale() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.limits.tokenLifetimeSeconds = 30 * 86_400
    try await withLab(scenario, timeScale: 86_400) { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "kiosk-lobby-02", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      let id = try #require(run.object["id"] as? String)
      #expect(try await lab.action(id, token: token)["status"] as? String == "Pending")
      try await Task.sleep(for: .milliseconds(1500))
      #expect(try await lab.action(id, token: token)["status"] as? String == "Pending")
      try await Task.sleep(for: .milliseconds(2000))
      let a = try await lab.action(id, token: token)
      #expect(a["status"] as? String == "TimeOut")
      let created = try #require(
        (a["creationDateTimeUtc"] as? String).flatMap(LiveResponseTests.date))
      let updated = try #require(
        (a["lastUpdateDateTimeUtc"] as? String).flatMap(LiveResponseTests.date))
      #expect(abs(updated.timeIntervalSince(created) - 3 * 86_400) < 1)
    }
  }
}
