/// `textDocument/codeAction`: quick fixes for the diagnostics in a range.
public struct CodeActionRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/codeAction"
  public typealias Response = [CodeAction]
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// The range (the selection or the cursor).
  public var range: LSPRange

  /// Creates the request.
  public init(textDocument: TextDocumentIdentifier, range: LSPRange) {
    self.textDocument = textDocument
    self.range = range
  }
}
