import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a host could not be reached, read from the HTTP stack's error: a short reason for
/// messages, and whether retrying can help.
///
/// A host name the resolver says does not exist (`EAI_NONAME`: NXDOMAIN, not a temporary
/// resolver failure), a URL the client cannot use, and a TLS handshake that fails (the
/// certificate is not trusted or names another host) are settings to fix: retrying cannot help.
/// Refused, reset and timed-out connections, and a resolver that does not answer, may pass.
struct TransportFailure: Sendable, Equatable {
  /// Whether retrying can help.
  enum Cause: Sendable, Equatable {
    /// A refused, reset or timed-out connection, or a resolver that did not answer.
    case transient
    /// The host name does not exist.
    case unknownHost
    /// The URL cannot be used (no host, an unsupported scheme).
    case invalidURL
    /// The TLS handshake failed (an untrusted certificate, another host's name).
    case certificate
  }

  /// Whether retrying can help.
  var cause: Cause
  /// A few words: `connection refused`, `the host name does not exist`.
  var reason: String

  /// Whether retrying cannot help: the setting naming the host must be fixed.
  var isConfiguration: Bool { cause != .transient }

  /// The settings that name the authority's host, for messages.
  static let authoritySetting =
    "the authority URL (LR_AUTHORITY_URL, --authority-url, the profile's authority_url, or its cloud)"
  /// The settings that name the API's host, for messages.
  static let apiSetting = "the API URL (LR_API_URL, --api-url, the profile's api_url, or its cloud)"

  /// Reads `error`, as thrown by `HTTPClient.execute` or a body read.
  init(_ error: any Error) {
    if let error = error as? HTTPClientError {
      self = Self.client(error)
    } else if let error = error as? NIOConnectionError {
      self = Self.connection(error)
    } else if let error = error as? SocketAddressError.UnknownHost {
      self = Self.unknownHost(error)
    } else if let error = error as? IOError {
      self = Self(cause: .transient, reason: Self.reason(errno: error.errnoCode))
    } else if error is NIOSSLError || error is NIOSSLExtraError {
      self = Self(cause: .certificate, reason: Self.tls(String(describing: error)))
    } else if case .some(.connectTimeout) = error as? ChannelError {
      self = Self(cause: .transient, reason: "the connection timed out")
    } else {
      self = Self(cause: .transient, reason: String(describing: error))
    }
  }

  private init(cause: Cause, reason: String) {
    self.cause = cause
    self.reason = reason
  }

  /// AsyncHTTPClient's own errors.
  private static func client(_ error: HTTPClientError) -> Self {
    switch error {
    case .invalidURL, .emptyHost, .emptyScheme:
      return Self(cause: .invalidURL, reason: "the URL is not valid (\(error))")
    case .connectTimeout:
      return Self(cause: .transient, reason: "the connection timed out")
    case .readTimeout, .deadlineExceeded:
      return Self(cause: .transient, reason: "no answer in time")
    case .remoteConnectionClosed:
      return Self(cause: .transient, reason: "the connection was closed")
    default:
      if String(describing: error).contains("nsupportedScheme") {
        return Self(cause: .invalidURL, reason: "the URL's scheme is not http or https")
      }
      return Self(cause: .transient, reason: String(describing: error))
    }
  }

  /// A failed connection: the name lookup, else the first connection attempt's error.
  private static func connection(_ error: NIOConnectionError) -> Self {
    if let first = error.connectionErrors.first {
      return Self(first.error)
    }
    if let lookup = error.dnsAError ?? error.dnsAAAAError {
      return Self(lookup)
    }
    return Self(cause: .transient, reason: "the connection failed")
  }

  /// A name lookup that failed: `EAI_NONAME` is the resolver's answer that the name does not
  /// exist; any other code (`EAI_AGAIN`: no answer) may pass.
  private static func unknownHost(_ error: SocketAddressError.UnknownHost) -> Self {
    if error.errorCode == Int(EAI_NONAME) {
      return Self(cause: .unknownHost, reason: "the host name \(error.host) does not exist")
    }
    return Self(
      cause: .transient,
      reason: "the host name \(error.host) could not be looked up (\(error.errorDescription))")
  }

  /// A failed TLS handshake in a few words (BoringSSL's reason, without its source location).
  private static func tls(_ description: String) -> String {
    if description.contains("CERTIFICATE_VERIFY_FAILED") {
      return "its TLS certificate is not trusted (CERTIFICATE_VERIFY_FAILED)"
    }
    if description.contains("failedToValidateHostname") {
      return "its TLS certificate is for another host name"
    }
    return "the TLS handshake failed (\(description.prefix(200)))"
  }

  /// A socket error in a few words.
  private static func reason(errno code: Int32) -> String {
    switch code {
    case ECONNREFUSED: "connection refused"
    case ECONNRESET: "connection reset"
    case ETIMEDOUT: "the connection timed out"
    case ENETUNREACH: "the network is unreachable"
    case EHOSTUNREACH: "the host is unreachable"
    case EPIPE: "the connection was closed"
    default: String(cString: strerror(code))
    }
  }
}
