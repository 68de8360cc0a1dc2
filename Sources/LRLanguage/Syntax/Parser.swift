/// Turns tokens into a ``Program``, reporting every problem and recovering so one pass finds all.
public struct Parser {
  let source: SourceFile
  /// Tokens without comments.
  var tokens: [Token]
  /// Comment tokens, kept for documentation comments and the formatter.
  public private(set) var comments: [Token]
  var position = 0
  var diagnostics: [Diagnostic] = []
  /// How deep in `if` statement blocks the parser is (where `>` ends a statement list).
  var statementBlockDepth = 0
  /// How deep in `( )` of an expression the parser is (where newlines do not end anything).
  var parenDepth = 0
  /// How deep the syntax tree being built is: `if` statements, `not`, `( )` and the operands of
  /// `and`/`or` chains. Limited (``maximumNesting``) so that no input can exhaust the stack of
  /// the parser, the compiler or the engine, which all recurse over the tree.
  var nesting = 0
  /// Whether the current top-level statement has reported nesting too deep (once is enough).
  var reportedNesting = false
  /// The deepest nesting accepted.
  public static let maximumNesting = 100

  /// Words that start statements or are reserved by the language.
  public static let reservedWords: Set<String> = [
    "on", "let", "def", "use", "if", "else", "comment", "run", "get", "put", "and", "or", "not",
    "true", "false", "contains", "matches",
  ]
  /// Words that start a statement (used to recover from a block missing its `>`).
  static let statementWords: Set<String> = ["on", "let", "def", "use", "if"]
  /// Words reserved only where the grammar expects them: `where` after a target term (`on $r
  /// where output contains "x" < … >`), `with` before a statement's rollout options.
  public static let contextualWords: Set<String> = ["where", "with"]
  /// Words that start a target selector.
  public static let targetWords: Set<String> = [
    "machine", "machines", "tag", "name", "file", "filter",
  ]

  public init(source: SourceFile) {
    self.init(source: source, lexingFrom: 0)
  }

  /// A parser of the tokens from an offset on (where a token starts) to the end of the file.
  init(source: SourceFile, lexingFrom offset: Int) {
    self.source = source
    let all = Lexer(source: source).tokenize(from: offset)
    self.tokens = all.filter { $0.kind != .comment }
    self.comments = all.filter { $0.kind == .comment }
  }

  /// Parses a whole document.
  public static func parse(_ source: SourceFile) -> (program: Program, diagnostics: [Diagnostic]) {
    var parser = Parser(source: source)
    let program = parser.parseProgram()
    return (program, parser.diagnostics)
  }

  // MARK: - Token access

  var current: Token { tokens[position] }
  var currentText: String { source.text(current.range) }

  func peek(_ offset: Int = 1) -> Token {
    tokens[min(position + offset, tokens.count - 1)]
  }

  func isWord(_ text: String, _ token: Token? = nil) -> Bool {
    let t = token ?? current
    return t.kind == .word && source.text(t.range) == text
  }

  mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  mutating func skipNewlines() {
    while current.kind == .newline { advance() }
  }

  /// The first token at or after the current one that is not a newline.
  func nextNonNewline() -> Token {
    var i = position
    while tokens[i].kind == .newline, i < tokens.count - 1 { i += 1 }
    return tokens[i]
  }

  /// Describes a token for "expected …, found …" messages.
  func describe(_ token: Token) -> String {
    switch token.kind {
    case .endOfFile: return "end of file"
    case .newline: return "end of line"
    case .string, .rawString: return "a string"
    default:
      let text = source.text(token.range)
      if text.unicodeScalars.contains(where: Sanitizer.isUnsafe) {
        return text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
          .joined(separator: " ")
      }
      return "`\(text.count > 30 ? String(text.prefix(30)) + "…" : text)`"
    }
  }

  mutating func report(
    _ message: DiagnosticMessage, _ range: ByteRange, notes: [Note] = [], fixIts: [FixIt] = []
  ) {
    diagnostics.append(
      Diagnostic(message, file: source.name, range: range, notes: notes, fixIts: fixIts))
  }

