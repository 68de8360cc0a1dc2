import ArgumentParser
import Foundation
import LREngine
import LiveResponse

/// `lr stack [RUN] COLUMN`: the values of one column across a run's machines, least frequent first.
struct StackCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "stack",
    abstract: "Count a column's values across a run's machines, least frequent first.",
    discussion: """
      COLUMN is a parsed-row column (ProcessName, Path, …: the exact case first) or a results \
      column (exit_code, status, sha256, command, …). RUN is a run id, or `last` (the default) \
      for the newest run. Each value comes with how many machines have it, how many rows, and \
      which machines: the rare values, at the top, are the ones to look at.
      """)

  @Argument(help: "RUN (a run id or `last`; optional), then COLUMN.")
  var arguments: [String] = []

  @Option(
    name: [.long, .customLong("output")],
    help: "table, json (JSON lines) or csv. (--output human|json works too.)")
  var format: TabularFormat?

  @OptionGroup var journal: JournalOptions

  func validate() throws {
    guard (1...2).contains(arguments.count) else {
      throw ValidationError("usage: lr stack [RUN] COLUMN")
    }
  }

  func run() async throws {
    try await JournalErrors.run {
      let reader = try journal.reader()
      let run = try await reader.resolveRun(arguments.count == 2 ? arguments[0] : nil)
      let column = arguments.last ?? ""
      let stacked = try await Stacking.stack(run: run, column: column, in: reader)
      Self.print(stacked.values, run: run, column: stacked.column, as: .resolved(format))
    }
  }

  /// Prints the counted values: JSON lines with the machines as an array, else columns.
  static func print(
    _ values: [Stacking.Value], run: String, column: String, as format: TabularFormat
  ) {
    if format == .json {
      for value in values {
        let line = JSONValue.object([
          ("run", .string(run)), ("column", .string(column)), ("value", .string(value.value)),
          ("count", .number(value.count)), ("occurrences", .number(value.occurrences)),
          ("machines", .array(value.machines.map { .string($0) })),
        ])
        Terminal.line(line.serialized())
      }
      return
    }
    let result = QueryResult(
      columns: ["count", "occurrences", column, "machines"],
      rows: values.map { value in
        [
          .number(value.count), .number(value.occurrences), .string(value.value),
          .string(value.machines.joined(separator: ", ")),
        ]
      })
    TabularOutput.print(result, as: format)
  }
}
