import Foundation
import HTTPTypes
import Hummingbird
import LiveResponse
import NIOCore

/// Who called the API, from a verified access token.
struct Caller: Sendable {
  /// Application roles (`roles`) or delegated scopes (`scp`).
  var permissions: Set<String>
  /// Whether the token is delegated (user) rather than application.
  var delegated: Bool
  /// What actions record as `requestor`.
  var name: String

  /// Throws 403 unless the caller holds one of `application` (app token) or `delegated`.
  func require(_ application: [String], delegated delegatedScopes: [String]) throws(EmulatorError) {
    let needed = delegated ? delegatedScopes : application
    guard needed.contains(where: permissions.contains) else { throw .forbidden(needed) }
  }
}

extension EmulatorService {
  static let readRoles = ["Machine.Read.All", "Machine.ReadWrite.All"]
  static let readScopes = ["Machine.Read", "Machine.ReadWrite"]
  static let cancelRoles = [
    "Machine.CollectForensics", "Machine.Isolate", "Machine.RestrictExecution", "Machine.Scan",
    "Machine.Offboard", "Machine.StopAndQuarantine", "Machine.LiveResponse",
  ]

  /// Verifies the bearer token: signature, expiry (virtual time), audience and tenant.
  func authenticate(_ request: Request) throws(EmulatorError) -> Caller {
    guard let header = request.headers[.authorization] else {
      throw .unauthorized("Authorization header is missing")
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer",
      let jwt = DecodedJWT(String(parts[1]).trimmingCharacters(in: .whitespaces))
    else { throw .unauthorized("Authorization header is invalid or malformed") }
    guard signer.verify(jwt) else { throw .unauthorized("Token signature is invalid") }
    guard let exp = jwt.number("exp"), exp > clock.now().timeIntervalSince1970 else {
      throw .unauthorized("Token has expired")
    }
    if let nbf = jwt.number("nbf"), nbf > clock.now().timeIntervalSince1970 + 300 {
      throw .unauthorized("Token is not yet valid")
    }
    guard let aud = jwt.claims["aud"]?.stringValue, isAcceptedResource(aud) else {
      throw .unauthorized("Token audience is invalid")
    }
    if scenario.quirks.rejects(audience: aud) { throw .audienceRejected }
    guard jwt.claims["tid"]?.stringValue == tenantId else {
      throw .unauthorized("Token tenant is invalid")
    }
    if let scp = jwt.claims["scp"]?.stringValue {
      return Caller(
        permissions: Set(scp.split(separator: " ").map(String.init)), delegated: true,
        name: jwt.claims["upn"]?.stringValue ?? "user")
    }
    let roles = jwt.claims["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
    return Caller(
      permissions: Set(roles), delegated: false,
      name: jwt.claims["app_displayname"]?.stringValue ?? jwt.claims["appid"]?.stringValue ?? "app")
  }

  /// Applies injected faults: added latency, resets, 5xx, forced 429.
  func injectFaults() async throws {
    let faults = await state.faults
    if faults.addedLatencyMilliseconds > 0 {
      try await Task.sleep(for: .milliseconds(faults.addedLatencyMilliseconds))
    }
    if faults.connectionResetRate > 0, await state.roll() < faults.connectionResetRate {
      await state.count { $0.injectedResets += 1 }
      throw ConnectionReset()
    }
    if faults.serverErrorRate > 0, await state.roll() < faults.serverErrorRate {
      await state.count { $0.injectedServerErrors += 1 }
      throw await state.roll() < 0.5
        ? EmulatorError.internalError
        : EmulatorError(
          status: .serviceUnavailable, code: "ServiceUnavailable",
          message: "The service is temporarily unavailable")
    }
    if faults.forced429Rate > 0, await state.roll() < faults.forced429Rate {
      await state.count { $0.throttledInjected += 1 }
      throw EmulatorError.tooManyRequests(
        retryAfter: 1, message: "Rate limit is exceeded. Try again in 1 seconds.")
    }
  }

  /// Drops the answer of a request already processed, at `lostAnswerRate` (fault injection).
  func loseAnswerIfInjected() async throws {
    let rate = await state.faults.lostAnswerRate
    if rate > 0, await state.roll() < rate {
      await state.count { $0.injectedLostAnswers += 1 }
      throw ConnectionReset()
    }
  }

  /// Handles `/api/...` and `/api/v1.0/...`.
  func api(_ request: inout Request, segments: [String], context: EmulatorRequestContext)
    async throws -> Response
  {
    var rest = Array(segments.dropFirst())
    if rest.first?.lowercased() == "v1.0" { rest.removeFirst() }
    let lower = rest.map { $0.lowercased() }
    let caller = try await admit(request, lower: lower)
    let base = requestBase(request)
    switch lower.first {
    case "machines": return try await machinesRoute(&request, rest, lower, caller, base)
    case "machineactions": return try await actionsRoute(&request, rest, lower, caller, base)
    case "libraryfiles": return try await libraryRoute(&request, rest, lower, caller, base)
    default: throw EmulatorError.generalNotFound
    }
  }

  /// Counts the request, injects faults, signs the caller in and takes the API budget.
  private func admit(_ request: Request, lower: [String]) async throws -> Caller {
    let isLiveResponse =
      request.method == .post && lower.count == 3 && lower[0] == "machines"
      && lower[2] == "runliveresponse"
    await state.count {
      $0.apiRequests += 1
      if isLiveResponse { $0.liveResponseRequests += 1 }
    }
    try await injectFaults()
    let caller: Caller
    do {
      caller = try authenticate(request)
    } catch {
      await state.count { $0.unauthorized[error.message, default: 0] += 1 }
      throw error
    }
    if let wait = await state.admit(liveResponse: isLiveResponse) {
      await state.count { $0.throttledByBudget += 1 }
      let real = Int(clock.realSeconds(forVirtual: wait).rounded(.up))
      throw EmulatorError.tooManyRequests(
        retryAfter: real,
        message: "Rate limit is exceeded. Try again in \(max(1, real)) seconds.")
    }
    return caller
  }

  /// `/api/machines`, `/api/machines/{id}`, `POST /api/machines/{id}/runliveresponse`.
  private func machinesRoute(
    _ request: inout Request, _ rest: [String], _ lower: [String], _ caller: Caller, _ base: String
  ) async throws -> Response {
    switch (request.method, lower.count) {
    case (.get, 1):
      try caller.require(Self.readRoles, delegated: Self.readScopes)
      return try await listMachines(request, base: base)
    case (.get, 2):
      try caller.require(Self.readRoles, delegated: Self.readScopes)
      guard var entity = await state.machineEntity(rest[1]) else {
        throw EmulatorError.notFound("Machine \(rest[1])")
      }
      entity = entity.withContext(base + "/api/$metadata#Machines/$entity")
      return .json(entity)
    case (.post, 3) where lower[2] == "runliveresponse":
      try caller.require(["Machine.LiveResponse"], delegated: ["Machine.LiveResponse"])
      let body = try await request.bodyBytes(limit: 1_048_576)
      let (commands, comment) = try Self.parseLiveResponseBody(body)
      let (entity, created) = try await state.createAction(
        machineKey: rest[1], commands: commands, comment: comment, requestor: caller.name)
      if created {
        await state.recordSubmission(
          AcceptedSubmission(
            machineId: entity["machineId"]?.stringValue ?? rest[1],
            actionId: entity["id"]?.stringValue ?? "", body: String(decoding: body, as: UTF8.self)))
      }
      return .json(
        entity.withContext(base + "/api/$metadata#MachineActions/$entity"), status: .created)
    default:
      throw EmulatorError.generalNotFound
    }
  }

  /// `/api/machineactions`, one action, its result link, and cancel.
  private func actionsRoute(
    _ request: inout Request, _ rest: [String], _ lower: [String], _ caller: Caller, _ base: String
  ) async throws -> Response {
    switch (request.method, lower.count) {
    case (.get, 1):
      try caller.require(Self.readRoles, delegated: Self.readScopes)
      return try await listActions(request, base: base)
    case (.get, 2):
      try caller.require(Self.readRoles, delegated: Self.readScopes)
      guard let entity = await state.actionEntity(rest[1]) else {
        throw EmulatorError.notFound("Machine action \(rest[1])")
      }
      return .json(entity.withContext(base + "/api/$metadata#MachineActions/$entity"))
    case (.get, 3) where lower[2].hasPrefix("getliveresponseresultdownloadlink"):
      try caller.require(
        Self.readRoles + ["Machine.LiveResponse"], delegated: ["Machine.LiveResponse"])
      guard let index = Self.downloadLinkIndex(rest[2]) else {
        throw EmulatorError.invalidInput(
          "index: expected GetLiveResponseResultDownloadLink(index={n})")
      }
      _ = try await state.result(actionId: rest[1], index: index)
      let link = signedLink(actionId: rest[1].lowercased(), index: index, base: base)
      return .json(
        .object([
          ("@odata.context", .string(base + "/api/$metadata#Edm.String")),
          ("value", .string(link)),
        ]))
    case (.post, 3) where lower[2] == "cancel":
      return try await cancelAction(&request, id: rest[1], caller: caller, base: base)
    default:
      throw EmulatorError.generalNotFound
    }
  }

  /// `POST /api/machineactions/{id}/cancel` with a `Comment`.
  private func cancelAction(_ request: inout Request, id: String, caller: Caller, base: String)
    async throws -> Response
  {
    try caller.require(Self.cancelRoles, delegated: Self.cancelRoles)
    guard await state.actionExists(id) else {
      throw EmulatorError.notFound("Machine action \(id)")
    }
    let body = try await request.bodyBytes(limit: 1_048_576)
    guard let json = JSONValue.parse(body), case .object = json else {
      throw EmulatorError.invalidRequestBody()
    }
    guard let comment = json["Comment"]?.stringValue else {
      throw EmulatorError.missingParameter("Comment")
    }
    let entity = try await state.cancel(id, requestor: caller.name, comment: comment)
    return .json(entity.withContext(base + "/api/$metadata#MachineActions/$entity"))
  }

  /// `/api/libraryfiles`: list, upload, delete.
  private func libraryRoute(
    _ request: inout Request, _ rest: [String], _ lower: [String], _ caller: Caller, _ base: String
  ) async throws -> Response {
    let manage = ["Library.Manage"]
    switch (request.method, lower.count) {
    case (.get, 1):
      try caller.require(manage, delegated: manage)
      return .json(
        .object([
          ("@odata.context", .string(base + "/api/$metadata#LibraryFiles")),
          ("value", .array(await state.libraryEntities())),
        ]))
    case (.post, 1):
      try caller.require(manage, delegated: manage)
      return try await uploadLibraryFile(&request, caller: caller, base: base)
    case (.delete, 2):
      try caller.require(manage, delegated: manage)
      try await state.deleteLibraryFile(rest[1])
      return Response(status: .noContent)
    default:
      throw EmulatorError.generalNotFound
    }
  }

  /// The scheme and host the client called, for `@odata.context` and links.
  func requestBase(_ request: Request) -> String {
    if let authority = request.head.authority {
      let scheme = baseURL.hasPrefix("https") ? "https" : "http"
      return "\(scheme)://\(authority)"
    }
    return baseURL
  }

  /// `GetLiveResponseResultDownloadLink(index=N)` → N.
  static func downloadLinkIndex(_ segment: String) -> Int? {
    let lower = segment.lowercased().replacingOccurrences(of: " ", with: "")
    let prefix = "getliveresponseresultdownloadlink(index="
    guard lower.hasPrefix(prefix), lower.hasSuffix(")") else { return nil }
    return Int(lower.dropFirst(prefix.count).dropLast())
  }

  private func listMachines(_ request: Request, base: String) async throws -> Response {
    let allowed = [
      "id", "computerDnsName", "firstSeen", "lastSeen", "osPlatform", "version", "osProcessor",
      "osBuild", "lastIpAddress", "lastExternalIpAddress", "healthStatus", "rbacGroupId",
      "rbacGroupName", "riskScore", "exposureLevel", "deviceValue", "aadDeviceId", "isAadJoined",
      "machineTags", "onboardingStatus", "osArchitecture", "agentVersion", "defenderAvStatus",
    ]
    let query = try ODataQuery(query: QueryString.parse(request.uri.query), allowed: allowed)
    guard await state.machineCount > 0 else { throw EmulatorError.notFound("Machines") }
    // A lookup by name or id (as lr resolves names) reads those machines, not the whole fleet.
    let entities: [JSONValue]
    if let keys = query.filter?.keys(ofAny: ["id", "computerDnsName"]) {
      entities = await state.machineEntities(keys: keys)
    } else {
      entities = await state.machineEntities()
    }
    return try await page(
      entities, query: query, base: base, path: "/api/machines",
      context: base + "/api/$metadata#Machines")
  }

  private func listActions(_ request: Request, base: String) async throws -> Response {
    let allowed = ["id", "status", "machineId", "type", "requestor", "creationDateTimeUtc"]
    let query = try ODataQuery(query: QueryString.parse(request.uri.query), allowed: allowed)
    // A poll by id (`id in (…)`) reads those actions, not every action there has been.
    let ids = query.filter?.keys(of: "id")
    return try await page(
      await state.actionEntities(ids: ids), query: query, base: base, path: "/api/machineactions",
      context: base + "/api/$metadata#MachineActions")
  }

  private func page(
    _ entities: [JSONValue], query: ODataQuery, base: String, path: String, context: String
  ) async throws -> Response {
    let maxPage = limits.maxPageSize
    let (page, total, nextSkip) = query.apply(entities, maxPageSize: maxPage)
    var members: [(String, JSONValue)] = [("@odata.context", .string(context))]
    if query.count { members.append(("@odata.count", .number(Int(total)))) }
    members.append(("value", .array(page)))
    if let nextSkip {
      members.append(
        ("@odata.nextLink", .string(query.nextLink(base: base, path: path, nextSkip: nextSkip))))
    }
    return .json(.object(members))
  }

  /// Validates a runliveresponse body: case-sensitive names, required params, command order.
  static func parseLiveResponseBody(_ body: [UInt8]) throws(EmulatorError) -> (
    [LiveResponseCommand], String?
  ) {
    do {
      let request = try LiveResponseRequest.decode(body)
      return (request.commands, request.comment)
    } catch {
      switch error {
      case .invalid(let message): throw .invalidRequestBody(message)
      case .missing(let name): throw .missingParameter(name)
      }
    }
  }
}

extension JSONValue {
  /// This object with `@odata.context` first.
  func withContext(_ context: String) -> JSONValue {
    guard case .object(let members) = self else { return self }
    return .object([("@odata.context", .string(context))] + members)
  }
}
