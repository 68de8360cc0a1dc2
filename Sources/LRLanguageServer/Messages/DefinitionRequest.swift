/// `textDocument/definition`: where the procedure or module at a position is defined.
public struct DefinitionRequest: TextDocumentRequest, Hashable {
  public static let method = "textDocument/definition"
  public typealias Response = Location?
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
