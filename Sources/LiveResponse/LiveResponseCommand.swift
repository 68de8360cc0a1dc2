/// One command of a `runliveresponse` request: `{"type": "...", "params": [{"key","value"}]}`.
public struct LiveResponseCommand: Sendable, Hashable, Codable {
  /// A `{"key": ..., "value": ...}` parameter.
  public struct Parameter: Sendable, Hashable, Codable {
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

  /// `PutFile`, `RunScript` or `GetFile`, as sent (an action may report a type lr does not know).
  public var type: String
  /// The parameters, in order.
  public var params: [Parameter]

  /// Creates a command from its parts.
  public init(type: String, params: [Parameter]) {
    self.type = type
    self.params = params
  }

  /// Creates a command of a known type.
  public init(_ type: CommandType, params: [Parameter]) {
    self.init(type: type.rawValue, params: params)
  }

  /// The type, when it is one of the three (exact case, as the API requires).
  public var commandType: CommandType? { CommandType(rawValue: type) }

  /// `RunScript` with `ScriptName` and optional `Args`.
  public static func runScript(_ scriptName: String, args: String? = nil) -> Self {
    var params = [Parameter(key: "ScriptName", value: scriptName)]
    if let args { params.append(Parameter(key: "Args", value: args)) }
    return .init(.runScript, params: params)
  }

  /// `GetFile` with `Path`.
  public static func getFile(_ path: String) -> Self {
    .init(.getFile, params: [Parameter(key: "Path", value: path)])
  }

  /// `PutFile` with `FileName`.
  public static func putFile(_ fileName: String) -> Self {
    .init(.putFile, params: [Parameter(key: "FileName", value: fileName)])
  }

  /// The value of a parameter by key (case-insensitive).
  public func parameter(_ key: String) -> String? {
    let lower = key.lowercased()
    return params.first { $0.key.lowercased() == lower }?.value
  }

  /// The value of a parameter by key (exact case, as the API reads it).
  public func param(_ key: String) -> String? {
    params.first { $0.key == key }?.value
  }

  /// `{"type","params":[{"key","value"}]}` in the documented order.
  public var json: JSONValue {
    .object([
      ("type", .string(type)),
      (
        "params",
        .array(params.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })
      ),
    ])
  }

  /// Decodes tolerantly (`type` may be missing, `params` missing or null).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = (try? c.decodeIfPresent(String.self, forKey: .type)) ?? ""
    params = (try? c.decodeIfPresent([Parameter].self, forKey: .params)) ?? []
  }

  enum CodingKeys: String, CodingKey { case type, params }
}
