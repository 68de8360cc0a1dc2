import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The typed Defender for Endpoint API client: the only code in lr that speaks HTTP to the service.
///
/// Every call goes through the budget (a ``RequestBudget``: this process's ``RateGovernor`` by
/// default, or a team budget shared by every process on the tenant; calls wait for budget), the ``TokenProvider`` (one
/// transparent retry on 401), and the ``RetryPolicy`` (idempotent calls retry 5xx, resets and
/// timeouts; every call honours 429 `Retry-After`).
public final class DefenderAPI: Sendable {
  /// The resolved settings (no secret is ever printed from them).
  public let settings: ConnectionSettings
  /// The budget keeper; subscribe to its ``RequestBudget/events()`` to show waits.
  public let governor: any RequestBudget
  /// The token source.
  public let tokens: TokenProvider
  /// The retry policy.
  public let retry: RetryPolicy
  let http: HTTPClient
  let logger: Logger
  private let ownsHTTPClient: Bool
  private let skipped = LockedCounter()

  /// Creates a client.
  ///
  /// - Parameters:
  ///   - settings: resolved connection settings.
  ///   - clock: the governor's clock (scale it to match an emulator's time scale).
  ///   - budget: where the budget is kept (nil: a ``RateGovernor`` of this process on `clock`
  ///     and the settings' limits; a given budget brings its own clock).
  ///   - retry: retry and timeout policy.
  ///   - logger: debug logs carry methods, paths and statuses, never tokens, secrets or SAS links.
  ///   - httpClient: an existing client to share; otherwise one is created and shut down by
  ///     ``shutdown()``.
  public init(
    settings: ConnectionSettings, clock: any RateClock = SystemRateClock(),
    retry: RetryPolicy = RetryPolicy(), logger: Logger = Logger(label: "lr.client"),
    httpClient: HTTPClient? = nil, budget: (any RequestBudget)? = nil
  ) {
    self.settings = settings
    self.retry = retry
    self.logger = logger
    if let httpClient {
      http = httpClient
      ownsHTTPClient = false
    } else {
      var configuration = HTTPClient.Configuration()
      configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
      configuration.redirectConfiguration = .disallow
      // A connection that cannot be made fails its request at once, so lr's own retries (with
      // their notices) handle it, and an unknown host or a TLS failure is not retried silently.
      configuration.connectionPool.retryConnectionEstablishment = false
      http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
      ownsHTTPClient = true
    }
    governor = budget ?? RateGovernor(limits: settings.limits, clock: clock)
    tokens = TokenProvider(
      settings: settings, http: http, logger: logger, retry: retry, budget: governor)
  }

  /// Shuts the HTTP client down (when this instance created it).
  public func shutdown() async {
    if ownsHTTPClient { try? await http.shutdown() }
  }

  /// One API request.
  struct Call: Sendable {
    var method: HTTPMethod
    /// A path under the API base (`/api/machines`) or an absolute URL (an `@odata.nextLink`).
    var path: String
    var query: [(String, String)] = []
    var body: ByteBuffer?
    var contentType: String?
    var endpoint: EndpointClass
    /// Whether repeating the call is harmless (GET, DELETE, cancel).
    var idempotent: Bool

    var url: (String) -> String {
      { base in
        var url = path.hasPrefix("http://") || path.hasPrefix("https://") ? path : base + path
        if !query.isEmpty {
          url +=
            (url.contains("?") ? "&" : "?")
            + query.map { "\($0.0)=\(DefenderHTTP.queryValue($0.1))" }.joined(separator: "&")
        }
        return url
      }
    }
  }

