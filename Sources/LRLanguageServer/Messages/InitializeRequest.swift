/// `initialize`: the first request; the answer lists the server's capabilities.
public struct InitializeRequest: RequestType, Hashable {
  public static let method = "initialize"
  public typealias Response = InitializeResult

  /// The client's process id.
  public var processId: Int?
  /// The workspace root.
  public var rootUri: String?

  /// Creates the request.
  public init(processId: Int? = nil, rootUri: String? = nil) {
    self.processId = processId
    self.rootUri = rootUri
  }
}

/// The answer to `initialize`.
public struct InitializeResult: Codable, Hashable, Sendable {
  /// What the server can do.
  public var capabilities: ServerCapabilities
  /// The server's name and version.
  public var serverInfo: ServerInfo?

  /// Creates the answer.
  public init(capabilities: ServerCapabilities, serverInfo: ServerInfo?) {
    self.capabilities = capabilities
    self.serverInfo = serverInfo
  }
}
