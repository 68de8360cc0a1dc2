extension JSONValue {
  /// Parses JSON text (RFC 8259), keeping object members in their order; nil when the bytes are
  /// not one JSON value (or nest deeper than `maxDepth`).
  public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 512) -> JSONValue? {
    var parser = JSONParser(bytes: Array(bytes), maxDepth: maxDepth)
    guard let value = try? parser.parseDocument() else { return nil }
    return value
  }

  /// Parses JSON text.
  public static func parse(_ text: String) -> JSONValue? { parse(Array(text.utf8)) }
}

/// Why a text is not JSON (the parser only reports that it is not).
struct JSONSyntaxError: Error {}

/// A recursive-descent JSON parser over bytes with a nesting limit.
struct JSONParser {
  let bytes: [UInt8]
  let maxDepth: Int
  var i = 0
  var depth = 0

  init(bytes: [UInt8], maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
    let value = try parseValue()
    skipSpace()
    guard i == bytes.count else { throw JSONSyntaxError() }
    return value
  }

  mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
  }

  mutating func expect(_ word: String) throws(JSONSyntaxError) {
    for byte in word.utf8 {
      guard i < bytes.count, bytes[i] == byte else { throw JSONSyntaxError() }
      i += 1
    }
  }

  mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    skipSpace()
    guard i < bytes.count else { throw JSONSyntaxError() }
    switch bytes[i] {
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "["): return try nested { (p) throws(JSONSyntaxError) in try p.parseArray() }
    case UInt8(ascii: "{"): return try nested { (p) throws(JSONSyntaxError) in try p.parseObject() }
    default: return try parseNumber()
    }
  }

  mutating func nested(
    _ body: (inout JSONParser) throws(JSONSyntaxError) -> JSONValue
  ) throws(JSONSyntaxError) -> JSONValue {
    depth += 1
    guard depth <= maxDepth else { throw JSONSyntaxError() }
    defer { depth -= 1 }
    return try body(&self)
  }

  mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    i += 1
    var items: [JSONValue] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      return .array(items)
    }
    while true {
      items.append(try parseValue())
      skipSpace()
      guard i < bytes.count else { throw JSONSyntaxError() }
      i += 1
      if bytes[i - 1] == UInt8(ascii: "]") { return .array(items) }
      guard bytes[i - 1] == UInt8(ascii: ",") else { throw JSONSyntaxError() }
    }
  }

  mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    i += 1
    var members: [(String, JSONValue)] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw JSONSyntaxError() }
      let key = try parseString()
      skipSpace()
      try expect(":")
      members.append((key, try parseValue()))
      skipSpace()
      guard i < bytes.count else { throw JSONSyntaxError() }
      i += 1
      if bytes[i - 1] == UInt8(ascii: "}") { return .object(members) }
      guard bytes[i - 1] == UInt8(ascii: ",") else { throw JSONSyntaxError() }
    }
  }

  mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
    let start = i
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
    let digitsStart = i
    while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
    let intDigits = i - digitsStart
    guard intDigits > 0, intDigits == 1 || bytes[digitsStart] != 0x30 else {
      throw JSONSyntaxError()
    }
    var isInteger = true
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      isInteger = false
      i += 1
      try digits()
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      isInteger = false
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      try digits()
    }
    let text = String(decoding: bytes[start..<i], as: UTF8.self)
    if isInteger, let n = Int(text) { return .number(n) }
    guard let d = Double(text) else { throw JSONSyntaxError() }
    return .double(d)
  }

  mutating func digits() throws(JSONSyntaxError) {
    let start = i
    while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
    guard i > start else { throw JSONSyntaxError() }
  }

  mutating func parseString() throws(JSONSyntaxError) -> String {
    i += 1
    var out: [UInt8] = []
    while i < bytes.count {
      let byte = bytes[i]
      switch byte {
      case UInt8(ascii: "\""):
        i += 1
        guard let text = String(validating: out, as: UTF8.self) else { throw JSONSyntaxError() }
        return text
      case UInt8(ascii: "\\"):
        i += 1
        try parseEscape(into: &out)
      case 0..<0x20:
        throw JSONSyntaxError()
      default:
        out.append(byte)
        i += 1
      }
    }
    throw JSONSyntaxError()
  }

  mutating func parseEscape(into out: inout [UInt8]) throws(JSONSyntaxError) {
    guard i < bytes.count else { throw JSONSyntaxError() }
    let simple: [UInt8: UInt8] = [
      0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D,
      0x74: 0x09,
    ]
    if let byte = simple[bytes[i]] {
      out.append(byte)
      i += 1
      return
    }
    guard bytes[i] == UInt8(ascii: "u") else { throw JSONSyntaxError() }
    i += 1
    var value = try hex4()
    if (0xD800..<0xDC00).contains(value) {
      try expect("\\u")
      let low = try hex4()
      guard (0xDC00..<0xE000).contains(low) else { throw JSONSyntaxError() }
      value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
    }
    guard let scalar = Unicode.Scalar(value), let encoded = UTF8.encode(scalar) else {
      throw JSONSyntaxError()
    }
    out.append(contentsOf: encoded)
  }

  mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard i + 4 <= bytes.count,
      let value = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
    else { throw JSONSyntaxError() }
    i += 4
    return value
  }
}