  /// Reports that the current token is not what the grammar expects here: an unexpected
  /// character when the lexer found none it knows (`&`, `!`, a control character), otherwise
  /// "expected …, found …".
  mutating func reportUnexpected(_ what: String, _ range: ByteRange, fixIts: [FixIt] = []) {
    guard current.kind == .unknown else {
      report(.expected(what, found: describe(current)), range, fixIts: fixIts)
      return
    }
    var notes: [Note] = []
    if currentText == "!" { notes.append(Note("`not` negates a condition; `!=` compares")) }
    report(
      .unexpectedCharacter(describe(current), expected: what), current.range, notes: notes,
      fixIts: fixIts)
  }

  /// One level deeper in the tree; false (reported, and the rest of the expression skipped: up to
  /// a newline, `;`, `<`, `>` or the end) when that is deeper than ``maximumNesting``. The
  /// caller restores ``nesting`` when it is done.
  mutating func enterNesting() -> Bool {
    nesting += 1
    guard nesting > Parser.maximumNesting else { return true }
    if !reportedNesting {
      reportedNesting = true
      report(.nestingTooDeep(Parser.maximumNesting), current.range)
    }
    while ![.newline, .semicolon, .openBlock, .closeBlock, .endOfFile].contains(current.kind) {
      advance()
    }
    return false
  }

  /// Skips to the end of the current statement (newline, `;` or EOF), jumping over nested blocks.
  mutating func recoverToEndOfStatement() {
    var depth = 0
    while current.kind != .endOfFile {
      switch current.kind {
      case .openBlock: depth += 1
      case .closeBlock:
        if depth == 0 { return }
        depth -= 1
      case .newline, .semicolon:
        if depth == 0 { return }
      default: break
      }
      advance()
    }
  }

  // MARK: - Statements

  mutating func parseProgram() -> Program {
    if let bad = source.firstInvalidUTF8Offset {
      report(.invalidUTF8, bad..<(bad + 1))
    }
    var statements: [Statement] = []
    while let unit = parseUnit() {
      if let statement = unit.statement { statements.append(statement) }
    }
    return Program(statements: statements, range: 0..<source.bytes.count)
  }

  /// Skips the newlines and `;` between top-level statements.
  mutating func skipSeparators() {
    while current.kind == .newline || current.kind == .semicolon { advance() }
  }

  /// One step of ``parseProgram()``: the next top-level statement (or stray `>`) and the
  /// diagnostics it produced; nil at the end of the file.
  mutating func parseUnit() -> ParsedUnit? {
    skipSeparators()
    if current.kind == .endOfFile { return nil }
    let start = current.range.lowerBound
    let before = diagnostics.count
    reportedNesting = false
    var statement: Statement?
    if current.kind == .closeBlock {
      report(
        .strayCloseBlock, current.range,
        fixIts: [.replace(current.range, with: "", "remove the `>`")])
      advance()
    } else {
      statement = parseStatement()
    }
    return ParsedUnit(
      start: start, statement: statement, diagnostics: Array(diagnostics[before...]))
  }

  mutating func parseStatement() -> Statement {
    let start = position
    let statement: Statement
    if current.kind == .word {
      switch currentText {
      case "on": statement = .on(parseOn())
      case "let": statement = parseLet()
      case "def": statement = parseDef()
      case "use": statement = parseUse()
      case "comment": statement = parseCommentStatement()
      case "if": statement = parseIf()
      case "else":
        report(.expected("a statement", found: "`else` without `if`"), current.range)
        advance()
        recoverToEndOfStatement()
        statement = .invalid(tokens[start].range.lowerBound..<current.range.lowerBound)
      default: statement = .commands(parseCommandList())
      }
    } else {
      reportUnexpected("a statement", current.range)
      if current.kind == .unknown || current.kind == .openBlock { advance() }
      recoverToEndOfStatement()
      return .invalid(
        tokens[start].range
          .lowerBound..<max(tokens[start].range.upperBound, current.range.lowerBound))
    }
    expectEndOfStatement()
    return statement
  }

  /// After a statement: a newline, `;`, end of file, or (inside an `if` block) `>`. A `>` at the
  /// top level is left for ``parseUnit()`` to report once, as a stray `>`.
  mutating func expectEndOfStatement() {
    switch current.kind {
    case .newline, .semicolon, .endOfFile, .closeBlock: return
    default:
      // A block that lost its `>` ends before a statement on the next line.
      if position > 0, tokens[position - 1].kind == .newline { return }
      reportUnexpected("end of statement", current.range)
      recoverToEndOfStatement()
    }
  }

