import ArgumentParser
import Foundation
import LREngine
import LRResults
import LiveResponse

/// `lr query "SQL"`: one read-only SQL statement over the journal's documented schema.
struct QueryCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "query",
    abstract: "Run a read-only SQL query over the journal (runs, results, rows).",
    discussion: """
      The journal's schema (docs/results.md): the views runs, results, rows, targets and \
      schema_version; `data` in rows is a JSON object (json_extract(data,'$.ProcessName')).
      Only queries run: a statement that would change anything is refused and nothing changes.
      Prints a table on a terminal and JSON lines otherwise; --format csv|json|table.
      """)

  @Argument(help: "One SQL statement (SELECT, WITH, VALUES, EXPLAIN or a PRAGMA read).")
  var sql: String

  @Option(
    name: [.long, .customLong("output")],
    help: "table, json (JSON lines) or csv. (--output human|json works too.)")
  var format: TabularFormat?

  @OptionGroup var journal: JournalOptions

  func run() async throws {
    try await JournalErrors.run {
      let reader = try journal.reader()
      switch TabularFormat.resolved(format) {
      case .table: TabularOutput.print(try await reader.query(sql), as: .table)
      case .json:
        var keys: [String] = []
        try await reader.query(
          sql, columns: { keys = TabularOutput.uniqueKeys($0) },
          row: { Terminal.line(JSONValue.object(Array(zip(keys, $0))).serialized()) })
      case .csv:
        try await reader.query(
          sql, columns: { Terminal.out(CSVWriter.line($0)) },
          row: { Terminal.out(CSVWriter.line($0.map(Stacking.text))) })
      }
    }
  }
}
