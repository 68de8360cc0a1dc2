/// A JSON value whose objects keep their key order, so output matches documented bodies byte for byte.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): true
    case (.bool(let x), .bool(let y)): x == y
    case (.number(let x), .number(let y)): x == y
    case (.string(let x), .string(let y)): x == y
    case (.array(let x), .array(let y)): x == y
    case (.object(let x), .object(let y)):
      x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(serialized())
  }

  /// Compact (one line) or indented text. When indented, the value of a member named in
  /// `compactMembers` is written compact (an array: one compact item per line), so that, for
  /// example, each request body of a plan reads exactly as it is POSTed.
  public func serialized(pretty: Bool = false, compactMembers: Set<String> = []) -> String {
    var out = ""
    write(into: &out, pretty: pretty, indent: 0, compactMembers: compactMembers)
    return out
  }

  private func write(
    into out: inout String, pretty: Bool, indent: Int, compactMembers: Set<String> = []
  ) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += String(n)
    case .string(let s): JSONValue.writeString(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
        item.write(into: &out, pretty: pretty, indent: indent + 1, compactMembers: compactMembers)
      }
      if pretty { out += "\n" + String(repeating: "  ", count: indent) }
      out += "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
        JSONValue.writeString(key, into: &out)
        out += pretty ? ": " : ":"
        if pretty, compactMembers.contains(key) {
          if case .array(let items) = value, !items.isEmpty {
            // One compact item per line.
            out += "["
            for (j, item) in items.enumerated() {
              out += (j > 0 ? "," : "") + "\n" + String(repeating: "  ", count: indent + 2)
              item.write(into: &out, pretty: false, indent: 0)
            }
            out += "\n" + String(repeating: "  ", count: indent + 1) + "]"
          } else {
            value.write(into: &out, pretty: false, indent: 0)
          }
        } else {
          value.write(
            into: &out, pretty: pretty, indent: indent + 1, compactMembers: compactMembers)
        }
      }
      if pretty { out += "\n" + String(repeating: "  ", count: indent) }
      out += "}"
    }
  }

  /// Whether a character is written `\uXXXX`: C0 and C1 controls, DEL, the line and paragraph
  /// separators, bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069) and zero-width
  /// characters (U+200B–200D, U+2060, U+FEFF), so that no JSON lr prints can reorder or hide text.
  static func escapesAsUnicode(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x20, 0x7F..<0xA0, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060, 0x2066...0x2069,
      0xFEFF:
      true
    default: false
    }
  }

  static func writeString(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if JSONValue.escapesAsUnicode(scalar) {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

extension RequestBody {
  /// The body exactly as POSTed: `{"Commands":[{"type","params":[{"key","value"}]}],"Comment"}`.
  /// Run-time values are written in their `${…}` form (the engine fills them in before sending).
  public func json(resolving results: ResultValues? = nil, comment override: String? = nil)
    -> JSONValue
  {
    func text(_ s: PlanString) -> String { results.map { s.resolve($0) } ?? s.description }
    return .object([
      (
        "Commands",
        .array(
          commands.map { command in
            .object([
              ("type", .string(command.type.rawValue)),
              (
                "params",
                .array(
                  command.params.map {
                    .object([("key", .string($0.key)), ("value", .string(text($0.value)))])
                  }
                )
              ),
            ])
          })
      ),
      ("Comment", .string(override ?? text(comment))),
    ])
  }
}

extension TargetSelector {
  /// `[{"machine": "…"}, {"tag": "…"}, …]`.
  public var json: JSONValue {
    .array(
      terms.map {
        switch $0 {
        case .machine(let s): .object([("machine", .string(s.description))])
        case .tag(let s): .object([("tag", .string(s.description))])
        case .name(let s): .object([("name", .string(s.description))])
        case .file(let s): .object([("file", .string(s.description))])
        case .filter(let s): .object([("filter", .string(s.description))])
        }
      })
  }

  /// `machine WS-1 + tag "x"` — for summaries.
  public var summary: String {
    terms.map {
      switch $0 {
      case .machine(let s): "machine \(s)"
      case .tag(let s): "tag \"\(s)\""
      case .name(let s): "name \"\(s)\""
      case .file(let s): "file \"\(s)\""
      case .filter(let s): "filter \"\(s)\""
      }
    }.joined(separator: " + ")
  }
}

extension Plan {
  /// The whole plan: statements with targets, request sequences, bindings and branches.
  public func json(sources: [String: SourceFile]) -> JSONValue {
    func location(_ file: String, _ range: ByteRange) -> String {
      guard let source = sources[file] else { return file }
      return "\(file):\(source.location(of: range.lowerBound))"
    }
    func steps(_ list: [PlanStep]) -> JSONValue {
      .array(
        list.map { step in
          switch step {
          case .statement(let s):
            var members: [(String, JSONValue)] = [
              ("statement", .number(s.number)),
              ("location", .string(location(s.file, s.range))),
              ("targets", s.target.json),
            ]
            if let binding = s.binding { members.append(("bind", .string(binding))) }
            members.append(("requests", .array(s.requests.map { $0.json() })))
            return .object(members)
          case .branch(let b):
            return .object([
              ("if", .string(b.condition.description)),
              ("location", .string(location(b.file, b.range))),
              ("then", steps(b.thenSteps)),
              ("else", steps(b.elseSteps)),
            ])
          }
        })
    }
    return .object([("source", .string(source)), ("steps", steps(self.steps))])
  }
}