  mutating func parseOn() -> OnStatement {
    let keyword = current.range
    advance()
    let target = parseTarget()
    var comment: StringLiteral?
    if nextNonNewline().kind == .word, source.text(nextNonNewline().range) == "comment" {
      skipNewlines()
      advance()
      if current.kind == .string || current.kind == .rawString {
        comment = parseStringLiteral()
      } else {
        reportUnexpected("a string after `comment`", current.range)
      }
    }
    let rollout = parseRolloutClause()
    if nextNonNewline().kind == .openBlock { skipNewlines() }
    let block = parseCommandBlock()
    return OnStatement(
      keyword: keyword, target: target, comment: comment, rollout: rollout, block: block,
      range: keyword.lowerBound..<block.range.upperBound)
  }

  mutating func parseTarget() -> TargetExpression {
    var terms = [parseTargetTerm()]
    while nextNonNewline().kind == .plus {
      skipNewlines()
      advance()
      skipNewlines()
      terms.append(parseTargetTerm())
    }
    let lower = terms.first?.range.lowerBound ?? current.range.lowerBound
    let upper = terms.last?.range.upperBound ?? lower
    return TargetExpression(terms: terms, range: lower..<upper)
  }

  mutating func parseTargetTerm() -> TargetTerm {
    if current.kind == .variable {
      let reference = parseVariableToken()
      guard isWord("where") else { return .variable(reference) }
      let keyword = current.range
      advance()
      skipNewlines()
      return .filtered(reference, keyword: keyword, condition: parseExpression())
    }
    if current.kind == .word, !Parser.targetWords.contains(currentText),
      peek().kind == .openBlock || peek().kind == .plus
    {
      return parseBareMachineName()
    }
    guard current.kind == .word, let word = targetKeyword() else {
      reportUnexpected(
        Parser.targetExpectation, current.range.lowerBound..<current.range.lowerBound)
      return .invalid(current.range.lowerBound..<current.range.lowerBound)
    }
    let keyword = current.range
    advance()
    if word == "machines" {
      guard current.kind == .openBracket else {
        reportUnexpected("`[` and a list of machines", current.range)
        return .invalid(keyword)
      }
      advance()
      var items: [CommandArgument] = []
      while true {
        skipNewlines()
        if current.kind == .closeBracket { break }
        guard let argument = parseArgument() else {
          reportUnexpected("a machine name or `]`", current.range)
          break
        }
        items.append(argument)
        skipNewlines()
        if current.kind == .comma { advance() } else { break }
      }
      skipNewlines()
      var end = current.range.lowerBound
      if current.kind == .closeBracket {
        end = current.range.upperBound
        advance()
      } else {
        reportUnexpected("`]`", current.range)
      }
      return .machines(items, keyword: keyword, range: keyword.lowerBound..<end)
    }
    guard let argument = parseArgument() else {
      reportUnexpected(
        "a name, string or `$variable` after `\(word)`",
        current.range.lowerBound..<current.range.lowerBound)
      return .invalid(keyword)
    }
    switch word {
    case "machine": return .machine(argument, keyword: keyword)
    case "tag": return .tag(argument, keyword: keyword)
    case "name": return .name(argument, keyword: keyword)
    case "file": return .file(argument, keyword: keyword)
    default: return .filter(argument, keyword: keyword)
    }
  }

  /// What a target term starts with, for "expected …" errors.
  static let targetExpectation =
    "a target (`machine`, `machines`, `tag`, `name`, `file`, `filter` or a `$variable`)"

  /// The current word as a target keyword: itself, or (reported once, with a fix-it) the keyword
  /// it is a typo of when an argument follows (`on machin WS-0142 <`); nil otherwise.
  mutating func targetKeyword() -> String? {
    if Parser.targetWords.contains(currentText) { return currentText }
    let argumentFollows = [.word, .string, .rawString, .variable].contains(peek().kind)
    guard argumentFollows,
      let keyword = Suggestions.closest(to: currentText, in: Parser.targetWords.sorted())
    else { return nil }
    reportUnexpected(
      Parser.targetExpectation, current.range.lowerBound..<current.range.lowerBound,
      fixIts: [.replace(current.range, with: keyword, "did you mean `\(keyword)`?")])
    return keyword
  }

