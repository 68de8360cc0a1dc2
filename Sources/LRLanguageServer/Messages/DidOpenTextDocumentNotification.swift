/// `textDocument/didOpen`: the client opened a document; the server now owns its text.
public struct DidOpenTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didOpen"
  /// The document and its text.
  public var textDocument: TextDocumentItem
  /// Creates the notification.
  public init(textDocument: TextDocumentItem) { self.textDocument = textDocument }
}
