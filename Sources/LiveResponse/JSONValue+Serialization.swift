extension JSONValue {
  /// Compact (one line) or indented text. When indented, the value of a member named in
  /// `compactMembers` is written compact (an array: one compact item per line), so that, for
  /// example, each request body of a plan reads exactly as it is POSTed.
  public func serialized(pretty: Bool = false, compactMembers: Set<String> = []) -> String {
    String(decoding: encoded(pretty: pretty, compactMembers: compactMembers), as: UTF8.self)
  }

  /// The serialized bytes (as `serialized`; invalid bytes of a `.rawBytes` are copied raw).
  public func encoded(pretty: Bool = false, compactMembers: Set<String> = []) -> [UInt8] {
    var writer = JSONWriter(pretty: pretty, compactMembers: compactMembers)
    writer.append(self, indent: 0)
    return writer.out
  }

  /// Compact JSON text.
  public var jsonString: String { serialized() }

  /// Whether a character is written `\uXXXX`: C0 and C1 controls, DEL, the line and paragraph
  /// separators, bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069) and zero-width
  /// characters (U+200B–200D, U+2060, U+FEFF), so that no JSON lr prints can reorder or hide text.
  public static func escapesAsUnicode(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x20, 0x7F..<0xA0, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060, 0x2066...0x2069,
      0xFEFF:
      true
    default: false
    }
  }

  /// A string as a JSON string literal (quotes included), escaped as every value is.
  public static func quoted(_ s: String) -> String {
    var writer = JSONWriter(pretty: false, compactMembers: [])
    writer.writeString(s)
    return String(decoding: writer.out, as: UTF8.self)
  }
}

/// Writes JSON bytes: compact, or indented two spaces with some members kept compact.
struct JSONWriter {
  var out: [UInt8] = []
  let pretty: Bool
  let compactMembers: Set<String>

  init(pretty: Bool, compactMembers: Set<String>) {
    self.pretty = pretty
    self.compactMembers = compactMembers
    out.reserveCapacity(256)
  }

  mutating func append(_ text: String) { out.append(contentsOf: text.utf8) }

  mutating func newline(_ indent: Int) {
    out.append(0x0A)
    out.append(contentsOf: repeatElement(0x20, count: indent * 2))
  }

  mutating func append(_ value: JSONValue, indent: Int, compact: Bool = false) {
    let pretty = self.pretty && !compact
    switch value {
    case .null: append("null")
    case .bool(let b): append(b ? "true" : "false")
    case .number(let n): append(String(n))
    case .double(let d): writeDouble(d)
    case .string(let s): writeString(s)
    case .rawBytes(let bytes): writeRawString(bytes)
    case .array(let items):
      if items.isEmpty { return append("[]") }
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        if pretty { newline(indent + 1) }
        append(item, indent: indent + 1, compact: compact)
      }
      if pretty { newline(indent) }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty { return append("{}") }
      out.append(UInt8(ascii: "{"))
      for (i, (key, member)) in members.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        if pretty { newline(indent + 1) }
        writeString(key)
        append(pretty ? ": " : ":")
        if pretty, compactMembers.contains(key) {
          writeCompactMember(member, indent: indent)
        } else {
          append(member, indent: indent + 1, compact: compact)
        }
      }
      if pretty { newline(indent) }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// A member kept compact: an array as one compact item per line, anything else on one line.
  mutating func writeCompactMember(_ value: JSONValue, indent: Int) {
    guard case .array(let items) = value, !items.isEmpty else {
      return append(value, indent: 0, compact: true)
    }
    out.append(UInt8(ascii: "["))
    for (j, item) in items.enumerated() {
      if j > 0 { out.append(UInt8(ascii: ",")) }
      newline(indent + 2)
      append(item, indent: 0, compact: true)
    }
    newline(indent + 1)
    out.append(UInt8(ascii: "]"))
  }

  mutating func writeDouble(_ d: Double) {
    if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
      append(String(Int64(d)))
    } else if d.isFinite {
      append("\(d)")
    } else {
      append("null")
    }
  }

  mutating func writeString(_ s: String) {
    out.append(UInt8(ascii: "\""))
    for scalar in s.unicodeScalars { writeScalar(scalar) }
    out.append(UInt8(ascii: "\""))
  }

  /// Valid UTF-8 sequences written as scalars; each invalid byte copied as is.
  mutating func writeRawString(_ bytes: [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var i = 0
    while i < bytes.count {
      if let (scalar, length) = UTF8Scalar.decode(bytes, at: i) {
        writeScalar(scalar)
        i += length
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  mutating func writeScalar(_ scalar: Unicode.Scalar) {
    switch scalar {
    case "\"": append("\\\"")
    case "\\": append("\\\\")
    case "\n": append("\\n")
    case "\r": append("\\r")
    case "\t": append("\\t")
    case "\u{08}": append("\\b")
    case "\u{0C}": append("\\f")
    default:
      if JSONValue.escapesAsUnicode(scalar) {
        let hex = String(scalar.value, radix: 16)
        append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
      } else {
        out.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
      }
    }
  }
}

/// Decoding one UTF-8 sequence (shortest form, no surrogates).
enum UTF8Scalar {
  /// The scalar starting at `i` and its length in bytes, or nil when the bytes are not UTF-8.
  static func decode(_ bytes: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
    let lead = bytes[i]
    let length: Int
    let minimum: UInt32
    var value: UInt32
    switch lead {
    case 0..<0x80: return (Unicode.Scalar(lead), 1)
    case 0xC2..<0xE0: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
    case 0xE0..<0xF0: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
    case 0xF0..<0xF5: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
    default: return nil
    }
    guard i + length <= bytes.count else { return nil }
    for k in 1..<length {
      let byte = bytes[i + k]
      guard byte & 0xC0 == 0x80 else { return nil }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, length)
  }
}
