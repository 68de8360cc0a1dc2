import Foundation
import HTTPTypes
import Hummingbird
import LiveResponse
import NIOCore

/// The admin endpoint (`/_emulator/...`): fault injection, limits, the virtual clock and
/// device-code approval at run time. It requires the `X-Emulator-Admin-Key` header; API bearer
/// tokens cannot reach it.
extension EmulatorService {
  func admin(_ request: inout Request, segments: [String], context: EmulatorRequestContext)
    async throws -> Response
  {
    guard let key = request.headers[.adminKey],
      Data(key.utf8).elementsEqual(Data(adminKey.utf8))
    else {
      throw EmulatorError(
        status: .forbidden, code: "Forbidden",
        message: "The admin endpoint requires the X-Emulator-Admin-Key header")
    }
    let rest = segments.dropFirst().map { $0.lowercased() }
    let body = try await request.bodyBytes(limit: 1_048_576)
    let decoder = JSONDecoder()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    func encoded(_ value: some Encodable) throws -> Response {
      Response(
        status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
    switch (request.method, rest) {
    case (.get, ["faults"]):
      return try encoded(await state.faults)
    case (.put, ["faults"]), (.post, ["faults"]):
      guard let faults = try? decoder.decode(FaultSettings.self, from: Data(body)) else {
        throw EmulatorError.invalidRequestBody()
      }
      await state.setFaults(faults)
      return try encoded(faults)
    case (.get, ["limits"]):
      return try encoded(limits)
    case (.put, ["limits"]), (.post, ["limits"]):
      guard let limits = try? decoder.decode(Limits.self, from: Data(body)) else {
        throw EmulatorError.invalidRequestBody()
      }
      currentLimits.replace(with: limits)
      return try encoded(limits)
    case (.get, ["stats"]):
      return try encoded(await state.stats)
    case (.get, ["submissions"]):
      return .json(.array(await state.submissions.map(\.json)))
    case (.post, ["budgets", "reset"]):
      await state.resetBudgets()
      return Response(status: .noContent)
    case (.get, ["clock"]), (.post, ["clock"]):
      if request.method == .post {
        guard let json = JSONValue.parse(body),
          let seconds = ODataValue(json["advanceSeconds"]).number
        else { throw EmulatorError.missingParameter("advanceSeconds") }
        clock.advance(by: seconds)
      }
      return .json(
        .object([
          ("now", .string(EntityDate.format(clock.now()))),
          ("start", .string(EntityDate.format(clock.start))),
          ("timeScale", .double(clock.scale)),
        ]))
    case (.post, ["devicecode", "approve"]):
      guard let json = JSONValue.parse(body), let code = json["userCode"]?.stringValue else {
        throw EmulatorError.missingParameter("userCode")
      }
      let user = json["user"]?.stringValue ?? scenario.users.first?.userPrincipalName ?? ""
      guard await state.approve(userCode: code, user: user) else {
        throw EmulatorError.notFound("Device code \(code)")
      }
      return Response(status: .noContent)
    default:
      throw EmulatorError.generalNotFound
    }
  }
}

extension ODataValue {
  /// The numeric payload, if any.
  var number: Double? {
    if case .number(let n) = self { return n }
    return nil
  }
}
