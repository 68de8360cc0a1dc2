/// A message's parameters: Codable and Sendable.
public protocol MessageType: Codable, Sendable {}

/// A request: a method name, its parameters (`Self`), and the type of its answer.
public protocol RequestType: MessageType {
  /// The JSON-RPC method.
  static var method: String { get }
  /// The answer's type.
  associatedtype Response: Codable & Sendable
}

/// A notification: a method name and its parameters (`Self`); no answer.
public protocol NotificationType: MessageType {
  /// The JSON-RPC method.
  static var method: String { get }
}

/// A request about one document.
public protocol TextDocumentRequest: RequestType {
  /// The document.
  var textDocument: TextDocumentIdentifier { get }
}
