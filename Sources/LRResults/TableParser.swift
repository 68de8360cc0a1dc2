import LiveResponse

/// Reads PowerShell `Format-Table` text: a header line, a line of dashes under each column name,
/// then one row per line. Column positions come from the dashes; a value may overflow its dashes
/// into the gap before the next column (right-aligned numbers overflow left, left-aligned text
/// right), so each row is cut at the last space of each gap. The last column takes the rest of
/// the line. A repeated header (grouped output) is skipped; blank lines end nothing.
enum TableParser {
  /// How many non-blank lines may come before the header.
  static let maxPreambleLines = 3

  /// The rows, or nil when no header and dashed line start the text. A few lines before the
  /// header (a script's summary line) are skipped.
  static func rows(_ text: String) -> [JSONValue]? {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    let candidates = lines.indices.filter { !lines[$0].isBlank }.prefix(maxPreambleLines + 1)
    guard
      let headerIndex = candidates.first(where: {
        $0 + 1 < lines.count && !lines[$0 + 1].isBlank && dashSpans(Array(lines[$0 + 1])) != nil
      })
    else { return nil }
    let header = Array(lines[headerIndex])
    let dashes = Array(lines[headerIndex + 1])
    guard let spans = dashSpans(dashes) else { return nil }
    let names = spans.map { span in
      String(header[min(span.lowerBound, header.count)..<min(span.upperBound, header.count)])
    }
    guard names.allSatisfy({ !$0.isBlank }) else { return nil }
    let columns = ColumnNames.unique(names)
    var rows: [JSONValue] = []
    var index = headerIndex + 2
    while index < lines.count {
      let line = Array(lines[index])
      if line == header, index + 1 < lines.count, Array(lines[index + 1]) == dashes {
        index += 2
        continue
      }
      index += 1
      if line.allSatisfy(\.isWhitespace) { continue }
      rows.append(ResultRow(columns: columns, values: cut(line, spans)).json)
    }
    return rows
  }

  /// The column spans of a line of dashes (runs of `-` separated by spaces), or nil if the line
  /// holds anything else or no dash.
  static func dashSpans(_ line: [Character]) -> [Range<Int>]? {
    var spans: [Range<Int>] = []
    var start: Int?
    for (offset, character) in line.enumerated() {
      switch character {
      case "-": if start == nil { start = offset }
      case " ", "\t":
        if let s = start { spans.append(s..<offset) }
        start = nil
      default: return nil
      }
    }
    if let s = start { spans.append(s..<line.count) }
    return spans.isEmpty ? nil : spans
  }

  /// The trimmed values of one row.
  static func cut(_ line: [Character], _ spans: [Range<Int>]) -> [String] {
    var cuts: [Int] = [0]
    for column in spans.indices.dropFirst() {
      cuts.append(
        max(boundary(line, after: spans[column - 1], before: spans[column]), cuts.last ?? 0))
    }
    cuts.append(max(line.count, cuts.last ?? 0))
    return spans.indices.map { column in
      String(line[min(cuts[column], line.count)..<min(cuts[column + 1], line.count)]).trimmedSpaces
    }
  }

  /// Where a row's value of the column at `right` starts: after the last space in the gap
  /// between the two columns' dashes, else where the right column's dashes start. A row that
  /// ends before the right column's dashes has no value there: what overflows into the gap is
  /// the left column's.
  static func boundary(_ line: [Character], after left: Range<Int>, before right: Range<Int>) -> Int
  {
    if line.count <= right.lowerBound { return line.count }
    let gap = min(left.upperBound, line.count)..<min(right.lowerBound, line.count)
    if let space = gap.last(where: { line[$0] == " " || line[$0] == "\t" }) { return space + 1 }
    return right.lowerBound
  }
}
