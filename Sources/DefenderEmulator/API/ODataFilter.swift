import Foundation
import LiveResponse

/// A value in an OData expression.
indirect enum ODataValue: Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case date(Date)
  case array([ODataValue])

  init(_ json: JSONValue?) {
    switch json {
    case .none, .some(.null): self = .null
    case .some(.bool(let b)): self = .bool(b)
    case .some(.number(let i)): self = .number(Double(i))
    case .some(.double(let d)): self = .number(d)
    case .some(.string(let s)): self = .string(s)
    case .some(.rawBytes(let b)): self = .string(String(decoding: b, as: UTF8.self))
    case .some(.array(let a)): self = .array(a.map { ODataValue($0) })
    case .some(.object): self = .null
    }
  }

  var truthy: Bool { if case .bool(true) = self { return true } else { return false } }
}

/// A parsed OData `$filter` expression (the subset the service documents and clients use).
indirect enum ODataFilter: Sendable {
  case literal(ODataValue)
  case property(String)
  case variable(String)
  case compare(String, ODataFilter, ODataFilter)
  case and(ODataFilter, ODataFilter)
  case or(ODataFilter, ODataFilter)
  case not(ODataFilter)
  case `in`(ODataFilter, [ODataFilter])
  case function(String, [ODataFilter])
  case any(String, variable: String?, ODataFilter?)

  /// Parses `$filter` text; properties must be in `allowed` (case-insensitive).
  static func parse(_ text: String, allowed: [String]) throws(ODataParseError) -> ODataFilter {
    var parser = ODataParser(tokens: try ODataLexer.tokens(text), allowed: allowed)
    let expr = try parser.parseOr()
    guard parser.atEnd else { throw ODataParseError("unexpected '\(parser.peekText)'") }
    return expr
  }

  /// Evaluates against an entity.
  func evaluate(_ entity: JSONValue, variables: [String: ODataValue] = [:]) -> ODataValue {
    switch self {
    case .literal(let v): return v
    case .property(let name): return ODataValue(entity.member(ignoringCase: name))
    case .variable(let name): return variables[name] ?? .null
    case .and(let a, let b):
      return .bool(
        a.evaluate(entity, variables: variables).truthy
          && b.evaluate(entity, variables: variables).truthy)
    case .or(let a, let b):
      return .bool(
        a.evaluate(entity, variables: variables).truthy
          || b.evaluate(entity, variables: variables).truthy)
    case .not(let a): return .bool(!a.evaluate(entity, variables: variables).truthy)
    case .compare(let op, let a, let b):
      return .bool(
        Self.compare(
          op, a.evaluate(entity, variables: variables), b.evaluate(entity, variables: variables)))
    case .in(let a, let list):
      let v = a.evaluate(entity, variables: variables)
      return .bool(
        list.contains { Self.compare("eq", v, $0.evaluate(entity, variables: variables)) })
    case .function(let name, let args):
      let values = args.map { $0.evaluate(entity, variables: variables) }
      return Self.call(name, values)
    case .any(let collection, let variable, let body):
      guard case .array(let items) = ODataValue(entity.member(ignoringCase: collection)) else {
        return .bool(false)
      }
      guard let variable, let body else { return .bool(!items.isEmpty) }
      return .bool(
        items.contains { item in
          var vars = variables
          vars[variable] = item
          return body.evaluate(entity, variables: vars).truthy
        })
    }
  }

  private static func text(_ v: ODataValue) -> String? {
    switch v {
    case .string(let s): return s
    case .number(let n): return n == n.rounded() ? String(Int64(n)) : String(n)
    case .bool(let b): return b ? "true" : "false"
    default: return nil
    }
  }

  private static func call(_ name: String, _ values: [ODataValue]) -> ODataValue {
    switch name {
    case "tolower":
      return values.first.flatMap(text).map { .string($0.lowercased()) } ?? .null
    case "toupper":
      return values.first.flatMap(text).map { .string($0.uppercased()) } ?? .null
    case "startswith", "endswith", "contains":
      guard values.count == 2, let needle = text(values[1])?.lowercased() else {
        return .bool(false)
      }
      let candidates: [String]
      if case .array(let items) = values[0] {
        candidates = items.compactMap(text)
      } else if let t = text(values[0]) {
        candidates = [t]
      } else {
        return .bool(false)
      }
      return .bool(
        candidates.contains { c in
          let hay = c.lowercased()
          switch name {
          case "startswith": return hay.hasPrefix(needle)
          case "endswith": return hay.hasSuffix(needle)
          default: return hay.contains(needle)
          }
        })
    default: return .null
    }
  }

  /// OData comparison; strings compare case-insensitively, dates parse from strings.
  static func compare(_ op: String, _ a: ODataValue, _ b: ODataValue) -> Bool {
    let order: ComparisonResult?
    switch (a, b) {
    case (.null, .null): order = .orderedSame
    case (.null, _), (_, .null): order = nil
    case (.array(let items), _):
      if op == "eq" { return items.contains { compare("eq", $0, b) } }
      if op == "ne" { return !items.contains { compare("eq", $0, b) } }
      return false
    case (.date(let x), .date(let y)): order = x.compare(y)
    case (.date(let x), .string(let s)): order = EntityDate.parse(s).map { x.compare($0) }
    case (.string(let s), .date(let y)): order = EntityDate.parse(s).map { $0.compare(y) }
    case (.number(let x), .number(let y)):
      order = x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
    case (.number(let x), .string(let s)):
      order = Double(s).map {
        x < $0 ? .orderedAscending : (x > $0 ? .orderedDescending : .orderedSame)
      }
    case (.string(let s), .number(let y)):
      order = Double(s).map {
        $0 < y ? .orderedAscending : ($0 > y ? .orderedDescending : .orderedSame)
      }
    case (.bool(let x), .bool(let y)):
      order = x == y ? .orderedSame : (x ? .orderedDescending : .orderedAscending)
    case (.string(let x), .string(let y)):
      order = x.compare(y, options: [.caseInsensitive])
    default:
      if let x = text(a), let y = text(b) {
        order = x.compare(y, options: [.caseInsensitive])
      } else {
        order = nil
      }
    }
    switch op {
    case "eq": return order == .orderedSame
    case "ne":
      if case .null = a, case .null = b { return false }
      return order != .orderedSame
    case "gt": return order == .orderedDescending
    case "ge": return order == .orderedDescending || order == .orderedSame
    case "lt": return order == .orderedAscending
    case "le": return order == .orderedAscending || order == .orderedSame
    default: return false
    }
  }
}

