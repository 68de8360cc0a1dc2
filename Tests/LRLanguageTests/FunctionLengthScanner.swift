import Foundation

/// Finds the functions of a Swift source text and how many lines each spans, from the line of its
/// `func`/`init`/`subscript`/`deinit` to the line of its closing brace.
struct FunctionLengthScanner {
  /// One function: its name and where it starts and ends (1-based lines).
  struct Function: Equatable {
    var name: String
    var firstLine: Int
    var lastLine: Int
    var lineCount: Int { lastLine - firstLine + 1 }
  }

  /// Every function of `text`, nested ones included.
  static func functions(in text: String) -> [Function] {
    let lines = blanked(Array(text.utf8)).split(
      separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
    )
    .map { String(decoding: $0, as: UTF8.self) }
    var found: [Function] = []
    for (index, line) in lines.enumerated() {
      guard let name = declaredName(line),
        let last = closingLine(lines, from: index)
      else { continue }
      found.append(Function(name: name, firstLine: index + 1, lastLine: last + 1))
    }
    return found
  }

  /// The line of the brace closing the body that opens on or after `start`; nil for a
  /// declaration without a body (a protocol requirement).
  static func closingLine(_ lines: [String], from start: Int) -> Int? {
    var depth = 0
    var opened = false
    for index in start..<lines.count {
      for character in lines[index] {
        if character == "{" {
          depth += 1
          opened = true
        } else if character == "}" {
          depth -= 1
          if opened && depth == 0 { return index }
        }
      }
      if !opened && index > start && lines[index].allSatisfy(\.isWhitespace) { return nil }
      if !opened && depth < 0 { return nil }
    }
    return nil
  }

  /// The declared name when `line` starts a function declaration (after attributes and
  /// modifiers), else nil.
  static func declaredName(_ line: String) -> String? {
    var words = line.split(whereSeparator: \.isWhitespace)[...]
    while let first = words.first, isModifier(first) { words = words.dropFirst() }
    guard let head = words.first.map(String.init) else { return nil }
    if head == "func", words.count > 1 {
      let name = words[words.index(after: words.startIndex)]
      return String(name.prefix { $0 != "(" && $0 != "<" })
    }
    for keyword in ["init", "subscript", "deinit"] where head.hasPrefix(keyword) {
      let rest = head.dropFirst(keyword.count)
      if rest.isEmpty || "(<?!".contains(rest.first ?? " ") { return keyword }
    }
    return nil
  }

  /// True for an attribute (`@MainActor`, `@available(...)`) or a declaration modifier.
  static func isModifier(_ word: Substring) -> Bool {
    if word.hasPrefix("@") { return true }
    let plain = word.prefix { $0 != "(" }
    return [
      "public", "private", "fileprivate", "internal", "package", "open", "static", "class",
      "final", "override", "mutating", "nonmutating", "nonisolated", "convenience", "required",
      "dynamic", "indirect", "consuming", "borrowing", "distributed",
    ].contains(String(plain))
  }
}
