import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension EmulatorFixture {
  /// A reply: status, headers and body.
  public struct Reply: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
  }

  /// Sends a request (`path` relative to the server, or a full URL) and collects the reply (up
  /// to 200 MB).
  public func send(
    _ method: HTTPMethod, _ path: String, token: String? = nil, headers: [(String, String)] = [],
    body: [UInt8]? = nil, contentType: String? = nil
  ) async throws -> Reply {
    var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
    request.method = method
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    var buffer = try await response.body.collect(upTo: 200 * 1024 * 1024)
    return Reply(
      status: Int(response.status.code), headers: response.headers,
      body: buffer.readBytes(length: buffer.readableBytes) ?? [])
  }

  /// POSTs a form (token endpoints).
  public func form(_ path: String, _ fields: [(String, String)]) async throws -> Reply {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let body = fields.map {
      "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
    }.joined(separator: "&")
    return try await send(
      .POST, path, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
  }

  /// POSTs JSON.
  public func post(_ path: String, token: String?, json: String) async throws -> Reply {
    try await send(
      .POST, path, token: token, body: Array(json.utf8), contentType: "application/json")
  }

  /// GETs with a token.
  public func get(_ path: String, token: String?) async throws -> Reply {
    try await send(.GET, path, token: token)
  }

  /// A client-credentials access token (v2 endpoint, secret) for `client`.
  public func token(
    client: String = "lr-lab", secret: String = "lr-lab-secret",
    scope: String = "https://api.securitycenter.microsoft.com/.default"
  ) async throws -> String {
    let reply = try await form(
      "/lab/oauth2/v2.0/token",
      [
        ("grant_type", "client_credentials"), ("client_id", client), ("client_secret", secret),
        ("scope", scope),
      ])
    let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
    guard let token = object?["access_token"] as? String else {
      throw FixtureError("token: \(reply.text)")
    }
    return token
  }
}
