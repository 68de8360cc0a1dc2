/// One completion candidate.
public struct Completion: Sendable, Hashable {
  public enum Kind: String, Sendable {
    case keyword, command, procedure, variable, parameter, field, machine, script, file, module, tag
  }
  public var label: String
  public var kind: Kind
  /// A short description (signature, value, what a command sends).
  public var detail: String?
  /// The range the completion replaces (the partial word under the cursor).
  public var replacing: ByteRange
}

/// Names the language cannot know from the text: supplied by a connected front end.
public struct CompletionNames: Sendable {
  public var machines: [String]
  public var scripts: [String]
  public var files: [String]
  public var tags: [String]
  public init(
    machines: [String] = [], scripts: [String] = [], files: [String] = [], tags: [String] = []
  ) {
    self.machines = machines
    self.scripts = scripts
    self.files = files
    self.tags = tags
  }
}

extension Analysis {
  static let statementKeywords = ["on", "let", "def", "use", "if", "comment"]

  /// Completions at a byte offset, filtered by the partial word before it.
  public func completions(at offset: Int, names: CompletionNames = CompletionNames())
    -> [Completion]
  {
    let offset = max(0, min(offset, source.bytes.count))
    let start = partialWordStart(before: offset)
    let prefix = source.text(start..<offset)
    let replacing = start..<offset
    // Inside a string, only `${…}` interpolations complete.
    if let t = token(at: offset), t.kind == .string || t.kind == .rawString || t.kind == .comment,
      t.range.lowerBound < offset, offset < t.range.upperBound || !t.isTerminated
    {
      return interpolationCompletions(in: t, at: offset)
    }
    let isVariable = prefix.hasPrefix("$")
    let before = previousTokens(before: start)

    if isVariable || (prefix.contains(".") && !isVariable && inExpression(before)) {
      let body = isVariable ? String(prefix.drop { $0 == "$" || $0 == "{" }) : prefix
      let bodyStart = offset - body.utf8.count
      if body.contains(".") { return fieldCompletions(body, at: offset) }
      return filter(
        variableCompletions(prefix: body, at: offset), prefix: body, replacing: bodyStart..<offset,
        dollar: false)
    }

    if let options = rolloutOptionCompletions(after: before, replacing: replacing) {
      return options.filter { $0.label.hasPrefix(prefix) }
    }
    var candidates = wordCandidates(
      after: before, context: commandContext(at: start) != nil, names: names, at: offset,
      replacing: replacing)
    for i in candidates.indices { candidates[i].replacing = replacing }
    return candidates.filter { $0.label.lowercased().hasPrefix(prefix.lowercased()) }
  }

  /// The start of the partial word (or `$variable`, `${variable`) ending at `offset`.
  func partialWordStart(before offset: Int) -> Int {
    var start = offset
    while start > 0 {
      let b = source.bytes[start - 1]
      if Lexer.isWordByte(b) || b == UInt8(ascii: "$")
        || b == UInt8(ascii: "{") && start >= 2 && source.bytes[start - 2] == UInt8(ascii: "$")
      {
        start -= 1
      } else {
        break
      }
    }
    return start
  }

  /// Completions inside a string, comment or raw string token: variables and fields inside a
  /// `${…}` interpolation of a string, nothing elsewhere.
  private func interpolationCompletions(in t: Token, at offset: Int) -> [Completion] {
    guard t.kind == .string else { return [] }
    var i = offset - 1
    while i > t.range.lowerBound, source.bytes[i] != UInt8(ascii: "{"),
      source.bytes[i] != UInt8(ascii: "}")
    { i -= 1 }
    guard i > t.range.lowerBound, source.bytes[i] == UInt8(ascii: "{"),
      source.bytes[i - 1] == UInt8(ascii: "$")
    else {
      return []
    }
    let inner = source.text((i + 1)..<offset)
    if inner.contains(".") { return fieldCompletions(inner, at: offset) }
    return filter(
      variableCompletions(prefix: inner, at: offset), prefix: inner, replacing: (i + 1)..<offset,
      dollar: false)
  }

