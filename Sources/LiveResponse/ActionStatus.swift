/// A machine action's `status`: read in any case and both spellings (`Cancelled`/`Canceled`,
/// `TimeOut`/`Timeout`), written as the service writes it; an unknown value is kept verbatim.
public enum ActionStatus: Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
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

  /// The status a text names (any case, either spelling).
  public init(_ text: String) {
    switch text.lowercased() {
    case "pending": self = .pending
    case "inprogress": self = .inProgress
    case "succeeded": self = .succeeded
    case "failed": self = .failed
    case "timeout": self = .timeOut
    case "cancelled", "canceled": self = .cancelled
    default: self = .other(text)
    }
  }

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

extension ActionStatus: ExpressibleByStringLiteral {
  /// The status a literal names (`"Succeeded"`).
  public init(stringLiteral text: String) { self.init(text) }
}