  /// Sends a call with budget, sign-in, and retries; returns a 2xx answer or throws a mapped error.
  ///
  /// An absolute URL (an `@odata.nextLink`) is sent only if its scheme, host and port are the API
  /// base URL's: the bearer token never goes to another host.
  func send(_ call: Call) async throws -> BufferedResponse {
    let url = call.url(settings.cloud.apiBaseURL)
    if call.path.hasPrefix("http://") || call.path.hasPrefix("https://") {
      try DefenderHTTP.requireSameOrigin(url, as: settings.cloud.apiBaseURL)
    }
    var attempt = 0
    var throttledAttempts = 0
    var retried401 = false
    let started = ContinuousClock.now
    // Signs in before taking budget: a sign-in retrying through an outage holds no slot.
    _ = try await tokens.token()
    while true {
      attempt += 1
      let slot = try await waitForBudget(call.endpoint)
      let token: Secret
      do { token = try await tokens.token() } catch {
        await governor.completed(call.endpoint, slot: slot)
        throw error
      }
      let request = Self.request(call, url: url, token: token)
      let outcome: Result<BufferedResponse, any Error>
      do {
        outcome = .success(
          try await http.bufferedExecute(
            request, timeout: retry.requestTimeout, setting: TransportFailure.apiSetting))
      } catch {
        outcome = .failure(error)
      }
      await governor.completed(call.endpoint, slot: slot)
      let response: BufferedResponse
      do {
        response = try outcome.get()
      } catch let error as DefenderClientError where error.kind == .transport {
        logger.debug(
          "transport failure",
          metadata: ["method": "\(call.method)", "url": "\(DefenderHTTP.redacted(url))"])
        guard call.idempotent else { throw error }
        try await retryOrThrow(
          error, call.endpoint, attempt: attempt, since: started, cause: error.message)
        continue
      }
      logger.debug(
        "api call",
        metadata: [
          "method": "\(call.method)", "url": "\(DefenderHTTP.redacted(url))",
          "status": "\(response.status)",
        ])
      switch response.status {
      case 200..<300:
        return response
      case 401 where !retried401:
        retried401 = true
        attempt -= 1
        await tokens.invalidate(token)
        continue
      case 429:
        throttledAttempts += 1
        let wait = DefenderHTTP.retryAfter(response.headers) ?? retry.defaultRetryAfter
        await governor.throttled(call.endpoint, retryAfter: wait)
        guard throttledAttempts < retry.maxThrottledAttempts else {
          var error = Self.mapError(response, endpoint: call.endpoint)
          error.retryAfter = wait
          throw error
        }
        attempt -= 1
        continue
      case 500...599 where call.idempotent:
        try await retryOrThrow(
          Self.mapError(response, endpoint: call.endpoint), call.endpoint, attempt: attempt,
          since: started, cause: "the service answered HTTP \(response.status)")
        continue
      case 403:
        throw forbidden(response, endpoint: call.endpoint, token: token)
      default:
        throw Self.mapError(response, endpoint: call.endpoint)
      }
    }
  }

