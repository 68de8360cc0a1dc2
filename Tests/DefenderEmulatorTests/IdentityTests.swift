import AsyncHTTPClient
import Crypto
import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing
import _CryptoExtras

@Suite struct IdentityTests {
  @Test(arguments: [
    "https://api.securitycenter.microsoft.com/.default",
    "https://api.security.microsoft.com/.default",
    "https://securitycenter.onmicrosoft.com/windowsatpservice/.default",
    "https://api-gcc.securitycenter.microsoft.us/.default",
    "https://api-gov.securitycenter.microsoft.us/.default",
  ])
  func v2ClientCredentialsForEveryResource(scope: String) async throws {
    try await withLab { lab in
      let reply = try await lab.form(
        "/lab/oauth2/v2.0/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"), ("scope", scope),
        ])
      #expect(reply.status == 200)
      #expect(reply.object["token_type"] as? String == "Bearer")
      #expect(reply.object["expires_in"] as? Int == 3599)
      let token = try #require(reply.object["access_token"] as? String)
      let claims = jwtClaims(token)
      #expect(claims["aud"] as? String == String(scope.dropLast("/.default".count)))
      #expect(claims["tid"] as? String == lab.server.tenantId)
      #expect((claims["roles"] as? [String])?.contains("Machine.LiveResponse") == true)
      let exp = try #require(claims["exp"] as? Int)
      let iat = try #require(claims["iat"] as? Int)
      #expect(exp - iat == 3599)
      // The token works against the API.
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  @Test func emulatorBaseURLIsAnAcceptedResource() async throws {
    try await withLab { lab in
      let token = try await lab.token(scope: lab.base + "/.default")
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  @Test func v1ResourceToken() async throws {
    try await withLab { lab in
      let reply = try await lab.form(
        "/lab/oauth2/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("resource", "https://api.securitycenter.microsoft.com"),
        ])
      #expect(reply.status == 200)
      #expect(reply.object["expires_in"] as? String == "3599")
      #expect(reply.object["resource"] as? String == "https://api.securitycenter.microsoft.com")
      let token = try #require(reply.object["access_token"] as? String)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
    }
  }

  @Test func tenantIdWorksInPath() async throws {
    try await withLab { lab in
      let reply = try await lab.form(
        "/\(lab.server.tenantId)/oauth2/v2.0/token",
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("scope", "https://api.security.microsoft.com/.default"),
        ])
      #expect(reply.status == 200)
    }
  }

  struct EntraCase: Sendable, CustomStringConvertible {
    var description: String
    var path: String
    var fields: [String: String]
    var status: Int
    var error: String
    var code: Int
  }

  static let failures: [EntraCase] = [
    EntraCase(
      description: "wrong secret", path: "/lab/oauth2/v2.0/token",
      fields: [
        "grant_type": "client_credentials", "client_id": "lr-lab", "client_secret": "nope",
        "scope": "https://api.securitycenter.microsoft.com/.default",
      ], status: 401, error: "invalid_client", code: 7_000_215),
    EntraCase(
      description: "unknown client", path: "/lab/oauth2/v2.0/token",
      fields: [
        "grant_type": "client_credentials", "client_id": "who", "client_secret": "x",
        "scope": "https://api.securitycenter.microsoft.com/.default",
      ], status: 400, error: "unauthorized_client", code: 700_016),
    EntraCase(
      description: "unknown tenant", path: "/contoso/oauth2/v2.0/token",
      fields: [
        "grant_type": "client_credentials", "client_id": "lr-lab", "client_secret": "lr-lab-secret",
        "scope": "https://api.securitycenter.microsoft.com/.default",
      ], status: 400, error: "invalid_tenant", code: 90002),
    EntraCase(
      description: "scope without .default", path: "/lab/oauth2/v2.0/token",
      fields: [
        "grant_type": "client_credentials", "client_id": "lr-lab", "client_secret": "lr-lab-secret",
        "scope": "https://api.securitycenter.microsoft.com/Machine.Read.All",
      ], status: 400, error: "invalid_scope", code: 1_002_012),
    EntraCase(
      description: "unknown resource", path: "/lab/oauth2/v2.0/token",
      fields: [
        "grant_type": "client_credentials", "client_id": "lr-lab", "client_secret": "lr-lab-secret",
        "scope": "https://graph.microsoft.com/.default",
      ], status: 400, error: "invalid_resource", code: 500_011),
    EntraCase(
      description: "missing grant type", path: "/lab/oauth2/v2.0/token",
      fields: ["client_id": "lr-lab"], status: 400, error: "invalid_request", code: 900_144),
    EntraCase(
      description: "unsupported grant", path: "/lab/oauth2/v2.0/token",
      fields: ["grant_type": "password", "client_id": "lr-lab"], status: 400,
      error: "unsupported_grant_type", code: 70003),
    EntraCase(
      description: "v1 missing resource", path: "/lab/oauth2/token",
      fields: [
        "grant_type": "client_credentials", "client_id": "lr-lab", "client_secret": "lr-lab-secret",
      ], status: 400, error: "invalid_request", code: 900_144),
  ]

