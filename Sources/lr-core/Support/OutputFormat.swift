import ArgumentParser
import Foundation
import LRLanguage
import LiveResponse

/// How a command prints: human tables on a terminal, JSON lines otherwise or with `--output json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  /// Aligned tables and sentences.
  case human
  /// One JSON object per line (JSON lines).
  case json
}

/// Renders rows as an aligned table (cells sanitized).
struct Table {
  var headers: [String]
  var rows: [[String]]

  func render() -> String {
    let cells = rows.map { $0.map { Terminal.sanitize($0) } }
    var widths = headers.map(\.count)
    for row in cells {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    func line(_ values: [String]) -> String {
      values.enumerated().map { index, value in
        index == values.count - 1
          ? value : value.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "  ").replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression)
    }
    var out = Terminal.styled(line(headers), "1") + "\n"
    for row in cells { out += line(row) + "\n" }
    return out
  }
}

/// Prints JSON lines, through the one JSON writer (``JSONValue/serialized(pretty:compactMembers:)``,
/// which escapes controls, bidi and zero-width characters).
enum JSONLines {
  /// Prints one value as one line (keys sorted, dates in ISO 8601).
  static func print<T: Encodable>(_ value: T) throws {
    Terminal.out(try JSONValue(encoding: value).serialized() + "\n")
  }
}

extension JSONValue {
  /// An `Encodable` value as JSON: keys sorted, dates in ISO 8601.
  init<T: Encodable>(encoding value: T) throws {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    self = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
  }
}
