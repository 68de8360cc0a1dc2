import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Routes every request: identity (`/{tenant}/...`), API (`/api`, `/api/v1.0`, any case),
/// result blobs (`/blob/...`), the device login page and the admin endpoint (`/_emulator`).
struct EmulatorResponder: HTTPResponder {
  typealias Context = EmulatorRequestContext
  let service: EmulatorService

  func respond(to request: Request, context: Context) async throws -> Response {
    let started = ContinuousClock.now
    var request = request
    let path = request.uri.path
    let segments = path.split(separator: "/", omittingEmptySubsequences: true).map {
      String($0).removingPercentEncoding ?? String($0)
    }
    let lower = segments.map { $0.lowercased() }
    let response: Response
    do {
      if lower.first == "api" {
        response = try await service.api(&request, segments: segments, context: context)
      } else if lower.first == "blob" {
        response = try await service.blob(request, segments: segments)
      } else if lower.first == "_emulator" {
        response = try await service.admin(&request, segments: segments, context: context)
      } else if lower.first == "devicelogin" {
        response = try await service.deviceLogin(&request, context: context)
      } else if lower.isEmpty {
        response = Response.json(
          .object([
            ("service", .string("lr Defender for Endpoint emulator")),
            ("scenario", .string(service.scenario.name)),
            ("tenant", .string(service.scenario.tenant)),
            ("tenantId", .string(service.tenantId)),
          ]))
      } else if lower.first == "common", lower.count >= 2, lower[1] == "discovery" {
        response = service.instanceDiscovery(request)
      } else {
        response = try await service.identity(&request, segments: segments, context: context)
      }
    } catch let error as EmulatorError {
      response = error.makeResponse()
    } catch let error as ConnectionReset {
      _ = error
      context.channel.close(promise: nil)
      throw error
    }
    let elapsed = ContinuousClock.now - started
    service.logger.info(
      "\(request.method) \(request.uri.string) -> \(response.status.code) (\(elapsed.formatted(.units(allowed: [.milliseconds]))))"
    )
    return response
  }
}

/// Thrown to drop the connection without a response (fault injection).
struct ConnectionReset: Error {}

extension Response {
  /// A JSON response.
  static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
  }
}

extension Request {
  /// Collects the body (up to `limit` bytes).
  mutating func bodyBytes(limit: Int) async throws -> [UInt8] {
    var buffer = try await collectBody(upTo: limit)
    return buffer.readBytes(length: buffer.readableBytes) ?? []
  }
}