/// A `$filter`/`$orderby` syntax error (rendered as 400 `ODataError`).
struct ODataParseError: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

enum ODataToken: Equatable {
  case identifier(String)
  case string(String)
  case number(Double)
  case date(Date)
  case open, close, comma, colon, slash
}

enum ODataLexer {
  static func tokens(_ text: String) throws(ODataParseError) -> [ODataToken] {
    var out: [ODataToken] = []
    let chars = Array(text)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c.isWhitespace {
        i += 1
      } else if c == "(" {
        out.append(.open)
        i += 1
      } else if c == ")" {
        out.append(.close)
        i += 1
      } else if c == "," {
        out.append(.comma)
        i += 1
      } else if c == ":" {
        out.append(.colon)
        i += 1
      } else if c == "/" {
        out.append(.slash)
        i += 1
      } else if c == "'" {
        var s = ""
        i += 1
        var closed = false
        while i < chars.count {
          if chars[i] == "'" {
            if i + 1 < chars.count, chars[i + 1] == "'" {
              s.append("'")
              i += 2
              continue
            }
            closed = true
            i += 1
            break
          }
          s.append(chars[i])
          i += 1
        }
        guard closed else { throw ODataParseError("unterminated string literal") }
        out.append(.string(s))
      } else if c.isNumber || c == "-" {
        var s = ""
        while i < chars.count,
          chars[i].isLetter || chars[i].isNumber || chars[i] == ":" || chars[i] == "."
            || chars[i] == "-" || chars[i] == "+"
        {
          s.append(chars[i])
          i += 1
        }
        if s.count >= 10, s.dropFirst(4).first == "-", let d = EntityDate.parse(s) {
          out.append(.date(d))
        } else if let n = Double(s) {
          out.append(.number(n))
        } else {
          throw ODataParseError("invalid literal '\(s)'")
        }
      } else if c.isLetter || c == "_" || c == "$" {
        var s = ""
        while i < chars.count,
          chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "$"
            || chars[i] == "."
        {
          s.append(chars[i])
          i += 1
        }
        out.append(.identifier(s))
      } else {
        throw ODataParseError("unexpected character '\(c)'")
      }
    }
    return out
  }
}

struct ODataParser {
  var tokens: [ODataToken]
  var allowed: [String]
  var position = 0
  var variables: Set<String> = []
  /// Nesting depth, bounded so hostile input cannot exhaust the stack.
  var depth = 0
  static let maxDepth = 64