  /// The candidates for a word after the tokens `before`, unfiltered; `context` is true inside
  /// an `on … < … >` block.
  private func wordCandidates(
    after before: [Token], context: Bool, names: CompletionNames, at offset: Int,
    replacing: ByteRange
  ) -> [Completion] {
    let previous = before.last
    let previousText = previous.map { source.text($0.range) } ?? ""
    switch previousText {
    case "run" where previous?.kind == .word && context:
      return names.scripts.map {
        Completion(label: $0, kind: .script, detail: "library script", replacing: replacing)
      }
    case "put" where previous?.kind == .word && context:
      return names.files.map {
        Completion(label: $0, kind: .file, detail: "library file", replacing: replacing)
      }
    case "machine":
      return names.machines.map {
        Completion(label: $0, kind: .machine, detail: nil, replacing: replacing)
      }
        + variableCompletions(prefix: "", at: offset).map {
          var c = $0; c.label = "$" + c.label; c.replacing = replacing; return c
        }
    case "tag":
      return names.tags.map {
        Completion(label: "\"\($0)\"", kind: .tag, detail: nil, replacing: replacing)
      }
    case "use":
      return modules.availableModules(from: source.name).map {
        Completion(label: "\"\($0)\"", kind: .module, detail: "module", replacing: replacing)
      }
    case "where" where previous?.kind == .word:
      // A condition on each machine's own result: its fields, then the names in scope.
      return ResultField.machineFields.map {
        Completion(label: $0.rawValue, kind: .field, detail: $0.summary, replacing: replacing)
      } + variableCompletions(prefix: "", at: offset)
    case "on", "+":
      return Parser.targetWords.sorted().map {
        Completion(label: $0, kind: .keyword, detail: "target", replacing: replacing)
      }
    case "[", ",":
      guard before.contains(where: { $0.kind == .openBracket }) else { return [] }
      return names.machines.map {
        Completion(label: $0, kind: .machine, detail: nil, replacing: replacing)
      }
    default:
      return otherCandidates(
        after: previous, context: context, names: names, at: offset, replacing: replacing)
    }
  }

  /// The candidates after any other token: variables in expressions, commands and statement
  /// keywords at a command's start, file names as arguments.
  private func otherCandidates(
    after previous: Token?, context: Bool, names: CompletionNames, at offset: Int,
    replacing: ByteRange
  ) -> [Completion] {
    let previousText = previous.map { source.text($0.range) } ?? ""
    let comparisons: [TokenKind] = [.equalEqual, .notEqual, .lessEqual, .greaterEqual, .openParen]
    if let previous, previous.kind == .word,
      ["if", "and", "or", "not"].contains(previousText)
        || comparisons.contains(previous.kind) || (previous.kind == .equals)
    {
      var candidates = variableCompletions(prefix: "", at: offset)
      if previous.kind == .equals {
        candidates += [
          "on", "machine", "machines", "tag", "name", "file", "filter", "true", "false",
        ].map {
          Completion(label: $0, kind: .keyword, detail: nil, replacing: replacing)
        }
      }
      return candidates
    } else if let previous, comparisons.contains(previous.kind) {
      return variableCompletions(prefix: "", at: offset)
    } else if context, atCommandStart(previous) {
      return commandCompletions(replacing: replacing)
    } else if !context, atCommandStart(previous) {
      return Analysis.statementKeywords.map {
        Completion(label: $0, kind: .keyword, detail: nil, replacing: replacing)
      } + commandCompletions(replacing: replacing)
    } else if context, let previous, previous.kind != .openBlock {
      // An argument: variables, and script or file names.
      return names.files.map {
        Completion(label: $0, kind: .file, detail: nil, replacing: replacing)
      }
    }
    return []
  }

  /// Fields of a result after `name.` (`r.ex` → `exit_code`).
  func fieldCompletions(_ body: String, at offset: Int) -> [Completion] {
    guard let dot = body.lastIndex(of: ".") else { return [] }
    let base = String(body[..<dot])
    let fieldPrefix = String(body[body.index(after: dot)...])
    guard
      output.environment.resultNames.contains(base)
        || output.symbols.contains(where: { $0.name == base && $0.kind == .result })
    else { return [] }
    let fieldRange = (offset - fieldPrefix.utf8.count)..<offset
    return ResultField.allCases.map {
      Completion(label: $0.rawValue, kind: .field, detail: $0.summary, replacing: fieldRange)
    }.filter { $0.label.hasPrefix(fieldPrefix) }
  }

