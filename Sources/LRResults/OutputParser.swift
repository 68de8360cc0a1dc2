import LiveResponse

/// Reads a script's (cleaned) output into rows: in its declared format when it has one, else
/// the first that fits of JSON, `Format-Table`, `Format-List` and CSV; otherwise text (no rows).
/// Values stay strings unless JSON gave them types. Output is data: nothing is sanitized here.
public enum OutputParser {
  /// The rows of `text`; `declared` (a script's `# lr:output`) wins over detection.
  public static func parse(_ text: String, declared: OutputFormat? = nil) -> ParsedOutput {
    let text = String(text.reversed().drop { $0 == "\u{0}" }.reversed())
    if let declared { return parse(text, as: declared) }
    return detect(text)
  }

  /// `text` read as the first format that fits.
  static func detect(_ text: String) -> ParsedOutput {
    if JSONOutputParser.looksLikeJSON(text), let rows = JSONOutputParser.rows(text) {
      return ParsedOutput(format: .json, rows: rows)
    }
    if let rows = TableParser.rows(text) { return ParsedOutput(format: .table, rows: rows) }
    if let rows = ListParser.rows(text) { return ParsedOutput(format: .list, rows: rows) }
    if let rows = CSVParser.rows(text, strict: true) {
      return ParsedOutput(format: .csv, rows: rows)
    }
    if text.first(where: { !$0.isWhitespace }) == "{" {
      return .text(warning: "the output looks like JSON but is not valid JSON; kept as text")
    }
    return .text()
  }

  /// `text` read as `format`; text with a warning when it does not fit.
  static func parse(_ text: String, as format: OutputFormat) -> ParsedOutput {
    if text.isBlank, format != .text { return ParsedOutput(format: format, rows: []) }
    let rows: [JSONValue]? =
      switch format {
      case .json: JSONOutputParser.rows(text)
      case .csv: CSVParser.rows(text, strict: false)
      case .table: TableParser.rows(text)
      case .list: ListParser.rows(text)
      case .text: []
      }
    if let rows { return ParsedOutput(format: format, rows: rows) }
    let name = format.rawValue
    var detected = detect(text)
    if detected.format == .text {
      detected.warning = "the output is declared \(name) but is not \(name); kept as text"
    } else {
      detected.warning = "the output is declared \(name) but reads as \(detected.format.rawValue)"
    }
    return detected
  }
}
