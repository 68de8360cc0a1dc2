import LiveResponse

/// Renders diagnostics as `file:line:col: severity: message` with the source line and a caret,
/// or as JSON. Line and column are computed here, only when printing.
public struct DiagnosticFormatter: Sendable {
  /// Sources by name (diagnostics may point into imported modules).
  public var sources: [String: SourceFile]
  /// Whether to colour the output with ANSI escapes.
  public var colors: Bool

  public init(sources: [String: SourceFile], colors: Bool = false) {
    self.sources = sources
    self.colors = colors
  }

  /// The 1-based column of an offset counted in characters (what editors show).
  static func characterColumn(_ source: SourceFile, _ offset: Int) -> Int {
    let location = source.location(of: offset)
    let start = source.lineStarts[location.line - 1]
    return source.text(start..<(start + location.column - 1)).count + 1
  }

  /// `file:line:col`, the file name sanitized (a name may contain control characters).
  public func position(file: String, offset: Int) -> String {
    let name = Sanitizer.line(file)
    guard let source = sources[file] else { return name }
    let location = source.location(of: offset)
    return "\(name):\(location.line):\(DiagnosticFormatter.characterColumn(source, offset))"
  }

  private func paint(_ text: String, _ code: String) -> String {
    colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// The text of every diagnostic, each followed by a blank line.
  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map(render).joined()
  }

  /// One diagnostic with its excerpt, notes and fix-its.
  public func render(_ diagnostic: Diagnostic) -> String {
    let severityColor: String
    switch diagnostic.severity {
    case .error: severityColor = "1;31"
    case .warning: severityColor = "1;33"
    case .note: severityColor = "1;36"
    }
    var out = paint(position(file: diagnostic.file, offset: diagnostic.range.lowerBound), "1")
    out += ": " + paint(diagnostic.severity.rawValue, severityColor) + ": "
    out += paint(Sanitizer.line(diagnostic.message), "1") + "\n"
    out += excerpt(file: diagnostic.file, range: diagnostic.range, color: severityColor)
    for note in diagnostic.notes {
      if let range = note.range {
        let file = note.file ?? diagnostic.file
        out +=
          paint(position(file: file, offset: range.lowerBound), "1") + ": "
          + paint("note", "1;36") + ": " + Sanitizer.line(note.message) + "\n"
        out += excerpt(file: file, range: range, color: "1;36")
      } else {
        out += "  = note: " + Sanitizer.line(note.message) + "\n"
      }
    }
    for fixIt in diagnostic.fixIts {
      out += "  = fix-it: " + Sanitizer.line(fixIt.message) + "\n"
    }
    return out
  }

  /// The source line with a caret and underline under the range (multi-line ranges: first line).
  func excerpt(file: String, range: ByteRange, color: String) -> String {
    guard let source = sources[file] else { return "" }
    let location = source.location(of: range.lowerBound)
    let lineBytes = source.lineBytes(location.line)
    func display(_ text: String) -> String { Sanitizer.line(text.replacing("\t", with: " ")) }
    let lineText = display(String(decoding: lineBytes, as: UTF8.self))
    let lineStart = source.lineStarts[location.line - 1]
    let prefixCount = display(source.text(lineStart..<range.lowerBound)).count
    let end = min(range.upperBound, lineStart + lineBytes.count)
    let width = max(1, display(source.text(range.lowerBound..<max(range.lowerBound, end))).count)
    let number = String(location.line)
    let gutter = String(repeating: " ", count: number.count)
    var out = " \(number) | \(lineText)\n"
    out += " \(gutter) | " + String(repeating: " ", count: prefixCount)
    out += paint("^" + String(repeating: "~", count: width - 1), color) + "\n"
    return out
  }

  /// Diagnostics as a JSON array of objects with positions, notes and fix-its.
  public func json(_ diagnostics: [Diagnostic]) -> JSONValue {
    .array(diagnostics.map(json))
  }

  func json(_ d: Diagnostic) -> JSONValue {
    var members: [(String, JSONValue)] = [("file", .string(d.file))]
    members += positionMembers(file: d.file, range: d.range)
    members += [
      ("severity", .string(d.severity.rawValue)),
      ("id", .string(d.id)),
      ("message", .string(d.message)),
      (
        "notes",
        .array(
          d.notes.map { note in
            var m: [(String, JSONValue)] = [("message", .string(note.message))]
            if let range = note.range {
              let file = note.file ?? d.file
              m.append(("file", .string(file)))
              m += positionMembers(file: file, range: range)
            }
            return .object(m)
          })
      ),
      (
        "fixIts",
        .array(
          d.fixIts.map { fix in
            .object([
              ("message", .string(fix.message)),
              (
                "edits",
                .array(
                  fix.edits.map { edit in
                    .object(
                      positionMembers(file: d.file, range: edit.range) + [
                        ("replacement", .string(edit.replacement))
                      ])
                  })
              ),
            ])
          })
      ),
    ]
    return .object(members)
  }

  private func positionMembers(file: String, range: ByteRange) -> [(String, JSONValue)] {
    guard let source = sources[file] else {
      return [("offset", .number(range.lowerBound)), ("length", .number(range.count))]
    }
    let start = source.location(of: range.lowerBound)
    let end = source.location(of: range.upperBound)
    return [
      ("line", .number(start.line)),
      ("column", .number(DiagnosticFormatter.characterColumn(source, range.lowerBound))),
      ("endLine", .number(end.line)),
      ("endColumn", .number(DiagnosticFormatter.characterColumn(source, range.upperBound))),
      ("offset", .number(range.lowerBound)),
      ("length", .number(range.count)),
    ]
  }
}

/// Makes untrusted text safe for a terminal: escape sequences, control characters and invisible
/// format characters (bidi overrides, zero-width) become visible `\u{…}` escapes.
public enum Sanitizer {
  /// One line: every control character (newlines and tabs too) is escaped.
  public static func line(_ text: String) -> String {
    sanitize(text, keepingLineBreaks: false)
  }

  /// Multi-line text: keeps `\n` and `\t`, drops `\r` before `\n`, escapes everything else.
  public static func text(_ text: String) -> String {
    sanitize(text.replacing("\r\n", with: "\n"), keepingLineBreaks: true)
  }

  /// Decodes bytes that may not be UTF-8 (invalid sequences become `�`) and sanitizes them.
  public static func text(bytes: some Collection<UInt8>) -> String {
    text(String(decoding: Array(bytes), as: UTF8.self))
  }

  static func sanitize(_ text: String, keepingLineBreaks: Bool) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if keepingLineBreaks, scalar == "\n" || scalar == "\t" {
        out.append(scalar)
      } else if isUnsafe(scalar) {
        out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Controls (C0, DEL, C1), format characters (bidi, zero-width) and line/paragraph separators.
  static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let category = scalar.properties.generalCategory
    return category == .control || category == .format || scalar == "\u{2028}"
      || scalar == "\u{2029}"
  }
}
