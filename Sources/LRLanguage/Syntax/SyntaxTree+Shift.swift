/// Moving syntax by a number of bytes: a statement after an edit is the same statement, shifted by
/// the edit's change in length (see ``IncrementalDiagnostics``).
extension ByteRange {
  func shifted(by delta: Int) -> ByteRange { (lowerBound + delta)..<(upperBound + delta) }
}

extension Name {
  func shifted(by d: Int) -> Name { Name(text, range: range.shifted(by: d)) }
}

extension Statement {
  func shifted(by d: Int) -> Statement {
    guard d != 0 else { return self }
    switch self {
    case .on(let s): return .on(s.shifted(by: d))
    case .let(let s): return .let(s.shifted(by: d))
    case .def(let s): return .def(s.shifted(by: d))
    case .use(let s):
      return .use(UseStatement(module: s.module.shifted(by: d), range: s.range.shifted(by: d)))
    case .comment(let s):
      return .comment(CommentStatement(text: s.text.shifted(by: d), range: s.range.shifted(by: d)))
    case .if(let s): return .if(s.shifted(by: d))
    case .commands(let s):
      return .commands(
        CommandList(commands: s.commands.map { $0.shifted(by: d) }, range: s.range.shifted(by: d)))
    case .invalid(let r): return .invalid(r.shifted(by: d))
    }
  }
}

extension OnStatement {
  func shifted(by d: Int) -> OnStatement {
    OnStatement(
      keyword: keyword.shifted(by: d), target: target.shifted(by: d),
      comment: comment?.shifted(by: d), rollout: rollout?.shifted(by: d),
      block: block.shifted(by: d),
      range: range.shifted(by: d))
  }
}

extension RolloutClause {
  func shifted(by d: Int) -> RolloutClause {
    RolloutClause(
      keyword: keyword.shifted(by: d),
      options: options.map {
        RolloutOption(
          name: $0.name.shifted(by: d), value: $0.value?.shifted(by: d),
          range: $0.range.shifted(by: d))
      }, range: range.shifted(by: d))
  }
}

extension CommandBlock {
  func shifted(by d: Int) -> CommandBlock {
    CommandBlock(
      open: open.shifted(by: d), commands: commands.map { $0.shifted(by: d) },
      close: close?.shifted(by: d), range: range.shifted(by: d))
  }
}

extension Command {
  func shifted(by d: Int) -> Command {
    Command(
      kind: kind, name: name.shifted(by: d), arguments: arguments.map { $0.shifted(by: d) },
      range: range.shifted(by: d))
  }
}

extension CommandArgument {
  func shifted(by d: Int) -> CommandArgument {
    switch self {
    case .word(let n): .word(n.shifted(by: d))
    case .string(let s): .string(s.shifted(by: d))
    case .variable(let v): .variable(v.shifted(by: d))
    }
  }
}

extension StringLiteral {
  func shifted(by d: Int) -> StringLiteral {
    StringLiteral(
      parts: parts.map {
        switch $0 {
        case .text(let t, let r): .text(t, r.shifted(by: d))
        case .interpolation(let v): .interpolation(v.shifted(by: d))
        }
      }, isRaw: isRaw, isTerminated: isTerminated, range: range.shifted(by: d))
  }
}

extension VariableReference {
  func shifted(by d: Int) -> VariableReference {
    VariableReference(
      name: name.shifted(by: d), fields: fields.map { $0.shifted(by: d) },
      range: range.shifted(by: d))
  }
}

extension TargetExpression {
  func shifted(by d: Int) -> TargetExpression {
    TargetExpression(terms: terms.map { $0.shifted(by: d) }, range: range.shifted(by: d))
  }
}

extension TargetTerm {
  func shifted(by d: Int) -> TargetTerm {
    switch self {
    case .machine(let a, let k): .machine(a.shifted(by: d), keyword: k.shifted(by: d))
    case .machines(let list, let k, let r):
      .machines(list.map { $0.shifted(by: d) }, keyword: k.shifted(by: d), range: r.shifted(by: d))
    case .tag(let a, let k): .tag(a.shifted(by: d), keyword: k.shifted(by: d))
    case .name(let a, let k): .name(a.shifted(by: d), keyword: k.shifted(by: d))
    case .file(let a, let k): .file(a.shifted(by: d), keyword: k.shifted(by: d))
    case .filter(let a, let k): .filter(a.shifted(by: d), keyword: k.shifted(by: d))
    case .variable(let v): .variable(v.shifted(by: d))
    case .filtered(let v, let k, let c):
      .filtered(v.shifted(by: d), keyword: k.shifted(by: d), condition: c.shifted(by: d))
    case .invalid(let r): .invalid(r.shifted(by: d))
    }
  }
}

extension LetStatement {
  func shifted(by d: Int) -> LetStatement {
    let moved: Value
    switch value {
    case .expression(let e): moved = .expression(e.shifted(by: d))
    case .target(let t): moved = .target(t.shifted(by: d))
    case .action(let on): moved = .action(on.shifted(by: d))
    }
    return LetStatement(name: name.shifted(by: d), value: moved, range: range.shifted(by: d))
  }
}

extension DefStatement {
  func shifted(by d: Int) -> DefStatement {
    DefStatement(
      name: name.shifted(by: d), parameters: parameters.map { $0.shifted(by: d) },
      body: body.shifted(by: d), documentation: documentation, range: range.shifted(by: d))
  }
}

extension IfStatement {
  func shifted(by d: Int) -> IfStatement {
    let branch: ElseBranch?
    switch elseBranch {
    case .block(let b)?: branch = .block(b.shifted(by: d))
    case .elseIf(let nested)?: branch = .elseIf(nested.shifted(by: d))
    case nil: branch = nil
    }
    return IfStatement(
      condition: condition.shifted(by: d), thenBlock: thenBlock.shifted(by: d),
      elseBranch: branch, range: range.shifted(by: d))
  }
}

extension StatementBlock {
  func shifted(by d: Int) -> StatementBlock {
    StatementBlock(
      open: open.shifted(by: d), statements: statements.map { $0.shifted(by: d) },
      close: close?.shifted(by: d), range: range.shifted(by: d))
  }
}

extension Expression {
  func shifted(by d: Int) -> Expression {
    switch self {
    case .string(let s): .string(s.shifted(by: d))
    case .number(let n, let r): .number(n, r.shifted(by: d))
    case .bool(let b, let r): .bool(b, r.shifted(by: d))
    case .variable(let v): .variable(v.shifted(by: d))
    case .not(let e, let r): .not(e.shifted(by: d), r.shifted(by: d))
    case .binary(let op, let l, let r, let range):
      .binary(op, l.shifted(by: d), r.shifted(by: d), range.shifted(by: d))
    case .parenthesized(let e, let r): .parenthesized(e.shifted(by: d), r.shifted(by: d))
    case .invalid(let r): .invalid(r.shifted(by: d))
    }
  }
}
