/// `textDocument/didClose`: the client closed a document (its text is on disk again).
public struct DidCloseTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didClose"
  /// The document.
  public var textDocument: TextDocumentIdentifier
  /// Creates the notification.
  public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }
}
