import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// What `lr login` shows the analyst during device-code sign-in.
public struct DeviceCodePrompt: Sendable, Equatable {
  /// The code to type.
  public var userCode: String
  /// Where to type it.
  public var verificationURI: String
  /// Entra's own sentence ("To sign in, use a web browser to open ...").
  public var message: String
  /// How long the code stays valid.
  public var expiresIn: Duration
}

/// Gets, caches and refreshes access tokens; one sign-in in flight at a time.
///
/// Tokens are refreshed before they expire (when less than a tenth of their lifetime, at most five
/// minutes, is left) and ``invalidate(_:)`` drops a token the API answered 401 to. A sign-in that
/// fails transiently (a connection failure, a 5xx, a 429) is retried with the ``RetryPolicy``'s
/// backoff for its window; Entra's other answers fail at once. An early refresh that fails keeps
/// the cached token in use until it expires, and is tried again after a short backoff.
public actor TokenProvider {
  private struct CachedToken {
    var value: Secret
    var expiresAt: ContinuousClock.Instant
    var refreshAt: ContinuousClock.Instant
  }

  /// The sign-in in flight, shared by every caller that needs it.
  private struct Flight {
    var task: Task<CachedToken, any Error>
    /// One attempt to refresh a token that is still valid (not retried).
    var earlyRefresh: Bool
    /// Callers waiting for it, and how many of them were cancelled.
    var waiting = 0
    var abandoned = 0
  }

  private let settings: ConnectionSettings
  private let http: HTTPClient
  private let logger: Logger
  private let retry: RetryPolicy
  /// Where retries are reported (the API's budget, whose events every front end shows).
  private let budget: (any RequestBudget)?
  private var cached: CachedToken?
  private var inFlight: Flight?
  /// Early refreshes of the cached token that failed in a row, and when the next may be tried.
  private var failedRefreshes = 0
  private var nextRefreshAttempt: ContinuousClock.Instant?
  private var assertion: ClientAssertion?
  /// How many tokens were fetched from the authority (tests, diagnostics).
  public private(set) var signIns = 0

  /// Creates a provider for the settings' credential, retrying sign-ins as `retry` says and
  /// reporting each retry to `budget` (as ``EndpointClass/signIn``).
  public init(
    settings: ConnectionSettings, http: HTTPClient, logger: Logger,
    retry: RetryPolicy = RetryPolicy(), budget: (any RequestBudget)? = nil
  ) {
    self.settings = settings
    self.http = http
    self.logger = logger
    self.retry = retry
    self.budget = budget
  }

  /// A valid access token, signing in or refreshing when needed.
  public func token() async throws -> Secret {
    let now = ContinuousClock.now
    if let cached, now < cached.refreshAt { return cached.value }
    if let cached, now < cached.expiresAt {
      if inFlight != nil || now < (nextRefreshAttempt ?? now) { return cached.value }
      return try await refreshEarly(cached)
    }
    return try await signIn().value
  }

  /// One refresh attempt while `current` is still valid: the new token or, when the attempt
  /// fails, `current` (the next attempt waits a backoff, never past its expiry).
  private func refreshEarly(_ current: CachedToken) async throws -> Secret {
    switch await run(earlyRefresh: true) {
    case .success(let fresh):
      return fresh.value
    case .failure(let error):
      failedRefreshes += 1
      let wait = retry.delay(afterAttempt: failedRefreshes + 2)
      let now = ContinuousClock.now
      nextRefreshAttempt = min(now + wait, current.expiresAt)
      logger.debug(
        "token refresh failed; the cached token is used until it expires",
        metadata: [
          "error": "\(error)", "retryIn": "\(wait)", "expiresIn": "\(current.expiresAt - now)",
        ])
      // A 401 may have dropped the cached token meanwhile.
      guard let cached, ContinuousClock.now < cached.expiresAt else {
        return try await signIn().value
      }
      return cached.value
    }
  }

  /// A new token: joins the sign-in in flight, or signs in (retrying transient failures).
  private func signIn() async throws -> CachedToken {
    while let flight = inFlight {
      if !flight.earlyRefresh { return try await join(flight.task) }
      if let token = try? await join(flight.task) { return token }
      if Task.isCancelled { throw DefenderClientError(.cancelled, "cancelled while signing in") }
      // That refresh attempt failed: sign in with retries (unless someone already is).
      if inFlight?.task == flight.task { inFlight = nil }
    }
    return try await run(earlyRefresh: false).get()
  }

  /// Starts a sign-in (one attempt, or retrying), waits for it, and caches its token.
  private func run(earlyRefresh: Bool) async -> Result<CachedToken, any Error> {
    let task = Task {
      earlyRefresh ? try await self.fetch() : try await self.fetchRetrying()
    }
    inFlight = Flight(task: task, earlyRefresh: earlyRefresh)
    let result: Result<CachedToken, any Error>
    do { result = .success(try await join(task)) } catch { result = .failure(error) }
    if inFlight?.task == task { inFlight = nil }
    if case .success(let token) = result {
      cached = token
      failedRefreshes = 0
      nextRefreshAttempt = nil
    }
    return result
  }

  /// Waits for a sign-in in flight; it is cancelled when every caller waiting for it is.
  private func join(_ task: Task<CachedToken, any Error>) async throws -> CachedToken {
    if inFlight?.task == task { inFlight?.waiting += 1 }
    return try await withTaskCancellationHandler {
      try await task.value
    } onCancel: {
      Task { await self.abandon(task) }
    }
  }

  /// A caller waiting for `task` was cancelled: cancels it when no other caller waits for it.
  private func abandon(_ task: Task<CachedToken, any Error>) {
    guard inFlight?.task == task, var flight = inFlight else { return }
    flight.abandoned += 1
    inFlight = flight
    if flight.abandoned >= flight.waiting { task.cancel() }
  }

  /// Signs in, retrying transient failures (connection failures, 5xx, 429 after its
  /// `Retry-After`, capped) with the API's backoff while ``RetryPolicy`` allows; other answers
  /// (Entra's 4xx: a wrong secret, consent missing, …) are thrown at once.
  private func fetchRetrying() async throws -> CachedToken {
    let started = ContinuousClock.now
    var attempt = 0
    while true {
      attempt += 1
      do { return try await fetch() } catch let error as DefenderClientError {
        guard let wait = Self.retryWait(after: error, attempt: attempt, retry: retry) else {
          throw error
        }
        let elapsed = ContinuousClock.now - started
        guard retry.mayRetry(afterAttempt: attempt, elapsed: elapsed, delay: wait) else {
          throw Self.signInGaveUp(error, attempts: attempt, after: elapsed)
        }
        logger.debug(
          "sign-in failed; retrying",
          metadata: ["attempt": "\(attempt)", "retryIn": "\(wait)", "error": "\(error)"])
        await budget?.retrying(
          .signIn, attempt: attempt + 1, delay: wait, cause: Self.retryCause(error))
        do { try await Task.sleep(for: wait) } catch {
          throw DefenderClientError(.cancelled, "cancelled while retrying the sign-in")
        }
      }
    }
  }

  /// How long to wait before retrying a sign-in that failed with `error`, or nil when it is not
  /// transient (retrying a token request is safe: it creates nothing).
  static func retryWait(after error: DefenderClientError, attempt: Int, retry: RetryPolicy)
    -> Duration?
  {
    if error.kind == .transport { return retry.delay(afterAttempt: attempt) }
    guard error.kind == .signIn, let status = error.httpStatus else { return nil }
    if status == 429 { return min(error.retryAfter ?? retry.defaultRetryAfter, retry.maxDelay) }
    let transient = (500...599).contains(status) || error.serviceCode == "temporarily_unavailable"
    return transient ? retry.delay(afterAttempt: attempt) : nil
  }

  /// Why a sign-in is retried, for front ends: `sign-in: cannot reach HOST:PORT (connection
  /// refused)`, `sign-in: the token endpoint answered HTTP 503`.
  static func retryCause(_ error: DefenderClientError) -> String {
    guard error.kind == .signIn, let status = error.httpStatus else {
      return "sign-in: " + error.message
    }
    return "sign-in: the token endpoint answered HTTP \(status)"
  }

  /// A sign-in's last transient failure, saying it was the sign-in that failed and after how
  /// many attempts: a 5xx is `.serviceUnavailable` and a 429 `.rateLimited` (not a credential
  /// problem), a connection failure stays `.transport`.
  static func signInGaveUp(_ error: DefenderClientError, attempts: Int, after elapsed: Duration)
    -> DefenderClientError
  {
    var failure = error
    if error.kind == .signIn, let status = error.httpStatus {
      failure.kind = status == 429 ? .rateLimited : .serviceUnavailable
      failure.message =
        status == 429
        ? "sign-in failed: the token endpoint kept answering HTTP 429 (too many requests)"
        : "sign-in failed: the token endpoint answered HTTP \(status)"
    } else {
      failure.message = "sign-in failed: " + error.message
    }
    return failure.gaveUp(attempts: attempts, after: elapsed)
  }

  /// Forgets `token` (the API answered 401 to it) so the next ``token()`` signs in again.
  public func invalidate(_ token: Secret) {
    if cached?.value == token { cached = nil }
  }

  /// The token endpoint URL for the settings.
  nonisolated var tokenURL: String {
    let base = settings.cloud.authorityBaseURL + "/" + settings.tenantID
    return settings.tokenEndpoint == .v1 && settings.credential != .deviceCode
      ? base + "/oauth2/token" : base + "/oauth2/v2.0/token"
  }

  private func fetch() async throws -> CachedToken {
    var cachedSignIn: CachedSignIn?
    var fields: [(String, String)] = [("client_id", settings.clientID)]
    let audience: (String, String) =
      settings.tokenEndpoint == .v1
      ? ("resource", settings.cloud.resource) : ("scope", settings.cloud.scope)
    switch settings.credential {
    case .secret(let secret):
      fields += [
        ("grant_type", "client_credentials"), audience, ("client_secret", secret.revealed),
      ]
    case .certificate(let path):
      if assertion == nil { assertion = try ClientAssertion(pemFile: path) }
      guard let assertion else { throw DefenderClientError.configuration("no certificate") }
      let jwt = try assertion.assertion(clientID: settings.clientID, audience: tokenURL)
      fields += [
        ("grant_type", "client_credentials"), audience,
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", jwt),
      ]
    case .deviceCode:
      let store = RefreshTokenStore(settings: settings)
      cachedSignIn = try store.load()
      guard let refresh = cachedSignIn?.refreshToken else {
        if let access = cachedSignIn?.accessToken, let expiresAt = cachedSignIn?.expiresAt {
          let left = expiresAt - Date().timeIntervalSince1970
          if left > 5 {
            let now = ContinuousClock.now
            let lifetime = Duration.milliseconds(Int64(left * 1000))
            return CachedToken(
              value: access, expiresAt: now + lifetime,
              refreshAt: now + lifetime * 0.9)
          }
        }
        throw DefenderClientError.signIn(
          "not signed in for tenant \(settings.tenantID) (or the sign-in expired): run `lr login` (device-code sign-in)"
        )
      }
      fields += [
        ("grant_type", "refresh_token"), ("refresh_token", refresh.revealed),
        ("scope", settings.cloud.scope + " offline_access"),
      ]
    }
    let answer = try await postForm(tokenURL, fields)
    if settings.credential == .deviceCode {
      // An answer without a new refresh token leaves the one we hold valid: keep it.
      try RefreshTokenStore(settings: settings).save(
        CachedSignIn(
          refreshToken: answer.refreshToken ?? cachedSignIn?.refreshToken,
          accessToken: answer.token.value,
          expiresAt: Date().timeIntervalSince1970 + answer.lifetime.seconds))
    }
    return answer.token
  }

  private struct TokenAnswer {
    var token: CachedToken
    var refreshToken: Secret?
    var lifetime: Duration
  }

  private struct TokenBody: Decodable {
    var accessToken: String
    var expiresIn: Double?
    var refreshToken: String?
    enum CodingKeys: String, CodingKey {
      case accessToken = "access_token"
      case expiresIn = "expires_in"
      case refreshToken = "refresh_token"
    }
    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      accessToken = try c.decode(String.self, forKey: .accessToken)
      expiresIn = c.lossyInt(.expiresIn).map(Double.init)
      refreshToken = c.lossyString(.refreshToken)
    }
  }

  private func postForm(_ url: String, _ fields: [(String, String)]) async throws -> TokenAnswer {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
    request.headers.add(name: "Accept", value: "application/json")
    request.body = .bytes(ByteBuffer(string: DefenderHTTP.formEncoded(fields)))
    logger.debug("sign-in request", metadata: ["url": "\(url)", "client": "\(settings.clientID)"])
    let response = try await http.bufferedExecute(
      request, timeout: .seconds(30), setting: TransportFailure.authoritySetting)
    logger.debug("sign-in answer", metadata: ["status": "\(response.status)"])
    guard response.status == 200 else {
      let body = try? JSONDecoder().decode(EntraErrorBody.self, from: response.data)
      var error = EntraErrorExplainer.error(
        status: response.status, body: body, tenant: settings.tenantID, clientID: settings.clientID)
      error.retryAfter = DefenderHTTP.retryAfter(response.headers)
      throw error
    }
    guard let body = try? JSONDecoder().decode(TokenBody.self, from: response.data) else {
      throw DefenderClientError.invalidResponse(
        "the token endpoint answered without an access_token")
    }
    signIns += 1
    let lifetime = Duration.milliseconds(Int64((body.expiresIn ?? 3599) * 1000))
    let margin = min(lifetime / 10, .seconds(300))
    let now = ContinuousClock.now
    return TokenAnswer(
      token: CachedToken(
        value: Secret(body.accessToken), expiresAt: now + lifetime,
        refreshAt: now + lifetime - margin),
      refreshToken: body.refreshToken.map(Secret.init), lifetime: lifetime)
  }

  // MARK: Device code

  private struct DeviceCodeBody: Decodable {
    var deviceCode: String
    var userCode: String
    var verificationURI: String
    var expiresIn: Int
    var interval: Int?
    var message: String?
    enum CodingKeys: String, CodingKey {
      case deviceCode = "device_code"
      case userCode = "user_code"
      case verificationURI = "verification_uri"
      case verificationURL = "verification_url"
      case expiresIn = "expires_in"
      case interval, message
    }
    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      deviceCode = try c.decode(String.self, forKey: .deviceCode)
      userCode = try c.decode(String.self, forKey: .userCode)
      verificationURI = c.lossyString(.verificationURI, .verificationURL) ?? ""
      expiresIn = c.lossyInt(.expiresIn) ?? 900
      interval = c.lossyInt(.interval)
      message = c.lossyString(.message)
    }
  }

  /// Device-code sign-in: shows the prompt, waits for the analyst, caches the refresh token.
  ///
  /// - Parameter prompt: called once with the code to show.
  public func signInWithDeviceCode(prompt: @Sendable (DeviceCodePrompt) -> Void) async throws {
    let base = settings.cloud.authorityBaseURL + "/" + settings.tenantID + "/oauth2/v2.0"
    var request = HTTPClientRequest(url: base + "/devicecode")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
    request.body = .bytes(
      ByteBuffer(
        string: DefenderHTTP.formEncoded([
          ("client_id", settings.clientID), ("scope", settings.cloud.scope + " offline_access"),
        ])))
    let response = try await http.bufferedExecute(
      request, timeout: .seconds(30), setting: TransportFailure.authoritySetting)
    guard response.status == 200,
      let code = try? JSONDecoder().decode(DeviceCodeBody.self, from: response.data)
    else {
      let body = try? JSONDecoder().decode(EntraErrorBody.self, from: response.data)
      throw EntraErrorExplainer.error(
        status: response.status, body: body, tenant: settings.tenantID, clientID: settings.clientID)
    }
    prompt(
      DeviceCodePrompt(
        userCode: code.userCode, verificationURI: code.verificationURI,
        message: code.message
          ?? "To sign in, open \(code.verificationURI) and enter the code \(code.userCode).",
        expiresIn: .seconds(code.expiresIn)))
    var interval = Duration.seconds(max(1, code.interval ?? 5))
    let deadline = ContinuousClock.now + .seconds(code.expiresIn)
    while ContinuousClock.now < deadline {
      try await Task.sleep(for: interval)
      var poll = HTTPClientRequest(url: base + "/token")
      poll.method = .POST
      poll.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
      poll.body = .bytes(
        ByteBuffer(
          string: DefenderHTTP.formEncoded([
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", settings.clientID), ("device_code", code.deviceCode),
          ])))
      let answer = try await http.bufferedExecute(poll, timeout: .seconds(30))
      if answer.status == 200 {
        guard let body = try? JSONDecoder().decode(TokenBody.self, from: answer.data) else {
          throw DefenderClientError.invalidResponse("device-code sign-in answered without a token")
        }
        let lifetime = Duration.seconds(body.expiresIn ?? 3599)
        // Without a refresh token (offline_access not granted) the access token alone is cached
        // and the analyst signs in again when it expires.
        try RefreshTokenStore(settings: settings).save(
          CachedSignIn(
            refreshToken: body.refreshToken.map(Secret.init), accessToken: Secret(body.accessToken),
            expiresAt: Date().timeIntervalSince1970 + lifetime.seconds))
        signIns += 1
        cached = CachedToken(
          value: Secret(body.accessToken), expiresAt: .now + lifetime,
          refreshAt: .now + lifetime - min(lifetime / 10, .seconds(300)))
        return
      }
      let error = try? JSONDecoder().decode(EntraErrorBody.self, from: answer.data)
      switch error?.error {
      case "authorization_pending": continue
      case "slow_down": interval += .seconds(5)
      case "expired_token", "code_expired":
        throw DefenderClientError.signIn(
          "the sign-in code expired before it was used; run `lr login` again")
      case "authorization_declined", "access_denied":
        throw DefenderClientError.signIn("sign-in was declined")
      default:
        throw EntraErrorExplainer.error(
          status: answer.status, body: error, tenant: settings.tenantID, clientID: settings.clientID
        )
      }
    }
    throw DefenderClientError.signIn(
      "the sign-in code expired before it was used; run `lr login` again")
  }
}
