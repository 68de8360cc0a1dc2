import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// The emulator tests' lab: the shared ``EmulatorFixture`` (real time unless a test asks for a
/// time scale), with the raw-API helpers these tests read replies with.
typealias Lab = EmulatorFixture

extension EmulatorFixture.Reply {
  /// The body parsed as JSON.
  var json: Any? {
    try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
  }
  var object: [String: Any] { (json as? [String: Any]) ?? [:] }
  var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
  var value: [[String: Any]] { (object["value"] as? [[String: Any]]) ?? [] }
}

extension EmulatorFixture {
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

  /// `s` as a JSON string literal.
  static func quote(_ s: String) -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])) ?? Data()
    let text = String(decoding: data, as: UTF8.self)
    return String(text.dropFirst().dropLast())
  }
}

/// Runs `body` with a lab (real time by default), stopping it afterwards.
func withLab<T>(
  _ scenario: Scenario? = nil, timeScale: Double = 1, libraryDirectory: URL? = nil,
  _ body: (Lab) async throws -> T
) async throws -> T {
  try await EmulatorFixture.with(
    scenario, timeScale: timeScale, libraryDirectory: libraryDirectory, body)
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
let exampleMachine = EmulatorFixture.exampleMachine
