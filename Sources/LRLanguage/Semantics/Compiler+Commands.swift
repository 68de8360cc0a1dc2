import LiveResponse

extension CompilerState {
  /// An `on` statement: target, comment, expanded commands, split into requests.
  /// `range` is where the plan says the statement is (for `let r = on …`, the `let` statement).
  func compileOn(_ on: OnStatement, file: String, binding: String?, range: ByteRange? = nil)
    -> PlanStep?
  {
    let target = compileTarget(on.target, file: file, env: Scope())
    let explicit = on.comment.map { resolveString($0, file: file, env: Scope()) }
    let rollout = compileRollout(
      on.rollout, target: target, targetRange: on.target.range, file: file)
    if on.block.commands.isEmpty, on.block.close != nil {
      report(.emptyBlock, file: file, on.block.range)
    }
    return compileCommands(
      on.block.commands, target: target, comment: explicit, file: file, range: range ?? on.range,
      binding: binding, rollout: rollout)
  }

  func compileCommands(
    _ commands: [Command], target: TargetSelector, comment explicit: PlanString?, file: String,
    range: ByteRange, binding: String?, rollout: RolloutPolicy? = nil
  ) -> PlanStep? {
    let planned = expandBlock(commands, file: file, env: Scope(), mode: .statement)
    fileCommandCount += planned.count
    guard !planned.isEmpty else { return nil }
    let comment = explicit ?? self.comment ?? PlanString(literal: defaultComment)
    statementNumber += 1
    return .statement(
      PlannedStatement(
        number: statementNumber, file: file, range: range, target: target,
        requests: CompilerState.split(planned).map { RequestBody(commands: $0, comment: comment) },
        binding: binding, rollout: rollout))
  }

  var defaultComment: String {
    if let c = options.defaultComment { return c }
    let base = main.name.split(separator: "/").last.map(String.init) ?? main.name
    return "lr \(base)"
  }

  /// Splits commands into the fewest consecutive groups whose types never go backwards in the
  /// PutFile → RunScript → GetFile order (greedy is optimal: every break it makes is forced).
  static func split(_ commands: [PlannedCommand]) -> [[PlannedCommand]] {
    var groups: [[PlannedCommand]] = []
    for command in commands {
      if let last = groups.last?.last, last.type <= command.type {
        groups[groups.count - 1].append(command)
      } else {
        groups.append([command])
      }
    }
    return groups
  }

  // MARK: - Commands

  /// A `run`, `get` or `put` written in a block or body, checked; nil when it does not compile
  /// (reported) or is a call (``expandBlock``).
  func expandLeaf(_ command: Command, file: String, env: Scope) -> PlannedCommand? {
    let args = command.arguments
    switch command.kind {
    case .run:
      guard let scriptArg = args.first else {
        report(
          .wrongArity("run", expected: "a script name and optional arguments", got: 0), file: file,
          command.range)
        return nil
      }
      let script = resolveArgument(scriptArg, file: file, env: env)
      checkLibraryName(script, argument: scriptArg, file: file, env: env, isScript: true)
      var params: [(key: String, value: PlanString)] = [("ScriptName", script)]
      let rest = args.dropFirst().map { ($0, resolveArgument($0, file: file, env: env)) }
      for (argument, value) in rest {
        if let text = value.literal, let bad = text.first(where: { ";&|!$".contains($0) }) {
          reportArgument(.forbiddenScriptCharacter(bad), argument, file: file, env: env)
        }
      }
      if !rest.isEmpty {
        params.append(("Args", CompilerState.joinArguments(rest.map(\.1))))
      }
      return PlannedCommand(type: .runScript, params: params, file: file, range: command.range)
    case .get:
      guard args.count == 1 else {
        report(.wrongArity("get", expected: "one path", got: args.count), file: file, command.range)
        return nil
      }
      let path = resolveArgument(args[0], file: file, env: env)
      return PlannedCommand(
        type: .getFile, params: [("Path", path)], file: file, range: command.range)
    case .put:
      guard args.count == 1 else {
        report(
          .wrongArity("put", expected: "one library file name", got: args.count), file: file,
          command.range)
        return nil
      }
      let name = resolveArgument(args[0], file: file, env: env)
      checkLibraryName(name, argument: args[0], file: file, env: env, isScript: false)
      return PlannedCommand(
        type: .putFile, params: [("FileName", name)], file: file, range: command.range)
    case .call:
      return nil
    }
  }

