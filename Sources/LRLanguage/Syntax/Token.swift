/// The kinds of token the lexer produces.
public enum TokenKind: Hashable, Sendable {
  /// A bare word: keywords, identifiers, names such as `minidump.ps1`, `WS-0142`, `-Name`, `42`.
  case word
  /// `$name` or `$name.field` (the text excludes the `$`).
  case variable
  /// A double-quoted string with escapes and `${…}` interpolation.
  case string
  /// A single-quoted raw string (no escapes; `''` is a quote).
  case rawString
  /// `<` opening a block.
  case openBlock
  /// `>` closing a block.
  case closeBlock
  case semicolon
  case comma
  case openParen
  case closeParen
  case openBracket
  case closeBracket
  case equals
  case equalEqual
  case notEqual
  case lessEqual
  case greaterEqual
  case plus
  case newline
  /// A `#` comment up to the end of its line.
  case comment
  /// A character that starts no token.
  case unknown
  case endOfFile
}

/// One token: its kind and the bytes it covers. Text is read from the source on demand.
public struct Token: Hashable, Sendable {
  public var kind: TokenKind
  public var range: ByteRange
  /// For strings: whether the closing quote was found.
  public var isTerminated: Bool

  public init(kind: TokenKind, range: ByteRange, isTerminated: Bool = true) {
    self.kind = kind
    self.range = range
    self.isTerminated = isTerminated
  }
}
