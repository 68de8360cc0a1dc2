/// An error from the Defender client core, in the extensible-struct style of `HTTPClientError`.
///
/// Compare kinds with ``kind`` (`error.kind == .notFound`); new kinds can be added without breaking
/// callers because nobody can `switch` over them exhaustively. Messages never contain secrets.
public struct DefenderClientError: Error, Sendable, CustomStringConvertible {
  /// The family an error belongs to; front ends map it to an exit status.
  public struct Kind: Hashable, Sendable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// Bad or unreadable configuration (config file, environment, flags).
    public static let configuration = Kind("configuration")
    /// Sign-in failed: wrong secret, unknown tenant, unknown app, consent missing.
    public static let signIn = Kind("signIn")
    /// The token is valid but the app lacks a permission (HTTP 403).
    public static let permissionDenied = Kind("permissionDenied")
    /// The service answered 404 (unknown machine, action, library file).
    public static let notFound = Kind("notFound")
    /// The service refused the request as malformed (HTTP 400 and friends).
    public static let badRequest = Kind("badRequest")
    /// A Live Response action is already running on the device (`ActiveRequestAlreadyExists`).
    public static let activeRequestAlreadyExists = Kind("activeRequestAlreadyExists")
    /// HTTP 429 that retries could not get past.
    public static let rateLimited = Kind("rateLimited")
    /// A 5xx answer that retries could not get past.
    public static let serviceUnavailable = Kind("serviceUnavailable")
    /// Connection refused, reset or timed out.
    public static let transport = Kind("transport")
    /// The service answered with something the client cannot decode.
    public static let invalidResponse = Kind("invalidResponse")
    /// A result cannot be fetched (no result for this command, link expired too often, truncated).
    public static let resultUnavailable = Kind("resultUnavailable")
    /// Bad input from the caller (file too large, bad library name, ...).
    public static let invalidInput = Kind("invalidInput")
    /// The operation was cancelled.
    public static let cancelled = Kind("cancelled")

    /// The kind's name, e.g. `notFound`.
    public var description: String { name }
  }

  /// The family of this error.
  public var kind: Kind
  /// A human sentence saying what went wrong and, where possible, what to do.
  public var message: String
  /// The HTTP status the service answered, when there was one.
  public var httpStatus: Int?
  /// The service's error code (`ResourceNotFound`, `ActiveRequestAlreadyExists`, `invalid_client`...).
  public var serviceCode: String?
  /// The service's correlation id (`error.target`), to quote to support.
  public var correlationID: String?
  /// How long the service asked us to wait (`Retry-After`).
  public var retryAfter: Duration?
  /// For `activeRequestAlreadyExists`: the id of the action already running on the device.
  public var runningActionID: String?

  /// Creates an error of a kind with a message.
  public init(
    _ kind: Kind, _ message: String, httpStatus: Int? = nil, serviceCode: String? = nil,
    correlationID: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.httpStatus = httpStatus
    self.serviceCode = serviceCode
    self.correlationID = correlationID
  }

  /// What users read: the message, then `[ServiceCode]` (unless the message names it) and the
  /// correlation id; never the type or kind name (compare ``kind`` in code, not this text).
  public var description: String {
    var text = message
    if let serviceCode, !message.contains(serviceCode) { text += " [\(serviceCode)]" }
    if let correlationID { text += " (correlation id \(correlationID))" }
    return text
  }

  /// This error after retries ran out: the message says how many attempts over how long
  /// ("…; gave up after 9 attempts in 61 s").
  func gaveUp(attempts: Int, after elapsed: Duration) -> Self {
    var error = self
    let seconds = Int((Double(elapsed.components.seconds) + 0.5).rounded(.down))
    error.message +=
      "; gave up after \(attempts) attempt\(attempts == 1 ? "" : "s") in \(seconds) s"
    return error
  }

  /// A configuration error.
  public static func configuration(_ message: String) -> Self { .init(.configuration, message) }
  /// A sign-in error.
  public static func signIn(_ message: String, code: String? = nil) -> Self {
    .init(.signIn, message, serviceCode: code)
  }
  /// A caller input error.
  public static func invalidInput(_ message: String) -> Self { .init(.invalidInput, message) }
  /// A transport error (connection refused, reset, timeout).
  public static func transport(_ message: String) -> Self { .init(.transport, message) }
  /// A response that could not be decoded.
  public static func invalidResponse(_ message: String) -> Self { .init(.invalidResponse, message) }
  /// A result that cannot be fetched.
  public static func resultUnavailable(_ message: String) -> Self {
    .init(.resultUnavailable, message)
  }
}
