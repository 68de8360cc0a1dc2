/// `textDocument/formatting`: edits that give the document `lr fmt`'s layout.
public struct DocumentFormattingRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/formatting"
  public typealias Response = [LSPTextEdit]?
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// Creates the request.
  public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }
}
