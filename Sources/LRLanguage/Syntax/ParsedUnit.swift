/// One top-level step of the parser: a statement (or a stray `>`, with no statement), where it
/// starts, and the diagnostics parsing it produced. A document is the sequence of its units.
///
/// Parsing a unit depends only on the tokens from its start on (and, for a `def`, the comment
/// lines directly above it), which is what lets ``IncrementalDiagnostics`` reuse units after an
/// edit, moved by the edit's change in length: the move is recorded in `shift` and applied to the
/// syntax only when the statement is needed. The syntax is boxed, so copying a unit is cheap.
struct ParsedUnit: Sendable {
  /// What a unit's statement is, as far as checking a document cares.
  enum Kind: Sendable {
    case def, use, other
  }

  final class Box: Sendable {
    let statement: Statement
    init(_ statement: Statement) { self.statement = statement }
  }

  /// The offset of the unit's first token.
  var start: Int
  /// The statement's kind; nil for a stray `>`.
  private(set) var kind: Kind?
  /// The statement, `shift` bytes before where it is now.
  private var box: Box?
  private(set) var shift = 0
  var diagnostics: [Diagnostic]

  init(start: Int, statement: Statement?, diagnostics: [Diagnostic]) {
    self.start = start
    self.diagnostics = diagnostics
    self.statement = statement
  }

  /// The statement where it is now.
  var statement: Statement? {
    get { box.map { $0.statement.shifted(by: shift) } }
    set {
      box = newValue.map(Box.init)
      shift = 0
      switch newValue {
      case .def?: kind = .def
      case .use?: kind = .use
      case nil: kind = nil
      default: kind = .other
      }
    }
  }

  /// The unit moved by `delta` bytes (a `def` or `use` at once, other statements when needed).
  func shifted(by delta: Int) -> ParsedUnit {
    guard delta != 0 else { return self }
    var copy = self
    copy.start += delta
    copy.shift += delta
    if kind == .def || kind == .use { copy.statement = copy.statement }
    if !diagnostics.isEmpty {
      copy.diagnostics = diagnostics.map { $0.mapped { $0.shifted(by: delta) } ?? $0 }
    }
    return copy
  }
}