  /// `on WS-0142 < … >`: a name where the target keyword belongs, reported once with the fix-it
  /// `machine` and skipped, so the block after it gets no second error.
  mutating func parseBareMachineName() -> TargetTerm {
    let name = current.range
    reportUnexpected(
      Parser.targetExpectation, name.lowerBound..<name.lowerBound,
      fixIts: [.insert("machine ", at: name.lowerBound, "insert `machine`")])
    advance()
    return .invalid(name)
  }

  /// Parses a word, string or variable argument, or returns nil without consuming anything.
  mutating func parseArgument() -> CommandArgument? {
    switch current.kind {
    case .word:
      let name = Name(currentText, range: current.range)
      advance()
      return .word(name)
    case .string, .rawString:
      return .string(parseStringLiteral())
    case .variable:
      return .variable(parseVariableToken())
    default:
      return nil
    }
  }

  mutating func parseCommandBlock() -> CommandBlock {
    guard current.kind == .openBlock else {
      reportUnexpected(
        "`<` to open a block of commands", current.range.lowerBound..<current.range.lowerBound)
      let at = current.range.lowerBound
      recoverToEndOfStatement()
      return CommandBlock(open: at..<at, commands: [], close: nil, range: at..<at)
    }
    let open = current.range
    advance()
    var commands: [Command] = []
    while true {
      while current.kind == .newline || current.kind == .semicolon { advance() }
      if current.kind == .closeBlock {
        let close = current.range
        advance()
        return CommandBlock(
          open: open, commands: commands, close: close, range: open.lowerBound..<close.upperBound)
      }
      if current.kind == .endOfFile
        || (current.kind == .word && Parser.statementWords.contains(currentText)
          && tokens[max(0, position - 1)].kind == .newline)
      {
        let end = commands.last?.range.upperBound ?? open.upperBound
        report(
          .unterminatedBlock, open, notes: [Note("the block needs a `>` here", range: end..<end)],
          fixIts: [.insert(" >", at: end, "insert `>`")])
        return CommandBlock(
          open: open, commands: commands, close: nil, range: open.lowerBound..<end)
      }
      if current.kind == .word {
        if Parser.statementWords.contains(currentText) { reportStatementInBlock() }
        commands.append(parseCommand())
      } else {
        reportUnexpected("a command", current.range)
        advance()
        recoverToCommandEnd()
        continue
      }
      switch current.kind {
      case .newline, .semicolon, .closeBlock, .endOfFile: break
      default:
        reportUnexpected("`;`, a new line or `>`", current.range)
        recoverToCommandEnd()
      }
    }
  }

  /// A statement word (`on let def use if`) where a block of commands expects a command. At the
  /// start of a line it would begin a statement, so it is a syntax error anywhere in the block
  /// (else `lr fmt`, which puts commands on lines of their own, would change its meaning). The
  /// command is still parsed, for the tree; the compiler does not report it again.
  mutating func reportStatementInBlock() {
    let word = currentText
    var notes: [Note] = []
    if word == "use" || word == "def" {
      notes.append(Note("`\(word)` is allowed only at the top level of a file"))
    }
    report(.statementInBlock(word), current.range, notes: notes)
  }

  mutating func recoverToCommandEnd() {
    while true {
      switch current.kind {
      case .newline, .semicolon, .closeBlock, .endOfFile: return
      default: advance()
      }
    }
  }

  /// A command word and its arguments, up to `;`, a new line or `>`.
  mutating func parseCommand() -> Command {
    let name = Name(currentText, range: current.range)
    let kind = Command.Kind(rawValue: name.text).flatMap { $0 == .call ? nil : $0 } ?? .call
    advance()
    var arguments: [CommandArgument] = []
    while let argument = parseArgument() { arguments.append(argument) }
    let end = arguments.last?.range.upperBound ?? name.range.upperBound
    return Command(
      kind: kind, name: name, arguments: arguments, range: name.range.lowerBound..<end)
  }

  /// Commands written without `on … < >`, separated by `;` up to the end of the line.
  mutating func parseCommandList() -> CommandList {
    var commands = [parseCommand()]
    while current.kind == .semicolon, peek().kind == .word,
      !Parser.statementWords.contains(source.text(peek().range))
    {
      advance()
      commands.append(parseCommand())
    }
    let range =
      (commands.first?.range.lowerBound ?? 0)..<(commands.last?.range.upperBound ?? 0)
    return CommandList(commands: commands, range: range)
  }

