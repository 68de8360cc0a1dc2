import Foundation

/// A migration's SQL cut into single statements (PostgreSQL's extended protocol, which
/// postgres-nio always uses, takes one statement at a time): split at top-level semicolons,
/// never inside quotes, dollar-quoted bodies (`$$ … $$`, `$tag$ … $tag$`) or `--` comments.
enum SQLScript {
  /// The statements of `sql`, trimmed, empty ones left out.
  static func statements(_ sql: String) -> [String] {
    var statements: [String] = []
    var current = ""
    var dollarTag: String?
    var inQuote = false
    var inComment = false
    var index = sql.startIndex
    while index < sql.endIndex {
      let character = sql[index]
      let rest = sql[index...]
      if inComment {
        if character == "\n" { inComment = false }
      } else if let tag = dollarTag {
        if rest.hasPrefix(tag) {
          current += tag
          index = sql.index(index, offsetBy: tag.count)
          dollarTag = nil
          continue
        }
      } else if inQuote {
        if character == "'" { inQuote = false }
      } else if character == "'" {
        inQuote = true
      } else if rest.hasPrefix("--") {
        inComment = true
      } else if character == "$", let tag = openingTag(rest) {
        dollarTag = tag
        current += tag
        index = sql.index(index, offsetBy: tag.count)
        continue
      } else if character == ";" {
        append(&statements, current)
        current = ""
        index = sql.index(after: index)
        continue
      }
      current.append(character)
      index = sql.index(after: index)
    }
    append(&statements, current)
    return statements
  }

  /// `$$` or `$tag$` at the start of `text`, if it opens a dollar-quoted string.
  private static func openingTag(_ text: Substring) -> String? {
    let body = text.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    let end = text.index(text.startIndex, offsetBy: 1 + body.count)
    guard end < text.endIndex, text[end] == "$", body.first?.isNumber != true else { return nil }
    return "$" + body + "$"
  }

  private static func append(_ statements: inout [String], _ statement: String) {
    let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
    if !trimmed.isEmpty { statements.append(trimmed) }
  }
}
