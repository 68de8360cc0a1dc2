import LRLanguage

/// Converts the language's diagnostics of one document to protocol diagnostics; a diagnostic in an
/// imported module is shown on the `use` that imports it.
struct DiagnosticConverter: Sendable {
  /// The document's URI and source name.
  let uri: String
  let name: String
  let text: DocumentText
  /// Every source involved (the document and its modules), by name.
  let sources: [String: SourceFile]
  /// The document's resolved `use` statements.
  let moduleUses: [SymbolReference]
  /// Open documents' URIs by path (so locations use the client's own URIs).
  let openURIs: [String: String]

  /// The URI of a source name (the document, an open module, or a path on disk).
  func uri(of file: String) -> String {
    if file == name { return uri }
    if let open = openURIs[file] { return open }
    return file.hasPrefix("/") ? DocumentURI.uri(ofPath: file) : file
  }

  /// The text of a source name, for converting its ranges.
  func text(of file: String) -> DocumentText? {
    if file == name { return text }
    guard let source = sources[file] else { return nil }
    return DocumentText(bytes: source.bytes)
  }

  func location(file: String, range: ByteRange) -> Location? {
    guard let text = text(of: file) else { return nil }
    return Location(uri: uri(of: file), range: text.range(of: range))
  }

  static func severity(_ severity: Severity) -> DiagnosticSeverity {
    switch severity {
    case .error: .error
    case .warning: .warning
    case .note: .information
    }
  }

  /// A diagnostic in protocol terms; nil for one in a module no `use` of this document imports.
  func convert(_ diagnostic: Diagnostic) -> LSPDiagnostic? {
    var related: [DiagnosticRelatedInformation] = []
    var message = diagnostic.message
    for note in diagnostic.notes {
      if let range = note.range,
        let location = location(file: note.file ?? diagnostic.file, range: range)
      {
        related.append(DiagnosticRelatedInformation(location: location, message: note.message))
      } else {
        message += "\nnote: \(note.message)"
      }
    }
    let range: LSPRange
    if diagnostic.file == name {
      range = text.range(of: diagnostic.range)
    } else {
      guard let use = moduleUses.first(where: { $0.symbol.file == diagnostic.file }) else {
        return nil
      }
      range = text.range(of: use.range)
      if let location = location(file: diagnostic.file, range: diagnostic.range) {
        related.insert(
          DiagnosticRelatedInformation(location: location, message: diagnostic.message), at: 0)
      }
      message = "in module `\(use.symbol.name)`: \(message)"
    }
    return LSPDiagnostic(
      range: range, severity: DiagnosticConverter.severity(diagnostic.severity),
      code: diagnostic.id, message: message,
      relatedInformation: related.isEmpty ? nil : related)
  }
}
