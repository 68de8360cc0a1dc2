import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LiveResponse
import NIOCore

/// The Entra ID–like authority: token endpoints (v1 and v2, secret and certificate assertion,
/// device code, refresh token), discovery documents and JWKS.
extension EmulatorService {
  static let deviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code"
  static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

  func identity(_ request: inout Request, segments: [String], context: EmulatorRequestContext)
    async throws -> Response
  {
    let lower = segments.map { $0.lowercased() }
    guard let tenant = segments.first else { throw EmulatorError.generalNotFound }
    let rest = Array(lower.dropFirst())
    let known = isTenant(tenant)
    let base = requestBase(request)

    switch (request.method, rest) {
    case (.get, ["v2.0", ".well-known", "openid-configuration"]),
      (.get, [".well-known", "openid-configuration"]):
      guard known else { return tenantNotFound(tenant) }
      return .json(openIDConfiguration(base: base, tenant: tenant, v2: rest.first == "v2.0"))
    case (.get, ["discovery", "v2.0", "keys"]), (.get, ["discovery", "keys"]):
      return .json(signer.jwks)
    case (.post, ["oauth2", "v2.0", "token"]), (.post, ["oauth2", "token"]):
      guard known else { return tenantNotFound(tenant) }
      let form = try await formFields(&request)
      return await token(form: form, v2: rest.count == 3, base: base)
    case (.post, ["oauth2", "v2.0", "devicecode"]), (.post, ["oauth2", "devicecode"]):
      guard known else { return tenantNotFound(tenant) }
      let form = try await formFields(&request)
      return await deviceCode(form: form, v2: rest.count == 3, base: base)
    default:
      throw EmulatorError.generalNotFound
    }
  }

  private func formFields(_ request: inout Request) async throws -> [String: String] {
    let body = try await request.bodyBytes(limit: 1_048_576)
    var fields: [String: String] = [:]
    for (k, v) in QueryString.parse(String(decoding: body, as: UTF8.self)) { fields[k] = v }
    // Client secret via HTTP Basic (client_secret_basic).
    if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("basic "),
      let decoded = Data(base64Encoded: String(auth.dropFirst(6)))
    {
      let pair = String(decoding: decoded, as: UTF8.self).split(separator: ":", maxSplits: 1)
      if pair.count == 2 {
        fields["client_id"] = fields["client_id"] ?? QueryString.decode(String(pair[0]))
        fields["client_secret"] = fields["client_secret"] ?? QueryString.decode(String(pair[1]))
      }
    }
    return fields
  }

  /// An Entra ID error body: `error`, `error_description`, `error_codes`, `timestamp`,
  /// `trace_id`, `correlation_id`, `error_uri`.
  func entraError(
    _ status: HTTPResponse.Status, _ error: String, _ code: Int, _ description: String,
    base: String = ""
  ) -> Response {
    let trace = UUID().uuidString.lowercased()
    let correlation = UUID().uuidString.lowercased()
    let now = Date()
    let stamp = EntityDate.formatSeconds(now).replacingOccurrences(of: "T", with: " ")
    let full =
      "AADSTS\(code): \(description) Trace ID: \(trace) Correlation ID: \(correlation) Timestamp: \(stamp)"
    return .json(
      .object([
        ("error", .string(error)),
        ("error_description", .string(full)),
        ("error_codes", .array([.number(Int(code))])),
        ("timestamp", .string(stamp)),
        ("trace_id", .string(trace)),
        ("correlation_id", .string(correlation)),
        ("error_uri", .string("\(baseURL)/error?code=\(code)")),
      ]), status: status)
  }

  private func tenantNotFound(_ tenant: String) -> Response {
    entraError(
      .badRequest, "invalid_tenant", 90002,
      "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
    )
  }

