import ArgumentParser
import Foundation

/// How a command prints: human tables on a terminal, JSON lines otherwise or with `--output json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  /// Aligned tables and sentences.
  case human
  /// One JSON object per line (JSON lines).
  case json
}

/// Terminal facts the renderers need.
enum Terminal {
  /// Whether stdout is a terminal.
  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// Whether colour may be used (terminal, `NO_COLOR` unset, `TERM` not `dumb`).
  static var colorEnabled: Bool {
    let env = ProcessInfo.processInfo.environment
    if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
    if env["TERM"] == "dumb" { return false }
    return stdoutIsTerminal
  }

  /// Makes service- or device-provided text safe to print: escape sequences, control and
  /// bidi-format characters become visible `\u{…}` escapes (newlines and tabs kept when
  /// `multiline`).
  static func sanitize(_ text: String, multiline: Bool = false) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      if multiline && (scalar == "\n" || scalar == "\t") {
        out.unicodeScalars.append(scalar)
        continue
      }
      let category = scalar.properties.generalCategory
      if category == .control || category == .format || scalar == "\u{2028}"
        || scalar == "\u{2029}"
      {
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Wraps text in an SGR colour when colour is enabled.
  static func styled(_ text: String, _ code: String) -> String {
    colorEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// Writes a line to standard error.
  static func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
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

/// Prints JSON lines.
enum JSONLines {
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// Prints one value as one line.
  static func print<T: Encodable>(_ value: T) throws {
    let data = try encoder().encode(value)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}
