import DefenderEmulator
import Foundation
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
}
