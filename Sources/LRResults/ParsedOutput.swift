import LiveResponse

/// A script's output read as rows: the format it was read as, the rows, and why it fell back.
public struct ParsedOutput: Sendable, Equatable {
  /// The format the rows were read as (`text`: no rows).
  public var format: OutputFormat
  /// One ordered JSON object per row.
  public var rows: [JSONValue]
  /// Why the output was not read as its declared format (or as the JSON it claims to be).
  public var warning: String?

  /// Parsed output.
  public init(format: OutputFormat, rows: [JSONValue], warning: String? = nil) {
    self.format = format
    self.rows = rows
    self.warning = warning
  }

  /// Text with no rows, with an optional warning.
  public static func text(warning: String? = nil) -> ParsedOutput {
    ParsedOutput(format: .text, rows: [], warning: warning)
  }

  /// The rows as `ResultRow`s.
  public var resultRows: [ResultRow] { rows.map(ResultRow.init(json:)) }

  /// Every column name in the order it first appears across the rows.
  public var columns: [String] {
    var seen = Set<String>()
    var names: [String] = []
    for row in rows {
      for (key, _) in row.objectValue ?? [] where seen.insert(key).inserted {
        names.append(key)
      }
    }
    return names
  }
}
