/// `textDocument/hover`: Markdown about the word at a position.
public struct HoverRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/hover"
  public typealias Response = HoverResponse?
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// The position.
  public var position: Position

  /// Creates the request.
  public init(textDocument: TextDocumentIdentifier, position: Position) {
    self.textDocument = textDocument
    self.position = position
  }
}
