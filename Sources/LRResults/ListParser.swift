import LiveResponse

/// Reads PowerShell `Format-List` text: `Name : Value` lines (names padded with spaces before the
/// colon), blocks separated by blank lines, one row per block. An indented line continues the
/// value above it (joined with a line break).
enum ListParser {
  /// The rows, or nil when a non-blank line is neither `Name : Value` nor a continuation.
  static func rows(_ text: String) -> [JSONValue]? {
    var rows: [JSONValue] = []
    var members: [(String, String)] = []
    func finishBlock() {
      guard !members.isEmpty else { return }
      let columns = ColumnNames.unique(members.map(\.0))
      rows.append(ResultRow(columns: columns, values: members.map(\.1)).json)
      members = []
    }
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
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
