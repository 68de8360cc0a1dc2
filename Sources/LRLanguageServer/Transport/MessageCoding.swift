import Foundation

/// The JSON-RPC envelope of an incoming message: what kind it is, and its method and id.
struct IncomingEnvelope: Decodable {
  var method: String?
  var id: RequestID?
  var hasID: Bool
  var hasResultOrError: Bool

  enum CodingKeys: String, CodingKey {
    case method, id, result, error
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    method = try? c.decodeIfPresent(String.self, forKey: .method)
    id = try? c.decodeIfPresent(RequestID.self, forKey: .id)
    hasID = c.contains(.id)
    hasResultOrError = c.contains(.result) || c.contains(.error)
  }
}

/// Decodes `params` as a given type; absent or `null` params decode from `{}`.
struct ParamsEnvelope<Params: Decodable>: Decodable {
  var params: Params

  enum CodingKeys: String, CodingKey { case params }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if c.contains(.params), !(try c.decodeNil(forKey: .params)) {
      params = try c.decode(Params.self, forKey: .params)
    } else {
      params = try JSONDecoder().decode(Params.self, from: Data("{}".utf8))
    }
  }
}

/// A response: `{"jsonrpc":"2.0","id":…,"result":…}` (the result always present, maybe `null`).
struct ResponseMessage<Result: Encodable>: Encodable {
  var id: RequestID?
  var result: Result

  enum CodingKeys: String, CodingKey { case jsonrpc, id, result }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode("2.0", forKey: .jsonrpc)
    if let id { try c.encode(id, forKey: .id) } else { try c.encodeNil(forKey: .id) }
    try c.encode(result, forKey: .result)
  }
}

/// An error response: `{"jsonrpc":"2.0","id":…|null,"error":{"code":…,"message":…}}`.
struct ErrorResponseMessage: Encodable {
  var id: RequestID?
  var error: ResponseError

  enum CodingKeys: String, CodingKey { case jsonrpc, id, error }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode("2.0", forKey: .jsonrpc)
    if let id { try c.encode(id, forKey: .id) } else { try c.encodeNil(forKey: .id) }
    try c.encode(error, forKey: .error)
  }
}

/// A notification: `{"jsonrpc":"2.0","method":…,"params":…}`.
struct NotificationMessage<Params: NotificationType>: Encodable {
  var params: Params

  enum CodingKeys: String, CodingKey { case jsonrpc, method, params }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode("2.0", forKey: .jsonrpc)
    try c.encode(Params.method, forKey: .method)
    try c.encode(params, forKey: .params)
  }
}

/// A request (for tests and clients): `{"jsonrpc":"2.0","id":…,"method":…,"params":…}`.
public struct RequestMessage<Params: RequestType>: Encodable {
  /// The id.
  public var id: RequestID
  /// The parameters.
  public var params: Params

  /// Creates a request message.
  public init(id: RequestID, params: Params) {
    self.id = id
    self.params = params
  }

  enum CodingKeys: String, CodingKey { case jsonrpc, id, method, params }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode("2.0", forKey: .jsonrpc)
    try c.encode(id, forKey: .id)
    try c.encode(Params.method, forKey: .method)
    try c.encode(params, forKey: .params)
  }
}

/// Encodes and frames JSON-RPC messages.
public enum MessageCoding {
  /// The JSON text of a value (`{}`-safe: never throws for the server's own types).
  static func json(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    do {
      return Array(try encoder.encode(value))
    } catch {
      let message =
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"cannot encode the answer\"}}"
      return Array(message.utf8)
    }
  }

  /// A body with its `Content-Length` header.
  public static func frame(_ body: [UInt8]) -> [UInt8] {
    Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
  }

  /// The body of a request (for tests and clients).
  public static func request<R: RequestType>(_ request: R, id: RequestID) -> [UInt8] {
    json(RequestMessage(id: id, params: request))
  }

  /// The body of a notification (for tests and clients).
  public static func notification<N: NotificationType>(_ notification: N) -> [UInt8] {
    json(NotificationMessage(params: notification))
  }
}
