import DefenderClient
import Foundation
import LRResults
import LiveResponse

/// A saved result as the journal stores it as data: the command's result (cleaned output,
/// errors, exit code, parsed format, finish time) and its rows. A RunScript transcript is
/// cleaned (``TranscriptCleaner``) and parsed (``OutputParser``, the script's declared format
/// first); a GetFile result is one row: path, size, SHA-256, saved file.
struct StructuredResult: Sendable, Equatable {
  var result: CommandResultRecord
  var rows: [ResultRowRecord]
  /// A RunScript's parsed rows as values (what `r.rows` holds); empty for GetFile.
  var values: [JSONValue] = []

  /// Where the result belongs: the run, the action's journal row, the machine, the command.
  struct Origin: Sendable {
    var runID: String
    var actionRow: Int64
    var machine: MachineRef
    var commandIndex: Int
    var finishedAt: Date
  }

  /// A RunScript result from its transcript (nil: the saved file is not a transcript; its text
  /// is then read as the output).
  static func script(
    _ transcript: ScriptTranscript?, savedText: String, declared: OutputFormat?, origin: Origin
  ) -> StructuredResult {
    let output = TranscriptCleaner.clean(transcript?.scriptOutput ?? savedText)
    let parsed = OutputParser.parse(output, declared: declared)
    let result = CommandResultRecord(
      actionRow: origin.actionRow, commandIndex: origin.commandIndex, runID: origin.runID,
      type: "RunScript", output: output, errors: transcript?.scriptErrors ?? "",
      exitCode: transcript?.exitCode ?? 0, format: parsed.format.rawValue,
      formatWarning: parsed.warning, finishedAt: origin.finishedAt)
    return StructuredResult(
      result: result, rows: rows(parsed.rows, origin: origin), values: parsed.rows)
  }

  /// A GetFile result: one row with the remote path, size, SHA-256 and the saved file.
  static func file(
    remotePath: String, saved: String, size: Int64, sha256: String, origin: Origin
  ) -> StructuredResult {
    let row: JSONValue = .object([
      ("path", .string(remotePath)), ("size", .number(Int(size))), ("sha256", .string(sha256)),
      ("file", .string(saved)),
    ])
    let result = CommandResultRecord(
      actionRow: origin.actionRow, commandIndex: origin.commandIndex, runID: origin.runID,
      type: "GetFile", finishedAt: origin.finishedAt)
    return StructuredResult(result: result, rows: rows([row], origin: origin))
  }

  /// The journal rows of parsed rows, numbered from 0.
  static func rows(_ values: [JSONValue], origin: Origin) -> [ResultRowRecord] {
    values.enumerated().map { n, value in
      ResultRowRecord(
        runID: origin.runID, actionRow: origin.actionRow, machineID: origin.machine.id,
        computerName: origin.machine.computerName, commandIndex: origin.commandIndex, n: n,
        data: value.serialized())
    }
  }
}
