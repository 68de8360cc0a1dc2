import Foundation
import LiveResponse

/// What a completed command left for `GetLiveResponseResultDownloadLink`.
enum CommandResult: Sendable {
  /// RunScript: the transcript JSON file.
  case transcript([UInt8])
  /// GetFile: the file (served gzip-compressed).
  case file(FileSpec)
}

/// The precomputed course of one command.
struct PlannedCommand: Sendable {
  var start: Date
  var end: Date
  /// Non-nil: the command fails with these errors at `end`.
  var failure: [String]?
  var result: CommandResult?
  /// Files the command creates on the device (applied at `end`).
  var creates: [FileSpec]
  /// Paths the command removes (applied at `end`).
  var removes: [String]
}

/// A Live Response machine action and its precomputed timeline.
struct MachineAction: Sendable {
  var id: String
  var machineId: String
  var computerDnsName: String
  var requestor: String
  var requestorComment: String?
  var created: Date
  var commands: [LiveResponseCommand]
  /// When the device picks the action up (nil: never within the queue expiry).
  var pickup: Date?
  /// When a queued action times out.
  var expiry: Date
  /// Planned commands; shorter than `commands` when one fails (the rest never run).
  var plan: [PlannedCommand]
  var cancellation: (requestor: String, comment: String?, at: Date)?
  /// Whether this action's completed effects were folded into the device's files.
  var effectsFolded = false
}

/// The state of an action at some instant, as the API shows it.
struct ActionSnapshot: Sendable {
  var status: ActionStatus
  var lastUpdate: Date
  var commandStatus: [CommandStatus]
  var startTimes: [Date?]
  var endTimes: [Date?]
  var errors: [[String]]
  /// Indexes of commands whose effects took place.
  var completedSteps: Int
}
