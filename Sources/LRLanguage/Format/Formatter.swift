/// The canonical layout of `.lr` text (`lr fmt`): one statement per line, two-space indents,
/// single spaces, `< a; b >` kept on one line when it was written so and fits, comments kept.
/// Strings and names are copied verbatim, so formatting never changes what a file compiles to.
public struct Formatter {
  /// The column limit for one-line blocks.
  public static let lineLimit = 100

  let source: SourceFile
  let comments: [Token]
  var nextComment = 0
  var lines: [String] = []
  var current = ""

  init(source: SourceFile, comments: [Token]) {
    self.source = source
    self.comments = comments
  }

  /// The formatted text, or nil when the text has syntax errors (nothing is formatted then).
  public static func format(_ source: SourceFile) -> String? {
    var parser = Parser(source: source)
    let program = parser.parseProgram()
    guard !parser.diagnostics.hasErrors else { return nil }
    var formatter = Formatter(source: source, comments: parser.comments)
    formatter.statements(program.statements, indent: 0, end: source.bytes.count, previousEnd: nil)
    formatter.flush()
    while formatter.lines.last == "" { formatter.lines.removeLast() }
    return formatter.lines.isEmpty ? "" : formatter.lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Output

  mutating func write(_ text: String) { current += text }

  mutating func flush() {
    if !current.isEmpty {
      lines.append(current)
      current = ""
    }
  }

  mutating func newLine(_ indent: Int) {
    flush()
    current = String(repeating: "  ", count: indent)
  }

  func text(_ range: ByteRange) -> String { source.text(range) }

  /// Whether there is an empty line between two offsets.
  func blankLineBetween(_ a: Int, _ b: Int) -> Bool {
    guard a < b else { return false }
    var newlines = 0
    for byte in source.bytes[a..<b] {
      if byte == UInt8(ascii: "\n") {
        newlines += 1
        if newlines >= 2 { return true }
      } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t")
        && byte != UInt8(ascii: "\r")
      {
        newlines = 0
      }
    }
    return false
  }

  func line(of offset: Int) -> Int { source.location(of: offset).line }

  /// Emits comments that start before `offset` on their own lines; returns the end of the last one.
  mutating func leadingComments(before offset: Int, indent: Int, previousEnd: inout Int?) {
    while nextComment < comments.count, comments[nextComment].range.lowerBound < offset {
      let comment = comments[nextComment]
      if let p = previousEnd, blankLineBetween(p, comment.range.lowerBound) {
        flush()
        lines.append("")
      }
      newLine(indent)
      write(text(comment.range).trimmingTrailingSpaces())
      previousEnd = comment.range.upperBound
      nextComment += 1
    }
  }

  /// Appends a comment that sits on the same line right after `offset`.
  mutating func trailingComment(after offset: Int) -> Int? {
    guard nextComment < comments.count else { return nil }
    let comment = comments[nextComment]
    guard comment.range.lowerBound >= offset, line(of: comment.range.lowerBound) == line(of: offset)
    else { return nil }
    write(" " + text(comment.range).trimmingTrailingSpaces())
    nextComment += 1
    return comment.range.upperBound
  }

  func hasComment(in range: ByteRange) -> Bool {
    comments[nextComment...].contains { range.contains($0.range.lowerBound) }
  }

  // MARK: - Statements

  mutating func statements(_ list: [Statement], indent: Int, end: Int, previousEnd start: Int?) {
    var previousEnd = start
    for statement in list {
      let range = statement.range
      leadingComments(before: range.lowerBound, indent: indent, previousEnd: &previousEnd)
      if let p = previousEnd, blankLineBetween(p, range.lowerBound) {
        flush()
        lines.append("")
      }
      newLine(indent)
      self.statement(statement, indent: indent)
      previousEnd = trailingComment(after: range.upperBound) ?? range.upperBound
    }
    leadingComments(before: end, indent: indent, previousEnd: &previousEnd)
  }

  mutating func statement(_ statement: Statement, indent: Int) {
    switch statement {
    case .on(let on):
      if hasComment(in: on.range.lowerBound..<on.block.open.lowerBound) {
        verbatim(on.range)
      } else {
        self.on(on, indent: indent)
      }
    case .let(let l):
      write("let \(l.name.text) = ")
      switch l.value {
      case .expression(let e): write(expression(e))
      case .target(let t): write(target(t))
      case .action(let on):
        if hasComment(in: on.range.lowerBound..<on.block.open.lowerBound) {
          verbatim(on.range)
        } else {
          self.on(on, indent: indent)
        }
      }
    case .def(let def):
      if hasComment(in: def.range.lowerBound..<def.body.open.lowerBound) {
        verbatim(def.range)
        return
      }
      write("def \(def.name.text)")
      write("(" + def.parameters.map(\.text).joined(separator: ", ") + ")")
      write(" ")
      block(def.body, indent: indent)
    case .use(let use):
      write("use " + text(use.module.range))
    case .comment(let c):
      write("comment " + text(c.text.range))
    case .if(let i):
      ifStatement(i, indent: indent)
    case .commands(let list):
      write(list.commands.map(command).joined(separator: "; "))
    case .invalid(let range):
      verbatim(range)
    }
  }

  mutating func verbatim(_ range: ByteRange) {
    let body = text(range)
    var first = true
    for piece in body.split(separator: "\n", omittingEmptySubsequences: false) {
      if !first {
        flush()
        current = String(piece)
      } else {
        write(String(piece))
      }
      first = false
    }
    while nextComment < comments.count, comments[nextComment].range.lowerBound < range.upperBound {
      nextComment += 1
    }
  }

  mutating func on(_ on: OnStatement, indent: Int) {
    write("on " + target(on.target))
    if let c = on.comment { write(" comment " + text(c.range)) }
    if let rollout = on.rollout {
      let options = rollout.options.map { [$0.name.text] + ($0.value.map { [$0.text] } ?? []) }
      write(" with " + options.map { $0.joined(separator: " ") }.joined(separator: ", "))
    }
    write(" ")
    block(on.block, indent: indent)
  }

  mutating func block(_ block: CommandBlock, indent: Int) {
    if block.commands.isEmpty, !hasComment(in: block.range) {
      write("< >")
      return
    }
    let oneLine = "< " + block.commands.map(command).joined(separator: "; ") + " >"
    let sameLine =
      block.close.map { line(of: $0.lowerBound) == line(of: block.open.lowerBound) } ?? false
    if sameLine, !hasComment(in: block.range), current.count + oneLine.count <= Formatter.lineLimit
    {
      write(oneLine)
      return
    }
    write("<")
    var previousEnd: Int? = trailingComment(after: block.open.upperBound)
    for command in block.commands {
      leadingComments(
        before: command.range.lowerBound, indent: indent + 1, previousEnd: &previousEnd)
      if let p = previousEnd, blankLineBetween(p, command.range.lowerBound) {
        flush()
        lines.append("")
      }
      newLine(indent + 1)
      write(self.command(command))
      previousEnd = trailingComment(after: command.range.upperBound) ?? command.range.upperBound
    }
    leadingComments(
      before: block.close?.lowerBound ?? block.range.upperBound, indent: indent + 1,
      previousEnd: &previousEnd)
    newLine(indent)
    write(">")
  }

  func command(_ command: Command) -> String {
    ([command.name.text] + command.arguments.map { text($0.range) }).joined(separator: " ")
  }

  mutating func ifStatement(_ statement: IfStatement, indent: Int) {
    write("if " + expression(statement.condition) + " <")
    statements(
      statement.thenBlock.statements, indent: indent + 1,
      end: statement.thenBlock.close?.lowerBound ?? statement.thenBlock.range.upperBound,
      previousEnd: nil)
    newLine(indent)
    write(">")
    switch statement.elseBranch {
    case .block(let block)?:
      write(" else <")
      statements(
        block.statements, indent: indent + 1,
        end: block.close?.lowerBound ?? block.range.upperBound, previousEnd: nil)
      newLine(indent)
      write(">")
    case .elseIf(let nested)?:
      write(" else ")
      ifStatement(nested, indent: indent)
    case nil:
      break
    }
  }

  func target(_ target: TargetExpression) -> String {
    target.terms.map { term in
      switch term {
      case .machine(let a, _): "machine " + text(a.range)
      case .machines(let items, _, _):
        "machines [" + items.map { text($0.range) }.joined(separator: ", ") + "]"
      case .tag(let a, _): "tag " + text(a.range)
      case .name(let a, _): "name " + text(a.range)
      case .file(let a, _): "file " + text(a.range)
      case .filter(let a, _): "filter " + text(a.range)
      case .variable(let v): text(v.range)
      case .filtered(let v, _, let c): text(v.range) + " where " + expression(c)
      case .invalid(let r): text(r)
      }
    }.joined(separator: " + ")
  }

  func expression(_ e: Expression) -> String {
    switch e {
    case .string(let s): text(s.range)
    case .number(_, let r), .bool(_, let r), .invalid(let r): text(r)
    case .variable(let v): text(v.range)
    case .not(let inner, _): "not " + expression(inner)
    case .binary(let op, let l, let r, _): expression(l) + " " + op.rawValue + " " + expression(r)
    case .parenthesized(let inner, _): "(" + expression(inner) + ")"
    }
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = Substring(self)
    while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
    return String(s)
  }
}
