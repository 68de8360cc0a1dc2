import LREngine
import LiveResponse

/// `.stack`'s counts as a table (least frequent first) or as JSON.
enum StackText {
  /// How many machine names a line lists before `… (N more)`.
  static let shownMachines = 5

  /// VALUE, MACHINES (how many have it), ROWS (occurrences) and which machines, one value a line.
  static func render(_ values: [Stacking.Value], column: String, width: Int?) -> String {
    guard !values.isEmpty else { return "(no values of \(column))\n" }
    let cells = values.map { value in
      let names = value.machines.prefix(shownMachines).joined(separator: ", ")
      let more =
        value.machines.count > shownMachines
        ? ", … (\(value.machines.count - shownMachines) more)" : ""
      return [value.value, String(value.count), String(value.occurrences), names + more]
    }
    return ResultValueText.table(
      [column.uppercased(), "MACHINES", "ROWS", "ON"], cells, width: width)
  }

  /// The counts as a JSON array of `{value, count, occurrences, machines}`.
  static func json(_ values: [Stacking.Value]) -> JSONValue {
    .array(
      values.map {
        .object([
          ("value", .string($0.value)), ("count", .number($0.count)),
          ("occurrences", .number($0.occurrences)),
          ("machines", .array($0.machines.map { .string($0) })),
        ])
      })
  }
}
