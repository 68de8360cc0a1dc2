/// `textDocument/semanticTokens/full`: every classified token of the document.
public struct DocumentSemanticTokensRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/semanticTokens/full"
  public typealias Response = SemanticTokens
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// Creates the request.
  public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }
}
