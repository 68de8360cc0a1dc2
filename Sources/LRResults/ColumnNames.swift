/// Column names made usable as JSON keys: blanks named by position, repeats numbered.
enum ColumnNames {
  /// `names` trimmed, an empty one named `ColumnN` (from 1), a repeated one `Name_2`, `Name_3`, ….
  static func unique(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.enumerated().map { index, raw in
      let trimmed = raw.trimmedSpaces
      let base = trimmed.isEmpty ? "Column\(index + 1)" : trimmed
      var name = base
      var counter = 2
      while !seen.insert(name).inserted {
        name = "\(base)_\(counter)"
        counter += 1
      }
      return name
    }
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  var trimmedSpaces: String {
    let start = drop { $0 == " " || $0 == "\t" }
    return String(start.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }

  /// Whether the text is empty or only whitespace.
  var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
