import Foundation

/// One command of a `runliveresponse` request: `{"type": "...", "params": [{"key","value"}]}`.
public struct LiveResponseCommand: Sendable, Equatable, Codable {
  /// A `{"key": ..., "value": ...}` parameter.
  public struct Parameter: Sendable, Equatable, Codable {
    /// `ScriptName`, `Args`, `Path` or `FileName`.
    public var key: String
    /// The value.
    public var value: String
    /// Creates a parameter.
    public init(key: String, value: String) {
      self.key = key
      self.value = value
    }
  }

  /// `PutFile`, `RunScript` or `GetFile`.
  public var type: String
  /// The parameters, in order.
  public var params: [Parameter]

  /// Creates a command from its parts.
  public init(type: String, params: [Parameter]) {
    self.type = type
    self.params = params
  }

  /// `RunScript` with `ScriptName` and optional `Args`.
  public static func runScript(_ scriptName: String, args: String? = nil) -> Self {
    var params = [Parameter(key: "ScriptName", value: scriptName)]
    if let args { params.append(Parameter(key: "Args", value: args)) }
    return .init(type: "RunScript", params: params)
  }

  /// `GetFile` with `Path`.
  public static func getFile(_ path: String) -> Self {
    .init(type: "GetFile", params: [Parameter(key: "Path", value: path)])
  }

  /// `PutFile` with `FileName`.
  public static func putFile(_ fileName: String) -> Self {
    .init(type: "PutFile", params: [Parameter(key: "FileName", value: fileName)])
  }

  /// The value of a parameter by key (case-insensitive).
  public func parameter(_ key: String) -> String? {
    params.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
  }

  /// Decodes tolerantly (`params` may be missing or null).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = c.lossyString(.type) ?? ""
    params = (try? c.decodeIfPresent([Parameter].self, forKey: .params)) ?? []
  }

  enum CodingKeys: String, CodingKey { case type, params }
}

/// The `runliveresponse` request body (`Commands`, `Comment`; names are case-sensitive).
public struct LiveResponseRequest: Sendable, Equatable, Encodable {
  /// The commands, PutFile → RunScript → GetFile order.
  public var commands: [LiveResponseCommand]
  /// The audit comment.
  public var comment: String

  /// Creates a request.
  public init(commands: [LiveResponseCommand], comment: String) {
    self.commands = commands
    self.comment = comment
  }

  enum CodingKeys: String, CodingKey {
    case commands = "Commands"
    case comment = "Comment"
  }
}
