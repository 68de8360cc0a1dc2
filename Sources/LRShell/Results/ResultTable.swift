import LRLanguage
import LiveResponse

/// A ``ResultValue`` as records with named columns, machine first: what `.export` writes and the
/// JSON output carries. Row columns are the union of every row's columns in first-seen order.
public struct ResultTable: Sendable, Equatable {
  public var columns: [String]
  /// One cell per column (`null` where a row lacks the column).
  public var records: [[JSONValue]]

  /// The columns of the per-machine table.
  public static let machineColumns = [
    "machine", "machine_id", "status", "exit_code", "output", "errors", "file",
  ]

  /// The records of a value; a single value is one record with one column, `value`.
  public init(_ value: ResultValue) {
    switch value {
    case .machines(let machines):
      columns = Self.machineColumns
      records = machines.map { m in
        [.string(m.machine)]
          + Self.machineColumns.dropFirst().map { ResultValue.fieldValue($0, m) }
      }
    case .rows(let rows):
      var names: [String] = ["machine"]
      var seen: Set<String> = ["machine"]
      for row in rows {
        for (key, _) in row.row.objectValue ?? [] where seen.insert(key).inserted {
          names.append(key)
        }
      }
      columns = names
      records = rows.map { row in
        [.string(row.machine)] + names.dropFirst().map { row.row[$0] ?? .null }
      }
    case .perMachine(let field, let values):
      columns = ["machine", field]
      records = values.map { [.string($0.machine), $0.value] }
    case .single(let value):
      columns = ["value"]
      records = [[value]]
    }
  }

  /// The records as JSON objects (`machine` first), in order.
  public var objects: [JSONValue] {
    records.map { cells in .object(Array(zip(columns, cells))) }
  }

  /// A cell as text: strings as they are, `null` empty, other values as JSON.
  public static func text(_ cell: JSONValue) -> String {
    switch cell {
    case .null: ""
    case .string, .rawBytes: cell.stringValue ?? ""
    default: cell.serialized()
    }
  }
}
