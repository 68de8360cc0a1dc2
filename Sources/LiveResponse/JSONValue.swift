/// A JSON value whose objects keep their key order, so output matches documented bodies byte for
/// byte: the one JSON value of lr, its emulator and its language server.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  /// An integer.
  case number(Int)
  /// A number with a fraction or out of `Int`'s range.
  case double(Double)
  case string(String)
  /// A string given as bytes: valid UTF-8 is written like `.string`, invalid bytes are copied raw
  /// (the emulator's transcripts of scripts that print arbitrary bytes).
  case rawBytes([UInt8])
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Structural equality (object members compared in order).
  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): true
    case (.bool(let x), .bool(let y)): x == y
    case (.number(let x), .number(let y)): x == y
    case (.double(let x), .double(let y)): x == y
    case (.string(let x), .string(let y)): x == y
    case (.rawBytes(let x), .rawBytes(let y)): x == y
    case (.array(let x), .array(let y)): x == y
    case (.object(let x), .object(let y)):
      x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  /// Hashes the compact serialization.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(encoded())
  }

  /// The member named `key` (exact case) of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  /// The member named `key` ignoring case, or nil.
  public func member(ignoringCase key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    let lower = key.lowercased()
    return members.first { $0.0.lowercased() == lower }?.1
  }

  /// The string payload, if this is a string.
  public var stringValue: String? {
    switch self {
    case .string(let s): s
    case .rawBytes(let b): String(decoding: b, as: UTF8.self)
    default: nil
    }
  }

  /// The array payload, if this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// The members, if this is an object.
  public var objectValue: [(String, JSONValue)]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// The number as an `Int`, if this is an integer (or a double without a fraction).
  public var intValue: Int? {
    switch self {
    case .number(let n): n
    case .double(let d): d.rounded() == d && abs(d) < 9e15 ? Int(d) : nil
    default: nil
    }
  }

  /// The number as a `Double`, if this is a number.
  public var doubleValue: Double? {
    switch self {
    case .number(let n): Double(n)
    case .double(let d): d
    default: nil
    }
  }

  /// The Boolean, if this is one.
  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }
}
