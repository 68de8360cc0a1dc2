/// Splits `.lr` bytes into tokens. Never fails: unknown bytes become `.unknown` tokens.
public struct Lexer: Sendable {
  public let source: SourceFile

  public init(source: SourceFile) {
    self.source = source
  }

  /// Whether a byte may appear in a bare word.
  static func isWordByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"),
      UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: ":"),
      UInt8(ascii: "\\"):
      return true
    default:
      return b >= 0x80
    }
  }

  /// Whether a byte may appear in a variable name after `$`.
  static func isNameByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
      return true
    default:
      return false
    }
  }

  /// All tokens, ending with exactly one `.endOfFile`.
  public func tokenize() -> [Token] { tokenize(from: 0) }

  /// The tokens from an offset where a token (or white space) starts to the end of the file.
  func tokenize(from offset: Int) -> [Token] {
    let bytes = source.bytes
    let n = bytes.count
    var tokens: [Token] = []
    tokens.reserveCapacity((n - offset) / 5 + 1)
    var i = offset
    while i < n {
      let b = bytes[i]
      let start = i
      switch b {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
        i += 1
      case UInt8(ascii: "\n"):
        i += 1
        tokens.append(Token(kind: .newline, range: start..<i))
      case UInt8(ascii: "#"):
        while i < n, bytes[i] != UInt8(ascii: "\n") { i += 1 }
        tokens.append(Token(kind: .comment, range: start..<i))
      case UInt8(ascii: "\""):
        let (end, terminated) = scanDoubleQuoted(from: i + 1)
        i = terminated ? end : firstNewline(from: start, upTo: end)
        tokens.append(Token(kind: .string, range: start..<i, isTerminated: terminated))
      case UInt8(ascii: "'"):
        var terminated = false
        i += 1
        while i < n {
          if bytes[i] == UInt8(ascii: "'") {
            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "'") {
              i += 2
              continue
            }
            i += 1
            terminated = true
            break
          }
          i += 1
        }
        if !terminated { i = firstNewline(from: start, upTo: i) }
        tokens.append(Token(kind: .rawString, range: start..<i, isTerminated: terminated))
      case UInt8(ascii: "$"):
        i += 1
        if i < n, bytes[i] == UInt8(ascii: "{") {
          // `${name}` outside a string: accept as a variable.
          i += 1
          while i < n, Lexer.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
          if i < n, bytes[i] == UInt8(ascii: "}") { i += 1 }
        } else {
          while i < n, Lexer.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
        }
        tokens.append(Token(kind: .variable, range: start..<i))
      case UInt8(ascii: "<"):
        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "=") {
          i += 2
          tokens.append(Token(kind: .lessEqual, range: start..<i))
        } else {
          i += 1
          tokens.append(Token(kind: .openBlock, range: start..<i))
        }
      case UInt8(ascii: ">"):
        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "=") {
          i += 2
          tokens.append(Token(kind: .greaterEqual, range: start..<i))
        } else {
          i += 1
          tokens.append(Token(kind: .closeBlock, range: start..<i))
        }
      case UInt8(ascii: "="):
        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "=") {
          i += 2
          tokens.append(Token(kind: .equalEqual, range: start..<i))
        } else {
          i += 1
          tokens.append(Token(kind: .equals, range: start..<i))
        }
      case UInt8(ascii: "!"):
        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "=") {
          i += 2
          tokens.append(Token(kind: .notEqual, range: start..<i))
        } else {
          i += 1
          tokens.append(Token(kind: .unknown, range: start..<i))
        }
      case UInt8(ascii: ";"): i += 1; tokens.append(Token(kind: .semicolon, range: start..<i))
      case UInt8(ascii: ","): i += 1; tokens.append(Token(kind: .comma, range: start..<i))
      case UInt8(ascii: "("): i += 1; tokens.append(Token(kind: .openParen, range: start..<i))
      case UInt8(ascii: ")"): i += 1; tokens.append(Token(kind: .closeParen, range: start..<i))
      case UInt8(ascii: "["): i += 1; tokens.append(Token(kind: .openBracket, range: start..<i))
      case UInt8(ascii: "]"): i += 1; tokens.append(Token(kind: .closeBracket, range: start..<i))
      case UInt8(ascii: "+"): i += 1; tokens.append(Token(kind: .plus, range: start..<i))
      default:
        if Lexer.isWordByte(b) {
          while i < n, Lexer.isWordByte(bytes[i]) { i += 1 }
          tokens.append(Token(kind: .word, range: start..<i))
        } else {
          i += 1
          // Keep a multi-byte UTF-8 sequence together (only reached for control bytes).
          tokens.append(Token(kind: .unknown, range: start..<i))
        }
      }
    }
    tokens.append(Token(kind: .endOfFile, range: n..<n))
    return tokens
  }

  /// An unterminated string ends at its first line break, so the lines after it still parse.
  private func firstNewline(from start: Int, upTo end: Int) -> Int {
    var j = start
    while j < end, source.bytes[j] != UInt8(ascii: "\n") { j += 1 }
    return j
  }

  /// Scans a double-quoted string body from just after the opening quote.
  private func scanDoubleQuoted(from offset: Int) -> (end: Int, terminated: Bool) {
    let bytes = source.bytes
    let n = bytes.count
    var i = offset
    var braceDepth = 0
    while i < n {
      let b = bytes[i]
      if braceDepth > 0 {
        if b == UInt8(ascii: "}") { braceDepth -= 1 }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") {
          braceDepth = 0
        } else {
          i += 1
          continue
        }
      }
      switch b {
      case UInt8(ascii: "\\"):
        i += 2
      case UInt8(ascii: "\""):
        return (i + 1, true)
      case UInt8(ascii: "$") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "{"):
        braceDepth = 1
        i += 2
      default:
        i += 1
      }
    }
    return (n, false)
  }
}
