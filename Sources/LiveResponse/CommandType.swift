/// The three Live Response command types, in the order the API requires inside one request.
public enum CommandType: String, Sendable, CaseIterable, Comparable, Codable {
  case putFile = "PutFile"
  case runScript = "RunScript"
  case getFile = "GetFile"

  /// Position in the required PutFile → RunScript → GetFile order.
  public var rank: Int {
    switch self {
    case .putFile: 0
    case .runScript: 1
    case .getFile: 2
    }
  }

  /// The parameter every command of this type must carry (`FileName`, `ScriptName`, `Path`).
  public var requiredParameter: String {
    switch self {
    case .putFile: "FileName"
    case .runScript: "ScriptName"
    case .getFile: "Path"
    }
  }

  /// Orders by rank.
  public static func < (a: CommandType, b: CommandType) -> Bool { a.rank < b.rank }

  /// Whether a request's commands keep the API's order (PutFile → RunScript → GetFile).
  public static func isInAPIOrder(_ types: [CommandType]) -> Bool {
    zip(types, types.dropFirst()).allSatisfy { $0 <= $1 }
  }
}
