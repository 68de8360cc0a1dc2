import DefenderClient
import Foundation
import LiveResponse

/// Result downloads that fail: retried, then reported as a failed download of that command
/// (never left pending, never stopping the other machines' actions).
extension Engine {
  /// Rounds of the client's own retries before a result counts as not downloadable.
  static let downloadRounds = 3

  /// Downloads a completed command's result to `url`, trying again after the client's retries
  /// gave up; nil when it still fails (reported, journaled `DownloadFailed` and audited).
  func downloadResult(
    _ command: ActionCommand, actionID: String, row: Int64, machine: MachineRef, position: Int,
    to url: URL, manifest: inout Manifest.Action, outcome: inout MachineOutcome
  ) async throws -> DownloadedFile? {
    var failure = ""
    for round in 1...Engine.downloadRounds {
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try await api.downloadResult(actionID: actionID, index: command.index, to: url.path)
      } catch {
        if Engine.isCancellation(error) || Task.isCancelled { throw CancellationError() }
        failure = "\(error)"
      }
      guard round < Engine.downloadRounds else { break }
      emit(
        .retry(
          reason: "downloading result \(position + 1) of action \(actionID) failed: \(failure)",
          attempt: round + 1, after: Double(round)))
      try await Task.sleep(for: .seconds(round))
    }
    let message = "the result could not be downloaded: \(failure)"
    outcome.downloadFailed = true
    try recorder.commandFinished(
      CommandRecord(
        actionRow: row, commandIndex: command.index, type: command.command.type,
        status: Engine.downloadFailed, errors: message),
      errors: [message], actionID: actionID, machine: machine, position: position,
      manifest: &manifest)
    return nil
  }

  /// The command status of a result that could not be downloaded.
  static let downloadFailed = "DownloadFailed"

  /// How an action counts in the summary: `Failed` when the service says `Succeeded` but one of
  /// its results could not be downloaded.
  static func counted(_ status: ActionStatus, downloadFailed: Bool) -> ActionStatus {
    downloadFailed && status == .succeeded ? .failed : status
  }
}
