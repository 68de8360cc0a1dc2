import Foundation

/// Completion of bound results: their names at the start of a line (`r`, `$r`), their fields
/// after `r.`, and the arguments of `.export` (a result, then a file) and `.stack` (a result,
/// then one of its columns).
enum ResultCompletion {
  /// `r.fa` → `failed`: the fields of a bound result, when the line so far is `$?NAME(.FIELD)*.`.
  static func fields(_ before: String, context: CompletionContext) -> Completer.Answer? {
    let word = before.drop { $0 == " " || $0 == "\t" }
    guard !word.contains(where: \.isWhitespace), let dot = word.lastIndex(of: ".") else {
      return nil
    }
    let head = word[..<dot]
    let name = String((head.first == "$" ? head.dropFirst() : head).prefix { $0 != "." })
    guard context.results[name] != nil else { return nil }
    let partial = String(word[word.index(after: dot)...])
    let candidates = ResultExpression.fields.filter { $0.hasPrefix(partial) }
    return Completer.Answer(
      start: before.utf8.count - partial.utf8.count, candidates: candidates.sorted())
  }

  /// `r` → the bound names starting so (with `$` when typed), at the start of a line.
  static func names(_ before: String, context: CompletionContext) -> Completer.Answer? {
    let word = before.drop { $0 == " " || $0 == "\t" }
    guard !word.contains(where: \.isWhitespace), !word.contains(".") else { return nil }
    let dollar = word.first == "$"
    let partial = dollar ? word.dropFirst() : word
    let names = context.results.keys.filter { $0.hasPrefix(partial) }.map {
      (dollar ? "$" : "") + $0
    }
    return Completer.Answer(start: before.utf8.count - word.utf8.count, candidates: names.sorted())
  }

  /// `.export R FILE` and `.stack R COLUMN`: the argument being typed at `start`.
  static func meta(
    _ command: String, rest: Substring, partial: String, start: Int, context: CompletionContext
  ) -> Completer.Answer? {
    let words = rest.split(whereSeparator: \.isWhitespace)
    let index = partial.isEmpty ? words.count : words.count - 1
    switch index {
    case 0:
      if let answer = fields(partial, context: context), let dot = partial.lastIndex(of: ".") {
        let head = partial[...dot]
        return Completer.Answer(start: start, candidates: answer.candidates.map { head + $0 })
      }
      let names = context.results.keys.filter { $0.hasPrefix(partial) }
      return Completer.Answer(start: start, candidates: names.sorted())
    case 1 where command == "stack":
      let name = String(words[0].drop { $0 == "$" }.prefix { $0 != "." && $0 != " " })
      let columns = context.results[name] ?? []
      let matches = columns.filter { $0.lowercased().hasPrefix(partial.lowercased()) }
      return Completer.Answer(start: start, candidates: Array(Set(matches)).sorted())
    case 1:
      return Completer.Answer(start: start, candidates: paths(partial))
    default:
      return Completer.Answer(start: start, candidates: [])
    }
  }

  /// Folders (with `/`) and `.csv`/`.json` files whose path starts with `partial`.
  static func paths(_ partial: String) -> [String] {
    let slash = partial.lastIndex(of: "/")
    let folder = slash.map { String(partial[...$0]) } ?? ""
    let prefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
    let fm = FileManager.default
    let listed = (try? fm.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
    var out: [String] = []
    for entry in listed
    where entry.hasPrefix(prefix) && (!entry.hasPrefix(".") || prefix.hasPrefix(".")) {
      var isFolder: ObjCBool = false
      _ = fm.fileExists(atPath: folder + entry, isDirectory: &isFolder)
      if isFolder.boolValue {
        out.append(folder + entry + "/")
      } else if entry.hasSuffix(".csv") || entry.hasSuffix(".json") {
        out.append(folder + entry)
      }
    }
    return out.sorted()
  }
}