  /// The resource a v2 `scope` or v1 `resource` names, or an error response.
  func resource(form: [String: String], v2: Bool, requireDefault: Bool) -> (
    String?, Response?
  ) {
    if v2 {
      guard let scope = form["scope"], !scope.isEmpty else {
        return (
          nil,
          entraError(
            .badRequest, "invalid_request", 900144,
            "The request body must contain the following parameter: 'scope'.")
        )
      }
      let scopes = scope.split(separator: " ").map(String.init)
      let resourceScopes = scopes.filter { $0.contains("/") }
      guard let first = resourceScopes.first else {
        return (
          nil,
          entraError(
            .badRequest, "invalid_scope", 70011,
            "The provided value for the input parameter 'scope' is not valid. The scope \(scope) is not valid."
          )
        )
      }
      if requireDefault, !first.hasSuffix("/.default") {
        return (
          nil,
          entraError(
            .badRequest, "invalid_scope", 1_002_012,
            "The provided value for scope \(scope) is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
          )
        )
      }
      guard let slash = first.range(of: "/", options: .backwards) else { return (nil, nil) }
      let resource = String(first[..<slash.lowerBound])
      guard isAcceptedResource(resource) else {
        return (
          nil,
          entraError(
            .badRequest, "invalid_resource", 500_011,
            "The resource principal named \(resource) was not found in the tenant named \(scenario.tenant). This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."
          )
        )
      }
      return (resource, nil)
    }
    guard let resource = form["resource"], !resource.isEmpty else {
      return (
        nil,
        entraError(
          .badRequest, "invalid_request", 900144,
          "The request body must contain the following parameter: 'resource'.")
      )
    }
    guard isAcceptedResource(resource) else {
      return (
        nil,
        entraError(
          .badRequest, "invalid_resource", 500_011,
          "The resource principal named \(resource) was not found in the tenant named \(scenario.tenant)."
        )
      )
    }
    return (resource, nil)
  }

