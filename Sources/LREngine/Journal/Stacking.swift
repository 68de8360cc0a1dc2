import GRDB
import LiveResponse

/// Frequency stacking (long-tail analysis): the values of one column across a run's machines,
/// least frequent first, each with the machines that have it. The column is a parsed-row column
/// (`ProcessName`, exact case first) or a `results` column (`exit_code`, `status`, `sha256`, …).
/// `lr stack` and the REPL's `.stack` both count here.
public enum Stacking {
  /// One value of the column and where it was seen.
  public struct Value: Sendable, Equatable {
    /// The value as text (numbers written plainly, a nested JSON value as JSON text).
    public var value: String
    /// How many machines have it.
    public var count: Int
    /// How many rows (or results) have it, over all machines.
    public var occurrences: Int
    /// The machines that have it (computer names, sorted).
    public var machines: [String]
  }

  /// Where a column's values come from.
  public enum Source: String, Sendable { case rows, results }

  /// Counts the values of `column` in `run` (a run id; see ``JournalReader/resolveRun(_:)``).
  /// Throws ``JournalQueryError/unknownColumn(_:known:)`` listing the known columns.
  public static func stack(run: String, column: String, in reader: JournalReader) throws
    -> (source: Source, column: String, values: [Value])
  {
    try reader.read { db in
      let rowColumns = try Stacking.rowColumns(run: run, in: db)
      guard let (source, name) = resolve(column, rowColumns: rowColumns) else {
        let known = rowColumns + resultColumns.filter { !rowColumns.contains($0) }
        throw JournalQueryError.unknownColumn(column, known: known)
      }
      let pairs: [(String, DatabaseValue)]
      switch source {
      case .rows:
        pairs = try Row.fetchAll(
          db,
          sql: """
            SELECT r.machine, j.value FROM rows r, json_each(r.data) j
            WHERE r.run = ? AND j.key = ? AND j.type != 'null'
            """, arguments: [run, name]
        ).map { ($0[0], $0[1]) }
      case .results:
        pairs = try Row.fetchAll(
          db,
          sql: "SELECT machine, \(name) FROM results WHERE run = ? AND \(name) IS NOT NULL",
          arguments: [run]
        ).map { ($0[0], $0[1]) }
      }
      return (source, name, count(pairs))
    }
  }

  /// The `results` columns that can be stacked.
  public static let resultColumns = JournalSchema.resultColumns.filter { $0 != "run" }

  /// The parsed-row columns seen in a run, sorted.
  public static func rowColumns(run: String, in reader: JournalReader) throws -> [String] {
    try reader.read { db in try rowColumns(run: run, in: db) }
  }

  static func rowColumns(run: String, in db: Database) throws -> [String] {
    try String.fetchAll(
      db,
      sql: """
        SELECT DISTINCT j.key FROM rows r, json_each(r.data) j WHERE r.run = ? ORDER BY j.key
        """, arguments: [run])
  }

  /// A row column of that exact name, else a results column, else either ignoring case.
  static func resolve(_ column: String, rowColumns: [String]) -> (Source, String)? {
    if rowColumns.contains(column) { return (.rows, column) }
    if resultColumns.contains(column) { return (.results, column) }
    let lower = column.lowercased()
    if let name = rowColumns.first(where: { $0.lowercased() == lower }) { return (.rows, name) }
    if let name = resultColumns.first(where: { $0 == lower }) { return (.results, name) }
    return nil
  }

  /// Groups (machine, value) pairs: fewest machines first, then fewest occurrences, then value.
  static func count(_ pairs: [(String, DatabaseValue)]) -> [Value] {
    var byValue: [String: (machines: Set<String>, occurrences: Int)] = [:]
    for (machine, value) in pairs {
      let text = Stacking.text(JournalReader.cell(value))
      byValue[text, default: ([], 0)].machines.insert(machine)
      byValue[text, default: ([], 0)].occurrences += 1
    }
    return byValue.map { value, seen in
      Value(
        value: value, count: seen.machines.count, occurrences: seen.occurrences,
        machines: seen.machines.sorted())
    }.sorted {
      ($0.count, $0.occurrences, $0.value) < ($1.count, $1.occurrences, $1.value)
    }
  }

  /// A cell as plain text: strings as they are, numbers written plainly, null empty.
  public static func text(_ value: JSONValue) -> String {
    switch value {
    case .null: ""
    case .string, .rawBytes: value.stringValue ?? ""
    case .number(let number): String(number)
    case .double(let number):
      number.rounded() == number && abs(number) < 9e15 ? String(Int(number)) : String(number)
    case .bool(let flag): flag ? "true" : "false"
    case .array, .object: value.serialized()
    }
  }
}
