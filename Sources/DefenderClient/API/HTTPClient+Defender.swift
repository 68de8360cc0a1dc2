import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A buffered HTTP answer.
struct BufferedResponse: Sendable {
  var status: Int
  var headers: HTTPHeaders
  var body: ByteBuffer

  var data: Data { Data(body.readableBytesView) }
}

extension HTTPClient {
  /// Sends a request and collects the body (up to `limit` bytes), mapping transport failures to
  /// ``DefenderClientError/Kind/transport`` (or `.configuration`, naming `setting`, when retrying
  /// cannot help: ``TransportFailure``).
  func bufferedExecute(
    _ request: HTTPClientRequest, timeout: Duration, limit: Int = 64 * 1024 * 1024,
    setting: String? = nil
  ) async throws -> BufferedResponse {
    do {
      let response = try await execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
      let body = try await response.body.collect(upTo: limit)
      return BufferedResponse(
        status: Int(response.status.code), headers: response.headers, body: body)
    } catch {
      throw DefenderHTTP.mapTransport(error, url: request.url, setting: setting)
    }
  }
}

/// Helpers shared by the API and sign-in code.
enum DefenderHTTP {
  /// Maps anything thrown by the HTTP stack to a client error (cancellation stays cancellation):
  /// `.transport` ("cannot reach HOST:PORT (connection refused)"), or `.configuration` naming
  /// `setting` when retrying cannot help (an unknown host, a bad URL, a TLS failure).
  static func mapTransport(_ error: any Error, url: String, setting: String? = nil) -> any Error {
    if error is CancellationError || (error as? HTTPClientError) == .cancelled || Task.isCancelled {
      return DefenderClientError(.cancelled, "cancelled")
    }
    if let error = error as? DefenderClientError { return error }
    let failure = TransportFailure(error)
    let host = origin(of: url).map { "\($0.host):\($0.port)" } ?? redacted(url)
    guard failure.isConfiguration else {
      return DefenderClientError.transport("cannot reach \(host) (\(failure.reason))")
    }
    return DefenderClientError.configuration(
      "cannot reach \(host): \(failure.reason); retrying cannot help"
        + (setting.map { ": check \($0)" } ?? ""))
  }

  /// Scheme, host (lowercased) and port (the scheme's default when absent) of a URL.
  static func origin(of url: String) -> (scheme: String, host: String, port: Int)? {
    guard let components = URLComponents(string: url),
      let scheme = components.scheme?.lowercased(), let host = components.host?.lowercased(),
      !host.isEmpty
    else { return nil }
    let port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
    return (scheme, host, port)
  }

  /// Throws unless `url` has the scheme, host and port of `base` (where the token may go).
  static func requireSameOrigin(_ url: String, as base: String) throws(DefenderClientError) {
    let target = origin(of: url)
    let expected = origin(of: base)
    guard let target, let expected, target == expected else {
      let shown = target.map { "\($0.scheme)://\($0.host):\($0.port)" } ?? redacted(url)
      let api = expected.map { "\($0.scheme)://\($0.host):\($0.port)" } ?? base
      throw .invalidResponse(
        "refusing to follow a next-page link (@odata.nextLink) to \(shown): it is not the API (\(api)), and the access token is only sent to the API"
      )
    }
  }

  /// A URL without its query string (SAS signatures and tokens never reach logs or messages).
  static func redacted(_ url: String) -> String {
    guard let index = url.firstIndex(of: "?") else { return url }
    return String(url[..<index]) + "?…"
  }

  /// `application/x-www-form-urlencoded` encoding of form fields.
  static func formEncoded(_ fields: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return fields.map { key, value in
      let k = key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
      let v = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
      return "\(k)=\(v)"
    }.joined(separator: "&")
  }

  /// Percent-encodes a path segment (ids, names).
  static func pathSegment(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }

  /// Percent-encodes a query value.
  static func queryValue(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~'(),$")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }

  /// Parses `Retry-After` (seconds or an HTTP date).
  static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
    guard let raw = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) else {
      return nil
    }
    if let seconds = Double(raw), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    if let date = formatter.date(from: raw) {
      return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
    return nil
  }
}

extension Duration {
  /// Whole nanoseconds (saturating).
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds > 0 ? .max : .min }
    return product &+ attoseconds / 1_000_000_000
  }

  /// Seconds as a Double.
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