  private func token(form: [String: String], v2: Bool, base: String) async -> Response {
    guard let grant = form["grant_type"] else {
      return entraError(
        .badRequest, "invalid_request", 900144,
        "The request body must contain the following parameter: 'grant_type'.")
    }
    guard
      let clientId = form["client_id"]
        ?? form["client_assertion"].flatMap({ assertion in
          DecodedJWT(assertion)?.claims["sub"]?.stringValue
        })
    else {
      return entraError(
        .badRequest, "invalid_request", 900144,
        "The request body must contain the following parameter: 'client_id'.")
    }
    guard
      let app = scenario.apps.first(where: { $0.clientId.lowercased() == clientId.lowercased() })
    else {
      return entraError(
        .badRequest, "unauthorized_client", 700_016,
        "Application with identifier '\(clientId)' was not found in the directory '\(scenario.tenant)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
      )
    }
    switch grant {
    case "client_credentials":
      if let failure = authenticateClient(app: app, form: form, base: base) { return failure }
      let (resource, failure) = self.resource(form: form, v2: v2, requireDefault: true)
      if let failure { return failure }
      guard let resource else {
        return entraError(.badRequest, "invalid_scope", 70011, "Invalid scope.")
      }
      return issue(
        app: app, user: nil, resource: resource, v2: v2, base: base)
    case Self.deviceCodeGrant:
      guard let code = form["device_code"] ?? form["code"] else {
        return entraError(
          .badRequest, "invalid_request", 900144,
          "The request body must contain the following parameter: 'device_code'.")
      }
      guard let pending = await state.deviceCode(code), pending.clientId == app.clientId,
        !pending.redeemed
      else {
        return entraError(
          .badRequest, "invalid_grant", 70000,
          "The provided value for the input parameter 'device_code' is not valid.")
      }
      if clock.now() >= pending.expires {
        return entraError(
          .badRequest, "expired_token", 70020,
          "The provided value for the input parameter 'device_code' is not valid. This device code has expired."
        )
      }
      guard let upn = pending.approvedBy,
        let user = scenario.users.first(where: {
          $0.userPrincipalName.lowercased() == upn.lowercased()
        })
      else {
        return entraError(
          .badRequest, "authorization_pending", 70016,
          "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
      }
      await state.redeemDeviceCode(code)
      let refresh =
        code.hasPrefix(Self.offlineDeviceCodePrefix)
        ? makeRefreshToken(app: app, user: user, resource: pending.resource) : nil
      return issue(
        app: app, user: user, resource: pending.resource, v2: v2, base: base,
        refreshToken: refresh)
    case Self.refreshTokenGrant:
      return redeemRefreshToken(form: form, app: app, v2: v2, base: base)
    default:
      return entraError(
        .badRequest, "unsupported_grant_type", 70003,
        "The app requested an unsupported grant type '\(grant)'.")
    }
  }

  /// Checks a client secret or certificate assertion; returns an error response on failure.
  private func authenticateClient(app: ScenarioApp, form: [String: String], base: String)
    -> Response?
  {
    if let assertion = form["client_assertion"] {
      guard form["client_assertion_type"] == Self.assertionType else {
        return entraError(
          .badRequest, "invalid_request", 90029,
          "The client_assertion_type must be \(Self.assertionType).")
      }
      guard let pem = app.certificatePEM, let jwt = DecodedJWT(assertion),
        ClientAssertion.verify(jwt, pem: pem)
      else {
        return entraError(
          .unauthorized, "invalid_client", 700_027,
          "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]"
        )
      }
      // Clients stamp assertions with their own (wall-clock) time, whatever the time scale, so
      // `exp` and `nbf` are checked against real time, allowing Entra's five minutes of skew.
      guard Self.assertionTimesValid(jwt, realNow: Date().timeIntervalSince1970) else {
        return entraError(
          .unauthorized, "invalid_client", 700_024,
          "Client assertion is not within its valid time range.")
      }
      let aud = jwt.claims["aud"]?.stringValue ?? ""
      guard aud.lowercased().contains("/oauth2/") || aud.lowercased().hasPrefix(base.lowercased())
      else {
        return entraError(
          .unauthorized, "invalid_client", 700_021,
          "Client assertion audience claim does not match Realm issuer.")
      }
      return nil
    }
    guard let secret = form["client_secret"] else {
      return entraError(
        .unauthorized, "invalid_client", 7_000_218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
      )
    }
    guard let expected = app.clientSecret, expected == secret else {
      return entraError(
        .unauthorized, "invalid_client", 7_000_215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(app.clientId)'."
      )
    }
    return nil
  }

  /// Clock skew allowed on a client assertion's `exp` and `nbf` (Entra allows five minutes).
  static let assertionSkewSeconds: Double = 300

  /// Whether a client assertion's `exp` (required) and `nbf` (optional) admit `realNow`, wall-clock
  /// seconds since 1970, within ``assertionSkewSeconds``.
  static func assertionTimesValid(_ jwt: DecodedJWT, realNow: Double) -> Bool {
    guard let exp = jwt.number("exp"), exp > realNow - assertionSkewSeconds else { return false }
    if let nbf = jwt.number("nbf"), nbf > realNow + assertionSkewSeconds { return false }
    return true
  }

  /// Issues an access token (application `roles` or delegated `scp`), with `refreshToken` when
  /// given.
  func issue(
    app: ScenarioApp, user: ScenarioUser?, resource: String, v2: Bool, base: String,
    refreshToken: String? = nil
  ) -> Response {
    let lifetime = limits.tokenLifetimeSeconds
    let now = clock.now().timeIntervalSince1970.rounded(.down)
    var claims: [(String, JSONValue)] = [
      ("aud", .string(resource)),
      ("iss", .string("\(base)/\(tenantId)/")),
      ("iat", .number(Int(now))),
      ("nbf", .number(Int(now))),
      ("exp", .number(Int(now + lifetime))),
      ("aio", .string(UUID().uuidString.lowercased())),
      ("app_displayname", .string(app.displayName)),
      ("appid", .string(app.clientId)),
      ("appidacr", .string(user == nil ? "1" : "0")),
      ("idp", .string("\(base)/\(tenantId)/")),
      ("oid", .string(Self.guid(from: "oid:" + (user?.userPrincipalName ?? app.clientId)))),
      ("rh", .string("0.lab")),
      ("sub", .string(Self.guid(from: "sub:" + (user?.userPrincipalName ?? app.clientId)))),
      ("tid", .string(tenantId)),
      ("uti", .string(Base64URL.encode(Array(UUID().uuidString.utf8).prefix(16)))),
      ("ver", .string("1.0")),
    ]
    if let user {
      claims.append(("scp", .string(user.scopes.joined(separator: " "))))
      claims.append(("upn", .string(user.userPrincipalName)))
      claims.append(("unique_name", .string(user.userPrincipalName)))
      claims.append(("name", .string(user.userPrincipalName)))
    } else {
      claims.append(("roles", .array(app.roles.map(JSONValue.string))))
      claims.append(("idtyp", .string("app")))
    }
    guard let token = try? signer.sign(claims: .object(claims)) else {
      return entraError(.internalServerError, "server_error", 50000, "Token signing failed.")
    }
    let realLifetime = max(1, Int(clock.realSeconds(forVirtual: lifetime).rounded(.down)))
    if v2 {
      var members: [(String, JSONValue)] = [
        ("token_type", .string("Bearer")),
        ("expires_in", .number(Int(realLifetime))),
        ("ext_expires_in", .number(Int(realLifetime))),
        ("access_token", .string(token)),
      ]
      if user != nil {
        members.insert(
          ("scope", .string(user?.scopes.map { "\(resource)/\($0)" }.joined(separator: " ") ?? "")),
          at: 1)
      }
      if let refreshToken { members.append(("refresh_token", .string(refreshToken))) }
      return .json(.object(members))
    }
    let realNow = Int(Date().timeIntervalSince1970)
    var members: [(String, JSONValue)] = [
      ("token_type", .string("Bearer")),
      ("expires_in", .string(String(realLifetime))),
      ("ext_expires_in", .string(String(realLifetime))),
      ("expires_on", .string(String(realNow + realLifetime))),
      ("not_before", .string(String(realNow))),
      ("resource", .string(resource)),
      ("access_token", .string(token)),
    ]
    if let refreshToken { members.append(("refresh_token", .string(refreshToken))) }
    return .json(.object(members))
  }

  private func deviceCode(form: [String: String], v2: Bool, base: String) async -> Response {
    guard let clientId = form["client_id"],
      let app = scenario.apps.first(where: { $0.clientId.lowercased() == clientId.lowercased() })
    else {
      return entraError(
        .badRequest, "unauthorized_client", 700_016,
        "Application with identifier '\(form["client_id"] ?? "")' was not found in the directory '\(scenario.tenant)'."
      )
    }
    guard app.allowPublicClient else {
      return entraError(
        .badRequest, "invalid_client", 7_000_218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
      )
    }
    let (resource, failure) = self.resource(form: form, v2: v2, requireDefault: false)
    if let failure { return failure }
    let lifetime: Double = 900
    let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ23456789")
    let userCode = String((0..<9).map { _ in alphabet.randomElement() ?? "X" })
    let deviceCode =
      (Self.wantsRefreshToken(form: form, v2: v2) ? Self.offlineDeviceCodePrefix : "")
      + Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    let now = clock.now()
    await state.addDeviceCode(
      DeviceCodeGrant(
        deviceCode: deviceCode, userCode: userCode, clientId: app.clientId,
        resource: resource ?? "https://api.securitycenter.microsoft.com", created: now,
        expires: now.addingTimeInterval(lifetime)))
    let uri = "\(base)/devicelogin"
    let realExpiry = max(1, Int(clock.realSeconds(forVirtual: lifetime)))
    let interval = max(1, Int(clock.realSeconds(forVirtual: 5).rounded(.up)))
    return .json(
      .object([
        ("user_code", .string(userCode)),
        ("device_code", .string(deviceCode)),
        (v2 ? "verification_uri" : "verification_url", .string(uri)),
        ("expires_in", v2 ? .number(Int(realExpiry)) : .string(String(realExpiry))),
        ("interval", v2 ? .number(Int(interval)) : .string(String(interval))),
        (
          "message",
          .string(
            "To sign in, use a web browser to open the page \(uri) and enter the code \(userCode) to authenticate."
          )
        ),
      ]))
  }

  /// `GET /devicelogin` (a form) and `POST /devicelogin` (`user_code`, `username`).
  func deviceLogin(_ request: inout Request, context: EmulatorRequestContext) async throws
    -> Response
  {
    var message = ""
    if request.method == .post {
      let form = try await formFields(&request)
      let user = form["username"] ?? scenario.users.first?.userPrincipalName ?? ""
      let known = scenario.users.contains { $0.userPrincipalName.lowercased() == user.lowercased() }
      if known, await state.approve(userCode: form["user_code"] ?? "", user: user) {
        message = "<p id=\"result\">Signed in as \(user). You can close this window.</p>"
      } else {
        message = "<p id=\"result\">That code or user was not recognised.</p>"
      }
    }
    let html = """
      <!doctype html><html><head><title>lr lab sign-in</title></head><body>
      <h1>lr lab device sign-in</h1>\(message)
      <form method="post"><label>Code <input name="user_code"></label>
      <label>User <input name="username" value="\(scenario.users.first?.userPrincipalName ?? "")"></label>
      <button type="submit">Sign in</button></form></body></html>
      """
    return Response(
      status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: html)))
  }

  private func openIDConfiguration(base: String, tenant: String, v2: Bool) -> JSONValue {
    let prefix = "\(base)/\(tenantId)"
    let oauth = v2 ? "\(prefix)/oauth2/v2.0" : "\(prefix)/oauth2"
    return .object([
      ("token_endpoint", .string("\(oauth)/token")),
      (
        "token_endpoint_auth_methods_supported",
        .array(
          ["client_secret_post", "private_key_jwt", "client_secret_basic"].map(JSONValue.string))
      ),
      ("jwks_uri", .string(v2 ? "\(prefix)/discovery/v2.0/keys" : "\(prefix)/discovery/keys")),
      (
        "response_modes_supported",
        .array(["query", "fragment", "form_post"].map(JSONValue.string))
      ),
      ("subject_types_supported", .array([.string("pairwise")])),
      ("id_token_signing_alg_values_supported", .array([.string("RS256")])),
      (
        "response_types_supported",
        .array(
          ["code", "id_token", "code id_token", "token id_token", "token"].map(JSONValue.string))
      ),
      (
        "scopes_supported",
        .array(["openid", "profile", "email", "offline_access"].map(JSONValue.string))
      ),
      ("issuer", .string(v2 ? "\(prefix)/v2.0" : "\(prefix)/")),
      ("request_uri_parameter_supported", .bool(false)),
      ("authorization_endpoint", .string("\(oauth)/authorize")),
      ("device_authorization_endpoint", .string("\(oauth)/devicecode")),
      ("http_logout_supported", .bool(true)),
      ("frontchannel_logout_supported", .bool(true)),
      ("end_session_endpoint", .string("\(oauth)/logout")),
      (
        "claims_supported",
        .array(["sub", "iss", "aud", "exp", "iat", "tid", "roles", "scp"].map(JSONValue.string))
      ),
      ("tenant_region_scope", .string("NA")),
      ("cloud_instance_name", .string("microsoftonline.com")),
      ("cloud_graph_host_name", .string("graph.windows.net")),
      ("msgraph_host", .string("graph.microsoft.com")),
      ("rbac_url", .string("https://pas.windows.net")),
    ])
  }

  /// `GET /common/discovery/instance` (MSAL instance discovery). As Entra ID does, the
  /// `tenant_discovery_endpoint` names the tenant of the `authorization_endpoint` being validated
  /// (`common` when none is given), and the v2.0 document for a v2.0 endpoint.
  func instanceDiscovery(_ request: Request) -> Response {
    let base = requestBase(request)
    let host =
      URL(string: base)?.host.map { h in
        URL(string: base)?.port.map { "\(h):\($0)" } ?? h
      } ?? "127.0.0.1"
    let query = Dictionary(
      QueryString.parse(request.uri.query).map { ($0.0, $0.1) }, uniquingKeysWith: { $1 })
    var tenant = "common"
    var v2 = true
    if let endpoint = query["authorization_endpoint"], let url = URL(string: endpoint) {
      let parts = url.path.split(separator: "/").map(String.init)
      if let first = parts.first, !first.isEmpty { tenant = first }
      v2 = parts.contains("v2.0")
    }
    let document =
      v2
      ? "\(base)/\(tenant)/v2.0/.well-known/openid-configuration"
      : "\(base)/\(tenant)/.well-known/openid-configuration"
    return .json(
      .object([
        ("tenant_discovery_endpoint", .string(document)),
        ("api-version", .string(query["api-version"] ?? "1.1")),
        (
          "metadata",
          .array([
            .object([
              ("preferred_network", .string(host)), ("preferred_cache", .string(host)),
              ("aliases", .array([.string(host)])),
            ])
          ])
        ),
      ]))
  }
}
