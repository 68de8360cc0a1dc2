import LiveResponse

/// Reads PowerShell `Format-List` text: `Name : Value` lines (names padded with spaces before the
/// colon), blocks separated by blank lines, one row per block. An indented line continues the
/// value above it (joined with a line break).
enum ListParser {
  /// How many lines of a first block that is not a list (a script's summary) are skipped.
  static let maxPreambleLines = 3

  /// The rows, or nil when a non-blank line is neither `Name : Value` nor a continuation. A
  /// first block of a few other lines before a blank line (a summary) is skipped.
  static func rows(_ text: String) -> [JSONValue]? {
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    if let rows = rows(lines[...]) { return rows }
    guard let start = lines.firstIndex(where: { !$0.isBlank }),
      let blank = lines[start...].firstIndex(where: \.isBlank), blank - start <= maxPreambleLines
    else { return nil }
    return rows(lines[blank...])
  }

  /// The rows of these lines, or nil.
  static func rows(_ lines: ArraySlice<Substring>) -> [JSONValue]? {
    var rows: [JSONValue] = []
    var members: [(String, String)] = []
    func finishBlock() {
      guard !members.isEmpty else { return }
      let columns = ColumnNames.unique(members.map(\.0))
      rows.append(ResultRow(columns: columns, values: members.map(\.1)).json)
      members = []
    }
    for line in lines {
      if line.isBlank {
        finishBlock()
      } else if let first = line.first, first == " " || first == "\t", !members.isEmpty {
        members[members.count - 1].1 += "\n" + line.trimmedSpaces
      } else if let (name, value) = member(line) {
        members.append((name, value))
      } else {
        return nil
      }
    }
    finishBlock()
    return rows.isEmpty ? nil : rows
  }

  /// The name and value of a `Name : Value` line (at least one space before the colon).
  static func member(_ line: Substring) -> (String, String)? {
    guard let first = line.first, !first.isWhitespace,
      let colon = line.firstRange(of: " :")
    else { return nil }
    let name = line[..<colon.lowerBound].trimmedSpaces
    let rest = line[colon.upperBound...]
    guard !name.isEmpty, rest.isEmpty || rest.first == " " else { return nil }
    return (name, String(rest.dropFirst()).trimmedSpaces)
  }
}