  mutating func parseLet() -> Statement {
    let start = current.range.lowerBound
    advance()
    guard current.kind == .word || current.kind == .variable else {
      reportUnexpected("a name after `let`", current.range)
      recoverToEndOfStatement()
      return .invalid(start..<current.range.lowerBound)
    }
    let name = parseDefinedName(after: "`let`")
    guard current.kind == .equals else {
      reportUnexpected(
        "`=`", current.range.lowerBound..<current.range.lowerBound,
        fixIts: [.insert(" =", at: name.range.upperBound, "insert `=`")])
      recoverToEndOfStatement()
      return .invalid(start..<current.range.lowerBound)
    }
    advance()
    // A newline after `=` continues the statement.
    skipNewlines()
    let value: LetStatement.Value
    if isWord("on") {
      value = .action(parseOn())
    } else if startsTarget {
      value = .target(parseTarget())
    } else {
      value = .expression(parseExpression())
    }
    let end: Int
    switch value {
    case .action(let on): end = on.range.upperBound
    case .target(let t): end = t.range.upperBound
    case .expression(let e): end = e.range.upperBound
    }
    return .let(LetStatement(name: name, value: value, range: start..<end))
  }

  /// Whether a `let`'s value is a target: a target word with its argument, or a `$variable`
  /// followed by `+` (a union) or `where`. A `$variable` alone is parsed as an expression; the
  /// compiler binds it as a target when the variable is one.
  var startsTarget: Bool {
    if current.kind == .word, Parser.targetWords.contains(currentText) {
      return [.word, .string, .rawString, .variable, .openBracket].contains(peek().kind)
    }
    guard current.kind == .variable else { return false }
    var i = position + 1
    if isWord("where", peek()) { return true }
    while i < tokens.count - 1, tokens[i].kind == .newline { i += 1 }
    return tokens[i].kind == .plus
  }

  /// The name a `let` or a parameter list defines (a word). A `$name` there is reported, with a
  /// fix-it that removes the `$`, and read as `name` so that the rest still checks.
  mutating func parseDefinedName(after what: String) -> Name {
    let token = current
    advance()
    guard token.kind == .variable else { return Name(source.text(token.range), range: token.range) }
    var text = Substring(source.text(token.range).dropFirst())
    if text.hasPrefix("{") { text = text.dropFirst() }
    if text.hasSuffix("}") { text = text.dropLast() }
    report(
      .expected(
        "a name after \(what), written without `$`", found: "`\(source.text(token.range))`"),
      token.range, fixIts: [.replace(token.range, with: String(text), "remove the `$`")])
    return Name(String(text), range: token.range)
  }

  mutating func parseDef() -> Statement {
    let start = current.range.lowerBound
    let documentation = documentationComment(before: start)
    advance()
    guard current.kind == .word else {
      reportUnexpected("a procedure name after `def`", current.range)
      recoverToEndOfStatement()
      return .invalid(start..<current.range.lowerBound)
    }
    let name = Name(currentText, range: current.range)
    advance()
    var parameters: [Name] = []
    if current.kind == .openParen {
      advance()
      while true {
        skipNewlines()
        if current.kind == .closeParen { break }
        if current.kind == .word || current.kind == .variable {
          parameters.append(parseDefinedName(after: "`(`"))
        } else {
          reportUnexpected("a parameter name or `)`", current.range)
          break
        }
        skipNewlines()
        if current.kind == .comma { advance() } else { break }
      }
      if current.kind == .closeParen {
        advance()
      } else {
        reportUnexpected("`)`", current.range)
        while ![.closeParen, .openBlock, .newline, .endOfFile].contains(current.kind) { advance() }
        if current.kind == .closeParen { advance() }
      }
    }
    if nextNonNewline().kind == .openBlock { skipNewlines() }
    let body = parseCommandBlock()
    return .def(
      DefStatement(
        name: name, parameters: parameters, body: body, documentation: documentation,
        range: start..<body.range.upperBound))
  }

