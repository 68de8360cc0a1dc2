import Foundation

/// A JSON value whose objects keep their key order, so entities serialize as documented.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  /// A string whose bytes are written as-is (valid UTF-8 escaped, invalid bytes copied raw).
  case rawBytes([UInt8])
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Structural equality (object members compared in order).
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.rawBytes(let a), .rawBytes(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The member named `key` (exact case) of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  /// The member named `key` ignoring case, or nil.
  func member(ignoringCase key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    let lower = key.lowercased()
    return members.first { $0.0.lowercased() == lower }?.1
  }

  /// The string payload, if this is a string.
  public var stringValue: String? {
    switch self {
    case .string(let s): return s
    case .rawBytes(let b): return String(decoding: b, as: UTF8.self)
    default: return nil
    }
  }

  /// The array payload, if this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  /// Serialized compact JSON bytes.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(to: &out)
    return out
  }

  /// Serialized compact JSON text.
  public var jsonString: String { String(decoding: encoded(), as: UTF8.self) }

  private func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: Array("null".utf8))
    case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
    case .int(let i): out.append(contentsOf: Array(String(i).utf8))
    case .double(let d):
      if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
        out.append(contentsOf: Array(String(Int64(d)).utf8))
      } else if d.isFinite {
        out.append(contentsOf: Array("\(d)".utf8))
      } else {
        out.append(contentsOf: Array("null".utf8))
      }
    case .string(let s): Self.writeString(Array(s.utf8), to: &out)
    case .rawBytes(let b): Self.writeString(b, to: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        item.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        Self.writeString(Array(key.utf8), to: &out)
        out.append(UInt8(ascii: ":"))
        value.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  private static func writeString(_ bytes: [UInt8], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
      case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
      case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
      case 0..<0x20, 0x7F:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0xF)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

extension JSONValue: Decodable {
  /// Decodes from JSON; omitted fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int64.self) {
      self = .int(i)
    } else if let d = try? container.decode(Double.self) {
      self = .double(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else {
      let dict = try container.decode([String: JSONValue].self)
      self = .object(dict.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
  }

  /// Parses JSON bytes; nil when they are not JSON.
  static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
  }
}
