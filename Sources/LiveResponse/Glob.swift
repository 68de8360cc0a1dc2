/// Case-insensitive glob matching with `*` (any run) and `?` (one character), the one matcher
/// for `name` targets, `matches` conditions and the emulator's script rules. Characters compare
/// as Swift characters, so canonically equivalent spellings (`é` precomposed or not) match.
public enum Glob {
  /// Whether `text` matches `pattern`.
  public static func matches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.lowercased())
    let t = Array(text.lowercased())
    var pi = 0
    var ti = 0
    var star = -1
    var mark = 0
    while ti < t.count {
      if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
        pi += 1
        ti += 1
      } else if pi < p.count, p[pi] == "*" {
        star = pi
        mark = ti
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        ti = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }

  /// Whether the text has glob wildcards.
  public static func hasWildcards(_ text: String) -> Bool {
    text.contains("*") || text.contains("?")
  }
}
