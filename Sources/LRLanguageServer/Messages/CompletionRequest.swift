/// `textDocument/completion`: candidates at a position.
public struct CompletionRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/completion"
  public typealias Response = CompletionList
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// The cursor.
  public var position: Position

  /// Creates the request.
  public init(textDocument: TextDocumentIdentifier, position: Position) {
    self.textDocument = textDocument
    self.position = position
  }
}
