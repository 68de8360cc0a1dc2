/// Text as Windows PowerShell prints objects through `Out-String`: `Format-Table -AutoSize` and
/// `Format-List`, so that the lab's scripts print what the real ones print.
enum PowerShellText {
  /// A table column: its name, and whether it is numeric (right-aligned, header included).
  struct Column {
    var name: String
    var numeric = false
  }

  /// `Format-Table -AutoSize`: each column as wide as its widest cell, one space between
  /// columns, dashes under each name as long as the name, the last column not padded; a blank
  /// line before and two after, as `Out-String` writes them.
  static func table(_ columns: [Column], _ rows: [[String]]) -> String {
    let widths = columns.indices.map { c in
      rows.reduce(columns[c].name.count) { max($0, $1[safeIndex: c].count) }
    }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (c, column) in columns.enumerated() {
        let cell = cells[safeIndex: c]
        let pad = String(repeating: " ", count: max(0, widths[c] - cell.count))
        if c > 0 { text += " " }
        if column.numeric {
          text += pad + cell
        } else {
          text += c == columns.count - 1 ? cell : cell + pad
        }
      }
      // Trailing blanks only; reversing the whole line twice cost the lab's start a fifth of its
      // time (the demo fleet's process tables are built when it starts; issue 16.3).
      while text.last == " " { text.removeLast() }
      return text
    }
    let dashes = columns.map { String(repeating: "-", count: $0.name.count) }
    let lines = [line(columns.map(\.name)), line(dashes)] + rows.map(line)
    return "\n" + lines.joined(separator: "\n") + "\n\n\n"
  }

  /// `Format-List`: one block per object, names padded to the longest, blocks separated by a
  /// blank line; a blank line before and two after.
  static func list(_ objects: [[(String, String)]]) -> String {
    let blocks = objects.map { members in
      let width = members.map(\.0.count).max() ?? 0
      return members.map { name, value in
        let padded = name + String(repeating: " ", count: width - name.count)
        return value.isEmpty ? padded + " :" : padded + " : " + value
      }.joined(separator: "\n")
    }
    return "\n" + blocks.joined(separator: "\n\n") + "\n\n\n"
  }
}

extension Array where Element == String {
  /// The element at `index`, or an empty string past the end.
  fileprivate subscript(safeIndex index: Int) -> String {
    index < count ? self[index] : ""
  }
}
