/// A request id: a number or a string.
public enum RequestID: Codable, Hashable, Sendable, CustomStringConvertible {
  /// A numeric id.
  case number(Int)
  /// A string id.
  case string(String)

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let n = try? container.decode(Int.self) {
      self = .number(n)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .number(let n): try container.encode(n)
    case .string(let s): try container.encode(s)
    }
  }

  public var description: String {
    switch self {
    case .number(let n): "\(n)"
    case .string(let s): "\"\(s)\""
    }
  }
}

/// A JSON-RPC error code.
public struct ErrorCode: RawRepresentable, Codable, Hashable, Sendable {
  /// The number.
  public var rawValue: Int
  /// Creates a code from its number.
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// The message is not valid JSON (or its framing is broken).
  public static let parseError = ErrorCode(rawValue: -32700)
  /// The JSON is not a valid request object.
  public static let invalidRequest = ErrorCode(rawValue: -32600)
  /// The method is unknown.
  public static let methodNotFound = ErrorCode(rawValue: -32601)
  /// The parameters are wrong.
  public static let invalidParams = ErrorCode(rawValue: -32602)
  /// The server failed.
  public static let internalError = ErrorCode(rawValue: -32603)
  /// A request came before `initialize`.
  public static let serverNotInitialized = ErrorCode(rawValue: -32002)
  /// The request was cancelled.
  public static let requestCancelled = ErrorCode(rawValue: -32800)
  /// The request failed for a reason the client can show (e.g. an unopened document).
  public static let requestFailed = ErrorCode(rawValue: -32803)
}

/// An error answer.
public struct ResponseError: Error, Codable, Hashable, Sendable {
  /// The code.
  public var code: ErrorCode
  /// The message.
  public var message: String

  /// Creates an error.
  public init(code: ErrorCode, message: String) {
    self.code = code
    self.message = message
  }
}

/// An empty object (`{}`), for parameters and results without fields.
public struct EmptyObject: Codable, Hashable, Sendable {
  /// Creates an empty object.
  public init() {}
}