  private func filter(_ list: [Completion], prefix: String, replacing: ByteRange, dollar: Bool)
    -> [Completion]
  {
    list.filter { $0.label.hasPrefix(prefix) }.map {
      var c = $0
      c.replacing = replacing
      return c
    }
  }

  func atCommandStart(_ previous: Token?) -> Bool {
    guard let previous else { return true }
    return [.openBlock, .semicolon, .newline, .closeBlock].contains(previous.kind)
  }

  func inExpression(_ before: [Token]) -> Bool {
    guard let last = before.last else { return false }
    let text = source.text(last.range)
    return ["if", "and", "or", "not", "=", "==", "!=", "<=", ">=", "("].contains(text)
      || last.kind == .equals
  }

  /// Significant tokens before an offset.
  func previousTokens(before offset: Int) -> [Token] {
    tokens.filter { $0.range.upperBound <= offset && $0.kind != .comment && $0.kind != .endOfFile }
  }

  func commandCompletions(replacing: ByteRange) -> [Completion] {
    var list = [
      Completion(
        label: "run", kind: .command, detail: "RunScript: run a library script",
        replacing: replacing),
      Completion(
        label: "get", kind: .command, detail: "GetFile: collect a file from the device",
        replacing: replacing),
      Completion(
        label: "put", kind: .command, detail: "PutFile: put a library file on the device",
        replacing: replacing),
    ]
    for name in output.environment.procedureNames {
      let symbol = output.symbols.first { $0.kind == .procedure && $0.name == name }
      list.append(
        Completion(
          label: name, kind: .procedure, detail: symbol?.detail ?? "procedure", replacing: replacing
        ))
    }
    return list
  }

  func variableCompletions(prefix: String, at offset: Int) -> [Completion] {
    var list: [Completion] = []
    var seen = Set<String>()
    // Parameters of the procedure around the offset.
    for statement in output.program.statements {
      if case .def(let def) = statement,
        def.body.range.contains(offset)
          || (def.body.close == nil && offset >= def.body.open.upperBound)
      {
        for parameter in def.parameters where seen.insert(parameter.text).inserted {
          list.append(
            Completion(
              label: parameter.text, kind: .parameter, detail: "parameter of \(def.name.text)",
              replacing: offset..<offset))
        }
      }
    }
    for symbol in output.symbols where [.variable, .result, .target].contains(symbol.kind) {
      if symbol.file == source.name, symbol.range.lowerBound >= offset { continue }
      guard seen.insert(symbol.name).inserted else { continue }
      list.append(
        Completion(
          label: symbol.name, kind: .variable, detail: symbol.detail, replacing: offset..<offset))
    }
    for name in output.environment.variableNames where seen.insert(name).inserted {
      list.append(Completion(label: name, kind: .variable, detail: nil, replacing: offset..<offset))
    }
    return list
  }

  /// The command block around an offset, if any.
  func commandContext(at offset: Int) -> CommandBlock? {
    func inside(_ block: CommandBlock) -> Bool {
      guard offset >= block.open.upperBound else { return false }
      if let close = block.close { return offset <= close.lowerBound }
      return true
    }
    func search(_ statements: [Statement]) -> CommandBlock? {
      for statement in statements {
        switch statement {
        case .on(let on) where inside(on.block): return on.block
        case .let(let l):
          if case .action(let on) = l.value, inside(on.block) { return on.block }
        case .def(let def) where inside(def.body): return def.body
        case .if(let i):
          if let found = search(i.thenBlock.statements) { return found }
          var branch = i.elseBranch
          while let b = branch {
            switch b {
            case .block(let block):
              if let found = search(block.statements) { return found }
              branch = nil
            case .elseIf(let nested):
              if let found = search(nested.thenBlock.statements) { return found }
              branch = nested.elseBranch
            }
          }
        default: continue
        }
      }
      return nil
    }
    return search(output.program.statements)
  }
}
