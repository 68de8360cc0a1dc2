/// The analysis front ends ask for: diagnostics, completions, hover, semantic tokens, symbols,
/// definitions and formatting, all from one compilation of one document.
public struct Analysis: Sendable {
  public let source: SourceFile
  public let output: Compiler.Output
  let tokens: [Token]

  /// Analyses a document (compiling it, with its modules).
  public init(
    source: SourceFile, modules: any ModuleProvider, options: Compiler.Options = .init()
  ) {
    self.source = source
    self.output = Compiler.compile(source, options: options, modules: modules)
    self.tokens = Lexer(source: source).tokenize()
    self.modules = modules
  }

  let modules: any ModuleProvider

  public var diagnostics: [Diagnostic] { output.diagnostics }

  /// The canonical formatting, or nil when the document has syntax errors.
  public func formatted() -> String? { Formatter.format(source) }

  /// Whether an interactive front end should keep reading lines: an unclosed `<`, string,
  /// `(` or `[` at the end of the text, or a line ending in `+ = , and or not else`.
  public static func needsMoreInput(_ text: String) -> Bool {
    let tokens = Lexer(source: SourceFile(name: "<input>", text: text)).tokenize()
    var depth = 0
    var brackets = 0
    for token in tokens {
      switch token.kind {
      case .string, .rawString:
        if !token.isTerminated { return true }
      case .openBlock: depth += 1
      case .closeBlock: depth = max(0, depth - 1)
      case .openParen, .openBracket: brackets += 1
      case .closeParen, .closeBracket: brackets = max(0, brackets - 1)
      default: break
      }
    }
    if depth > 0 || brackets > 0 { return true }
    // A trailing `+`, `=`, `,` (of rollout options), `and`, `or`, `not` or `else` continues on
    // the next line.
    let last = tokens.last { $0.kind != .newline && $0.kind != .comment && $0.kind != .endOfFile }
    guard let last else { return false }
    if [.plus, .equals, .comma].contains(last.kind) { return true }
    let text = String(decoding: Array(text.utf8)[last.range], as: UTF8.self)
    return last.kind == .word && ["and", "or", "not", "else"].contains(text)
  }

  // MARK: - Symbols and definitions

  /// The symbol referenced or defined at an offset.
  public func symbol(at offset: Int) -> Symbol? {
    if let reference = output.references.first(where: {
      $0.file == source.name && $0.range.contains(offset)
        || $0.range.upperBound == offset && $0.file == source.name
    }) {
      return reference.symbol
    }
    return output.symbols.first {
      $0.file == source.name && ($0.range.contains(offset) || $0.range.upperBound == offset)
    }
  }

  /// Where the name at an offset is defined: a file name and range.
  public func definition(at offset: Int) -> (file: String, range: ByteRange)? {
    guard let symbol = symbol(at: offset) else { return nil }
    return (symbol.file, symbol.range)
  }

  /// Definitions in this document, for an outline.
  public func documentSymbols() -> [Symbol] {
    output.symbols.filter { $0.file == source.name && $0.kind != .parameter }
  }

  /// The token containing (or ending at) an offset.
  func token(at offset: Int) -> Token? {
    tokens.last {
      $0.kind != .endOfFile && $0.range.lowerBound <= offset && offset <= $0.range.upperBound
        && !($0.kind == .newline && $0.range.lowerBound == offset)
    }
  }
}
