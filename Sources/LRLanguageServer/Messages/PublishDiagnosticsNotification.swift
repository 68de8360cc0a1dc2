/// `textDocument/publishDiagnostics`: the server's diagnostics for one document version.
public struct PublishDiagnosticsNotification: NotificationType, Hashable {
  public static let method = "textDocument/publishDiagnostics"
  /// The document.
  public var uri: String
  /// The version the diagnostics are about.
  public var version: Int?
  /// All diagnostics of the document (replacing earlier ones).
  public var diagnostics: [LSPDiagnostic]

  /// Creates the notification.
  public init(uri: String, version: Int?, diagnostics: [LSPDiagnostic]) {
    self.uri = uri
    self.version = version
    self.diagnostics = diagnostics
  }
}
