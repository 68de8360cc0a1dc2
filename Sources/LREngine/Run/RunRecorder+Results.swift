import Foundation

extension RunRecorder {
  /// A saved result stored as data (issue 13): the command's cleaned output, errors, exit code,
  /// parsed format and finish time, and its rows, journaled in one transaction.
  func resultStored(_ structured: StructuredResult) throws {
    try journal.record(result: structured.result, rows: structured.rows)
  }
}
