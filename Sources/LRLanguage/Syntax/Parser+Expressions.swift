extension Parser {
  /// Inside `( )` newlines do not end the expression.
  mutating func skipNewlinesInParentheses() {
    if parenDepth > 0 { skipNewlines() }
  }

  /// `or` < `and` < `not` < comparison < primary.
  mutating func parseExpression() -> Expression {
    var lhs = parseAnd()
    // Each operand of a chain is one level deeper in the tree (a bound: the last is shallower).
    let outer = nesting
    defer { nesting = outer }
    skipNewlinesInParentheses()
    while isWord("or") {
      guard enterNesting() else { break }
      advance()
      skipNewlines()
      let rhs = parseAnd()
      lhs = .binary(.or, lhs, rhs, lhs.range.lowerBound..<rhs.range.upperBound)
      skipNewlinesInParentheses()
    }
    return lhs
  }

  mutating func parseAnd() -> Expression {
    var lhs = parseNot()
    let outer = nesting
    defer { nesting = outer }
    skipNewlinesInParentheses()
    while isWord("and") {
      guard enterNesting() else { break }
      advance()
      skipNewlines()
      let rhs = parseNot()
      lhs = .binary(.and, lhs, rhs, lhs.range.lowerBound..<rhs.range.upperBound)
      skipNewlinesInParentheses()
    }
    return lhs
  }

  mutating func parseNot() -> Expression {
    if isWord("not") {
      let start = current.range.lowerBound
      let outer = nesting
      defer { nesting = outer }
      guard enterNesting() else { return .invalid(start..<start) }
      advance()
      // A newline after `not` continues the expression.
      skipNewlines()
      let operand = parseNot()
      return .not(operand, start..<operand.range.upperBound)
    }
    return parseComparison()
  }

  mutating func parseComparison() -> Expression {
    let lhs = parsePrimary()
    skipNewlinesInParentheses()
    let op: BinaryOperator?
    switch current.kind {
    case .equalEqual: op = .equal
    case .notEqual: op = .notEqual
    case .lessEqual: op = .lessEqual
    case .greaterEqual: op = .greaterEqual
    case .equals:
      report(
        .expected("`==` to compare", found: "`=`"), current.range,
        fixIts: [.replace(current.range, with: "==")])
      op = .equal
    case .word where currentText == "contains": op = .contains
    case .word where currentText == "matches": op = .matches
    default: op = nil
    }
    guard let op else { return lhs }
    advance()
    skipNewlinesInParentheses()
    let rhs = parsePrimary()
    return .binary(op, lhs, rhs, lhs.range.lowerBound..<rhs.range.upperBound)
  }

  mutating func parsePrimary() -> Expression {
    switch current.kind {
    case .string, .rawString:
      return .string(parseStringLiteral())
    case .variable:
      return .variable(parseVariableToken())
    case .openParen:
      let start = current.range.lowerBound
      let outer = nesting
      defer { nesting = outer }
      guard enterNesting() else { return .invalid(start..<start) }
      advance()
      parenDepth += 1
      skipNewlines()
      let inner = parseExpression()
      skipNewlines()
      parenDepth -= 1
      var end = inner.range.upperBound
      if current.kind == .closeParen {
        end = current.range.upperBound
        advance()
      } else if !reportedNesting {
        reportUnexpected("`)`", current.range)
      }
      return .parenthesized(inner, start..<end)
    case .word:
      let text = currentText
      let range = current.range
      if let number = Int(text) {
        advance()
        return .number(number, range)
      }
      if text == "true" || text == "false" {
        advance()
        return .bool(text == "true", range)
      }
      if Parser.reservedWords.contains(text) {
        report(.expected("a value", found: "`\(text)`"), range)
        return .invalid(range.lowerBound..<range.lowerBound)
      }
      advance()
      return .variable(variableReference(text: text, at: range.lowerBound, range: range))
    case .unknown:
      // `!r.ok`: reported once; what follows is read as the value.
      reportUnexpected("a value", current.range)
      while current.kind == .unknown { advance() }
      return parsePrimary()
    default:
      reportUnexpected("a value", current.range.lowerBound..<current.range.lowerBound)
      return .invalid(current.range.lowerBound..<current.range.lowerBound)
    }
  }
}
