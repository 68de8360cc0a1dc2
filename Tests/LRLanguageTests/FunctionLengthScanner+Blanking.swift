extension FunctionLengthScanner {
  /// `bytes` with every comment and string literal replaced by spaces (newlines kept), so that
  /// braces inside them do not count.
  static func blanked(_ bytes: [UInt8]) -> [UInt8] {
    var output = bytes
    var index = 0
    while index < bytes.count {
      let end = literalEnd(bytes, at: index)
      if end > index {
        for position in index..<end where output[position] != UInt8(ascii: "\n") {
          output[position] = UInt8(ascii: " ")
        }
        index = end
      } else {
        index += 1
      }
    }
    return output
  }

  /// The end of the comment or string literal starting at `index`, or `index` when none does.
  static func literalEnd(_ bytes: [UInt8], at index: Int) -> Int {
    if starts(bytes, "//", at: index) {
      return bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    }
    if starts(bytes, "/*", at: index) { return blockCommentEnd(bytes, at: index) }
    var hashes = 0
    while index + hashes < bytes.count, bytes[index + hashes] == UInt8(ascii: "#") { hashes += 1 }
    guard index + hashes < bytes.count, bytes[index + hashes] == UInt8(ascii: "\"") else {
      return index
    }
    let multiline = starts(bytes, "\"\"\"", at: index + hashes)
    let open = index + hashes + (multiline ? 3 : 1)
    return stringEnd(bytes, from: open, hashes: hashes, multiline: multiline)
  }

  /// The end of a (possibly nested) block comment.
  static func blockCommentEnd(_ bytes: [UInt8], at index: Int) -> Int {
    var depth = 0
    var position = index
    while position < bytes.count {
      if starts(bytes, "/*", at: position) {
        depth += 1
        position += 2
      } else if starts(bytes, "*/", at: position) {
        depth -= 1
        position += 2
        if depth == 0 { return position }
      } else {
        position += 1
      }
    }
    return bytes.count
  }

  /// The end of a string literal whose content starts at `open`; interpolations are skipped by
  /// balancing their parentheses.
  static func stringEnd(_ bytes: [UInt8], from open: Int, hashes: Int, multiline: Bool) -> Int {
    let close = (multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
    let escape = "\\" + String(repeating: "#", count: hashes)
    var position = open
    while position < bytes.count {
      if starts(bytes, close, at: position) { return position + close.utf8.count }
      if !multiline && bytes[position] == UInt8(ascii: "\n") { return position }
      if starts(bytes, escape, at: position) {
        position += escape.utf8.count
        if position < bytes.count, bytes[position] == UInt8(ascii: "(") {
          position = interpolationEnd(bytes, at: position)
        } else {
          position += 1
        }
        continue
      }
      position += 1
    }
    return bytes.count
  }

  /// The position after the parenthesis closing the interpolation opened at `index`.
  static func interpolationEnd(_ bytes: [UInt8], at index: Int) -> Int {
    var depth = 0
    var position = index
    while position < bytes.count {
      let end = position > index ? literalEnd(bytes, at: position) : position
      if end > position {
        position = end
        continue
      }
      if bytes[position] == UInt8(ascii: "(") { depth += 1 }
      if bytes[position] == UInt8(ascii: ")") {
        depth -= 1
        if depth == 0 { return position + 1 }
      }
      position += 1
    }
    return bytes.count
  }

  /// True when `bytes` holds `text` at `index`.
  static func starts(_ bytes: [UInt8], _ text: String, at index: Int) -> Bool {
    let pattern = Array(text.utf8)
    guard index + pattern.count <= bytes.count else { return false }
    return Array(bytes[index..<index + pattern.count]) == pattern
  }
}
