import AsyncHTTPClient
import DefenderEmulator
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A running emulator plus helpers that talk to it over real loopback HTTP.
struct Lab {
  let server: EmulatorServer
  var base: String { server.baseURL.absoluteString }

  /// Starts a server for `scenario` (demo by default).
  static func start(
    _ scenario: Scenario? = nil, timeScale: Double = 1, libraryDirectory: URL? = nil
  ) async throws -> Lab {
    let s = try #require(scenario ?? Scenario.builtIn("demo"))
    return Lab(
      server: try await EmulatorServer.start(
        scenario: s, timeScale: timeScale, libraryDirectory: libraryDirectory))
  }

  /// A reply: status, headers and body.
  struct Reply {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: Any? {
      try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }
    var object: [String: Any] { (json as? [String: Any]) ?? [:] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var value: [[String: Any]] { (object["value"] as? [[String: Any]]) ?? [] }
  }

  /// Sends a request and collects the reply (up to 200 MB).
  func send(
    _ method: HTTPMethod, _ path: String, token: String? = nil, headers: [(String, String)] = [],
    body: [UInt8]? = nil, contentType: String? = nil
  ) async throws -> Reply {
    var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
    request.method = method
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    var buffer = try await response.body.collect(upTo: 200 * 1024 * 1024)
    return Reply(
      status: Int(response.status.code), headers: response.headers,
      body: buffer.readBytes(length: buffer.readableBytes) ?? [])
  }

  /// POSTs a form (token endpoints).
  func form(_ path: String, _ fields: [(String, String)]) async throws -> Reply {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let body = fields.map {
      "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)"
    }.joined(separator: "&")
    return try await send(
      .POST, path, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
  }

  /// POSTs JSON.
  func post(_ path: String, token: String?, json: String) async throws -> Reply {
    try await send(
      .POST, path, token: token, body: Array(json.utf8), contentType: "application/json")
  }

  /// GETs with a token.
  func get(_ path: String, token: String?) async throws -> Reply {
    try await send(.GET, path, token: token)
  }

  /// A client-credentials token (v2, secret) for `client`.
  func token(
    client: String = "lr-lab", secret: String = "lr-lab-secret",
    scope: String = "https://api.securitycenter.microsoft.com/.default"
  ) async throws -> String {
    let reply = try await form(
      "/lab/oauth2/v2.0/token",
      [
        ("grant_type", "client_credentials"), ("client_id", client), ("client_secret", secret),
        ("scope", scope),
      ])
    return try #require(reply.object["access_token"] as? String, "token: \(reply.text)")
  }

  /// Calls the admin endpoint.
  func admin(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> Reply {
    try await send(
      method, "/_emulator/" + path, headers: [("X-Emulator-Admin-Key", server.adminKey)],
      body: json.map { Array($0.utf8) }, contentType: json == nil ? nil : "application/json")
  }

  /// Jumps virtual time forward.
  func advance(_ seconds: Double) { server.clock.advance(by: seconds) }

  /// Starts a Live Response action; returns the reply.
  func run(
    _ machine: String, _ commands: [(String, [(String, String)])], token: String,
    comment: String = "test"
  ) async throws -> Reply {
    let items = commands.map { type, params in
      let p = params.map { "{\"key\":\(Lab.quote($0.0)),\"value\":\(Lab.quote($0.1))}" }
        .joined(separator: ",")
      return "{\"type\":\"\(type)\",\"params\":[\(p)]}"
    }.joined(separator: ",")
    return try await post(
      "/api/machines/\(machine)/runliveresponse", token: token,
      json: "{\"Commands\":[\(items)],\"Comment\":\(Lab.quote(comment))}")
  }

  /// The action's current entity.
  func action(_ id: String, token: String) async throws -> [String: Any] {
    try await get("/api/machineactions/\(id)", token: token).object
  }

  static func quote(_ s: String) -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])) ?? Data()
    let text = String(decoding: data, as: UTF8.self)
    return String(text.dropFirst().dropLast())
  }

  func stop() async { await server.stop() }
}

/// Runs `body` with a lab, stopping it afterwards.
func withLab<T>(
  _ scenario: Scenario? = nil, timeScale: Double = 1, libraryDirectory: URL? = nil,
  _ body: (Lab) async throws -> T
) async throws -> T {
  let lab = try await Lab.start(scenario, timeScale: timeScale, libraryDirectory: libraryDirectory)
  do {
    let result = try await body(lab)
    await lab.stop()
    return result
  } catch {
    await lab.stop()
    throw error
  }
}

/// Decodes a JWT's claims (no verification).
func jwtClaims(_ token: String) -> [String: Any] {
  let parts = token.split(separator: ".")
  guard parts.count == 3 else { return [:] }
  var s = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
  while s.count % 4 != 0 { s.append("=") }
  guard let data = Data(base64Encoded: s) else { return [:] }
  return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

/// The example machine id.
let exampleMachine = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"
