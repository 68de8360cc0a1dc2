extension Parser {
  /// `with NAME VALUE { "," NAME VALUE }` after a statement's target and comment, when there.
  /// Newlines may come before `with` and after each `,`.
  mutating func parseRolloutClause() -> RolloutClause? {
    guard isWord("with", nextNonNewline()) else { return nil }
    skipNewlines()
    let keyword = current.range
    advance()
    var options: [RolloutOption] = []
    while let option = parseRolloutOption() {
      options.append(option)
      guard current.kind == .comma else { break }
      advance()
      skipNewlines()
    }
    let end = options.last?.range.upperBound ?? keyword.upperBound
    return RolloutClause(keyword: keyword, options: options, range: keyword.lowerBound..<end)
  }

  /// One `NAME VALUE`; nil (reported) when no name is there. A `%` without a number before it
  /// (`waves %`, `waves 10 %`) is reported here, since the lexer keeps `10%` in one word.
  mutating func parseRolloutOption() -> RolloutOption? {
    guard current.kind == .word else {
      reportUnexpected(
        "a rollout option (`canary`, `waves` or `stop-if-failed`)",
        current.range.lowerBound..<current.range.lowerBound)
      return nil
    }
    let name = Name(currentText, range: current.range)
    advance()
    var value: Name?
    if current.kind == .word {
      value = Name(currentText, range: current.range)
      advance()
    } else if !isPercentSign {
      reportUnexpected(
        "a number or a percentage after `\(name.text)` (`10`, `10%`)",
        current.range.lowerBound..<current.range.lowerBound)
    }
    var end = value?.range.upperBound ?? name.range.upperBound
    if isPercentSign {
      reportPercentWithoutNumber(after: value)
      end = current.range.upperBound
      value = nil
      advance()
    }
    return RolloutOption(name: name, value: value, range: name.range.lowerBound..<end)
  }

  /// Whether the current token is a `%` the lexer did not join to a number.
  var isPercentSign: Bool { current.kind == .unknown && currentText == "%" }

  /// A `%` alone; after a number written apart from it, with a fix-it that joins them.
  mutating func reportPercentWithoutNumber(after value: Name?) {
    guard let value, Double(value.text) != nil else {
      report(
        .percentageWithoutNumber, current.range,
        notes: [Note("a percentage is a number followed by `%`: `10%`")])
      return
    }
    let joined = value.text + "%"
    report(
      .percentageWithoutNumber, current.range,
      fixIts: [
        .replace(
          value.range.lowerBound..<current.range.upperBound, with: joined, "write `\(joined)`")
      ])
  }
}
