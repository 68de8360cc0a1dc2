/// "Did you mean …?" — the closest candidate by edit distance, if close enough.
public enum Suggestions {
  /// The best candidate for `word`, or nil when none is plausibly a typo of it.
  ///
  /// A word whose whole text is not close to any candidate is tried by its last `_`-separated
  /// part, so that a transcript's name leads to the language's (`script_output` → `output`).
  public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let candidates = Array(candidates)
    if let whole = closestWhole(to: word, in: candidates) { return whole }
    guard let last = word.split(separator: "_").last, last.count < word.count, last.count > 2
    else { return nil }
    return closestWhole(to: String(last), in: candidates)
  }

  private static func closestWhole(to word: String, in candidates: [String]) -> String? {
    let lower = word.lowercased()
    let limit = max(1, min(3, lower.count / 3 + 1))
    var best: (String, Int)?
    for candidate in candidates {
      let d = distance(lower, candidate.lowercased(), limit: limit)
      if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
  }

  /// Levenshtein distance, giving up (returning `limit + 1`) once it exceeds `limit`.
  static func distance(_ a: String, _ b: String, limit: Int) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMinimum = min(rowMinimum, current[j])
      }
      if rowMinimum > limit { return limit + 1 }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
