import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import LiveResponse
import Logging
import NIOCore

/// Routes every request: identity (`/{tenant}/...`), API (`/api`, `/api/v1.0`, any case),
/// result blobs (`/blob/...`), the device login page and the admin endpoint (`/_emulator`).
struct EmulatorResponder: HTTPResponder {
  typealias Context = EmulatorRequestContext
  let service: EmulatorService

  func respond(to request: Request, context: Context) async throws -> Response {
    let started = ContinuousClock.now
    let line = "\(request.method) \(Self.loggable(request.uri))"
    func log(_ outcome: String) {
      let elapsed = ContinuousClock.now - started
      service.logger.info(
        "\(line) -> \(outcome) (\(elapsed.formatted(.units(allowed: [.milliseconds]))))")
    }
    let response: Response
    do {
      response = try await route(request, context: context)
    } catch is ConnectionReset {
      log("connection reset (injected)")
      context.channel.close(promise: nil)
      throw ConnectionReset()
    } catch {
      // The connection went away mid-request, or something unforeseen: still one log line.
      log("error (\(error))")
      throw error
    }
    log("\(response.status.code)")
    return response
  }

  /// Resolves the route, serves it and counts the answer (``EmulatorStats/responses``).
  private func route(_ request: Request, context: Context) async throws -> Response {
    let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true).map {
      String($0).removingPercentEncoding ?? String($0)
    }
    let resolution = EmulatorRoutes.resolve(
      method: request.method, segments: segments.map { $0.lowercased() })
    let response: Response
    do {
      response = try await serve(request, resolution, segments: segments, context: context)
    } catch let error as EmulatorError {
      response = error.makeResponse()
    } catch let error as any HTTPResponseError {
      // Hummingbird's own errors (a malformed request) in the API's error shape.
      response = EmulatorError(
        status: error.status, code: error.status.code < 500 ? "BadRequest" : "InternalServerError",
        message: error.status.reasonPhrase
      ).makeResponse()
    }
    var key = "unmatched"
    if case .route(let route) = resolution { key = route.description }
    await service.state.countResponse(route: key, status: Int(response.status.code))
    return response
  }

  /// Serves a resolved request: anything no route matches is refused here.
  private func serve(
    _ incoming: Request, _ resolution: EmulatorRoutes.Resolution, segments: [String],
    context: Context
  ) async throws -> Response {
    var request = incoming
    switch resolution {
    case .notFound(.blob):
      return EmulatorService.storageError(
        .notFound, "BlobNotFound", "The specified blob does not exist.")
    case .methodNotAllowed(.blob):
      return EmulatorService.storageError(
        .methodNotAllowed, "UnsupportedHttpVerb",
        "The resource doesn't support specified Http Verb.")
    case .notFound:
      throw EmulatorError.generalNotFound
    case .methodNotAllowed:
      throw EmulatorError.methodNotAllowed
    case .route(let route):
      do {
        return try await dispatch(route, &request, segments: segments, context: context)
      } catch let error as BodyTooLarge {
        let limit = "\(error.limit / 1_048_576) MB"
        switch route.family {
        case .identity, .deviceLogin, .instanceDiscovery:
          return service.entraError(
            .badRequest, "invalid_request", 90013,
            "The request body is larger than the \(limit) this endpoint accepts.")
        default:
          throw EmulatorError.invalidRequestBody(
            "The request body is larger than the \(limit) this endpoint accepts")
        }
      }
    }
  }

  private func dispatch(
    _ route: EmulatorRoute, _ request: inout Request, segments: [String], context: Context
  ) async throws -> Response {
    switch route.family {
    case .api:
      let response = try await service.api(&request, segments: segments, context: context)
      try await service.loseAnswerIfInjected()
      return response
    case .blob:
      return try await service.blob(request, segments: segments)
    case .admin:
      return try await service.admin(&request, segments: segments, context: context)
    case .deviceLogin:
      return try await service.deviceLogin(&request, context: context)
    case .instanceDiscovery:
      return service.instanceDiscovery(request)
    case .identity:
      return try await service.identity(&request, segments: segments, context: context)
    case .root:
      return Response.json(
        .object([
          ("service", .string("lr Defender for Endpoint emulator")),
          ("scenario", .string(service.scenario.name)),
          ("tenant", .string(service.scenario.tenant)),
          ("tenantId", .string(service.tenantId)),
        ]))
    }
  }

  /// Query parameters whose values are credentials (never logged).
  static let secretParameters: Set<String> = [
    "sig", "client_secret", "client_assertion", "assertion", "code", "device_code", "user_code",
    "access_token", "refresh_token", "id_token", "password", "token",
  ]

  /// The path and query for the request log, with credential values replaced by `REDACTED`.
  static func loggable(_ uri: URI) -> String {
    let query = uri.query ?? ""
    guard !query.isEmpty else { return uri.path }
    let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
      let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = String(kv[0])
      let name = (key.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? key)
        .lowercased()
      guard kv.count == 2, secretParameters.contains(name) else { return String(pair) }
      return key + "=REDACTED"
    }
    return uri.path + "?" + parts.joined(separator: "&")
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

/// Thrown when a request body is larger than the endpoint reads. Nothing lets it reach the HTTP
/// server (whose 413 page is not the API's shape): the responder answers it in the shape of the
/// route's family, and library uploads as an over-size file.
struct BodyTooLarge: Error {
  /// The most the endpoint reads, in bytes.
  var limit: Int
}

extension Request {
  /// How much of an over-size body is still read (and discarded) so that the client, still
  /// sending, receives the error instead of a reset connection.
  static let drainLimit = 256 * 1024 * 1024

  /// Collects the body; throws ``BodyTooLarge`` when it exceeds `limit` bytes.
  mutating func bodyBytes(limit: Int) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    var total = 0
    for try await chunk in body {
      total += chunk.readableBytes
      if total <= limit {
        bytes.append(contentsOf: chunk.readableBytesView)
      } else if total > limit + Self.drainLimit {
        break
      }
    }
    body = .init(buffer: ByteBuffer())
    guard total <= limit else { throw BodyTooLarge(limit: limit) }
    return bytes
  }
}