  /// The HTTP request of a call: its method, body and the bearer token.
  static func request(_ call: Call, url: String, token: Secret) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = call.method
    request.headers.add(name: "Authorization", value: "Bearer " + token.revealed)
    request.headers.add(name: "Accept", value: "application/json")
    request.headers.add(name: "User-Agent", value: "lr/0.1 (DefenderClient)")
    if let contentType = call.contentType {
      request.headers.add(name: "Content-Type", value: contentType)
    }
    if let body = call.body { request.body = .bytes(body) }
    return request
  }

  /// A 403, explained with what the access token carried (its permissions and audience).
  private func forbidden(_ response: BufferedResponse, endpoint: EndpointClass, token: Secret)
    -> DefenderClientError
  {
    Self.mapError(
      response, endpoint: endpoint, tokenPermissions: TokenClaims.permissions(in: token),
      clientID: settings.clientID, tokenAudience: TokenClaims.audience(in: token),
      expectedAudience: DeviceRefusalExplainer.expectedAudience(
        apiBaseURL: settings.cloud.apiBaseURL))
  }

  private func waitForBudget(_ endpoint: EndpointClass) async throws -> Duration {
    do {
      return try await governor.acquire(endpoint, awaitsAnswer: true)
    } catch is CancellationError {
      throw DefenderClientError(.cancelled, "cancelled while waiting for API budget")
    }
  }

  /// After an idempotent call's `attempt`-th transient failure: waits the backoff when the
  /// ``RetryPolicy`` allows another attempt (``RetryPolicy/mayRetry(afterAttempt:elapsed:delay:)``),
  /// else throws `error`, saying how many attempts over how long.
  func retryOrThrow(
    _ error: DefenderClientError, _ endpoint: EndpointClass, attempt: Int,
    since started: ContinuousClock.Instant, cause: String
  ) async throws {
    let delay = retry.delay(afterAttempt: attempt)
    let elapsed = ContinuousClock.now - started
    guard retry.mayRetry(afterAttempt: attempt, elapsed: elapsed, delay: delay) else {
      throw error.gaveUp(attempts: attempt, after: elapsed)
    }
    await governor.retrying(endpoint, attempt: attempt + 1, delay: delay, cause: cause)
    do { try await Task.sleep(for: delay) } catch {
      throw DefenderClientError(.cancelled, "cancelled while retrying")
    }
  }

  /// Decodes a JSON body into `T`, or throws an invalid-response error.
  func decode<T: Decodable>(_ type: T.Type, from response: BufferedResponse, what: String) throws
    -> T
  {
    do { return try JSONDecoder().decode(T.self, from: response.data) } catch {
      throw DefenderClientError.invalidResponse("cannot read \(what) from the service: \(error)")
    }
  }

  /// Decodes one page of a collection. Entries that cannot be read are skipped, never silently:
  /// each page with skipped entries logs a warning (shown on stderr) and adds to
  /// ``skippedEntries``.
  func decodePage<T: Decodable & Sendable>(
    _ type: T.Type, from response: BufferedResponse, what: String
  ) throws -> ODataCollection<T> {
    let page = try decode(ODataCollection<T>.self, from: response, what: what)
    if !page.skipped.isEmpty {
      skipped.add(page.skipped.count)
      logger.warning(
        "skipped \(page.skipped.count) of the \(what) the service sent that lr cannot read: \(page.skipped.prefix(3).joined(separator: "; "))\(page.skipped.count > 3 ? "; …" : "")"
      )
    }
    return page
  }

  /// How many collection entries (machines, actions, library files) could not be read and were
  /// skipped since this client was created (each also logged as a warning).
  public var skippedEntries: Int { skipped.value }

  /// Maps a non-2xx answer to a client error with a clear sentence.
  ///
  /// - Parameters:
  ///   - tokenPermissions: for a 403, the `roles`/`scp` the access token carried (nil: unknown).
  ///   - clientID: the app, named when its token carries no permission at all.
  ///   - tokenAudience: for a 403, the access token's `aud` (nil: unknown).
  ///   - expectedAudience: the audience the API host expects.
  static func mapError(
    _ response: BufferedResponse, endpoint: EndpointClass, tokenPermissions: [String]? = nil,
    clientID: String = "", tokenAudience: String? = nil,
    expectedAudience: String = "https://api.securitycenter.microsoft.com"
  ) -> DefenderClientError {
    let body = try? JSONDecoder().decode(ServiceErrorBody.self, from: response.data)
    let code = body?.error.code
    let serviceMessage = body?.error.message ?? ""
    let kind: DefenderClientError.Kind
    var message: String
    switch response.status {
    case 400 where code == "ActiveRequestAlreadyExists":
      kind = .activeRequestAlreadyExists
      message = "a Live Response action is already running on this device"
    case 400:
      kind = .badRequest
      message =
        DeviceRefusalExplainer.badRequest(code: code, serviceMessage: serviceMessage)
        ?? (serviceMessage.isEmpty ? "the service refused the request (HTTP 400)" : serviceMessage)
    case 401:
      kind = .signIn
      message =
        "the service rejected the access token (HTTP 401) even after signing in again; check the app's tenant and that the token audience matches the cloud"
    case 403:
      kind = .permissionDenied
      if code == "DisabledFeature" || code == "DisallowedOperation" {
        message = serviceMessage
      } else if let audience = DeviceRefusalExplainer.forbidden(
        tokenAudience: tokenAudience, expected: expectedAudience, serviceMessage: serviceMessage)
      {
        message = audience
      } else if let permissions = tokenPermissions, permissions.isEmpty {
        message =
          "admin consent is missing: the access token for app \(clientID) carries no permissions (no roles or scopes) for WindowsDefenderATP; add the application permission \(endpoint.permission), grant admin consent, and allow a minute for it to reach new tokens"
        if !serviceMessage.isEmpty { message += " — service said: \(serviceMessage)" }
      } else {
        message =
          "the app lacks permission for \(endpoint.name): grant the application permission \(endpoint.permission) (WindowsDefenderATP) and admin consent"
        if !serviceMessage.isEmpty { message += " — service said: \(serviceMessage)" }
      }
    case 404:
      kind = .notFound
      message = serviceMessage.isEmpty ? "not found (HTTP 404)" : serviceMessage
    case 429:
      kind = .rateLimited
      message = "the service kept answering 429 Too Many Requests for \(endpoint.name)"
    case 500...599:
      kind = .serviceUnavailable
      message =
        "the service failed (HTTP \(response.status))"
        + (serviceMessage.isEmpty ? "" : ": \(serviceMessage)")
    default:
      kind = .badRequest
      message =
        "unexpected HTTP \(response.status)" + (serviceMessage.isEmpty ? "" : ": \(serviceMessage)")
    }
    var error = DefenderClientError(
      kind, message, httpStatus: response.status, serviceCode: code,
      correlationID: body?.error.target)
    error.retryAfter = DefenderHTTP.retryAfter(response.headers)
    return error
  }
}

/// A thread-safe counter (macOS 14 has no `Mutex`).
final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0

  func add(_ amount: Int) {
    lock.lock()
    count += amount
    lock.unlock()
  }

  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}

/// What an access token says it allows, read from its (unverified) payload for error messages.
enum TokenClaims {
  /// The token's `roles` (application) or `scp` (delegated) entries; nil when it is not a JWT.
  static func permissions(in token: Secret) -> [String]? {
    guard let claims = claims(in: token) else { return nil }
    var permissions = (claims["roles"] as? [String]) ?? []
    if let scopes = claims["scp"] as? String {
      permissions += scopes.split(separator: " ").map(String.init)
    }
    return permissions
  }

  /// The token's audience (`aud`); nil when it is not a JWT or has none.
  static func audience(in token: Secret) -> String? {
    claims(in: token)?["aud"] as? String
  }

  /// The (unverified) payload of a JWT.
  private static func claims(in token: Secret) -> [String: Any]? {
    let parts = token.revealed.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(
      of: "_", with: "/")
    while base64.count % 4 != 0 { base64.append("=") }
    guard let data = Data(base64Encoded: base64) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
  }
}
