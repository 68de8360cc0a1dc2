import Foundation
import HTTPTypes
import Hummingbird
import LiveResponse

/// An API error rendered exactly as the service does: `{"error":{"code","message","target"}}`.
struct EmulatorError: HTTPResponseError {
  /// HTTP status.
  var status: HTTPResponse.Status
  /// Service error code (`ResourceNotFound`, `InvalidRequestBody`, …).
  var code: String
  /// Human-readable message.
  var message: String
  /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
  var headers: HTTPFields = [:]

  func response(from request: Request, context: some RequestContext) throws -> Response {
    makeResponse()
  }

  /// The response with a fresh correlation id in `target`.
  func makeResponse() -> Response {
    let body: JSONValue = .object([
      (
        "error",
        .object([
          ("code", .string(code)), ("message", .string(message)),
          ("target", .string(UUID().uuidString.lowercased())),
        ])
      )
    ])
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(
      status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body.encoded())))
  }

  static func badRequest(_ message: String = "General Bad Request") -> EmulatorError {
    .init(status: .badRequest, code: "BadRequest", message: message)
  }
  static func invalidRequestBody(_ message: String = "Invalid request body") -> EmulatorError {
    .init(status: .badRequest, code: "InvalidRequestBody", message: message)
  }
  static func missingParameter(_ name: String) -> EmulatorError {
    .init(
      status: .badRequest, code: "MissingRequiredParameter",
      message: "Parameter \(name) is missing")
  }
  static func invalidInput(_ message: String) -> EmulatorError {
    .init(status: .badRequest, code: "InvalidInput", message: "Invalid input \(message)")
  }
  static func odata(_ message: String) -> EmulatorError {
    .init(status: .badRequest, code: "ODataError", message: "Invalid OData URI query: \(message)")
  }
  static let activeRequest = EmulatorError(
    status: .badRequest, code: "ActiveRequestAlreadyExists",
    message: "Action is already in progress")
  /// A device that is not onboarded (`onboardingStatus` other than `Onboarded`), in the
  /// service's documented wording.
  static let clientVersionNotSupported = EmulatorError(
    status: .badRequest, code: "ClientVersionNotSupported",
    message: "LiveResponse is supported on client version 10.6000.0.0 and above")
  static func osPlatformNotSupported(_ platform: String) -> EmulatorError {
    .init(
      status: .badRequest, code: "OsPlatformNotSupported",
      message: "OS Platform \(platform) isn't supported for this action")
  }
  /// A token issued for an audience the API does not serve.
  static let audienceRejected = EmulatorError(
    status: .forbidden, code: "Forbidden",
    message: "The access token's audience is not valid for this API")
  static func unauthorized(_ message: String) -> EmulatorError {
    .init(
      status: .unauthorized, code: "Unauthorized", message: message,
      headers: [.wwwAuthenticate: "Bearer"])
  }
  static func forbidden(_ roles: [String]) -> EmulatorError {
    .init(
      status: .forbidden, code: "Forbidden",
      message:
        "The application does not have any of the required permissions (\(roles.joined(separator: ", "))) to access the resource."
    )
  }
  static func disallowed(_ message: String) -> EmulatorError {
    .init(status: .forbidden, code: "DisallowedOperation", message: message)
  }
  static func notFound(_ what: String) -> EmulatorError {
    .init(status: .notFound, code: "ResourceNotFound", message: "\(what) was not found")
  }
  static let generalNotFound = EmulatorError(
    status: .notFound, code: "NotFound", message: "General Not Found")
  static let methodNotAllowed = EmulatorError(
    status: .methodNotAllowed, code: "MethodNotAllowed",
    message: "The requested resource does not support this http method")
  static func tooManyRequests(retryAfter: Int, message: String) -> EmulatorError {
    .init(
      status: .tooManyRequests, code: "TooManyRequests", message: message,
      headers: [.retryAfter: String(max(1, retryAfter))])
  }
  static let internalError = EmulatorError(
    status: .internalServerError, code: "InternalServerError", message: "")
}
