/// Names a document by URI.
public struct TextDocumentIdentifier: Codable, Hashable, Sendable {
  /// The document's URI.
  public var uri: String

  /// Creates an identifier.
  public init(uri: String) { self.uri = uri }
}

/// Names a document and the version a change produces.
public struct VersionedTextDocumentIdentifier: Codable, Hashable, Sendable {
  /// The document's URI.
  public var uri: String
  /// The version after the change.
  public var version: Int?

  /// Creates an identifier.
  public init(uri: String, version: Int?) {
    self.uri = uri
    self.version = version
  }
}

/// A document the client opened: its URI, language, version and full text.
public struct TextDocumentItem: Codable, Hashable, Sendable {
  /// The document's URI.
  public var uri: String
  /// The client's language id (`lr`).
  public var languageId: String
  /// The version number (increases with each change).
  public var version: Int
  /// The full text.
  public var text: String

  /// Creates a document item.
  public init(uri: String, languageId: String = "lr", version: Int, text: String) {
    self.uri = uri
    self.languageId = languageId
    self.version = version
    self.text = text
  }
}

/// A document and a position in it (hover, completion, definition).
public struct TextDocumentPositionParams: Codable, Hashable, Sendable {
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// The position in it.
  public var position: Position

  /// Creates the parameters.
  public init(textDocument: TextDocumentIdentifier, position: Position) {
    self.textDocument = textDocument
    self.position = position
  }
}

/// One change of a document: a range replaced by text, or (without a range) the whole text.
public struct TextDocumentContentChangeEvent: Codable, Hashable, Sendable {
  /// The range replaced; nil replaces the whole document.
  public var range: LSPRange?
  /// The replacement text.
  public var text: String

  /// Creates a change.
  public init(range: LSPRange? = nil, text: String) {
    self.range = range
    self.text = text
  }
}

/// A replacement of a range by text, in protocol positions.
public struct LSPTextEdit: Codable, Hashable, Sendable {
  /// The range replaced.
  public var range: LSPRange
  /// The new text.
  public var newText: String

  /// Creates an edit.
  public init(range: LSPRange, newText: String) {
    self.range = range
    self.newText = newText
  }
}

/// Edits to one or more documents, keyed by URI.
public struct WorkspaceEdit: Codable, Hashable, Sendable {
  /// The edits of each document.
  public var changes: [String: [LSPTextEdit]]

  /// Creates a workspace edit.
  public init(changes: [String: [LSPTextEdit]]) { self.changes = changes }
}

/// Text with a format (`markdown` or `plaintext`).
public struct MarkupContent: Codable, Hashable, Sendable {
  /// `markdown` or `plaintext`.
  public var kind: String
  /// The text.
  public var value: String

  /// Markdown text.
  public static func markdown(_ value: String) -> MarkupContent {
    MarkupContent(kind: "markdown", value: value)
  }

  /// Creates markup.
  public init(kind: String, value: String) {
    self.kind = kind
    self.value = value
  }
}
