/// A Live Response command's `commandStatus` inside an action: read in any case, written as the
/// service writes it (`InProgress` is lr's own, inferred while the action runs); unknown kept.
public enum CommandStatus: Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
  /// Not started yet.
  case created
  /// Running (inferred: the service reports `Created` until a command ends).
  case inProgress
  /// Done; its result can be fetched.
  case completed
  /// Failed (the action's `errors` say why).
  case failed
  /// A value this version does not know, as sent.
  case other(String)

  /// The known statuses.
  public static let allCases: [CommandStatus] = [.created, .inProgress, .completed, .failed]

  /// The status a text names (any case).
  public init(_ text: String) {
    switch text.lowercased() {
    case "created": self = .created
    case "inprogress": self = .inProgress
    case "completed": self = .completed
    case "failed": self = .failed
    default: self = .other(text)
    }
  }

  /// The value as the service writes it.
  public var rawValue: String {
    switch self {
    case .created: "Created"
    case .inProgress: "InProgress"
    case .completed: "Completed"
    case .failed: "Failed"
    case .other(let text): text
    }
  }

  /// Whether the command has ended (`Completed` or `Failed`).
  public var isTerminal: Bool { self == .completed || self == .failed }

  /// The value as the service writes it.
  public var description: String { rawValue }

  /// Decodes a bare string.
  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(String.self))
  }

  /// Encodes a bare string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

extension CommandStatus: ExpressibleByStringLiteral {
  /// The status a literal names (`"Completed"`).
  public init(stringLiteral text: String) { self.init(text) }
}
