/// Writes CSV (RFC 4180: comma-separated, CRLF line ends, fields with `,` `"` CR or LF quoted,
/// `"` doubled) that a spreadsheet opens without running anything: a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` and quoted (plain numbers such
/// as `-1` are left as they are); control characters other than tab, CR and LF, and bidi controls,
/// are removed.
public struct CSVWriter: Sendable {
  /// The text written so far.
  public private(set) var text = ""

  /// A writer, with the header line written first when one is given.
  public init(header: [String]? = nil) {
    if let header { append(header) }
  }

  /// Appends one record.
  public mutating func append(_ cells: [String]) {
    text += CSVWriter.line(cells)
  }

  /// One record as a CSV line, CRLF-terminated.
  public static func line(_ cells: [String]) -> String {
    cells.map(cell).joined(separator: ",") + "\r\n"
  }

  /// One cell: cleaned, defused and quoted as needed.
  public static func cell(_ value: String) -> String {
    let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.filter(isKept)))
    let defused = startsFormula(cleaned) ? "'" + cleaned : cleaned
    let needsQuotes =
      defused != cleaned
      || defused.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
    guard needsQuotes else { return defused }
    return "\"" + defused.replacingAll("\"", with: "\"\"") + "\""
  }

  /// Whether a spreadsheet would read the cell as a formula (or a tab/CR-led cell it trims).
  static func startsFormula(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first else { return false }
    switch first {
    case "=", "+", "@", "\t", "\r": return true
    case "-": return !isPlainNumber(text)
    default: return false
    }
  }

  /// `-12`, `-0.5`, `-1e3`: a negative number, which is data, not a formula.
  static func isPlainNumber(_ text: String) -> Bool {
    var scalars = Substring(text).unicodeScalars.dropFirst()
    var digits = 0
    var seenDot = false
    var seenExponent = false
    while let scalar = scalars.first {
      scalars = scalars.dropFirst()
      switch scalar {
      case "0"..."9": digits += 1
      case "." where !seenDot && !seenExponent: seenDot = true
      case "e", "E":
        guard digits > 0, !seenExponent else { return false }
        seenExponent = true
        digits = 0
        if scalars.first == "-" || scalars.first == "+" { scalars = scalars.dropFirst() }
      default: return false
      }
    }
    return digits > 0
  }

  /// Keeps printable text, tab, CR and LF; drops other C0 and C1 controls, DEL and bidi controls.
  static func isKept(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: return true
    case 0x00...0x1F, 0x7F...0x9F: return false
    case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: return false
    default: return true
    }
  }
}

extension String {
  /// Every occurrence of `target` replaced (without Foundation).
  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    out.reserveCapacity(count)
    for character in self {
      if character == target { out += replacement } else { out.append(character) }
    }
    return out
  }
}
