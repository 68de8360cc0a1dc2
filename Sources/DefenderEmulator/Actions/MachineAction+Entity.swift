import Foundation
import LiveResponse

extension MachineAction {
  /// The action as the API shows it, for a snapshot of its timeline.
  func entity(_ snap: ActionSnapshot) -> JSONValue {
    func date(_ d: Date?) -> JSONValue { d.map { .string(EntityDate.format($0)) } ?? .null }
    let commands: [JSONValue] = commands.enumerated().map { i, command in
      .object([
        ("index", .number(Int(i))),
        ("startTime", date(snap.startTimes[i])),
        ("endTime", date(snap.endTimes[i])),
        ("commandStatus", .string(snap.commandStatus[i].rawValue)),
        ("errors", .array(snap.errors[i].map(JSONValue.string))),
        ("command", command.json),
      ])
    }
    let cancelled = snap.status == .cancelled ? cancellation : nil
    return .object([
      ("id", .string(id)),
      ("type", .string("LiveResponse")),
      ("title", .null),
      ("requestor", .string(requestor)),
      ("requestorComment", requestorComment.map(JSONValue.string) ?? .null),
      ("status", .string(snap.status.rawValue)),
      ("machineId", .string(machineId)),
      ("computerDnsName", .string(computerDnsName)),
      ("creationDateTimeUtc", .string(EntityDate.format(created))),
      ("lastUpdateDateTimeUtc", .string(EntityDate.format(snap.lastUpdate))),
      ("cancellationRequestor", cancelled.map { .string($0.requestor) } ?? .null),
      ("cancellationComment", cancelled.flatMap { $0.comment.map(JSONValue.string) } ?? .null),
      ("cancellationDateTimeUtc", date(cancelled?.at)),
      ("errorHResult", .number(0)),
      ("scope", .null),
      ("externalId", .null),
      ("requestSource", .string("PublicApi")),
      ("relatedFileInfo", .null),
      ("commands", .array(commands)),
      ("troubleshootInfo", .null),
    ])
  }
}
