/// A machine action's `status`: read in any case and both spellings (`Cancelled`/`Canceled`,
/// `TimeOut`/`Timeout`), written as the service writes it; an unknown value is kept verbatim.
public enum ActionStatus: TolerantStatus {
  /// Queued on the service (device offline or busy).
  case pending
  /// Running on the device.
  case inProgress
  /// Every command ran.
  case succeeded
  /// A command failed.
  case failed
  /// The action timed out.
  case timeOut
  /// Cancelled (API or portal).
  case cancelled
  /// A value this version does not know, as sent.
  case other(String)

  /// The known statuses.
  public static let allCases: [ActionStatus] = [
    .pending, .inProgress, .succeeded, .failed, .timeOut, .cancelled,
  ]

  /// `Canceled`, as the service also spells it (`Timeout` is `TimeOut` in another case).
  public static let otherSpellings: [String: ActionStatus] = ["canceled": .cancelled]

  /// The value as the service writes it (`Cancelled`, `TimeOut`, …).
  public var rawValue: String {
    switch self {
    case .pending: "Pending"
    case .inProgress: "InProgress"
    case .succeeded: "Succeeded"
    case .failed: "Failed"
    case .timeOut: "TimeOut"
    case .cancelled: "Cancelled"
    case .other(let text): text
    }
  }

  /// Whether the action has finished (anything but `Pending` and `InProgress`).
  public var isTerminal: Bool {
    switch self {
    case .pending, .inProgress: false
    default: true
    }
  }
}