  @Test(arguments: failures)
  func entraErrorBodies(_ c: EntraCase) async throws {
    try await withLab { lab in
      let reply = try await lab.form(
        c.path, c.fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
      #expect(reply.status == c.status)
      #expect(reply.object["error"] as? String == c.error)
      #expect((reply.object["error_codes"] as? [Int]) == [c.code])
      #expect((reply.object["error_description"] as? String)?.hasPrefix("AADSTS\(c.code):") == true)
      #expect(reply.object["trace_id"] is String)
      #expect(reply.object["correlation_id"] is String)
      #expect(reply.object["timestamp"] is String)
    }
  }

  @Test func discoveryDocumentsAndJWKS() async throws {
    try await withLab { lab in
      let v2 = try await lab.get("/lab/v2.0/.well-known/openid-configuration", token: nil)
      #expect(v2.status == 200)
      let tokenEndpoint = try #require(v2.object["token_endpoint"] as? String)
      #expect(tokenEndpoint.hasSuffix("/oauth2/v2.0/token"))
      #expect(v2.object["device_authorization_endpoint"] is String)
      let v1 = try await lab.get("/lab/.well-known/openid-configuration", token: nil)
      #expect((v1.object["token_endpoint"] as? String)?.hasSuffix("/oauth2/token") == true)
      let jwks = try await lab.get(try #require(v2.object["jwks_uri"] as? String), token: nil)
      let keys = try #require(jwks.object["keys"] as? [[String: Any]])
      #expect(keys.first?["kty"] as? String == "RSA")
      let instance = try await lab.get(
        "/common/discovery/instance?api-version=1.1&authorization_endpoint=x", token: nil)
      #expect(instance.object["tenant_discovery_endpoint"] is String)
      // The token endpoint the discovery document names works.
      let reply = try await lab.form(
        tokenEndpoint,
        [
          ("grant_type", "client_credentials"), ("client_id", "lr-lab"),
          ("client_secret", "lr-lab-secret"),
          ("scope", "https://api.securitycenter.microsoft.com/.default"),
        ])
      #expect(reply.status == 200)
    }
  }

  /// A certificate-assertion token request for app `lr-cert`, signed by `signer`, with `nbf` and
  /// `exp` stamped from `issued` (a client's own wall clock) as lr's ClientAssertion does.
  static func assertionRequest(
    _ lab: Lab, signer: _RSA.Signing.PrivateKey, issued: Date = Date(), lifetime: Int = 600
  ) async throws -> Lab.Reply {
    let header = #"{"alg":"RS256","typ":"JWT","x5t":"abc"}"#
    let now = Int(issued.timeIntervalSince1970)
    let claims =
      #"{"aud":"\#(lab.base)/lab/oauth2/v2.0/token","iss":"lr-cert","sub":"lr-cert","jti":"\#(UUID())","nbf":\#(now),"iat":\#(now),"exp":\#(now + lifetime)}"#
    func b64(_ d: Data) -> String {
      d.base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    let input = b64(Data(header.utf8)) + "." + b64(Data(claims.utf8))
    let sig = try signer.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
    return try await lab.form(
      "/lab/oauth2/v2.0/token",
      [
        ("grant_type", "client_credentials"), ("client_id", "lr-cert"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", input + "." + b64(sig.rawRepresentation)),
        ("scope", "https://api.securitycenter.microsoft.com/.default"),
      ])
  }

  /// The demo scenario plus app `lr-cert`, whose certificate key is `key`.
  static func certificateScenario(_ key: _RSA.Signing.PrivateKey) throws -> Scenario {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.apps.append(
      ScenarioApp(
        clientId: "lr-cert", clientSecret: nil, roles: ["Machine.Read.All"],
        certificatePEM: key.publicKey.pemRepresentation))
    return scenario
  }

  @Test func certificateAssertion() async throws {
    let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    try await withLab(try Self.certificateScenario(key)) { lab in
      let good = try await Self.assertionRequest(lab, signer: key)
      #expect(good.status == 200)
      let bad = try await Self.assertionRequest(lab, signer: other)
      #expect(bad.status == 401)
      #expect(bad.object["error"] as? String == "invalid_client")
      #expect((bad.object["error_codes"] as? [Int]) == [700_027])
    }
  }

  /// Assertions carry the client's wall-clock time; under a time scale the virtual clock runs
  /// far ahead of it, and sign-in must still work (the assertion is checked on real time, the
  /// issued token on virtual time).
  @Test func certificateAssertionUnderTimeScale() async throws {
    let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    try await withLab(try Self.certificateScenario(key), timeScale: 60) { lab in
      // As if the server had been running for a day of virtual time (24 real minutes at 60x).
      lab.advance(86_400)
      try await Task.sleep(for: .milliseconds(200))
      let virtualNow = lab.server.clock.now()
      #expect(virtualNow.timeIntervalSince(Date()) > 86_000)
      let good = try await Self.assertionRequest(lab, signer: key)
      #expect(good.status == 200, "\(good.text)")
      let token = try #require(good.object["access_token"] as? String)
      #expect(good.object["expires_in"] as? Int == 59)
      // The token's own times are virtual, and it works against the API.
      let claims = jwtClaims(token)
      let iat = try #require(claims["iat"] as? Int)
      #expect(abs(Double(iat) - virtualNow.timeIntervalSince1970) < 120)
      #expect(try await lab.get("/api/machines", token: token).status == 200)
      // An assertion that expired on the wall clock (beyond the 5-minute skew) is refused…
      let expired = try await Self.assertionRequest(
        lab, signer: key, issued: Date().addingTimeInterval(-1000))
      #expect(expired.status == 401)
      #expect((expired.object["error_codes"] as? [Int]) == [700_024])
      // …and so is one stamped with the virtual clock: not yet valid in real time.
      let virtual = try await Self.assertionRequest(lab, signer: key, issued: virtualNow)
      #expect(virtual.status == 401)
      #expect((virtual.object["error_codes"] as? [Int]) == [700_024])
      // Within the skew both ways is fine.
      let early = try await Self.assertionRequest(
        lab, signer: key, issued: Date().addingTimeInterval(120))
      #expect(early.status == 200)
      let late = try await Self.assertionRequest(
        lab, signer: key, issued: Date().addingTimeInterval(-700))
      #expect(late.status == 200)
    }
  }

  @Test func instanceDiscoveryNamesTheRequestedTenant() async throws {
    try await withLab { lab in
      func discover(_ authorize: String?) async throws -> String {
        var path = "/common/discovery/instance?api-version=1.1"
        if let authorize {
          let encoded =
            authorize.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? authorize
          path += "&authorization_endpoint=\(encoded)"
        }
        let reply = try await lab.get(path, token: nil)
        #expect(reply.status == 200)
        return try #require(reply.object["tenant_discovery_endpoint"] as? String)
      }
      let tenantDocument = try await discover(lab.base + "/lab/oauth2/v2.0/authorize")
      #expect(tenantDocument == lab.base + "/lab/v2.0/.well-known/openid-configuration")
      let common = try await discover(lab.base + "/common/oauth2/v2.0/authorize")
      #expect(common == lab.base + "/common/v2.0/.well-known/openid-configuration")
      let byId = try await discover(lab.base + "/\(lab.server.tenantId)/oauth2/authorize")
      #expect(byId == lab.base + "/\(lab.server.tenantId)/.well-known/openid-configuration")
      #expect(try await discover(nil) == lab.base + "/common/v2.0/.well-known/openid-configuration")
      // The documents it names exist, for `common` and the tenant alike.
      for document in [tenantDocument, common, byId] {
        let reply = try await lab.get(document, token: nil)
        #expect(reply.status == 200, "\(document)")
        #expect(reply.object["token_endpoint"] is String)
      }
    }
  }

  @Test(arguments: [
    "/common/discovery/keys", "/common/discovery/v2.0/keys", "/lab/discovery/keys",
    "/lab/discovery/v2.0/keys",
  ])
  func keysUnderEveryAuthority(path: String) async throws {
    try await withLab { lab in
      let reply = try await lab.get(path, token: nil)
      #expect(reply.status == 200)
      let keys = try #require(reply.object["keys"] as? [[String: Any]], "\(reply.text)")
      #expect(keys.first?["kty"] as? String == "RSA")
      #expect(reply.object["tenant_discovery_endpoint"] == nil)
    }
  }

  @Test func deviceCodeFlow() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.deviceCode = DeviceCodeSettings(autoApproveUser: nil)
    try await withLab(scenario) { lab in
      let start = try await lab.form(
        "/lab/oauth2/v2.0/devicecode",
        [
          ("client_id", "lr-lab"),
          (
            "scope",
            "https://api.securitycenter.microsoft.com/.default offline_access openid profile"
          ),
        ])
      #expect(start.status == 200)
      let deviceCode = try #require(start.object["device_code"] as? String)
      let userCode = try #require(start.object["user_code"] as? String)
      #expect((start.object["verification_uri"] as? String)?.hasSuffix("/devicelogin") == true)
      func poll() async throws -> Lab.Reply {
        try await lab.form(
          "/lab/oauth2/v2.0/token",
          [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", "lr-lab"), ("device_code", deviceCode),
          ])
      }
      let pending = try await poll()
      #expect(pending.status == 400)
      #expect(pending.object["error"] as? String == "authorization_pending")
      let login = try await lab.form(
        "/devicelogin", [("user_code", userCode), ("username", "analyst@lab.contoso.com")])
      #expect(login.text.contains("Signed in as analyst@lab.contoso.com"))
      let done = try await poll()
      #expect(done.status == 200)
      let token = try #require(done.object["access_token"] as? String)
      let claims = jwtClaims(token)
      #expect((claims["scp"] as? String)?.contains("Machine.LiveResponse") == true)
      #expect(claims["upn"] as? String == "analyst@lab.contoso.com")
      let machines = try await lab.get("/api/machines", token: token)
      #expect(machines.status == 200)
      // Actions started with a delegated token name the user.
      let run = try await lab.run(
        exampleMachine, [("RunScript", [("ScriptName", "Get-Processes.ps1")])], token: token)
      #expect(run.status == 201)
      #expect(run.object["requestor"] as? String == "analyst@lab.contoso.com")
      // Redeemed codes cannot be reused.
      #expect(try await poll().object["error"] as? String == "invalid_grant")
    }
  }

  @Test func deviceCodeExpires() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.deviceCode = DeviceCodeSettings(autoApproveUser: nil)
    try await withLab(scenario) { lab in
      let start = try await lab.form(
        "/lab/oauth2/v2.0/devicecode",
        [("client_id", "lr-lab"), ("scope", "https://api.securitycenter.microsoft.com/.default")])
      let deviceCode = try #require(start.object["device_code"] as? String)
      lab.advance(901)
      let reply = try await lab.form(
        "/lab/oauth2/v2.0/token",
        [
          ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", "lr-lab"),
          ("device_code", deviceCode),
        ])
      #expect(reply.object["error"] as? String == "expired_token")
    }
  }

  /// Device-code tokens asked with `offline_access` come with a refresh token; the
  /// `refresh_token` grant redeems it for a new access token (and a rotated refresh token).
  @Test func refreshTokenGrantForDeviceCodeSignIns() async throws {
    var scenario = try #require(Scenario.builtIn("demo"))
    scenario.deviceCode = DeviceCodeSettings(autoApproveUser: nil)
    try await withLab(scenario) { lab in
      func signIn(scope: String) async throws -> Lab.Reply {
        let start = try await lab.form(
          "/lab/oauth2/v2.0/devicecode", [("client_id", "lr-lab"), ("scope", scope)])
        let deviceCode = try #require(start.object["device_code"] as? String)
        let userCode = try #require(start.object["user_code"] as? String)
        _ = try await lab.form(
          "/devicelogin", [("user_code", userCode), ("username", "analyst@lab.contoso.com")])
        return try await lab.form(
          "/lab/oauth2/v2.0/token",
          [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", "lr-lab"), ("device_code", deviceCode),
          ])
      }
      func refresh(_ token: String, client: String = "lr-lab") async throws -> Lab.Reply {
        try await lab.form(
          "/lab/oauth2/v2.0/token",
          [
            ("grant_type", "refresh_token"), ("client_id", client), ("refresh_token", token),
            ("scope", "https://api.securitycenter.microsoft.com/.default offline_access"),
          ])
      }
      // Without offline_access: no refresh token.
      let plain = try await signIn(scope: "https://api.securitycenter.microsoft.com/.default")
      #expect(plain.status == 200)
      #expect(plain.object["refresh_token"] == nil)

      let signedIn = try await signIn(
        scope: "https://api.securitycenter.microsoft.com/.default offline_access")
      #expect(signedIn.status == 200)
      let refreshToken = try #require(signedIn.object["refresh_token"] as? String)
      // A refresh token is not an access token.
      #expect(try await lab.get("/api/machines", token: refreshToken).status == 401)

      let renewed = try await refresh(refreshToken)
      #expect(renewed.status == 200, "\(renewed.text)")
      let access = try #require(renewed.object["access_token"] as? String)
      #expect(access != signedIn.object["access_token"] as? String)
      let claims = jwtClaims(access)
      #expect(claims["upn"] as? String == "analyst@lab.contoso.com")
      #expect((claims["scp"] as? String)?.contains("Machine.LiveResponse") == true)
      #expect(renewed.object["expires_in"] as? Int == 3599)
      #expect(try await lab.get("/api/machines", token: access).status == 200)
      let rotated = try #require(renewed.object["refresh_token"] as? String)
      #expect(rotated != refreshToken)
      #expect(try await refresh(rotated).status == 200)

      // Refused: another app's, forged, missing, and expired refresh tokens.
      let otherApp = try await refresh(rotated, client: "lr-lab-readonly")
      #expect(otherApp.object["error"] as? String == "invalid_grant")
      var forged = Array(rotated)
      forged[forged.count / 2] = forged[forged.count / 2] == "A" ? "B" : "A"
      let tampered = try await refresh(String(forged))
      #expect(tampered.status == 400)
      #expect(tampered.object["error"] as? String == "invalid_grant")
      let missing = try await lab.form(
        "/lab/oauth2/v2.0/token", [("grant_type", "refresh_token"), ("client_id", "lr-lab")])
      #expect(missing.object["error"] as? String == "invalid_request")
      lab.advance(91 * 86_400)
      let expired = try await refresh(rotated)
      #expect(expired.object["error"] as? String == "invalid_grant")
      #expect((expired.object["error_codes"] as? [Int]) == [70008])
    }
  }
}