  /// Several script arguments become one Args string; arguments with spaces are double-quoted.
  static func joinArguments(_ values: [PlanString]) -> PlanString {
    if values.count == 1 { return values[0] }
    var parts: [PlanString.Part] = []
    for (i, value) in values.enumerated() {
      if i > 0 { parts.append(.literal(" ")) }
      let needsQuotes =
        value.literal.map { $0.isEmpty || $0.contains(" ") || $0.contains("\t") } ?? false
      if needsQuotes { parts.append(.literal("\"")) }
      parts += value.parts
      if needsQuotes { parts.append(.literal("\"")) }
    }
    return PlanString(parts)
  }

  func reportUnknownCommand(_ command: Command, file: String) {
    // A statement word in a block is a syntax error the parser has reported (statementInBlock).
    if Parser.statementWords.contains(command.name.text) { return }
    let candidates = ["run", "get", "put"] + procedures.keys.sorted()
    var fixIts: [FixIt] = []
    if let guess = Suggestions.closest(to: command.name.text, in: candidates) {
      fixIts.append(.replace(command.name.range, with: guess, "did you mean `\(guess)`?"))
    }
    report(.unknownCommand(command.name.text), file: file, command.name.range, fixIts: fixIts)
  }

  func checkLibraryName(
    _ value: PlanString, argument: CommandArgument, file: String, env: Scope, isScript: Bool
  ) {
    if case .string(let s) = argument, !s.isTerminated { return }
    guard let text = value.literal else {
      // Known only at run time: a part that reads a result (not a procedure's own parameter,
      // `$name`, while its body is checked at the `def`).
      if value.parts.contains(where: {
        switch $0 {
        case .literal: return false
        case .runtime(.field(let b, _)): return !b.hasPrefix("$")
        case .runtime: return true
        }
      }) {
        reportArgument(.computedLibraryName, argument, file: file, env: env)
      }
      return
    }
    let valid =
      !text.isEmpty
      && text.utf8.allSatisfy {
        Lexer.isNameByte($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
      }
    if !valid {
      reportArgument(.invalidLibraryName, argument, file: file, env: env)
      return
    }
    if let known = options.knownLibraryFiles,
      !known.contains(where: { $0.lowercased() == text.lowercased() })
    {
      let guess = Suggestions.closest(to: text, in: known)
      reportArgument(
        isScript ? .unknownScript(text) : .unknownFile(text), argument, file: file, env: env,
        replacement: guess.map { (text: text, guess: $0) })
    }
  }

  /// Reports a problem with a command's argument. Outside procedures: at the argument. While a
  /// call is expanded (when the body's own diagnostics are silenced): at the call's argument the
  /// value came from, with a note at the use inside the procedure; nothing when the value does
  /// not come from a parameter (the body's check reports that once, at the `def`).
  /// `replacement` is a "did you mean" fix-it: `text` replaced by `guess`.
  func reportArgument(
    _ message: DiagnosticMessage, _ argument: CommandArgument, file: String, env: Scope,
    replacement: (text: String, guess: String)? = nil
  ) {
    func fixIts(_ range: ByteRange, applies: Bool) -> [FixIt] {
      guard let replacement, applies else { return [] }
      return [.replace(range, with: replacement.guess, "did you mean `\(replacement.guess)`?")]
    }
    guard suppressDiagnostics else {
      report(message, file: file, argument.range, fixIts: fixIts(argument.range, applies: true))
      return
    }
    guard let (name, origin) = parameterUse(in: argument, env: env) else { return }
    suppressDiagnostics = false
    defer { suppressDiagnostics = true }
    report(
      message, file: origin.file, origin.range,
      notes: [Note("passed to parameter `\(name)`, used here", file: file, range: argument.range)],
      fixIts: fixIts(origin.range, applies: origin.value.literal == replacement?.text))
  }

  /// The first procedure parameter an argument reads (`$p`, `"${p}.exe"`) that has an origin.
  func parameterUse(in argument: CommandArgument, env: Scope)
    -> (name: String, origin: ArgumentOrigin)?
  {
    let references: [VariableReference]
    switch argument {
    case .word: return nil
    case .variable(let v): references = [v]
    case .string(let s):
      references = s.parts.compactMap {
        if case .interpolation(let v) = $0 { return v }
        return nil
      }
    }
    for reference in references {
      if let origin = env.locals[reference.name.text]?.origin {
        return (reference.name.text, origin)
      }
    }
    return nil
  }

  // MARK: - Values

  func resolveArgument(_ argument: CommandArgument, file: String, env: Scope) -> PlanString {
    switch argument {
    case .word(let n): PlanString(literal: n.text)
    case .string(let s): resolveString(s, file: file, env: env)
    case .variable(let v): resolveReference(v, file: file, env: env)
    }
  }

  func resolveString(_ string: StringLiteral, file: String, env: Scope) -> PlanString {
    var parts: [PlanString.Part] = []
    for part in string.parts {
      switch part {
      case .text(let t, _): parts.append(.literal(t))
      case .interpolation(let v): parts += resolveReference(v, file: file, env: env).parts
      }
    }
    return PlanString(parts)
  }

  /// Looks a name up, reporting undefined names (with a suggestion) and misuse of targets/results.
  func lookup(_ name: Name, file: String, env: Scope) -> Variable? {
    guard let variable = variable(name.text, in: env) else {
      var fixIts: [FixIt] = []
      if let guess = Suggestions.closest(to: name.text, in: visibleNames(in: env)) {
        fixIts.append(.replace(name.range, with: guess, "did you mean `\(guess)`?"))
      }
      report(.undefinedName(name.text), file: file, name.range, fixIts: fixIts)
      return nil
    }
    reference(variable.symbol, file: file, range: name.range)
    return variable
  }

  func resolveReference(_ reference: VariableReference, file: String, env: Scope)
    -> PlanString
  {
    guard !reference.name.text.isEmpty, let variable = lookup(reference.name, file: file, env: env)
    else {
      return PlanString(literal: "")
    }
    switch variable.value {
    case .constant(let v):
      if let field = reference.fields.first {
        report(.notAResult(reference.name.text), file: file, field.range)
      }
      return PlanString(literal: v.description)
    case .deferred(let e):
      return PlanString([.runtime(e)])
    case .parameter(let p):
      if let field = reference.fields.first {
        report(.notAResult(reference.name.text), file: file, field.range)
      }
      return p
    case .target:
      report(.notText(reference.name.text, kind: "a target"), file: file, reference.range)
      return PlanString(literal: "")
    case .result(let sendsNothing):
      if sendsNothing { reportEmptyResult(reference, variable, file: file) }
      guard let field = resultField(reference, file: file) else { return PlanString(literal: "") }
      return PlanString([.runtime(.field(binding: reference.name.text, field: field))])
    }
  }

  /// A read of a result whose statement sends nothing (its block is empty).
  func reportEmptyResult(_ reference: VariableReference, _ variable: Variable, file: String) {
    report(
      .emptyResult(reference.name.text), file: file, reference.range,
      notes: [Note("bound here", file: variable.symbol.file, range: variable.symbol.range)])
  }

  /// The validated field of a result reference (`r.exit_code` → `exit_code`, `r.failed.count`
  /// → `failed.count`).
  func resultField(_ reference: VariableReference, file: String) -> String? {
    guard let field = reference.fields.first else {
      report(.missingField, file: file, reference.range)
      return nil
    }
    let known = ResultField(rawValue: field.text)
    if known?.isList == true, reference.fields.count == 2,
      reference.fields[1].text == ResultField.count.rawValue
    {
      return field.text + "." + ResultField.count.rawValue
    }
    guard known != nil, reference.fields.count == 1 else {
      let bad = known == nil ? field : reference.fields[1]
      let candidates =
        known == nil
        ? ResultField.allCases.map(\.rawValue)
        : (known?.isList == true ? [ResultField.count.rawValue] : [])
      var fixIts: [FixIt] = []
      if let guess = Suggestions.closest(to: bad.text, in: candidates) {
        fixIts.append(.replace(bad.range, with: guess, "did you mean `\(guess)`?"))
      }
      report(.unknownField(bad.text), file: file, bad.range, fixIts: fixIts)
      return nil
    }
    return field.text
  }

  // MARK: - Targets

  func compileTarget(_ target: TargetExpression, file: String, env: Scope)
    -> TargetSelector
  {
    var terms: [TargetSelector.Term] = []
    for term in target.terms {
      switch term {
      case .machine(let argument, _):
        terms += machineTerms(argument, file: file, env: env)
      case .machines(let arguments, _, _):
        for argument in arguments { terms += machineTerms(argument, file: file, env: env) }
      case .tag(let a, _): terms.append(.tag(resolveArgument(a, file: file, env: env)))
      case .name(let a, _): terms.append(.name(resolveArgument(a, file: file, env: env)))
      case .file(let a, _): terms.append(.file(resolveArgument(a, file: file, env: env)))
      case .filter(let a, _): terms.append(.filter(resolveArgument(a, file: file, env: env)))
      case .variable(let v):
        terms += variableTarget(v, file: file, env: env)
      case .filtered(let v, _, let condition):
        terms += filteredTarget(v, condition: condition, file: file, env: env)
      case .invalid:
        continue
      }
    }
    return TargetSelector(terms: terms)
  }

  func machineTerms(_ argument: CommandArgument, file: String, env: Scope)
    -> [TargetSelector.Term]
  {
    if case .variable(let v) = argument { return variableTarget(v, file: file, env: env) }
    let value = resolveArgument(argument, file: file, env: env)
    if let text = value.literal { checkMachine(text, range: argument.range, file: file) }
    return [.machine(value)]
  }

  func variableTarget(_ reference: VariableReference, file: String, env: Scope)
    -> [TargetSelector.Term]
  {
    if let terms = resultSetTarget(reference, file: file, env: env) { return terms }
    if let variable = variable(reference.name.text, in: env),
      case .target(let selector) = variable.value
    {
      self.reference(variable.symbol, file: file, range: reference.name.range)
      if let field = reference.fields.first {
        report(.notAResult(reference.name.text), file: file, field.range)
      }
      return selector.terms
    }
    if let variable = variable(reference.name.text, in: env), case .result = variable.value,
      reference.fields.isEmpty
    {
      self.reference(variable.symbol, file: file, range: reference.name.range)
      report(
        .notATarget(reference.name.text), file: file, reference.range,
        notes: [
          resultTargetsNote(reference.name.text),
          Note("a result's `machine` field is a machine name: `$\(reference.name.text).machine`"),
        ])
      return []
    }
    let value = resolveReference(reference, file: file, env: env)
    if let text = value.literal, !text.isEmpty {
      checkMachine(text, range: reference.range, file: file)
    }
    return [.machine(value)]
  }

  /// Warns about ids of the wrong length and, when the fleet is known, unknown names.
  func checkMachine(_ text: String, range: ByteRange, file: String) {
    let isHex = text.utf8.allSatisfy {
      ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
        || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "f"))
    }
    if isHex, text.count >= 30, text.count != 40 {
      report(.suspiciousMachineID(text.count), file: file, range)
      return
    }
    guard let known = options.knownMachines, !text.contains("*"), !text.contains("?") else {
      return
    }
    let lower = text.lowercased()
    let match = known.contains {
      let k = $0.lowercased()
      return k == lower || k.hasPrefix(lower + ".")
    }
    if !match {
      var fixIts: [FixIt] = []
      if let guess = Suggestions.closest(to: text, in: known) {
        fixIts.append(.replace(range, with: guess, "did you mean `\(guess)`?"))
      }
      report(.unknownMachine(text), file: file, range, fixIts: fixIts)
    }
  }

  // MARK: - Expressions

  func compileExpression(_ expression: Expression, file: String, env: Scope)
    -> PlanExpression
  {
    let compiled: PlanExpression
    switch expression {
    case .string(let s):
      let value = resolveString(s, file: file, env: env)
      if let text = value.literal {
        compiled = .literal(.string(text))
      } else if value.parts.count == 1, case .runtime(let e) = value.parts[0] {
        compiled = e
      } else {
        // Text with run-time parts, filled in when the condition is evaluated.
        compiled = .template(value)
      }
    case .number(let n, _): compiled = .literal(.number(n))
    case .bool(let b, _): compiled = .literal(.bool(b))
    case .variable(let reference):
      guard let variable = lookup(reference.name, file: file, env: env) else {
        return .literal(.string(""))
      }
      switch variable.value {
      case .constant(let v):
        if let field = reference.fields.first {
          report(.notAResult(reference.name.text), file: file, field.range)
        }
        compiled = .literal(v)
      case .deferred(let e): compiled = e
      case .parameter(let p):
        compiled = p.literal.map { .literal(.string($0)) } ?? .template(p)
      case .target:
        report(.notText(reference.name.text, kind: "a target"), file: file, reference.range)
        compiled = .literal(.string(""))
      case .result(let sendsNothing):
        if sendsNothing { reportEmptyResult(reference, variable, file: file) }
        if reference.fields.isEmpty {
          compiled = .field(binding: reference.name.text, field: ResultField.ok.rawValue)
        } else {
          let field = resultField(reference, file: file) ?? ResultField.ok.rawValue
          compiled = .field(binding: reference.name.text, field: field)
        }
      }
    case .not(let inner, _):
      compiled = .not(compileExpression(inner, file: file, env: env))
    case .binary(let op, let l, let r, _):
      compiled = .binary(
        op, compileExpression(l, file: file, env: env), compileExpression(r, file: file, env: env))
    case .parenthesized(let inner, _):
      compiled = compileExpression(inner, file: file, env: env)
    case .invalid:
      compiled = .literal(.bool(false))
    }
    return compiled.folded()
  }
}
