/// How the server wants documents synchronised.
public struct TextDocumentSyncOptions: Codable, Hashable, Sendable {
  /// Whether open and close notifications are sent.
  public var openClose: Bool
  /// 1 full text, 2 incremental.
  public var change: Int

  /// Creates sync options.
  public init(openClose: Bool, change: Int) {
    self.openClose = openClose
    self.change = change
  }
}

/// Completion options.
public struct CompletionOptions: Codable, Hashable, Sendable {
  /// Characters that trigger completion.
  public var triggerCharacters: [String]
  /// Whether items are resolved lazily.
  public var resolveProvider: Bool

  /// Creates completion options.
  public init(triggerCharacters: [String], resolveProvider: Bool) {
    self.triggerCharacters = triggerCharacters
    self.resolveProvider = resolveProvider
  }
}

/// Code action options.
public struct CodeActionOptions: Codable, Hashable, Sendable {
  /// The kinds of action offered.
  public var codeActionKinds: [String]

  /// Creates code action options.
  public init(codeActionKinds: [String]) { self.codeActionKinds = codeActionKinds }
}

/// Semantic token options.
public struct SemanticTokensOptions: Codable, Hashable, Sendable {
  /// The legend.
  public var legend: SemanticTokensLegend
  /// Whether whole-document requests are served.
  public var full: Bool
  /// Whether range requests are served.
  public var range: Bool

  /// Creates semantic token options.
  public init(legend: SemanticTokensLegend, full: Bool, range: Bool) {
    self.legend = legend
    self.full = full
    self.range = range
  }
}

/// What the server can do.
public struct ServerCapabilities: Codable, Hashable, Sendable {
  /// Always `utf-16`.
  public var positionEncoding: String?
  /// Document synchronisation.
  public var textDocumentSync: TextDocumentSyncOptions?
  /// Completion.
  public var completionProvider: CompletionOptions?
  /// Hover.
  public var hoverProvider: Bool?
  /// Go to definition.
  public var definitionProvider: Bool?
  /// Document symbols.
  public var documentSymbolProvider: Bool?
  /// Whole-document formatting.
  public var documentFormattingProvider: Bool?
  /// Code actions.
  public var codeActionProvider: CodeActionOptions?
  /// Semantic tokens.
  public var semanticTokensProvider: SemanticTokensOptions?

  /// Creates capabilities.
  public init(
    positionEncoding: String? = nil, textDocumentSync: TextDocumentSyncOptions? = nil,
    completionProvider: CompletionOptions? = nil, hoverProvider: Bool? = nil,
    definitionProvider: Bool? = nil, documentSymbolProvider: Bool? = nil,
    documentFormattingProvider: Bool? = nil, codeActionProvider: CodeActionOptions? = nil,
    semanticTokensProvider: SemanticTokensOptions? = nil
  ) {
    self.positionEncoding = positionEncoding
    self.textDocumentSync = textDocumentSync
    self.completionProvider = completionProvider
    self.hoverProvider = hoverProvider
    self.definitionProvider = definitionProvider
    self.documentSymbolProvider = documentSymbolProvider
    self.documentFormattingProvider = documentFormattingProvider
    self.codeActionProvider = codeActionProvider
    self.semanticTokensProvider = semanticTokensProvider
  }
}

/// The server's name and version.
public struct ServerInfo: Codable, Hashable, Sendable {
  /// `lr`.
  public var name: String
  /// The version.
  public var version: String?

  /// Creates server info.
  public init(name: String, version: String?) {
    self.name = name
    self.version = version
  }
}
