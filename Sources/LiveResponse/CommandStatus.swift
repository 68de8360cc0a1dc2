/// A Live Response command's `commandStatus` inside an action: read in any case, written as the
/// service writes it (`InProgress` is lr's own, inferred while the action runs); unknown kept.
public enum CommandStatus: TolerantStatus {
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

  /// No other spellings are known.
  public static let otherSpellings: [String: CommandStatus] = [:]

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
}
