import Crypto
import Foundation
import Hummingbird
import LiveResponse

/// Refresh tokens for device-code sign-ins and the `refresh_token` grant.
///
/// A refresh token is issued with a device-code token when the sign-in asked for
/// `offline_access` (v2; always on v1), as Entra ID does. It is stateless: `lr-rt.<claims>.<mac>`,
/// the claims (client, user, resource, expiry) MACed with a key only this emulator holds. It is
/// not a JWT, so the API refuses it as a bearer token. Redeeming it issues a new access token and
/// a new refresh token (rotation); it stays valid for 90 virtual days.
extension EmulatorService {
  static let refreshTokenGrant = "refresh_token"
  static let refreshTokenPrefix = "lr-rt."
  /// Entra's default refresh-token inactivity lifetime.
  static let refreshTokenLifetime: TimeInterval = 90 * 86_400
  /// Marks device codes whose sign-in asked for `offline_access`.
  static let offlineDeviceCodePrefix = "o."

  private var refreshKey: SymmetricKey {
    SymmetricKey(
      data: Data(HMAC<SHA256>.authenticationCode(for: Data("refresh-token".utf8), using: linkKey)))
  }

  /// Whether a device-code request's scopes ask for a refresh token (v1 always gets one).
  static func wantsRefreshToken(form: [String: String], v2: Bool) -> Bool {
    guard v2 else { return true }
    let scopes = (form["scope"] ?? "").split(separator: " ").map { $0.lowercased() }
    return scopes.contains("offline_access")
  }

  /// A refresh token for `user` of `app` for `resource`.
  func makeRefreshToken(app: ScenarioApp, user: ScenarioUser, resource: String) -> String {
    let now = clock.now().timeIntervalSince1970.rounded(.down)
    let claims: JSONValue = .object([
      ("cid", .string(app.clientId)), ("upn", .string(user.userPrincipalName)),
      ("res", .string(resource)), ("iat", .number(Int(now))),
      ("exp", .number(Int(now + Self.refreshTokenLifetime))),
      ("jti", .string(UUID().uuidString.lowercased())),
    ])
    let input = Self.refreshTokenPrefix + Base64URL.encode(claims.encoded())
    let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: refreshKey)
    return input + "." + Base64URL.encode(Data(mac))
  }

  /// The claims of a refresh token this emulator issued, or nil when it is not one (or forged).
  private func refreshClaims(_ token: String) -> JSONValue? {
    guard token.hasPrefix(Self.refreshTokenPrefix),
      let dot = token.lastIndex(of: "."), dot > token.startIndex
    else { return nil }
    let input = String(token[..<dot])
    guard let mac = Base64URL.decode(token[token.index(after: dot)...]),
      HMAC<SHA256>.isValidAuthenticationCode(
        mac, authenticating: Data(input.utf8), using: refreshKey),
      let payload = Base64URL.decode(input.dropFirst(Self.refreshTokenPrefix.count)),
      let claims = JSONValue.parse(payload)
    else { return nil }
    return claims
  }

  /// `grant_type=refresh_token`: a new access token (and refresh token) for the signed-in user.
  func redeemRefreshToken(form: [String: String], app: ScenarioApp, v2: Bool, base: String)
    -> Response
  {
    guard let token = form["refresh_token"], !token.isEmpty else {
      return entraError(
        .badRequest, "invalid_request", 900144,
        "The request body must contain the following parameter: 'refresh_token'.")
    }
    guard let claims = refreshClaims(token) else {
      return entraError(
        .badRequest, "invalid_grant", 9_002_313,
        "Invalid request. Request is malformed or invalid. The refresh token is not valid.")
    }
    guard claims["cid"]?.stringValue?.lowercased() == app.clientId.lowercased() else {
      return entraError(
        .badRequest, "invalid_grant", 700_005,
        "Provided Authorization Code is intended to use against other tenant or application.")
    }
    let expires: Double? =
      switch claims["exp"] {
      case .number(let seconds): Double(seconds)
      case .double(let seconds): seconds
      default: nil
      }
    guard let expires, expires > clock.now().timeIntervalSince1970 else {
      return entraError(
        .badRequest, "invalid_grant", 70008,
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."
      )
    }
    guard let upn = claims["upn"]?.stringValue,
      let user = scenario.users.first(where: {
        $0.userPrincipalName.lowercased() == upn.lowercased()
      })
    else {
      return entraError(
        .badRequest, "invalid_grant", 50034,
        "The user account does not exist in the \(scenario.tenant) directory.")
    }
    var resource = claims["res"]?.stringValue ?? "https://api.securitycenter.microsoft.com"
    if form["scope"] != nil || form["resource"] != nil {
      let (requested, failure) = self.resource(form: form, v2: v2, requireDefault: false)
      if let failure { return failure }
      if let requested { resource = requested }
    }
    return issue(
      app: app, user: user, resource: resource, v2: v2, base: base,
      refreshToken: makeRefreshToken(app: app, user: user, resource: resource))
  }
}
