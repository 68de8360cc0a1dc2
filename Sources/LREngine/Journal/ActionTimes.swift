import DefenderClient
import Foundation
import GRDB

/// When an action was created on the service, when its first command started and when it
/// finished, on the service's clock (what `lr report` draws as the run's timeline).
public struct ActionTimes: Sendable, Equatable {
  public var submitted: Date?
  public var started: Date?
  public var finished: Date?

  public init(submitted: Date? = nil, started: Date? = nil, finished: Date? = nil) {
    self.submitted = submitted
    self.started = started
    self.finished = finished
  }

  /// The times a finished machine action reports: its creation, its earliest command start (or
  /// none), its last update (or its latest command end).
  public init(_ action: MachineAction) {
    let starts = action.commands.compactMap { ActionTimes.date($0.startTime) }
    let ends = action.commands.compactMap { ActionTimes.date($0.endTime) }
    self.init(
      submitted: ActionTimes.date(action.creationDateTimeUtc), started: starts.min(),
      finished: ActionTimes.date(action.lastUpdateDateTimeUtc) ?? ends.max())
  }

  /// An ISO 8601 time, with or without fractional seconds.
  static func date(_ text: String?) -> Date? {
    guard let text else { return nil }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text) ?? ISO8601DateFormatter().date(from: text)
  }
}

extension Journal {
  /// Records an action's service times (v7 columns).
  public func record(times: ActionTimes, action row: Int64) throws {
    try pool.write { db in
      try db.execute(
        sql: "UPDATE action SET submittedAt = ?, startedAt = ?, finishedAt = ? WHERE id = ?",
        arguments: [times.submitted, times.started, times.finished, row])
    }
  }
}
