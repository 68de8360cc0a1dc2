import LRLanguage

/// One analysed revision of a document, answering requests in protocol terms.
struct DocumentSnapshot: Sendable {
  let uri: String
  let version: Int?
  let text: DocumentText
  let analysis: Analysis
  /// Open documents' URIs by path (so locations use the client's own URIs).
  let openURIs: [String: String]
  /// The diagnostics to publish, converted once.
  private(set) var diagnostics: [LSPDiagnostic] = []

  init(
    uri: String, version: Int?, text: DocumentText, analysis: Analysis, openURIs: [String: String]
  ) {
    self.uri = uri
    self.version = version
    self.text = text
    self.analysis = analysis
    self.openURIs = openURIs
    let converter = self.converter
    self.diagnostics = analysis.diagnostics.compactMap { converter.convert($0) }
  }

  var name: String { analysis.source.name }

  /// Converts this analysis's diagnostics.
  var converter: DiagnosticConverter {
    DiagnosticConverter(
      uri: uri, name: name, text: text, sources: analysis.output.sources,
      moduleUses: analysis.output.references.filter {
        $0.file == name && $0.symbol.kind == .module
      }, openURIs: openURIs)
  }

  func location(file: String, range: ByteRange) -> Location? {
    converter.location(file: file, range: range)
  }

  // MARK: - Requests

  static func kind(_ kind: Completion.Kind) -> CompletionItemKind {
    switch kind {
    case .keyword: .keyword
    case .command: .method
    case .procedure: .function
    case .variable: .variable
    case .parameter: .typeParameter
    case .field: .field
    case .machine: .value
    case .script, .file: .file
    case .module: .module
    case .tag: .constant
    }
  }

  func completions(at position: Position, names: CompletionNames) -> CompletionList {
    let offset = text.offset(of: position)
    let items = analysis.completions(at: offset, names: names).map { completion in
      var documentation: MarkupContent?
      if completion.kind == .procedure,
        let symbol = analysis.output.symbols.first(where: {
          $0.kind == .procedure && $0.name == completion.label
        }),
        let doc = symbol.documentation
      {
        documentation = .markdown(doc)
      }
      return CompletionItem(
        label: completion.label, kind: DocumentSnapshot.kind(completion.kind),
        detail: completion.detail,
        documentation: documentation,
        textEdit: LSPTextEdit(
          range: text.range(of: completion.replacing), newText: completion.label),
        filterText: completion.label)
    }
    return CompletionList(isIncomplete: false, items: items)
  }

  func hover(at position: Position) -> HoverResponse? {
    guard let hover = analysis.hover(at: text.offset(of: position)) else { return nil }
    return HoverResponse(contents: .markdown(hover.markdown), range: text.range(of: hover.range))
  }

  func definition(at position: Position) -> Location? {
    guard let target = analysis.definition(at: text.offset(of: position)) else { return nil }
    return location(file: target.file, range: target.range)
  }

  static func kind(_ kind: Symbol.Kind) -> SymbolKind {
    switch kind {
    case .procedure: .function
    case .variable: .constant
    case .result: .object
    case .target: .array
    case .parameter: .variable
    case .module: .module
    }
  }

  func documentSymbols() -> [DocumentSymbol] {
    analysis.documentSymbols().sorted { $0.range.lowerBound < $1.range.lowerBound }.map { symbol in
      let full =
        min(
          symbol.fullRange.lowerBound, symbol.range.lowerBound)..<max(
          symbol.fullRange.upperBound, symbol.range.upperBound)
      return DocumentSymbol(
        name: symbol.name, detail: symbol.detail, kind: DocumentSnapshot.kind(symbol.kind),
        range: text.range(of: full), selectionRange: text.range(of: symbol.range))
    }
  }

  /// Delta-encoded tokens; a token spanning lines is split into one token per line.
  func semanticTokens() -> SemanticTokens {
    let types = SemanticToken.Kind.allCases
    var data: [Int] = []
    var previousLine = 0
    var previousStart = 0
    var previousEnd = 0  // byte offset where the last emitted token ends
    for token in analysis.semanticTokens() {
      guard let type = types.firstIndex(of: token.kind) else { continue }
      let lo = max(0, min(token.range.lowerBound, text.bytes.count))
      let hi = max(lo, min(token.range.upperBound, text.bytes.count))
      guard lo >= previousEnd else { continue }
      var line = text.line(containing: lo)
      var start = lo
      while start < hi, line < text.lineStarts.count {
        let end = min(hi, text.lineEnd(line))
        if end > start {
          let character = text.position(of: start).character
          let length = text.utf16Count(start..<end)
          let deltaLine = line - previousLine
          data += [
            deltaLine, deltaLine == 0 ? character - previousStart : character, length, type,
            token.isDeclaration ? 1 : 0,
          ]
          previousLine = line
          previousStart = character
        }
        line += 1
        guard line < text.lineStarts.count else { break }
        start = text.lineStarts[line]
      }
      previousEnd = hi
    }
    return SemanticTokens(data: data)
  }

  func formattingEdits() -> [LSPTextEdit]? {
    guard let formatted = analysis.formatted() else { return nil }
    if Array(formatted.utf8) == text.bytes { return [] }
    return [
      LSPTextEdit(
        range: LSPRange(start: Position(line: 0, character: 0), end: text.endPosition),
        newText: formatted)
    ]
  }

  func codeActions(in range: LSPRange) -> [CodeAction] {
    let wanted = text.byteRange(of: range)
    var actions: [CodeAction] = []
    let converter = self.converter
    for diagnostic in analysis.diagnostics
    where diagnostic.file == name && !diagnostic.fixIts.isEmpty {
      let r = diagnostic.range
      guard r.lowerBound <= wanted.upperBound, wanted.lowerBound <= r.upperBound else { continue }
      let lsp = converter.convert(diagnostic).map { [$0] }
      for fixIt in diagnostic.fixIts {
        let edits = fixIt.edits.map {
          LSPTextEdit(range: text.range(of: $0.range), newText: $0.replacement)
        }
        actions.append(
          CodeAction(
            title: fixIt.message, kind: "quickfix", diagnostics: lsp,
            isPreferred: diagnostic.fixIts.count == 1 ? true : nil,
            edit: WorkspaceEdit(changes: [uri: edits])))
      }
    }
    return actions
  }
}
