/// A classified range for syntax highlighting.
public struct SemanticToken: Sendable, Hashable {
  public enum Kind: String, Sendable, CaseIterable {
    case keyword, function, variable, parameter, property, string, number, comment, `operator`
  }
  public var range: ByteRange
  public var kind: Kind
  /// Whether the token is where the name is defined.
  public var isDeclaration: Bool
}

extension Analysis {
  /// Every token worth colouring, in document order.
  public func semanticTokens() -> [SemanticToken] {
    var byRange: [Int: Symbol] = [:]
    for reference in output.references where reference.file == source.name {
      byRange[reference.range.lowerBound] = reference.symbol
    }
    var declarations: [Int: Symbol] = [:]
    for symbol in output.symbols where symbol.file == source.name {
      declarations[symbol.range.lowerBound] = symbol
    }
    let resultNames = Set(output.symbols.lazy.filter { $0.kind == .result }.map(\.name))
    let rollout = rolloutTokenKinds()
    var out: [SemanticToken] = []
    var previousWord = ""
    for token in tokens {
      let text = source.text(token.range)
      var kind: SemanticToken.Kind?
      var isDeclaration = false
      switch token.kind {
      case .comment: kind = .comment
      case .string, .rawString: kind = .string
      case .variable:
        let nameStart = token.range.lowerBound + (text.hasPrefix("${") ? 2 : 1)
        kind = byRange[nameStart]?.kind == .parameter ? .parameter : .variable
      case .equalEqual, .notEqual, .lessEqual, .greaterEqual, .plus, .equals:
        kind = .operator
      case .word:
        if let rolloutKind = rollout[token.range.lowerBound] {
          kind = rolloutKind
        } else if let symbol = declarations[token.range.lowerBound] {
          kind =
            symbol.kind == .procedure
            ? .function : (symbol.kind == .parameter ? .parameter : .variable)
          isDeclaration = true
        } else if let symbol = byRange[token.range.lowerBound] {
          switch symbol.kind {
          case .procedure: kind = .function
          case .parameter: kind = .parameter
          case .module: kind = .string
          default: kind = .variable
          }
        } else if Parser.reservedWords.contains(text) {
          kind = ["and", "or", "not", "contains", "matches"].contains(text) ? .operator : .keyword
        } else if Parser.targetWords.contains(text),
          ["on", "+", "=", "let"].contains(previousWord) || previousWord.isEmpty
        {
          kind = .keyword
        } else if Parser.contextualWords.contains(text), previousWord.hasPrefix("$") {
          kind = .keyword
        } else if Int(text) != nil {
          kind = .number
        } else if text.contains("."), byRange[token.range.lowerBound] == nil,
          let first = text.split(separator: ".").first,
          resultNames.contains(String(first))
        {
          kind = .property
        }
        previousWord = text
      default:
        previousWord = source.text(token.range)
      }
      if token.kind != .word { previousWord = token.kind == .newline ? "" : text }
      if let kind {
        out.append(SemanticToken(range: token.range, kind: kind, isDeclaration: isDeclaration))
      }
    }
    return out
  }
}