  /// The `#` lines directly above an offset (each alone on its line), without their `#`.
  func documentationComment(before offset: Int) -> String? {
    var line = source.location(of: offset).line - 1
    var lines: [String] = []
    // The last comment starting before the offset (comments are in order: binary search).
    var lo = 0
    var hi = comments.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if comments[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
    }
    var index: Int? = lo > 0 ? lo - 1 : nil
    while line >= 1, let i = index {
      let comment = comments[i]
      let location = source.location(of: comment.range.lowerBound)
      guard location.line == line else { break }
      let before = source.lineBytes(line).prefix(location.column - 1)
      guard before.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else {
        break
      }
      var text = source.text(comment.range).dropFirst()
      while text.first == "#" { text = text.dropFirst() }
      if text.first == " " { text = text.dropFirst() }
      lines.append(String(text))
      line -= 1
      index = i > 0 ? i - 1 : nil
    }
    return lines.isEmpty ? nil : lines.reversed().joined(separator: "\n")
  }

  mutating func parseUse() -> Statement {
    let start = current.range.lowerBound
    advance()
    guard let module = parseArgument() else {
      reportUnexpected("a module name after `use`", current.range)
      recoverToEndOfStatement()
      return .invalid(start..<current.range.lowerBound)
    }
    return .use(UseStatement(module: module, range: start..<module.range.upperBound))
  }

  mutating func parseCommentStatement() -> Statement {
    let start = current.range.lowerBound
    advance()
    guard current.kind == .string || current.kind == .rawString else {
      reportUnexpected("a string after `comment`", current.range)
      recoverToEndOfStatement()
      return .invalid(start..<current.range.lowerBound)
    }
    let text = parseStringLiteral()
    return .comment(CommentStatement(text: text, range: start..<text.range.upperBound))
  }

  mutating func parseIf() -> Statement {
    .if(parseIfStatement())
  }

  mutating func parseIfStatement() -> IfStatement {
    let start = current.range.lowerBound
    let outer = nesting
    defer { nesting = outer }
    guard enterNesting() else {
      // Too deep: the rest of the statement (its blocks too) is skipped.
      recoverToEndOfStatement()
      let at = current.range.lowerBound
      return IfStatement(
        condition: .invalid(start..<start),
        thenBlock: StatementBlock(open: at..<at, statements: [], close: nil, range: at..<at),
        elseBranch: nil, range: start..<at)
    }
    advance()
    let condition = parseExpression()
    if nextNonNewline().kind == .openBlock { skipNewlines() }
    let thenBlock = parseStatementBlock()
    var elseBranch: ElseBranch?
    var end = thenBlock.range.upperBound
    if nextNonNewline().kind == .word, source.text(nextNonNewline().range) == "else" {
      skipNewlines()
      advance()
      // A newline after `else` continues the statement (`else` + newline + `if …` or `<`).
      if nextNonNewline().kind == .word, source.text(nextNonNewline().range) == "if" {
        skipNewlines()
      }
      if isWord("if") {
        let nested = parseIfStatement()
        elseBranch = .elseIf(nested)
        end = nested.range.upperBound
      } else {
        if nextNonNewline().kind == .openBlock { skipNewlines() }
        let block = parseStatementBlock()
        elseBranch = .block(block)
        end = block.range.upperBound
      }
    }
    return IfStatement(
      condition: condition, thenBlock: thenBlock, elseBranch: elseBranch, range: start..<end)
  }

  mutating func parseStatementBlock() -> StatementBlock {
    guard current.kind == .openBlock else {
      reportUnexpected(
        "`<` to open a block of statements", current.range.lowerBound..<current.range.lowerBound)
      let at = current.range.lowerBound
      return StatementBlock(open: at..<at, statements: [], close: nil, range: at..<at)
    }
    let open = current.range
    advance()
    statementBlockDepth += 1
    defer { statementBlockDepth -= 1 }
    var statements: [Statement] = []
    while true {
      while current.kind == .newline || current.kind == .semicolon { advance() }
      if current.kind == .closeBlock {
        let close = current.range
        advance()
        return StatementBlock(
          open: open, statements: statements, close: close,
          range: open.lowerBound..<close.upperBound)
      }
      if current.kind == .endOfFile {
        let end = statements.last?.range.upperBound ?? open.upperBound
        report(
          .unterminatedBlock, open, notes: [Note("the block needs a `>` here", range: end..<end)],
          fixIts: [.insert(" >", at: end, "insert `>`")])
        return StatementBlock(
          open: open, statements: statements, close: nil, range: open.lowerBound..<end)
      }
      statements.append(parseStatement())
    }
  }
}
