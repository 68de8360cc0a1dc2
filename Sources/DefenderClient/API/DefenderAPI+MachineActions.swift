import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `GET /api/machineactions[/{id}]` and `POST /api/machineactions/{id}/cancel`.
extension DefenderAPI {
  /// One machine action.
  public func machineAction(_ id: String) async throws -> MachineAction {
    let response = try await send(
      Call(
        method: .GET, path: "/api/machineactions/" + DefenderHTTP.pathSegment(id),
        endpoint: .machineActions, idempotent: true))
    return try decode(MachineAction.self, from: response, what: "the machine action")
  }

  /// Lists machine actions with an OData filter (one page unless `followNextLink`).
  ///
  /// - Parameters:
  ///   - followNextLink: read every page (`@odata.nextLink`, only ever on the API's host).
  ///   - stop: with `followNextLink`, stop after the first page holding an action it accepts.
  ///   - keep: which actions of each page to return (the others are dropped page by page).
  public func machineActions(
    filter: String? = nil, top: Int? = nil, orderBy: String? = nil, followNextLink: Bool = false,
    until stop: (MachineAction) -> Bool = { _ in false },
    keeping keep: (MachineAction) -> Bool = { _ in true }
  ) async throws -> [MachineAction] {
    var query: [(String, String)] = []
    if let filter { query.append(("$filter", filter)) }
    if let orderBy { query.append(("$orderby", orderBy)) }
    if let top { query.append(("$top", String(top))) }
    var call = Call(
      method: .GET, path: "/api/machineactions", query: query, endpoint: .machineActions,
      idempotent: true)
    var actions: [MachineAction] = []
    while true {
      let response = try await send(call)
      let page = try decodePage(MachineAction.self, from: response, what: "machine actions")
      actions += page.value.filter(keep)
      guard followNextLink, let next = page.nextLink, !(page.value.isEmpty && page.skipped.isEmpty),
        !page.value.contains(where: stop)
      else { return actions }
      call = Call(method: .GET, path: next, endpoint: .machineActions, idempotent: true)
    }
  }

  /// Many actions by id with one list call per 50 ids (`id in (...)`, falling back to an
  /// `or` chain if the service refuses `in`).
  public func machineActions(ids: [String]) async throws -> [MachineAction] {
    var result: [MachineAction] = []
    for start in stride(from: 0, to: ids.count, by: 50) {
      let chunk = Array(ids[start..<min(start + 50, ids.count)])
      let quoted = chunk.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
      do {
        result += try await machineActions(
          filter: "id in (\(quoted.joined(separator: ",")))", top: chunk.count)
      } catch let error as DefenderClientError where error.kind == .badRequest {
        result += try await machineActions(
          filter: quoted.map { "id eq \($0)" }.joined(separator: " or "), top: chunk.count)
      }
    }
    return result
  }

  /// Above this many machines, ``activeMachineActions(machineIDs:)`` reads the tenant's active
  /// actions in one paged list instead of one call per 25 machines (more than 10 calls).
  public static let tenantWideActiveAbove = 250

  /// The filter of the actions pending or in progress.
  static let activeFilter = "status eq 'Pending' or status eq 'InProgress'"

  /// The actions pending or in progress on these machines (ids), every page. Up to
  /// ``tenantWideActiveAbove`` machines: one list call per 25 machines
  /// (`(status eq 'Pending' or status eq 'InProgress') and (machineId eq … or …)`); above, the
  /// tenant's active actions in one paged list, kept for these machines only (at 100,000
  /// machines, a few reads instead of 4,000).
  public func activeMachineActions(machineIDs: [String]) async throws -> [MachineAction] {
    guard machineIDs.count <= Self.tenantWideActiveAbove else {
      let wanted = Set(machineIDs.map { $0.lowercased() })
      return try await machineActions(filter: Self.activeFilter, followNextLink: true) {
        _ in
        false
      } keeping: { action in
        action.machineId.map { wanted.contains($0.lowercased()) } ?? false
      }
    }
    var result: [MachineAction] = []
    for start in stride(from: 0, to: machineIDs.count, by: 25) {
      try Task.checkCancellation()
      let chunk = machineIDs[start..<min(start + 25, machineIDs.count)]
      let machines = chunk.map { "machineId eq " + MachineFilter.quoted($0.lowercased()) }
      result += try await machineActions(
        filter: "(\(Self.activeFilter)) and (" + machines.joined(separator: " or ") + ")",
        followNextLink: true)
    }
    return result
  }

  /// Cancels an action that has not finished.
  public func cancelMachineAction(_ id: String, comment: String) async throws -> MachineAction {
    let body = try JSONEncoder().encode(["Comment": comment])
    let response = try await send(
      Call(
        method: .POST,
        path: "/api/machineactions/" + DefenderHTTP.pathSegment(id) + "/cancel",
        body: ByteBuffer(bytes: body), contentType: "application/json", endpoint: .cancel,
        idempotent: true))
    return try decode(MachineAction.self, from: response, what: "the cancelled action")
  }
}
