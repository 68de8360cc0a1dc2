import Foundation

/// The shape of a script's standard output: how it is parsed into rows.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable, Codable {
  /// A JSON object, an array, or one JSON value per line.
  case json
  /// Comma-separated values with a header record.
  case csv
  /// PowerShell's `Format-Table` text: a header line, a dashed line, then rows.
  case table
  /// PowerShell's `Format-List` text: `Name : Value` blocks separated by blank lines.
  case list
  /// Plain text: no rows.
  case text

  /// The format named `name` (any case, surrounding spaces ignored), or nil.
  public init?(name: some StringProtocol) {
    let word = name.trimmingCharacters(in: .whitespaces).lowercased()
    guard let format = OutputFormat(rawValue: word) else { return nil }
    self = format
  }
}
