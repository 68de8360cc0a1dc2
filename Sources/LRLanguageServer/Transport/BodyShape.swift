/// Whether a frame's body is one JSON value, as far as framing can tell: the brackets and strings of
/// an object or array balance exactly at its end. (Whether it is valid JSON the server decides.)
enum BodyShape: Equatable {
  /// One object or array, or something else that starts like JSON (or nothing): deliver it.
  case whole
  /// Does not start like JSON.
  case notJSON
  /// Ends inside an object or array.
  case truncated
  /// An object or array ends before the body does; the rest starts at this offset.
  case trailing(Int)

  init(_ body: [UInt8]) {
    self = body.withUnsafeBufferPointer { BodyShape.scan($0) }
  }

  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  static func scan(_ body: UnsafeBufferPointer<UInt8>) -> BodyShape {
    guard let start = body.firstIndex(where: { !isSpace($0) }) else { return .whole }
    switch body[start] {
    case UInt8(ascii: "{"), UInt8(ascii: "["): break
    case UInt8(ascii: "\""), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      return .whole
    default: return .notJSON
    }
    var depth = 0
    var inString = false
    var escaped = false
    var i = start
    while i < body.count {
      let byte = body[i]
      i += 1
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 {
          return body[i...].allSatisfy(isSpace) ? .whole : .trailing(i)
        }
      default: break
      }
    }
    return .truncated
  }
}
