import ArgumentParser
import Foundation
import LREngine
import LRResults
import LiveResponse

/// `lr results [export] [RUN]`: a run's results as records for tickets and SIEMs (CSV, JSON
/// lines, table).
struct ResultsExportCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a run's results: one record per parsed row (CSV, JSON lines or a table).",
    discussion: """
      One record per parsed output row (its `n` and `data`), and one per command with no parsed \
      rows (its `output` and `errors`), each carrying the run, machine name and id, action id, \
      command, status, exit code and times (ISO 8601 UTC). JSON lines leave out a field without \
      a value; CSV spreads `data` over one column per row column after the fixed ones, with no \
      formula injection. RUN is a run id or `last` (the default).
      """)

  @Argument(help: "A run id, or `last` (the default) for the newest run.")
  var run: String?

  @Option(
    name: [.long, .customLong("output")],
    help: "jsonl (JSON lines), csv or table. (--output human|json works too.)")
  var format: TabularFormat?

  @OptionGroup var journal: JournalOptions

  func run() async throws {
    try await JournalErrors.run {
      let reader = try journal.reader()
      let id = try await reader.resolveRun(run)
      let records = try await ResultExport.records(run: id, in: reader)
      switch TabularFormat.resolved(format) {
      case .json:
        for record in records { Terminal.line(record.serialized()) }
      case .csv: Terminal.out(Self.csv(records))
      case .table: TabularOutput.print(Self.table(records), as: .table)
      }
    }
  }

  /// The fixed fields without `data`, then one column per row column (first seen first).
  static func columns(_ records: [JSONValue]) -> (fixed: [String], data: [String]) {
    let fixed = ResultExport.fields.filter { $0 != "data" }
    var data: [String] = []
    var seen = Set<String>()
    for record in records {
      for (key, _) in record["data"]?.objectValue ?? [] where seen.insert(key).inserted {
        data.append(key)
      }
    }
    return (fixed, data)
  }

  /// Records as CSV; a row column named like a fixed field is headed `data.NAME`.
  static func csv(_ records: [JSONValue]) -> String {
    let (fixed, data) = columns(records)
    let header = fixed + data.map { fixed.contains($0) ? "data.\($0)" : $0 }
    var writer = CSVWriter(header: header)
    for record in records {
      let row = record["data"]
      writer.append(
        fixed.map { record[$0].map(Stacking.text) ?? "" }
          + data.map { row?[$0].map(Stacking.text) ?? "" })
    }
    return writer.text
  }

  /// A short table: machine, command, status, exit code, row number and the row or output.
  static func table(_ records: [JSONValue]) -> QueryResult {
    QueryResult(
      columns: ["machine", "command_index", "command", "status", "exit_code", "n", "data/output"],
      rows: records.map { record in
        let detail = record["data"].map { Stacking.text($0) } ?? record["output"].map(Stacking.text)
        return [
          record["machine"] ?? .null, record["command_index"] ?? .null, record["command"] ?? .null,
          record["status"] ?? .null, record["exit_code"] ?? .null, record["n"] ?? .null,
          .string(detail ?? ""),
        ]
      })
  }
}
