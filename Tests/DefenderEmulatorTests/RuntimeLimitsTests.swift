import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

/// `PUT /_emulator/limits` takes effect everywhere a limit is read, and over-size bodies get the
/// documented error shape.
@Suite struct RuntimeLimitsTests {
  @Test func tokenLifetimeFollowsTheAdminEndpoint() async throws {
    try await withLab { lab in
      #expect(
        try await lab.admin(.PUT, "limits", json: #"{"tokenLifetimeSeconds": 120}"#).status == 200)
      let reply = try await lab.form(
        "/lab/oauth2/v2.0/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("scope", "https://api.securitycenter.microsoft.com/.default"),
        ])
      #expect(reply.object["expires_in"] as? Int == 120)
      let token = try #require(reply.object["access_token"] as? String)
      let claims = jwtClaims(token)
      #expect((claims["exp"] as? Int ?? 0) - (claims["iat"] as? Int ?? 0) == 120)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      lab.advance(121)
      #expect(try await lab.get("/api/machines", token: token).status == 401)
      // v1 tokens too.
      let v1 = try await lab.form(
        "/lab/oauth2/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("resource", "https://api.securitycenter.microsoft.com"),
        ])
      #expect(v1.object["expires_in"] as? String == "120")
    }
  }

  @Test func linkLifetimeFollowsTheAdminEndpoint() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let run = try await lab.run(
        "web-01", [("RunScript", [("ScriptName", "processes.sh")])], token: token)
      let id = try #require(run.object["id"] as? String)
      lab.advance(60)
      #expect(
        try await lab.admin(
          .PUT, "limits", json: #"{"linkLifetimeSeconds": 60, "tokenLifetimeSeconds": 86400}"#
        ).status == 200)
      let fresh = try await lab.token()
      let link = try await lab.get(
        "/api/machineactions/\(id)/GetLiveResponseResultDownloadLink(index=0)", token: fresh)
      let url = try #require(link.object["value"] as? String)
      // `se` is a minute away, not the scenario's 30 minutes.
      let components = try #require(URLComponents(string: url))
      let se = try #require(components.queryItems?.first { $0.name == "se" }?.value)
      let expiry = try #require(ISO8601DateFormatter().date(from: se))
      let remaining = expiry.timeIntervalSince(lab.server.clock.now())
      #expect(remaining > 50 && remaining <= 60)
      #expect(try await lab.send(.GET, url).status == 200)
      lab.advance(61)
      let expired = try await lab.send(.GET, url)
      #expect(expired.status == 403)
      #expect(expired.text.contains("AuthenticationFailed"))
    }
  }

  @Test func libraryUploadsAboveTheOldFixedCap() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let size = 66 * 1_048_576
      #expect(
        try await lab.admin(.PUT, "limits", json: #"{"libraryMaxBytes": 73400320}"#).status == 200)
      let content = [UInt8](repeating: 0x41, count: size)
      let (type, body) = LibraryTests.multipart(fileName: "big.ps1", content: content, fields: [])
      let uploaded = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(uploaded.status == 200, "\(uploaded.text.prefix(300))")
      #expect(uploaded.object["fileName"] as? String == "big.ps1")
      // Lowering the limit applies at once.
      #expect(
        try await lab.admin(.PUT, "limits", json: #"{"libraryMaxBytes": 1048576}"#).status == 200)
      let small = [UInt8](repeating: 0x42, count: 1_048_577)
      let (type2, body2) = LibraryTests.multipart(fileName: "b.ps1", content: small, fields: [])
      let refused = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body2, contentType: type2)
      #expect(refused.status == 400)
      #expect(refused.errorCode == "BadRequest")
      #expect(refused.text.contains("1 MB"))
    }
  }

  /// Over-size bodies are answered in `{"error":{"code","message","target"}}`, not with the HTTP
  /// server's own 413 page.
  @Test func overSizeBodiesGetTheDocumentedErrorShape() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let padding = String(repeating: "x", count: 1_100_000)
      let bigRun =
        #"{"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"C:\\x"}]}],"Comment":""#
        + padding + #""}"#
      let run = try await lab.post(
        "/api/machines/\(exampleMachine)/runliveresponse", token: token, json: bigRun)
      #expect(run.status == 400)
      #expect(run.errorCode == "InvalidRequestBody")
      #expect(UUID(uuidString: Self.target(run) ?? "") != nil)
      let created = try await lab.run(
        "kiosk-lobby-02", [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      let id = try #require(created.object["id"] as? String)
      let cancel = try await lab.post(
        "/api/machineactions/\(id)/cancel", token: token,
        json: #"{"Comment":""# + padding + #""}"#)
      #expect(cancel.status == 400)
      #expect(cancel.errorCode == "InvalidRequestBody")
      #expect(try await lab.action(id, token: token)["status"] as? String == "Pending")
      // Uploads beyond the size limit plus framing: BadRequest, as for a file part over the limit.
      let huge = [UInt8](repeating: 0x41, count: 22 * 1_048_576)
      let (type, body) = LibraryTests.multipart(fileName: "huge.ps1", content: huge, fields: [])
      let upload = try await lab.send(
        .POST, "/api/libraryfiles", token: token, body: body, contentType: type)
      #expect(upload.status == 400)
      #expect(upload.errorCode == "BadRequest")
      #expect(Self.target(upload) != nil)
      // The token endpoint answers in Entra's shape.
      let form = try await lab.form(
        "/lab/oauth2/v2.0/token", [("grant_type", "client_credentials"), ("x", padding)])
      #expect(form.status == 400)
      #expect(form.object["error"] as? String == "invalid_request")
      // The connection and the server are fine afterwards.
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  static func target(_ reply: Lab.Reply) -> String? {
    (reply.object["error"] as? [String: Any])?["target"] as? String
  }
}
