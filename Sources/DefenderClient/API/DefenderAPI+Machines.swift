import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `GET /api/machines` and `GET /api/machines/{id}`.
extension DefenderAPI {
  /// Lists machines, following `@odata.nextLink` until `limit` machines are read.
  ///
  /// - Parameters:
  ///   - filter: an OData `$filter` (e.g. `startswith(computerDnsName,'ws-')`).
  ///   - top: `$top`: at most this many machines from the service (at most 10,000).
  ///   - skip: `$skip`.
  ///   - limit: stop after this many machines (nil = all pages).
  public func machines(
    filter: String? = nil, top: Int? = nil, skip: Int? = nil, limit: Int? = nil
  ) async throws -> [Machine] {
    var query: [(String, String)] = []
    if let filter { query.append(("$filter", filter)) }
    if let top { query.append(("$top", String(top))) }
    if let skip { query.append(("$skip", String(skip))) }
    var call = Call(
      method: .GET, path: "/api/machines", query: query, endpoint: .machines, idempotent: true)
    var machines: [Machine] = []
    while true {
      let response: BufferedResponse
      do { response = try await send(call) } catch let error as DefenderClientError
        where error.kind == .notFound && error.serviceCode != "ResourceNotFound"
      {
        // "If there are no recent machines, you see 404 Not Found."
        return machines
      }
      let page = try decodePage(Machine.self, from: response, what: "machines")
      machines += page.value
      if let limit, machines.count >= limit { return Array(machines.prefix(limit)) }
      guard let next = page.nextLink, !(page.value.isEmpty && page.skipped.isEmpty) else {
        return machines
      }
      call = Call(method: .GET, path: next, endpoint: .machines, idempotent: true)
    }
  }

  /// One machine by 40-hex id or by computer name.
  public func machine(_ idOrName: String) async throws -> Machine {
    let response = try await send(
      Call(
        method: .GET, path: "/api/machines/" + DefenderHTTP.pathSegment(idOrName),
        endpoint: .machines, idempotent: true))
    return try decode(Machine.self, from: response, what: "the machine")
  }
}
