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

/// Any JSON value (for parameters the server does not model).
public enum LSPAny: Codable, Hashable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([LSPAny])
  case object([String: LSPAny])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int.self) {
      self = .int(i)
    } else if let d = try? container.decode(Double.self) {
      self = .double(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([LSPAny].self) {
      self = .array(a)
    } else {
      self = .object(try container.decode([String: LSPAny].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .int(let i): try container.encode(i)
    case .double(let d): try container.encode(d)
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o): try container.encode(o)
    }
  }
}

/// An empty object (`{}`), for parameters and results without fields.
public struct EmptyObject: Codable, Hashable, Sendable {
  /// Creates an empty object.
  public init() {}
}
