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

  /// Counts the values of `column` in `run` (a run id; see ``ResultsReader/resolveRun(_:)``).
  /// Throws ``JournalQueryError/unknownColumn(_:known:)`` listing the known columns.
  public static func stack(run: String, column: String, in reader: any ResultsReader) async throws
    -> (source: Source, column: String, values: [Value])
  {
    let rows = try await Stacking.rows(run: run, in: reader)
    let rowColumns = Stacking.rowColumns(rows)
    guard let (source, name) = resolve(column, rowColumns: rowColumns) else {
      let known = rowColumns + resultColumns.filter { !rowColumns.contains($0) }
      throw JournalQueryError.unknownColumn(column, known: known)
    }
    switch source {
    case .rows:
      return (source, name, count(rows: rows, column: name))
    case .results:
      let pairs = try await reader.select(
        "SELECT machine, \(name) FROM results WHERE run = $1 AND \(name) IS NOT NULL", [run])
      return (source, name, count(values: pairs.map { ($0[0].stringValue ?? "", $0[1]) }))
    }
  }

  /// Every parsed-row column's values in `run`, columns sorted (`lr report`'s stacks): the rows
  /// read once.
  public static func stackRows(run: String, in reader: any ResultsReader) async throws
    -> [(column: String, values: [Value])]
  {
    let rows = try await Stacking.rows(run: run, in: reader)
    return rowColumns(rows).map { ($0, count(rows: rows, column: $0)) }
  }

  /// The parsed-row columns seen in a run, sorted.
  public static func rowColumns(run: String, in reader: any ResultsReader) async throws
    -> [String]
  {
    rowColumns(try await rows(run: run, in: reader))
  }

  /// A run's parsed rows, (machine, row object) pairs, parsed here (not by the database's JSON
  /// functions) so that both journals count alike.
  static func rows(run: String, in reader: any ResultsReader) async throws
    -> [(machine: String, row: [(String, JSONValue)])]
  {
    try await reader.select("SELECT machine, data FROM rows WHERE run = $1", [run]).map { cells in
      let data = cells[1].stringValue.flatMap { JSONValue.parse($0) }
      return (cells[0].stringValue ?? "", data?.objectValue ?? [])
    }
  }

  static func rowColumns(_ rows: [(machine: String, row: [(String, JSONValue)])]) -> [String] {
    Array(Set(rows.flatMap { $0.row.map(\.0) })).sorted()
  }

  static func count(rows: [(machine: String, row: [(String, JSONValue)])], column: String)
    -> [Value]
  {
    count(
      values: rows.flatMap { entry in
        entry.row.filter { $0.0 == column }.map { (entry.machine, $0.1) }
      })
  }

  /// The `results` columns that can be stacked.
  public static let resultColumns = JournalSchema.resultColumns.filter { $0 != "run" }

  /// A row column of that exact name, else a results column, else either ignoring case.
  static func resolve(_ column: String, rowColumns: [String]) -> (Source, String)? {
    if rowColumns.contains(column) { return (.rows, column) }
    if resultColumns.contains(column) { return (.results, column) }
    let lower = column.lowercased()
    if let name = rowColumns.first(where: { $0.lowercased() == lower }) { return (.rows, name) }
    if let name = resultColumns.first(where: { $0 == lower }) { return (.results, name) }
    return nil
  }

  /// Groups (machine, value) pairs, `null` values left out: fewest machines first, then fewest
  /// occurrences, then value. `lr stack`, `lr report` and the REPL's `.stack` all count here.
  public static func count(values pairs: [(machine: String, value: JSONValue)]) -> [Value] {
    var byValue: [String: (machines: Set<String>, occurrences: Int)] = [:]
    for (machine, value) in pairs where value != .null {
      let text = Stacking.text(value)
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
