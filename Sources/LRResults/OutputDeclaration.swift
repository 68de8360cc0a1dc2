/// Reads the output format a script declares in its header comment: `# lr:output json`.
///
/// The header is the script's leading comments: PowerShell `#` lines and `<# … #>` blocks, shell
/// `#` lines (a `#!` line included) and blank lines; the first line of code ends it.
public enum OutputDeclaration {
  /// The format declared in `script`'s header, or nil (none, or an unknown format name).
  public static func format(inScript script: String) -> OutputFormat? {
    var inBlock = false
    for rawLine in script.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let line = rawLine.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
      if inBlock {
        if let format = declared(in: line) { return format }
        if line.contains("#>") { inBlock = false }
      } else if line.hasPrefix("<#") {
        if let format = declared(in: line) { return format }
        inBlock = !line.dropFirst(2).contains("#>")
      } else if line.hasPrefix("#") {
        if let format = declared(in: line) { return format }
      } else if !line.allSatisfy(\.isWhitespace) {
        return nil
      }
    }
    return nil
  }

  /// The format after `lr:output` in one comment line, if any.
  static func declared(in line: Substring) -> OutputFormat? {
    guard let marker = line.firstRange(of: "lr:output") else { return nil }
    if marker.lowerBound > line.startIndex {
      let before = line[line.index(before: marker.lowerBound)]
      guard before == " " || before == "#" || before == "\t" || before == "<" else { return nil }
    }
    let rest = line[marker.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == ":" }
    let word = rest.prefix { $0.isLetter }
    return OutputFormat(name: word)
  }
}
