/// Why a read of the journal's SQL schema was refused or failed, as a sentence.
public enum JournalQueryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A statement that would change something (`DELETE`, `ATTACH`, a `PRAGMA` assignment, …).
  case notReadOnly(String)
  /// More than one statement.
  case severalStatements
  /// SQLite could not prepare it: its message and, when SQLite knows it, the byte offset.
  case invalid(message: String, sql: String, offset: Int?)
  /// No run has that id.
  case unknownRun(String)
  /// The journal has no runs yet (`last`).
  case noRuns
  /// A column `lr stack` does not know, with the ones it does.
  case unknownColumn(String, known: [String])

  public var description: String {
    switch self {
    case .notReadOnly(let keyword):
      let what = keyword.isEmpty ? "this statement" : keyword
      return "the journal is read-only here: \(what) is refused (only queries: SELECT, WITH, "
        + "VALUES, EXPLAIN, PRAGMA reads); nothing was changed"
    case .severalStatements:
      return "one statement at a time: remove what follows the first `;`"
    case .invalid(let message, let sql, let offset):
      if message.hasPrefix("no such table") {
        return message + "; the journal's views are runs, results, rows, targets and "
          + "schema_version (docs/results.md)"
      }
      guard let offset else { return message }
      return "\(message) (at offset \(offset))\n" + JournalQueryError.excerpt(sql, offset: offset)
    case .unknownRun(let run):
      return "no run \(run) in the journal (`lr runs` lists them)"
    case .noRuns:
      return "the journal has no runs yet"
    case .unknownColumn(let column, let known):
      return "no column \(column) in this run's results or rows; known columns: "
        + known.joined(separator: ", ")
    }
  }

  /// The line of `sql` holding byte `offset`, and a caret under it.
  static func excerpt(_ sql: String, offset: Int) -> String {
    let bytes = Array(sql.utf8)
    let at = min(max(offset, 0), bytes.count)
    let lineStart = bytes[..<at].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
    let lineEnd = bytes[at...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
    let column = String(decoding: bytes[lineStart..<at], as: UTF8.self).count
    return "  " + line + "\n  " + String(repeating: " ", count: column) + "^"
  }
}
