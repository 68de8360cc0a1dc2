import GRDB
import LiveResponse

extension Stacking {
  /// Counts values already in memory, (machine, value) pairs such as the REPL's bound results
  /// (`.stack r ProcessName`), with the grouping and order of ``stack(run:column:in:)``; `null`
  /// values are left out, as there.
  public static func count(values pairs: [(machine: String, value: JSONValue)]) -> [Value] {
    count(
      pairs.filter { $0.value != .null }.map { ($0.machine, Stacking.text($0.value).databaseValue) }
    )
  }
}
