import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

@testable import DefenderEmulator

/// The route table is the whole surface: every route is documented, answers, and nothing else is
/// served.
@Suite struct RoutesTests {
  /// The `METHOD /path` operations an OpenAPI file declares (read line by line: paths at two
  /// spaces of indentation, methods at four, as docs/openapi*.yaml are written).
  static func operations(_ file: String) throws -> Set<String> {
    let url = LRTestSupport.packageRoot.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    let methods: Set<String> = ["get", "put", "post", "delete", "head", "patch", "options"]
    var result = Set<String>()
    var inPaths = false
    var path: String?
    for line in text.split(separator: "\n") {
      if line == "paths:" {
        inPaths = true
        continue
      }
      if !line.hasPrefix(" ") { inPaths = false }
      guard inPaths else { continue }
      if line.hasPrefix("  /"), line.hasSuffix(":") {
        path = String(line.dropFirst(2).dropLast())
      } else if let path, line.hasPrefix("    "), !line.hasPrefix("     ") {
        let key = String(line.dropFirst(4).prefix { $0 != ":" })
        if methods.contains(key) { result.insert("\(key.uppercased()) \(path)") }
      }
    }
    return result
  }

  @Test func everyServedRouteIsDocumentedAndNothingMore() throws {
    let api = try Self.operations("docs/openapi.yaml")
    let admin = try Self.operations("docs/openapi-admin.yaml")
    let served = Set(EmulatorRoutes.all.map(\.description))
    #expect(served.count == EmulatorRoutes.all.count, "duplicate routes")
    #expect(served.subtracting(api.union(admin)).sorted() == [], "served but not documented")
    #expect(api.union(admin).subtracting(served).sorted() == [], "documented but not served")
    #expect(admin.allSatisfy { $0.contains(" /_emulator/") })
    #expect(!api.contains { $0.contains("/_emulator") })
    #expect(
      api.contains(
        "GET /blob/investigation-actions-data/{actionId}/CustomPlaybookCommandOutput/{index}"))
    #expect(api.contains("POST /{tenant}/oauth2/devicecode"))
    #expect(api.contains("GET /common/discovery/instance"))
  }

  /// A request for `route` with plausible values in its placeholders.
  static func path(for route: EmulatorRoute) -> String {
    let id = route.template.hasPrefix("/api/machines/") ? exampleMachine : UUID().uuidString
    return route.template
      .replacingOccurrences(of: "{tenant}", with: "lab")
      .replacingOccurrences(of: "{id}", with: id)
      .replacingOccurrences(of: "{actionId}", with: UUID().uuidString)
      .replacingOccurrences(of: "{index}", with: "0")
      .replacingOccurrences(of: "{fileName}", with: "not-there.ps1")
  }

  @Test func everyRouteAnswersItself() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      for route in EmulatorRoutes.all {
        let method = HTTPMethod(rawValue: String(route.description.prefix { $0 != " " }))
        // Empty bodies: admin writes are refused (400) rather than changing the lab.
        let reply = try await lab.send(
          method, Self.path(for: route), token: token,
          headers: [("X-Emulator-Admin-Key", lab.server.adminKey)],
          body: method == .POST || method == .PUT ? [] : nil)
        #expect(reply.status != 405, "\(route)")
        #expect(!(reply.status == 404 && reply.errorCode == "NotFound"), "\(route): \(reply.text)")
        #expect(reply.status < 500, "\(route)")
        // Every /api route is also under /api/v1.0, in any case.
        if route.family == .api {
          let alias = Self.path(for: route).replacingOccurrences(of: "/api/", with: "/API/V1.0/")
          let again = try await lab.send(
            method, alias, token: token, body: method == .POST ? [] : nil)
          #expect(again.errorCode != "NotFound", "\(alias)")
          #expect(again.status != 405, "\(alias)")
        }
      }
    }
  }

  @Test(arguments: [
    "/api/nothing", "/api/machines/x/foo", "/api/v1.0/nothing", "/api/v2.0/machines",
    "/lab/oauth2/v2.0/authorize", "/common/discovery/other", "/common/discovery", "/lab",
    "/_emulator/nope", "/devicelogin/x", "/api/discovery/keys", "/_emulator/v2.0/keys",
  ])
  func unknownPathsAreNotFound(path: String) async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let reply = try await lab.send(
        .GET, path, token: token, headers: [("X-Emulator-Admin-Key", lab.server.adminKey)])
      #expect(reply.status == 404)
      #expect(reply.errorCode == "NotFound")
    }
  }

  @Test func wrongMethodsAndBlobPaths() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      let delete = try await lab.send(.DELETE, "/api/machines", token: token)
      #expect(delete.status == 405)
      #expect(delete.errorCode == "MethodNotAllowed")
      #expect(try await lab.send(.GET, "/lab/oauth2/v2.0/token").status == 405)
      let blob = try await lab.send(.GET, "/blob/x")
      #expect(blob.status == 404)
      #expect(blob.text.contains("<Code>BlobNotFound</Code>"))
      let put = try await lab.send(
        .PUT, "/blob/investigation-actions-data/a/CustomPlaybookCommandOutput/0", body: [])
      #expect(put.status == 405)
      #expect(put.text.contains("UnsupportedHttpVerb"))
    }
  }

  @Test func answersAreCountedByRoute() async throws {
    try await withLab { lab in
      let token = try await lab.token()
      _ = try await lab.get("/api/machines", token: token)
      _ = try await lab.get("/api/machines", token: nil)
      _ = try await lab.get("/api/nothing", token: token)
      let stats = try await lab.admin(.GET, "stats")
      let responses = try #require(stats.object["responses"] as? [String: [String: Int]])
      #expect(responses["GET /api/machines"] == ["200": 1, "401": 1])
      #expect(responses["POST /{tenant}/oauth2/v2.0/token"]?["200"] == 1)
      #expect(responses["unmatched"]?["404"] == 1)
      let unauthorized = try #require(stats.object["unauthorized"] as? [String: Int])
      #expect(unauthorized == ["Authorization header is missing": 1])
    }
  }
}
