/// Splits a meta-command line into words: blanks separate, `'…'` is literal, `"…"` allows `\"`.
enum ShellWords {
  static func split(_ line: String) -> Result<[String], MetaCommandError> {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for ch in line {
      if let q = quote {
        if escaped {
          current.append(ch)
          escaped = false
        } else if q == "\"" && ch == "\\" {
          escaped = true
        } else if ch == q {
          quote = nil
        } else {
          current.append(ch)
        }
      } else if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
        if inWord {
          words.append(current)
          current = ""
          inWord = false
        }
      } else if ch == "'" || ch == "\"" {
        quote = ch
        inWord = true
      } else {
        current.append(ch)
        inWord = true
      }
    }
    if quote != nil { return .failure(MetaCommandError("unterminated quote")) }
    if inWord { words.append(current) }
    return .success(words)
  }
}
