import HTTPTypes

/// One route the emulator serves: a method and a path template (`{name}` matches any one
/// segment; a literal segment with a parenthesised suffix, such as
/// `GetLiveResponseResultDownloadLink(index={index})`, matches on the part before `(`).
struct EmulatorRoute: Sendable, Hashable, CustomStringConvertible {
  /// Which handler serves the route, and which error shape an unmatched path in it gets.
  enum Family: Sendable, Hashable {
    /// `GET /`: what this server is.
    case root
    /// `/{tenant}/...`: token endpoints, discovery documents, keys.
    case identity
    /// `/common/discovery/instance`.
    case instanceDiscovery
    /// `/devicelogin`.
    case deviceLogin
    /// `/api/...` (also `/api/v1.0/...`).
    case api
    /// `/blob/...`: result downloads.
    case blob
    /// `/_emulator/...`: the admin endpoint.
    case admin
  }

  let method: HTTPRequest.Method
  let template: String
  let family: Family
  /// The template's segments.
  let segments: [Substring]

  init(method: HTTPRequest.Method, template: String, family: Family) {
    self.method = method
    self.template = template
    self.family = family
    self.segments = template.split(separator: "/")
  }

  var description: String { "\(method.rawValue) \(template)" }

  /// Whether the lower-cased path `segments` fit this route's template.
  func matches(_ segments: [String]) -> Bool {
    let parts = self.segments
    guard parts.count == segments.count else { return false }
    for (part, segment) in zip(parts, segments) {
      if part.hasPrefix("{") { continue }
      if let paren = part.firstIndex(of: "(") {
        guard segment.hasPrefix(part[..<paren].lowercased()) else { return false }
        continue
      }
      guard part.lowercased() == segment else { return false }
    }
    return true
  }
}

/// Every route the emulator serves. The responder refuses any request that no entry matches, so
/// this table is the complete list (docs/openapi.yaml and docs/openapi-admin.yaml document each
/// entry; a test keeps them in step). Paths are case-insensitive, and every `/api/...` route is
/// also served under `/api/v1.0/...`.
enum EmulatorRoutes {
  private static func route(
    _ method: HTTPRequest.Method, _ template: String, _ family: EmulatorRoute.Family
  ) -> EmulatorRoute {
    EmulatorRoute(method: method, template: template, family: family)
  }

  static let all: [EmulatorRoute] = [
    route(.get, "/", .root),
    // Entra ID-like authority.
    route(.post, "/{tenant}/oauth2/v2.0/token", .identity),
    route(.post, "/{tenant}/oauth2/token", .identity),
    route(.post, "/{tenant}/oauth2/v2.0/devicecode", .identity),
    route(.post, "/{tenant}/oauth2/devicecode", .identity),
    route(.get, "/{tenant}/v2.0/.well-known/openid-configuration", .identity),
    route(.get, "/{tenant}/.well-known/openid-configuration", .identity),
    route(.get, "/{tenant}/discovery/v2.0/keys", .identity),
    route(.get, "/{tenant}/discovery/keys", .identity),
    route(.get, "/common/discovery/instance", .instanceDiscovery),
    route(.get, "/devicelogin", .deviceLogin),
    route(.post, "/devicelogin", .deviceLogin),
    // The Defender API.
    route(.get, "/api/machines", .api),
    route(.get, "/api/machines/{id}", .api),
    route(.post, "/api/machines/{id}/runliveresponse", .api),
    route(.get, "/api/machineactions", .api),
    route(.get, "/api/machineactions/{id}", .api),
    route(.post, "/api/machineactions/{id}/cancel", .api),
    route(.get, "/api/machineactions/{id}/GetLiveResponseResultDownloadLink(index={index})", .api),
    route(.get, "/api/libraryfiles", .api),
    route(.post, "/api/libraryfiles", .api),
    route(.delete, "/api/libraryfiles/{fileName}", .api),
    // Result downloads.
    route(
      .get, "/blob/investigation-actions-data/{actionId}/CustomPlaybookCommandOutput/{index}",
      .blob),
    route(
      .head, "/blob/investigation-actions-data/{actionId}/CustomPlaybookCommandOutput/{index}",
      .blob),
    // Admin.
    route(.get, "/_emulator/faults", .admin),
    route(.put, "/_emulator/faults", .admin),
    route(.post, "/_emulator/faults", .admin),
    route(.get, "/_emulator/limits", .admin),
    route(.put, "/_emulator/limits", .admin),
    route(.post, "/_emulator/limits", .admin),
    route(.get, "/_emulator/stats", .admin),
    route(.get, "/_emulator/submissions", .admin),
    route(.post, "/_emulator/budgets/reset", .admin),
    route(.get, "/_emulator/clock", .admin),
    route(.post, "/_emulator/clock", .admin),
    route(.post, "/_emulator/devicecode/approve", .admin),
  ]

  /// What a request's method and path resolve to.
  enum Resolution: Equatable {
    /// A route serves it.
    case route(EmulatorRoute)
    /// The path exists in `family` but not for this method.
    case methodNotAllowed(EmulatorRoute.Family)
    /// No route has this path; `family` picks the error's shape.
    case notFound(EmulatorRoute.Family)
  }

  /// The family a path belongs to, from its first segment.
  static func family(of lower: [String]) -> EmulatorRoute.Family {
    switch lower.first {
    case nil: return .root
    case "api": return .api
    case "blob": return .blob
    case "_emulator": return .admin
    case "devicelogin": return .deviceLogin
    default: return .identity
    }
  }

  /// Resolves `method` and the lower-cased, percent-decoded path `segments`
  /// (`/api/v1.0/...` is `/api/...`).
  static func resolve(method: HTTPRequest.Method, segments lower: [String]) -> Resolution {
    var path = lower
    if path.count >= 2, path[0] == "api", path[1] == "v1.0" { path.remove(at: 1) }
    let family = family(of: path)
    // `{tenant}` never stands for the first segment of another family's paths.
    let reserved = family != .identity
    let candidates = all.filter { route in
      route.matches(path) && !(reserved && route.template.hasPrefix("/{"))
    }
    if let route = candidates.first(where: { $0.method == method }) { return .route(route) }
    return candidates.isEmpty ? .notFound(family) : .methodNotAllowed(family)
  }
}
