/// A position in a document: a 0-based line and a 0-based offset in UTF-16 code units.
public struct Position: Codable, Hashable, Sendable, Comparable {
  /// The 0-based line.
  public var line: Int
  /// The 0-based column, counted in UTF-16 code units (the protocol's default encoding).
  public var character: Int

  /// Creates a position.
  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }

  public static func < (a: Position, b: Position) -> Bool {
    (a.line, a.character) < (b.line, b.character)
  }
}

/// A range between two positions (end exclusive).
public struct LSPRange: Codable, Hashable, Sendable {
  /// The first position of the range.
  public var start: Position
  /// The position just after the range.
  public var end: Position

  /// Creates a range.
  public init(start: Position, end: Position) {
    self.start = start
    self.end = end
  }

  /// An empty range at a position.
  public init(at position: Position) {
    self.init(start: position, end: position)
  }
}

/// A place in a document.
public struct Location: Codable, Hashable, Sendable {
  /// The document's URI.
  public var uri: String
  /// The range inside it.
  public var range: LSPRange

  /// Creates a location.
  public init(uri: String, range: LSPRange) {
    self.uri = uri
    self.range = range
  }
}
