/// What editors see of a statement's rollout options (`with canary 10, waves 10%,
/// stop-if-failed 5%`): completion of their names, hover text, highlighting.
extension Analysis {
  /// Hover text for `with` and each option name.
  public static let rolloutHelp: [String: String] = [
    "with": """
    **with** OPTION VALUE, … — a staged rollout for this statement: `canary N` runs N machines \
    first and waits for them, `waves N` (or `P%`) sends the rest in waves, `stop-if-failed N` (or \
    `P%`) pauses the run when that many of the finished machines failed. An option given to \
    `lr run` (`--canary`, `--waves`, `--stop-if-failed`) wins over the statement's.
    """,
    "canary": """
    **canary** N — runs the first N machines (chosen across platforms and device groups) alone, \
    waits for them, and continues only if they pass the breaker (`stop-if-failed`).
    """,
    "waves": """
    **waves** N | P% — after the canary, sends the rest in waves of N machines (or P% of the \
    statement's machines), each wave once the one before has finished.
    """,
    "stop-if-failed": """
    **stop-if-failed** N | P% — the breaker: pauses the run as soon as N (or P% of the finished) \
    machines failed, a failed action and a script's non-zero exit alike. `lr resume` continues it.
    """,
  ]

  /// Every rollout clause of the document, in order (inside `let` and `if` too).
  func rolloutClauses() -> [RolloutClause] {
    var clauses: [RolloutClause] = []
    var pending = output.program.statements[...]
    while let statement = pending.popFirst() {
      switch statement {
      case .on(let on): clauses += on.rollout.map { [$0] } ?? []
      case .let(let l):
        if case .action(let on) = l.value { clauses += on.rollout.map { [$0] } ?? [] }
      case .if(let i):
        var nested = i.thenBlock.statements
        switch i.elseBranch {
        case .block(let block)?: nested += block.statements
        case .elseIf(let inner)?: nested.append(.if(inner))
        case nil: break
        }
        pending = nested[...] + pending
      default: continue
      }
    }
    return clauses
  }

  /// Hover for `with` or an option name of a rollout clause at `token`.
  func rolloutHover(_ token: Token) -> Hover? {
    for clause in rolloutClauses() where clause.range.contains(token.range.lowerBound) {
      let isName =
        clause.keyword == token.range || clause.options.contains { $0.name.range == token.range }
      guard isName, let help = Analysis.rolloutHelp[source.text(token.range)] else { return nil }
      return Hover(markdown: help, range: token.range)
    }
    return nil
  }

  /// The option names still to write when a word typed after `before` is an option's name (right
  /// after `with`, or after a `,` of its list, on this line or the one before); nil elsewhere.
  func rolloutOptionCompletions(after before: [Token], replacing: ByteRange) -> [Completion]? {
    guard let last = before.last(where: { $0.kind != .newline }),
      last.kind == .comma || isWord("with", last)
    else { return nil }
    var written = Set<String>()
    for (index, token) in before.enumerated().reversed() {
      switch token.kind {
      case .word where isWord("with", token):
        // `with` as a command (a procedure of that name) is no rollout.
        guard index > 0, ![.openBlock, .semicolon].contains(before[index - 1].kind) else {
          return nil
        }
        return RolloutClause.optionNames.filter { !written.contains($0) }.map {
          Completion(label: $0, kind: .keyword, detail: "rollout option", replacing: replacing)
        }
      case .word: written.insert(source.text(token.range))
      case .comma, .newline, .unknown: continue
      default: return nil
      }
    }
    return nil
  }

  /// The highlighting of rollout clauses: `with` and option names as keywords, values as numbers.
  func rolloutTokenKinds() -> [Int: SemanticToken.Kind] {
    var kinds: [Int: SemanticToken.Kind] = [:]
    for clause in rolloutClauses() {
      kinds[clause.keyword.lowerBound] = .keyword
      for option in clause.options {
        kinds[option.name.range.lowerBound] = .keyword
        if let value = option.value { kinds[value.range.lowerBound] = .number }
      }
    }
    return kinds
  }

  /// Whether `token` is the word `text`.
  func isWord(_ text: String, _ token: Token) -> Bool {
    token.kind == .word && source.text(token.range) == text
  }
}
