/// A name as written in the source (an identifier, a procedure, a parameter) with its range.
public struct Name: Hashable, Sendable {
  public var text: String
  public var range: ByteRange
  public init(_ text: String, range: ByteRange) {
    self.text = text
    self.range = range
  }
}

/// A whole `.lr` document.
public struct Program: Sendable {
  public var statements: [Statement]
  public var range: ByteRange
}

/// One top-level (or block-level) statement.
public enum Statement: Sendable {
  case on(OnStatement)
  case `let`(LetStatement)
  case def(DefStatement)
  case use(UseStatement)
  case comment(CommentStatement)
  case `if`(IfStatement)
  /// Commands without a target (`run x.ps1`): valid only with a default target (the REPL's `.connect`).
  case commands(CommandList)
  /// Text the parser could not make sense of; its diagnostics have been reported.
  case invalid(ByteRange)

  public var range: ByteRange {
    switch self {
    case .on(let s): s.range
    case .let(let s): s.range
    case .def(let s): s.range
    case .use(let s): s.range
    case .comment(let s): s.range
    case .if(let s): s.range
    case .commands(let s): s.range
    case .invalid(let r): r
    }
  }
}

/// `on TARGET [comment "…"] [with OPTION VALUE, …] < commands >`.
public struct OnStatement: Sendable {
  public var keyword: ByteRange
  public var target: TargetExpression
  public var comment: StringLiteral?
  /// The rollout options (`with canary 10, waves 10%`), when written.
  public var rollout: RolloutClause?
  public var block: CommandBlock
  public var range: ByteRange
}

/// `< command; command … >`.
public struct CommandBlock: Sendable {
  public var open: ByteRange
  public var commands: [Command]
  /// The closing `>`, or nil when the block was never closed.
  public var close: ByteRange?
  public var range: ByteRange
}

/// Commands outside any block (REPL session mode).
public struct CommandList: Sendable {
  public var commands: [Command]
  public var range: ByteRange
}

/// One command inside a block: `run`, `get`, `put`, or a procedure call.
public struct Command: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    case run, get, put, call
  }
  public var kind: Kind
  /// The command word (`run`, or the procedure's name).
  public var name: Name
  public var arguments: [CommandArgument]
  public var range: ByteRange
}

/// An argument to a command, a target selector or a `use`.
public enum CommandArgument: Sendable {
  /// A bare word, taken literally.
  case word(Name)
  case string(StringLiteral)
  case variable(VariableReference)

  public var range: ByteRange {
    switch self {
    case .word(let n): n.range
    case .string(let s): s.range
    case .variable(let v): v.range
    }
  }
}

/// A quoted string, split into literal text and `${…}` interpolations.
public struct StringLiteral: Sendable {
  public enum Part: Sendable {
    case text(String, ByteRange)
    case interpolation(VariableReference)
  }
  public var parts: [Part]
  public var isRaw: Bool
  public var isTerminated: Bool
  public var range: ByteRange

  /// The value when the string has no interpolation.
  public var literalValue: String? {
    var out = ""
    for part in parts {
      guard case .text(let t, _) = part else { return nil }
      out += t
    }
    return out
  }
}

/// `$name`, `$name.field`, `${name}` or, in expressions, a bare `name.field`.
public struct VariableReference: Sendable {
  /// The variable's name.
  public var name: Name
  /// Field names after the first dot (`r.exit_code` → `["exit_code"]`).
  public var fields: [Name]
  public var range: ByteRange

  public var dottedText: String { ([name.text] + fields.map(\.text)).joined(separator: ".") }
}

/// A union of target selectors: `machine X + tag "t"`.
public struct TargetExpression: Sendable {
  public var terms: [TargetTerm]
  public var range: ByteRange
}

/// One target selector.
public enum TargetTerm: Sendable {
  case machine(CommandArgument, keyword: ByteRange)
  case machines([CommandArgument], keyword: ByteRange, range: ByteRange)
  case tag(CommandArgument, keyword: ByteRange)
  case name(CommandArgument, keyword: ByteRange)
  case file(CommandArgument, keyword: ByteRange)
  case filter(CommandArgument, keyword: ByteRange)
  case variable(VariableReference)
  /// `$r where CONDITION`, `$r.failed where CONDITION`: the machines of a bound result whose own
  /// result makes the condition true.
  case filtered(VariableReference, keyword: ByteRange, condition: Expression)
  case invalid(ByteRange)

  public var range: ByteRange {
    switch self {
    case .machine(let a, let k), .tag(let a, let k), .name(let a, let k), .file(let a, let k),
      .filter(let a, let k):
      k.lowerBound..<a.range.upperBound
    case .machines(_, _, let r): r
    case .variable(let v): v.range
    case .filtered(let v, _, let c):
      v.range.lowerBound..<max(v.range.upperBound, c.range.upperBound)
    case .invalid(let r): r
    }
  }
}

/// `let NAME = value`.
public struct LetStatement: Sendable {
  public enum Value: Sendable {
    case expression(Expression)
    case target(TargetExpression)
    case action(OnStatement)
  }
  public var name: Name
  public var value: Value
  public var range: ByteRange
}

/// `def NAME(PARAMS) < commands >`, with the `#` lines directly above as its documentation.
public struct DefStatement: Sendable {
  public var name: Name
  public var parameters: [Name]
  public var body: CommandBlock
  public var documentation: String?
  public var range: ByteRange
}

/// `use "module"`.
public struct UseStatement: Sendable {
  public var module: CommandArgument
  public var range: ByteRange
}

/// `comment "…"`: the default Comment for the statements after it.
public struct CommentStatement: Sendable {
  public var text: StringLiteral
  public var range: ByteRange
}

/// `if COND < statements > [else < statements > | else if …]`.
public struct IfStatement: Sendable {
  public var condition: Expression
  public var thenBlock: StatementBlock
  public var elseBranch: ElseBranch?
  public var range: ByteRange
}

/// What follows `else`.
public indirect enum ElseBranch: Sendable {
  case block(StatementBlock)
  case elseIf(IfStatement)
}

/// `< statements >` in an `if`.
public struct StatementBlock: Sendable {
  public var open: ByteRange
  public var statements: [Statement]
  public var close: ByteRange?
  public var range: ByteRange
}

/// Binary operators of conditions.
public enum BinaryOperator: String, Sendable, CaseIterable {
  case equal = "=="
  case notEqual = "!="
  case lessEqual = "<="
  case greaterEqual = ">="
  case contains
  case matches
  case and
  case or
}

/// A condition or value expression.
public indirect enum Expression: Sendable {
  case string(StringLiteral)
  case number(Int, ByteRange)
  case bool(Bool, ByteRange)
  case variable(VariableReference)
  case not(Expression, ByteRange)
  case binary(BinaryOperator, Expression, Expression, ByteRange)
  case parenthesized(Expression, ByteRange)
  case invalid(ByteRange)

  public var range: ByteRange {
    switch self {
    case .string(let s): s.range
    case .number(_, let r), .bool(_, let r), .not(_, let r), .binary(_, _, _, let r),
      .parenthesized(_, let r), .invalid(let r):
      r
    case .variable(let v): v.range
    }
  }
}
