import Foundation
import LRLanguage

/// A bound result typed at the prompt to see its value: `r`, `$r`, `r.output`, `r.failed.rows`,
/// `r where output contains "x"`.
public struct ResultExpression: Sendable, Equatable {
  /// One step after the name.
  public enum Selector: Sendable, Equatable {
    /// `.failed`, `.succeeded`, `.output`, `.rows`, … (checked when evaluated).
    case field(String)
    /// `where CONDITION`: the condition's text, as typed.
    case condition(String)
  }

  /// The bound name, without `$`.
  public var name: String
  /// Whether it was written `$r`.
  public var dollar: Bool
  public var selectors: [Selector]

  /// Fields that narrow a result to some of its machines (`r.failed.rows`).
  public static let subsetFields: [ResultField] = [.failed, .succeeded]
  /// Every field, as completion offers them (the language's, see ``ResultField``).
  public static let fields = ResultField.allCases.map(\.rawValue)

  public init(name: String, dollar: Bool = false, selectors: [Selector] = []) {
    self.name = name
    self.dollar = dollar
    self.selectors = selectors
  }

  /// Reads an input that has the shape of a result expression, or nil (then it is a statement).
  public static func parse(_ input: String) -> ResultExpression? {
    var rest = Substring(input.trimmingCharacters(in: .whitespacesAndNewlines))
    let dollar = rest.first == "$"
    if dollar { rest = rest.dropFirst() }
    guard let name = identifier(&rest) else { return nil }
    var selectors: [Selector] = []
    while !rest.isEmpty {
      if rest.first == "." {
        rest = rest.dropFirst()
        guard let field = identifier(&rest) else { return nil }
        selectors.append(.field(field))
      } else if rest.first?.isWhitespace == true {
        let trimmed = rest.drop(while: \.isWhitespace)
        guard trimmed.hasPrefix("where"), trimmed.dropFirst(5).first?.isWhitespace == true else {
          return nil
        }
        let condition = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces)
        guard !condition.isEmpty else { return nil }
        selectors.append(.condition(condition))
        rest = ""
      } else {
        return nil
      }
    }
    return ResultExpression(name: name, dollar: dollar, selectors: selectors)
  }

  /// The expression as written (for messages and export headers).
  public var text: String {
    var out = (dollar ? "$" : "") + name
    for selector in selectors {
      switch selector {
      case .field(let field): out += "." + field
      case .condition(let condition): out += " where " + condition
      }
    }
    return out
  }

  private static func identifier(_ rest: inout Substring) -> String? {
    guard let first = rest.first, first.isLetter || first == "_" else { return nil }
    let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    rest = rest.dropFirst(word.count)
    return String(word)
  }
}
