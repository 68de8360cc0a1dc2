/// The kind of a completion item (the protocol's numbers).
public struct CompletionItemKind: RawRepresentable, Codable, Hashable, Sendable {
  /// The protocol's number.
  public var rawValue: Int
  /// Creates a kind from the protocol's number.
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// A method (lr's API commands `run`, `get`, `put`).
  public static let method = CompletionItemKind(rawValue: 2)
  /// A function (procedures).
  public static let function = CompletionItemKind(rawValue: 3)
  /// A field (`r.exit_code`).
  public static let field = CompletionItemKind(rawValue: 5)
  /// A variable.
  public static let variable = CompletionItemKind(rawValue: 6)
  /// A module.
  public static let module = CompletionItemKind(rawValue: 9)
  /// A value (machine names).
  public static let value = CompletionItemKind(rawValue: 12)
  /// A keyword.
  public static let keyword = CompletionItemKind(rawValue: 14)
  /// A file (library scripts and files).
  public static let file = CompletionItemKind(rawValue: 17)
  /// A constant (tags).
  public static let constant = CompletionItemKind(rawValue: 21)
  /// A type parameter (procedure parameters).
  public static let typeParameter = CompletionItemKind(rawValue: 25)
}

/// One completion candidate.
public struct CompletionItem: Codable, Hashable, Sendable {
  /// The text shown (and inserted).
  public var label: String
  /// What the candidate is.
  public var kind: CompletionItemKind?
  /// A short description.
  public var detail: String?
  /// Longer documentation.
  public var documentation: MarkupContent?
  /// The edit that inserts the candidate, replacing the partial word.
  public var textEdit: LSPTextEdit?
  /// The text the client filters against.
  public var filterText: String?

  /// Creates an item.
  public init(
    label: String, kind: CompletionItemKind? = nil, detail: String? = nil,
    documentation: MarkupContent? = nil, textEdit: LSPTextEdit? = nil, filterText: String? = nil
  ) {
    self.label = label
    self.kind = kind
    self.detail = detail
    self.documentation = documentation
    self.textEdit = textEdit
    self.filterText = filterText
  }
}

/// A completion answer.
public struct CompletionList: Codable, Hashable, Sendable {
  /// Whether typing more should ask again.
  public var isIncomplete: Bool
  /// The candidates.
  public var items: [CompletionItem]

  /// Creates a list.
  public init(isIncomplete: Bool, items: [CompletionItem]) {
    self.isIncomplete = isIncomplete
    self.items = items
  }
}

/// A hover answer.
public struct HoverResponse: Codable, Hashable, Sendable {
  /// The text.
  public var contents: MarkupContent
  /// The range the text is about.
  public var range: LSPRange?

  /// Creates a hover answer.
  public init(contents: MarkupContent, range: LSPRange?) {
    self.contents = contents
    self.range = range
  }
}
