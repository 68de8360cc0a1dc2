import DefenderClient
import Foundation
import LiveResponse

extension Engine {
  /// The formats local copies of library scripts declare: the run's script folder, then the
  /// stdlib's scripts.
  var scriptFormats: ScriptFormats { ScriptFormats(scriptDirectory: options.scriptDirectory) }

  /// Stores a saved RunScript or GetFile result as data (cleaned output, parsed rows; a GetFile
  /// row), and binds a script's rows into the machine's outcome, so `r.rows` holds what the
  /// journal holds. Storing again replaces what was stored, so a resumed run may store a result
  /// twice. Its `finished` time is lr's clock when lr recorded it, the clock of the run's own
  /// times (the service's times are the action's, `lr report`'s timeline): in the lab the
  /// service's clock runs faster than real time.
  func storeResult(
    _ record: CommandRecord, command: LiveResponseCommand, machine: MachineRef,
    outcome: inout MachineOutcome
  ) throws {
    let origin = StructuredResult.Origin(
      runID: runID, actionRow: record.actionRow, machine: machine,
      commandIndex: record.commandIndex, finishedAt: Date())
    guard
      let structured = Engine.structured(
        record, command: command, formats: scriptFormats, origin: origin)
    else { return }
    try recorder.resultStored(structured)
    if record.type == "RunScript" { outcome.rows = structured.values }
  }

  /// Stores the saved results of an action that finished before `lr resume` (a journal written
  /// before results were stored, or a run stopped between the two writes), from its journaled
  /// body and saved files.
  func storeReplayedResults(
    _ action: ActionRecord, saved: [CommandRecord], machine: MachineRef,
    outcome: inout MachineOutcome
  ) throws {
    let commands = JournaledBody(action.body, token: action.token).commands
    for record in saved where record.status == "Completed" && record.resultPath != nil {
      guard let command = commands[safe: record.commandIndex] else { continue }
      try storeResult(
        record, command: command, machine: machine, outcome: &outcome)
    }
  }

  /// The stored form of a saved result; nil for commands without one.
  static func structured(
    _ record: CommandRecord, command: LiveResponseCommand, formats: ScriptFormats,
    origin: StructuredResult.Origin
  ) -> StructuredResult? {
    guard let path = record.resultPath else { return nil }
    switch record.type {
    case "RunScript":
      let data = FileManager.default.contents(atPath: path) ?? Data()
      return .script(
        try? ScriptTranscript.decode(from: data), savedText: String(decoding: data, as: UTF8.self),
        declared: formats.format(of: command.parameter("ScriptName") ?? ""), origin: origin)
    case "GetFile":
      return .file(
        remotePath: command.parameter("Path") ?? "", saved: path, size: record.resultSize ?? 0,
        sha256: record.resultSHA256 ?? "", origin: origin)
    default:
      return nil
    }
  }

  /// A time as the service writes it (ISO 8601, with or without fractional seconds).
  static func serviceDate(_ text: String?) -> Date? {
    guard let text else { return nil }
    // Without a formatter when it can: building one took about 1 ms (minutes at 100,000 machines).
    if let seconds = ServiceTimestamp.seconds(text) { return Date(timeIntervalSince1970: seconds) }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
  }
}
