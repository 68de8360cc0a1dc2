import ArgumentParser
import Foundation
import LREngine
import LRLanguage
import LRResults
import LiveResponse

/// How `lr query`, `lr stack` and `lr results` print columns and rows: an aligned table (cells
/// sanitized), JSON lines (one object per row) or CSV (``CSVWriter``: no formula injection).
enum TabularFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case table
  case json
  case csv

  init?(argument: String) {
    switch argument.lowercased() {
    case "table", "human": self = .table
    case "json", "jsonl": self = .json
    case "csv": self = .csv
    default: return nil
    }
  }

  static var allValueStrings: [String] { ["table", "json", "jsonl", "csv"] }

  /// The format asked for, else a table on a terminal and JSON lines otherwise.
  static func resolved(_ format: TabularFormat?) -> TabularFormat {
    format ?? (Terminal.stdoutIsTerminal ? .table : .json)
  }
}

/// Prints a ``QueryResult`` in a ``TabularFormat``.
enum TabularOutput {
  /// The widest a table cell is printed (display characters); longer cells end in `…`.
  static let cellLimit = 80

  static func print(_ result: QueryResult, as format: TabularFormat) {
    switch format {
    case .json:
      let keys = uniqueKeys(result.columns)
      for row in result.rows {
        Terminal.line(JSONValue.object(Array(zip(keys, row))).serialized())
      }
    case .csv:
      var writer = CSVWriter(header: result.columns)
      for row in result.rows { writer.append(row.map(Stacking.text)) }
      Terminal.out(writer.text)
    case .table:
      let rows = result.rows.map { row in row.map { cut(Stacking.text($0)) } }
      Terminal.out(Table(headers: result.columns, rows: rows).render())
      Terminal.line("(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))")
    }
  }

  /// Column names made unique for JSON objects (`n`, `n_2`, …).
  static func uniqueKeys(_ columns: [String]) -> [String] {
    var seen: [String: Int] = [:]
    return columns.map { name in
      seen[name, default: 0] += 1
      let count = seen[name] ?? 1
      return count == 1 ? name : "\(name)_\(count)"
    }
  }

  /// A cell on one line, sanitized, cut to ``cellLimit`` characters.
  static func cut(_ text: String) -> String {
    let line = Sanitizer.line(text)
    return line.count <= cellLimit ? line : String(line.prefix(cellLimit - 1)) + "…"
  }
}

/// Reports a refused or failed journal read (`lr: error: …`, each line sanitized) as status 2;
/// other errors as ``ErrorReporting`` does.
enum JournalErrors {
  static func run(_ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch let error as JournalQueryError {
      for line in error.description.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      {
        Terminal.printError(
          (line.offset == 0 ? "lr: error: " : "") + Sanitizer.line(String(line.element)))
      }
      throw ExitStatus.usage
    } catch {
      throw ErrorReporting.report(error)
    }
  }
}
