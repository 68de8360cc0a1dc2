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

  /// Whether a byte is an ASCII digit.
  static func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }

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
    let n = source.bytes.count
    var tokens: [Token] = []
    tokens.reserveCapacity((n - offset) / 5 + 1)
    var i = offset
    while i < n {
      let scanned = scan(at: i)
      if let kind = scanned.kind {
        tokens.append(Token(kind: kind, range: i..<scanned.end, isTerminated: scanned.terminated))
      }
      i = scanned.end
    }
    tokens.append(Token(kind: .endOfFile, range: n..<n))
    return tokens
  }

  /// The token starting at `start` (nil for white space) and where it ends.
  private func scan(at start: Int) -> (kind: TokenKind?, end: Int, terminated: Bool) {
    let bytes = source.bytes
    let n = bytes.count
    let b = bytes[start]
    switch b {
    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
      return (nil, start + 1, true)
    case UInt8(ascii: "\n"):
      return (.newline, start + 1, true)
    case UInt8(ascii: "#"):
      return (.comment, firstNewline(from: start, upTo: n), true)
    case UInt8(ascii: "\""):
      let (end, terminated) = scanDoubleQuoted(from: start + 1)
      return (.string, terminated ? end : firstNewline(from: start, upTo: end), terminated)
    case UInt8(ascii: "'"):
      let (end, terminated) = scanRawString(from: start + 1)
      return (.rawString, terminated ? end : firstNewline(from: start, upTo: end), terminated)
    case UInt8(ascii: "$"):
      return (.variable, variableEnd(after: start), true)
    case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"):
      let (kind, end) = comparison(at: start)
      return (kind, end, true)
    default:
      if let kind = Lexer.punctuation[b] { return (kind, start + 1, true) }
      if Lexer.isWordByte(b) {
        var i = start
        while i < n, Lexer.isWordByte(bytes[i]) { i += 1 }
        // A number's `%` is part of it: `10%`, `2.5%` (rollout options).
        if i < n, bytes[i] == UInt8(ascii: "%"), Lexer.isDigit(b) { i += 1 }
        return (.word, i, true)
      }
      // Keep a multi-byte UTF-8 sequence together (only reached for control bytes).
      return (.unknown, start + 1, true)
    }
  }

  /// The one-byte tokens.
  private static let punctuation: [UInt8: TokenKind] = [
    UInt8(ascii: ";"): .semicolon, UInt8(ascii: ","): .comma, UInt8(ascii: "("): .openParen,
    UInt8(ascii: ")"): .closeParen, UInt8(ascii: "["): .openBracket,
    UInt8(ascii: "]"): .closeBracket, UInt8(ascii: "+"): .plus,
  ]

  /// `<`, `>`, `=`, `!` alone or followed by `=` (a lone `!` is unknown).
  private func comparison(at start: Int) -> (TokenKind, Int) {
    let bytes = source.bytes
    let withEquals = start + 1 < bytes.count && bytes[start + 1] == UInt8(ascii: "=")
    switch bytes[start] {
    case UInt8(ascii: "<"): return withEquals ? (.lessEqual, start + 2) : (.openBlock, start + 1)
    case UInt8(ascii: ">"):
      return withEquals ? (.greaterEqual, start + 2) : (.closeBlock, start + 1)
    case UInt8(ascii: "="): return withEquals ? (.equalEqual, start + 2) : (.equals, start + 1)
    default: return withEquals ? (.notEqual, start + 2) : (.unknown, start + 1)
    }
  }

  /// The end of a `$name.field` or `${name.field}` variable starting at `start`.
  private func variableEnd(after start: Int) -> Int {
    let bytes = source.bytes
    let n = bytes.count
    var i = start + 1
    if i < n, bytes[i] == UInt8(ascii: "{") {
      // `${name}` outside a string: accept as a variable.
      i += 1
      while i < n, Lexer.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
      if i < n, bytes[i] == UInt8(ascii: "}") { i += 1 }
    } else {
      while i < n, Lexer.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
    }
    return i
  }

  /// Scans a raw string body from just after the opening quote (`''` is a quote).
  private func scanRawString(from offset: Int) -> (end: Int, terminated: Bool) {
    let bytes = source.bytes
    let n = bytes.count
    var i = offset
    while i < n {
      if bytes[i] == UInt8(ascii: "'") {
        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "'") {
          i += 2
          continue
        }
        return (i + 1, true)
      }
      i += 1
    }
    return (i, false)
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
