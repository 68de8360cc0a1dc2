/// The kind of a document symbol (the protocol's numbers).
public struct SymbolKind: RawRepresentable, Codable, Hashable, Sendable {
  /// The protocol's number.
  public var rawValue: Int
  /// Creates a kind from the protocol's number.
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// A module.
  public static let module = SymbolKind(rawValue: 2)
  /// A function (procedures).
  public static let function = SymbolKind(rawValue: 12)
  /// A variable (results).
  public static let variable = SymbolKind(rawValue: 13)
  /// A constant (`let` values and targets).
  public static let constant = SymbolKind(rawValue: 14)
  /// An array (targets).
  public static let array = SymbolKind(rawValue: 18)
  /// An object (results).
  public static let object = SymbolKind(rawValue: 19)
}

/// A definition in a document, for the outline.
public struct DocumentSymbol: Codable, Hashable, Sendable {
  /// The name.
  public var name: String
  /// A short description.
  public var detail: String?
  /// What it is.
  public var kind: SymbolKind
  /// The whole definition.
  public var range: LSPRange
  /// The name inside it.
  public var selectionRange: LSPRange

  /// Creates a symbol.
  public init(
    name: String, detail: String?, kind: SymbolKind, range: LSPRange, selectionRange: LSPRange
  ) {
    self.name = name
    self.detail = detail
    self.kind = kind
    self.range = range
    self.selectionRange = selectionRange
  }
}

/// A quick fix: a title, the diagnostics it resolves, and the edit.
public struct CodeAction: Codable, Hashable, Sendable {
  /// What the action does.
  public var title: String
  /// `quickfix`.
  public var kind: String?
  /// The diagnostics it resolves.
  public var diagnostics: [LSPDiagnostic]?
  /// Whether it is the preferred fix.
  public var isPreferred: Bool?
  /// The change.
  public var edit: WorkspaceEdit?

  /// Creates an action.
  public init(
    title: String, kind: String? = "quickfix", diagnostics: [LSPDiagnostic]? = nil,
    isPreferred: Bool? = nil, edit: WorkspaceEdit? = nil
  ) {
    self.title = title
    self.kind = kind
    self.diagnostics = diagnostics
    self.isPreferred = isPreferred
    self.edit = edit
  }
}

/// The token types and modifiers the server's semantic tokens use.
public struct SemanticTokensLegend: Codable, Hashable, Sendable {
  /// Type names, indexed by the token's type number.
  public var tokenTypes: [String]
  /// Modifier names, indexed by bit.
  public var tokenModifiers: [String]

  /// Creates a legend.
  public init(tokenTypes: [String], tokenModifiers: [String]) {
    self.tokenTypes = tokenTypes
    self.tokenModifiers = tokenModifiers
  }
}

/// Semantic tokens: five integers per token (Δline, Δstart, length, type, modifiers).
public struct SemanticTokens: Codable, Hashable, Sendable {
  /// The encoded tokens.
  public var data: [Int]

  /// Creates the tokens.
  public init(data: [Int]) { self.data = data }
}
