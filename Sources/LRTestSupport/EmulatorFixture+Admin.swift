import DefenderEmulator
import Foundation
import NIOHTTP1

extension EmulatorFixture {
  /// Calls the admin endpoint (`/_emulator/<path>`) with the server's admin key.
  @discardableResult
  public func admin(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws
    -> Reply
  {
    try await send(
      method, "/_emulator/" + path, headers: [("X-Emulator-Admin-Key", server.adminKey)],
      body: json.map { Array($0.utf8) }, contentType: json == nil ? nil : "application/json")
  }

  /// POSTs JSON to the admin endpoint; throws unless it answers 2xx.
  public func admin(_ path: String, _ json: String) async throws {
    let reply = try await admin(.POST, path, json: json)
    guard (200..<300).contains(reply.status) else {
      throw FixtureError("admin \(path) answered \(reply.status): \(reply.text)")
    }
  }

  /// The emulator's counters (`GET /_emulator/stats`).
  public func stats() async throws -> EmulatorStats {
    let reply = try await admin(.GET, "stats")
    return try JSONDecoder().decode(EmulatorStats.self, from: Data(reply.body))
  }

  /// Replaces the fault settings (`POST /_emulator/faults`, a `FaultSettings` object).
  public func setFaults(_ json: String) async throws {
    try await admin("faults", json)
  }

  /// Changes one of the emulator's limits (`maxPageSize`, `otherPerMinute`, ...).
  public func setLimit(_ name: String, _ value: Int) async throws {
    let reply = try await admin(.GET, "limits")
    guard
      var limits = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
    else { throw FixtureError("no limits: \(reply.text)") }
    limits[name] = value
    let json = String(decoding: try JSONSerialization.data(withJSONObject: limits), as: UTF8.self)
    try await admin("limits", json)
  }

  /// Jumps the virtual clock forward.
  public func advance(_ seconds: Double) { server.clock.advance(by: seconds) }
}
