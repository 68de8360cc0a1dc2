/// `textDocument/documentSymbol`: the document's definitions, for an outline.
public struct DocumentSymbolRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/documentSymbol"
  public typealias Response = [DocumentSymbol]
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// Creates the request.
  public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }
}
