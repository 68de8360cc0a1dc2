import LRLanguage
import LRResults
import LiveResponse

/// A ``ResultValue`` as terminal text: aligned tables (cells sanitized, capped, every line cut to
/// the terminal's width by display columns) or the single value itself.
enum ResultValueText {
  /// The widest a table cell is shown before it is cut with `…`.
  static let maxCell = 60

  /// The text for `value`; `width` (terminal columns) cuts every line, nil keeps them whole.
  static func render(_ value: ResultValue, expression: String, width: Int?) -> String {
    switch value {
    case .machines(let machines):
      guard !machines.isEmpty else { return "(no machines)\n" }
      let failed = machines.filter(\.failed).count
      let cells = machines.map { m in
        [m.machine, m.status.rawValue, m.exitCode.map(String.init) ?? "", firstLine(m)]
      }
      let noun = machines.count == 1 ? "machine" : "machines"
      // No hint after a `where`: `r where … .rows` would read `.rows` as part of the condition.
      let hint =
        expression.contains(" where ")
        ? ""
        : "; `\(expression).rows` shows parsed rows, `.export \(expression) FILE.csv` writes them"
      return table(["MACHINE", "STATUS", "EXIT", "OUTPUT"], cells, width: width)
        + "(\(machines.count) \(noun), \(failed) failed\(hint))\n"
    case .rows(let rows):
      guard !rows.isEmpty else {
        return "(no rows: no output of `\(expression)` was read as a table, list, CSV or JSON)\n"
      }
      let table = ResultTable(value)
      let header = ["MACHINE"] + table.columns.dropFirst()
      let machines = Set(rows.map(\.machine)).count
      return Self.table(header, table.records.map { $0.map(ResultTable.text) }, width: width)
        + "(\(rows.count) row\(rows.count == 1 ? "" : "s") from \(machines) "
        + "machine\(machines == 1 ? "" : "s"))\n"
    case .perMachine(let field, let values):
      var cells: [[String]] = []
      for value in values {
        let lines = lines(ResultTable.text(value.value))
        for (i, line) in lines.enumerated() { cells.append([i == 0 ? value.machine : "", line]) }
      }
      return table(["MACHINE", field.uppercased()], cells, width: width)
    case .single(let value):
      return single(value, width: width)
    }
  }

  /// A single value: text as it is (sanitized), a list one item a line, others as JSON.
  static func single(_ value: JSONValue, width: Int?) -> String {
    let text: String
    switch value {
    case .array(let items):
      text = items.map { Sanitizer.line(ResultTable.text($0)) }.joined(separator: "\n")
    case .null: text = "(none)"
    default: text = Sanitizer.text(ResultTable.text(value))
    }
    return lines(text).map { cut($0, to: width) }.joined(separator: "\n") + "\n"
  }

  /// The first non-blank line of a machine's output (without the transcript's own notice), else
  /// of its errors, else its saved file.
  static func firstLine(_ m: MachineResult) -> String {
    for text in [TranscriptCleaner.clean(m.output), m.errors, m.file ?? ""] {
      if let line = lines(text).first(where: { !$0.allSatisfy(\.isWhitespace) }) { return line }
    }
    return ""
  }

  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// Columns padded to their widest cell (display columns), each cell sanitized and capped.
  static func table(_ header: [String], _ rows: [[String]], width: Int?) -> String {
    let all =
      [header.map(Sanitizer.line)] + rows.map { $0.map { cut(Sanitizer.line($0), to: maxCell) } }
    var widths = [Int](repeating: 0, count: header.count)
    for row in all {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], DisplayWidth.of(cell))
      }
    }
    var out = ""
    for row in all {
      var line = ""
      for (i, cell) in row.enumerated() {
        let pad = i == row.count - 1 ? 0 : widths[i] - DisplayWidth.of(cell) + 2
        line += cell + String(repeating: " ", count: max(0, pad))
      }
      while line.last == " " { line.removeLast() }
      out += cut(line, to: width) + "\n"
    }
    return out
  }

  /// `text` cut to `width` display columns, ending in `…` when it was longer.
  static func cut(_ text: String, to width: Int?) -> String {
    guard let width, width > 0, DisplayWidth.of(text) > width else { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(String(character))
      if used + w > width - 1 { break }
      out.append(character)
      used += w
    }
    return out + "…"
  }
}
