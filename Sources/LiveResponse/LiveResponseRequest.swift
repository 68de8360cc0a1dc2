/// The `runliveresponse` request body, `{"Commands":[…],"Comment":"…"}` (names case-sensitive):
/// written in the documented key order, read back with the API's checks.
public struct LiveResponseRequest: Sendable, Hashable {
  /// The commands, PutFile → RunScript → GetFile order.
  public var commands: [LiveResponseCommand]
  /// The audit comment (nil: none was given).
  public var comment: String?

  /// Creates a request.
  public init(commands: [LiveResponseCommand], comment: String?) {
    self.commands = commands
    self.comment = comment
  }

  /// The body as a JSON value, members in the documented order.
  public var json: JSONValue {
    .object([
      ("Commands", .array(commands.map(\.json))),
      ("Comment", comment.map { .string($0) } ?? .null),
    ])
  }

  /// The exact text POSTed.
  public var body: String { json.serialized() }

  /// Why a body is not a valid request, in the service's words.
  public enum Problem: Error, Sendable, Equatable {
    /// Not a JSON object, or a field of the wrong shape: the service's message.
    case invalid(String)
    /// A required field or parameter is missing: its name.
    case missing(String)
  }

  /// Reads a body as the service does: case-sensitive names, known types, the required parameter
  /// of each, the PutFile → RunScript → GetFile order.
  public static func decode(_ bytes: some Collection<UInt8>) throws(Problem) -> LiveResponseRequest
  {
    guard let json = JSONValue.parse(bytes), case .object = json else {
      throw .invalid("Request body is incorrect")
    }
    guard let commandsValue = json["Commands"] else { throw .missing("Commands") }
    guard let items = commandsValue.arrayValue, !items.isEmpty else {
      throw .invalid("Commands must be a non-empty array")
    }
    var comment: String? = nil
    switch json["Comment"] {
    case nil, .null?: comment = nil
    case .string(let s)?: comment = s
    default: throw .invalid("Comment must be a string")
    }
    var commands: [LiveResponseCommand] = []
    var last = CommandType.putFile
    for item in items {
      let (type, command) = try command(item, after: last)
      commands.append(command)
      last = type
    }
    return LiveResponseRequest(commands: commands, comment: comment)
  }

  /// One command of a body, checked.
  static func command(_ item: JSONValue, after last: CommandType) throws(Problem) -> (
    CommandType, LiveResponseCommand
  ) {
    guard case .object = item, let type = item["type"]?.stringValue else {
      throw .invalid("Each command needs a type")
    }
    guard let commandType = CommandType(rawValue: type) else {
      throw .invalid(
        "Command type \(type) is not supported; allowed values are PutFile, RunScript, GetFile")
    }
    guard commandType >= last else {
      throw .invalid("Commands must be in the order PutFile, RunScript, GetFile")
    }
    var params: [LiveResponseCommand.Parameter] = []
    if let list = item["params"] {
      guard let array = list.arrayValue else { throw .invalid("params must be an array") }
      for p in array {
        guard let key = p["key"]?.stringValue, let value = p["value"]?.stringValue else {
          throw .invalid("Each param needs a key and a value")
        }
        params.append(.init(key: key, value: value))
      }
    }
    let command = LiveResponseCommand(commandType, params: params)
    guard let value = command.param(commandType.requiredParameter), !value.isEmpty else {
      throw .missing(commandType.requiredParameter)
    }
    return (commandType, command)
  }
}

extension LiveResponseRequest: Encodable {
  enum CodingKeys: String, CodingKey {
    case commands = "Commands"
    case comment = "Comment"
  }

  /// Encodes `Commands` and `Comment` (key order is the encoder's; `body` keeps the documented one).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(commands, forKey: .commands)
    try c.encode(comment, forKey: .comment)
  }
}