  init(tokens: [ODataToken], allowed: [String]) {
    self.tokens = tokens
    self.allowed = allowed
  }

  var atEnd: Bool { position >= tokens.count }
  var peekText: String {
    guard position < tokens.count else { return "end" }
    return "\(tokens[position])"
  }

  private func peekKeyword() -> String? {
    guard position < tokens.count, case .identifier(let s) = tokens[position] else { return nil }
    return s.lowercased()
  }

  private mutating func expect(_ token: ODataToken) throws(ODataParseError) {
    guard position < tokens.count, tokens[position] == token else {
      throw ODataParseError("expected \(token) at \(peekText)")
    }
    position += 1
  }

  mutating func parseOr() throws(ODataParseError) -> ODataFilter {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else { throw ODataParseError("expression nested too deeply") }
    var left = try parseAnd()
    while peekKeyword() == "or" {
      position += 1
      left = .or(left, try parseAnd())
    }
    return left
  }

  mutating func parseAnd() throws(ODataParseError) -> ODataFilter {
    var left = try parseNot()
    while peekKeyword() == "and" {
      position += 1
      left = .and(left, try parseNot())
    }
    return left
  }

  mutating func parseNot() throws(ODataParseError) -> ODataFilter {
    if peekKeyword() == "not" {
      position += 1
      depth += 1
      defer { depth -= 1 }
      guard depth <= Self.maxDepth else { throw ODataParseError("expression nested too deeply") }
      return .not(try parseNot())
    }
    return try parseComparison()
  }

  mutating func parseComparison() throws(ODataParseError) -> ODataFilter {
    let left = try parsePrimary()
    if let op = peekKeyword(), ["eq", "ne", "gt", "ge", "lt", "le"].contains(op) {
      position += 1
      return .compare(op, left, try parsePrimary())
    }
    if peekKeyword() == "in" {
      position += 1
      try expect(.open)
      var items: [ODataFilter] = []
      if position < tokens.count, tokens[position] != .close {
        items.append(try parsePrimary())
        while position < tokens.count, tokens[position] == .comma {
          position += 1
          items.append(try parsePrimary())
        }
      }
      try expect(.close)
      return .in(left, items)
    }
    return left
  }

  mutating func parsePrimary() throws(ODataParseError) -> ODataFilter {
    guard position < tokens.count else { throw ODataParseError("unexpected end of expression") }
    let token = tokens[position]
    position += 1
    switch token {
    case .open:
      let e = try parseOr()
      try expect(.close)
      return e
    case .string(let s): return .literal(.string(s))
    case .number(let n): return .literal(.number(n))
    case .date(let d): return .literal(.date(d))
    case .identifier(let name):
      let lower = name.lowercased()
      switch lower {
      case "true": return .literal(.bool(true))
      case "false": return .literal(.bool(false))
      case "null": return .literal(.null)
      default: break
      }
      if position < tokens.count, tokens[position] == .open {
        guard ["startswith", "endswith", "contains", "tolower", "toupper"].contains(lower) else {
          throw ODataParseError("unknown function '\(name)'")
        }
        position += 1
        var args: [ODataFilter] = []
        if position < tokens.count, tokens[position] != .close {
          args.append(try parseOr())
          while position < tokens.count, tokens[position] == .comma {
            position += 1
            args.append(try parseOr())
          }
        }
        try expect(.close)
        return .function(lower, args)
      }
      if variables.contains(name) { return .variable(name) }
      guard let canonical = allowed.first(where: { $0.lowercased() == lower }) else {
        throw ODataParseError("Could not find a property named '\(name)'")
      }
      if position < tokens.count, tokens[position] == .slash {
        position += 1
        guard peekKeyword() == "any" else { throw ODataParseError("only /any() is supported") }
        position += 1
        try expect(.open)
        if position < tokens.count, tokens[position] == .close {
          position += 1
          return .any(canonical, variable: nil, nil)
        }
        guard position < tokens.count, case .identifier(let variable) = tokens[position] else {
          throw ODataParseError("expected a lambda variable")
        }
        position += 1
        try expect(.colon)
        variables.insert(variable)
        let body = try parseOr()
        variables.remove(variable)
        try expect(.close)
        return .any(canonical, variable: variable, body)
      }
      return .property(canonical)
    default:
      throw ODataParseError("unexpected \(token)")
    }
  }
}
