import Foundation
import LiveResponse

/// What `lr query`, `lr stack`, `lr results` and `lr report` read: the journal's documented views
/// (`runs`, `results`, `rows`, `targets`, `schema_version`; docs/results.md), read-only. The SQLite
/// journal (``JournalReader``) and the team database (LRTeam's `PostgresResultsReader`) both
/// implement it, so stacking, export and the report are written once, over the views.
public protocol ResultsReader: Sendable {
  /// Runs one read-only statement of the caller's, handing over its column names, then each row
  /// (cells as JSON scalars); a statement that would change anything is refused
  /// (``JournalQueryError``).
  func query(
    _ sql: String, columns: ([String]) throws -> Void, row: ([JSONValue]) throws -> Void
  ) async throws

  /// Runs one of lr's own statements over the views, with text arguments `$1`, `$2`, …, and
  /// returns every row. The SQL is the portable subset both databases read alike.
  func select(_ sql: String, _ arguments: [String]) async throws -> [[JSONValue]]
}

extension ResultsReader {
  /// Runs one read-only statement and returns its columns and rows.
  public func query(_ sql: String) async throws -> QueryResult {
    var result = QueryResult(columns: [], rows: [])
    try await query(sql, columns: { result.columns = $0 }, row: { result.rows.append($0) })
    return result
  }

  /// The id of the newest run, or nil when the journal has none.
  public func newestRun() async throws -> String? {
    try await select("SELECT run FROM runs ORDER BY started DESC, run DESC LIMIT 1", [])
      .first?.first?.stringValue
  }

  /// Resolves `last` (or nil) to the newest run and checks that a named run exists.
  public func resolveRun(_ name: String?) async throws -> String {
    guard let run = name, run != "last" else {
      guard let newest = try await newestRun() else { throw JournalQueryError.noRuns }
      return newest
    }
    let found = try await select("SELECT count(*) FROM runs WHERE run = $1", [run])
    guard found.first?.first != .number(0), !found.isEmpty else {
      throw JournalQueryError.unknownRun(run)
    }
    return run
  }
}
