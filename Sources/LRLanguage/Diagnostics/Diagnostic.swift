/// How serious a diagnostic is.
public enum Severity: String, Sendable, Comparable {
  case error, warning, note

  private var rank: Int {
    switch self {
    case .error: 2
    case .warning: 1
    case .note: 0
    }
  }
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One replacement of a byte range by new text.
public struct TextEdit: Hashable, Sendable {
  public var range: ByteRange
  public var replacement: String
  public init(range: ByteRange, replacement: String) {
    self.range = range
    self.replacement = replacement
  }
}

/// A suggested change that resolves a diagnostic.
public struct FixIt: Hashable, Sendable {
  public var message: String
  public var edits: [TextEdit]
  public init(_ message: String, edits: [TextEdit]) {
    self.message = message
    self.edits = edits
  }
  /// A fix-it that replaces one range.
  public static func replace(_ range: ByteRange, with text: String, _ message: String? = nil)
    -> FixIt
  {
    FixIt(message ?? "replace with `\(text)`", edits: [TextEdit(range: range, replacement: text)])
  }
  /// A fix-it that inserts text at an offset.
  public static func insert(_ text: String, at offset: Int, _ message: String) -> FixIt {
    FixIt(message, edits: [TextEdit(range: offset..<offset, replacement: text)])
  }
}

/// Extra information pointing at another place (possibly in another file).
public struct Note: Hashable, Sendable {
  public var message: String
  public var file: String?
  public var range: ByteRange?
  public init(_ message: String, file: String? = nil, range: ByteRange? = nil) {
    self.message = message
    self.file = file
    self.range = range
  }
}

/// A problem found in `.lr` text: an id, a severity, where, and how to fix it.
public struct Diagnostic: Hashable, Sendable {
  /// Stable identifier, e.g. `unknownCommand`.
  public var id: String
  public var severity: Severity
  public var message: String
  /// The file the range indexes (``SourceFile/name``).
  public var file: String
  /// The primary range (may be empty: a position).
  public var range: ByteRange
  /// Further ranges to underline.
  public var highlights: [ByteRange]
  public var notes: [Note]
  public var fixIts: [FixIt]

  public init(
    _ message: DiagnosticMessage, file: String, range: ByteRange, highlights: [ByteRange] = [],
    notes: [Note] = [], fixIts: [FixIt] = []
  ) {
    self.id = message.id
    self.severity = message.severity
    self.message = message.text
    self.file = file
    self.range = range
    self.highlights = highlights
    self.notes = notes
    self.fixIts = fixIts
  }
}

/// A diagnostic's id, severity and text, built from the catalogue (``DiagnosticMessage`` statics).
public struct DiagnosticMessage: Hashable, Sendable {
  public var id: String
  public var severity: Severity
  public var text: String

  /// Creates a message; the id defaults to the catalogue member's name.
  public init(_ text: String, severity: Severity = .error, id: String = #function) {
    self.text = text
    self.severity = severity
    if let paren = id.firstIndex(of: "(") {
      self.id = String(id[..<paren])
    } else {
      self.id = id
    }
  }
}

extension Array where Element == Diagnostic {
  /// Whether any diagnostic is an error.
  public var hasErrors: Bool { contains { $0.severity == .error } }
}
