/// `textDocument/didChange`: edits to an open document, applied in order.
public struct DidChangeTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didChange"
  /// The document and its new version.
  public var textDocument: VersionedTextDocumentIdentifier
  /// The edits, in order.
  public var contentChanges: [TextDocumentContentChangeEvent]

  /// Creates the notification.
  public init(
    textDocument: VersionedTextDocumentIdentifier, contentChanges: [TextDocumentContentChangeEvent]
  ) {
    self.textDocument = textDocument
    self.contentChanges = contentChanges
  }
}
