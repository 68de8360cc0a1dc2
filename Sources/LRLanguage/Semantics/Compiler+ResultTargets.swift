/// Results as targets (`on $r.failed < … >`, `on $r where output contains "x" < … >`) and the
/// `where` conditions they carry, read on each machine's own result.
extension CompilerState {
  /// The target terms of `$r.machines`, `$r.succeeded` or `$r.failed` (nil when the reference
  /// is not one of those forms: the caller goes on as before), reporting misuse.
  func resultSetTarget(_ reference: VariableReference, file: String, env: Scope)
    -> [TargetSelector.Term]?
  {
    guard let first = reference.fields.first, let field = ResultField(rawValue: first.text),
      field.isMachineSet || field.isList || field == .count
    else { return nil }
    guard let variable = variable(reference.name.text, in: env) else { return nil }
    guard case .result(let sendsNothing) = variable.value else {
      reportNotAResultSet(reference, variable, file: file, env: env)
      return []
    }
    self.reference(variable.symbol, file: file, range: reference.name.range)
    if sendsNothing { reportEmptyResult(reference, variable, file: file) }
    guard field.isMachineSet, reference.fields.count == 1 else {
      report(
        .notATarget(reference.dottedText), file: file, reference.range,
        notes: [resultTargetsNote(reference.name.text)])
      return []
    }
    return [.results(binding: reference.name.text, subset: field, condition: nil)]
  }

  /// `$r where CONDITION` and `$r.failed where CONDITION`.
  func filteredTarget(
    _ reference: VariableReference, condition: Expression, file: String, env: Scope
  ) -> [TargetSelector.Term] {
    guard let variable = lookup(reference.name, file: file, env: env) else {
      _ = compileCondition(condition, file: file, env: env)
      return []
    }
    guard case .result(let sendsNothing) = variable.value else {
      reportNotAResultSet(reference, variable, file: file, env: env)
      _ = compileCondition(condition, file: file, env: env)
      return []
    }
    if sendsNothing { reportEmptyResult(reference, variable, file: file) }
    let compiled = compileCondition(condition, file: file, env: env)
    var subset = ResultField.machines
    if let first = reference.fields.first {
      guard let field = ResultField(rawValue: first.text), field.isMachineSet,
        reference.fields.count == 1
      else {
        if ResultField(rawValue: first.text) == nil {
          _ = resultField(reference, file: file)
        } else {
          report(
            .notATarget(reference.dottedText), file: file, reference.range,
            notes: [resultTargetsNote(reference.name.text)])
        }
        return []
      }
      subset = field
    }
    return [.results(binding: reference.name.text, subset: subset, condition: compiled)]
  }

  /// What a result offers as targets.
  func resultTargetsNote(_ name: String) -> Note {
    Note(
      "the machines of a result are targets: `$\(name).machines`, `$\(name).succeeded`, `$\(name).failed`, `$\(name) where CONDITION`"
    )
  }

  /// `$x.failed` or `$x where …` with `x` bound to something other than a statement's result.
  func reportNotAResultSet(
    _ reference: VariableReference, _ variable: Variable, file: String, env: Scope
  ) {
    let name = reference.name.text
    var fixIts: [FixIt] = []
    let results = visibleNames(in: env).filter {
      if case .result? = self.variable($0, in: env)?.value { return true }
      return false
    }
    if let guess = Suggestions.closest(to: name, in: results) {
      fixIts.append(.replace(reference.name.range, with: guess, "did you mean `\(guess)`?"))
    }
    report(
      .notAResultSet(name), file: file, reference.range,
      notes: [
        Note("`\(name)` is defined here", file: variable.symbol.file, range: variable.symbol.range)
      ],
      fixIts: fixIts)
  }

  // MARK: - Conditions on each machine

  /// A `where` condition: a bare field name (`output`, `exit_code`, `status`, …) is the
  /// machine's own; `row.NAME`, or any other name that is not defined, is a column of its rows;
  /// defined names and other results read as in any condition.
  func compileCondition(_ expression: Expression, file: String, env: Scope) -> PlanExpression {
    switch expression {
    case .variable(let reference):
      if let scoped = machineScoped(reference, file: file, env: env) { return scoped }
      return compileExpression(expression, file: file, env: env)
    case .not(let inner, _):
      return .not(compileCondition(inner, file: file, env: env))
    case .binary(let op, let l, let r, _):
      return .binary(
        op, compileCondition(l, file: file, env: env), compileCondition(r, file: file, env: env))
    case .parenthesized(let inner, _):
      return compileCondition(inner, file: file, env: env)
    default:
      return compileExpression(expression, file: file, env: env)
    }
  }

  /// A name in a `where` condition that reads the machine's result or a row's column; nil for
  /// any other name.
  func machineScoped(_ reference: VariableReference, file: String, env: Scope) -> PlanExpression? {
    let name = reference.name.text
    if name == "row", !reference.fields.isEmpty {
      return .field(
        binding: PlanExpression.rowScope,
        field: reference.fields.map(\.text).joined(separator: "."))
    }
    guard reference.fields.isEmpty else { return nil }
    if let field = ResultField(rawValue: name), ResultField.machineFields.contains(field) {
      return .field(binding: PlanExpression.machineScope, field: name)
    }
    guard variable(name, in: env) == nil else { return nil }
    // The result's own fields (`count`, `failed`, …) and a lower-case near miss of a machine's
    // field are mistakes; any other name is a column (`ProcessName`).
    if ResultField(rawValue: name) != nil {
      reportUnknownConditionField(reference, guess: nil, file: file)
      return .literal(.string(""))
    }
    if name == name.lowercased(),
      let guess = Suggestions.closest(to: name, in: ResultField.machineFields.map(\.rawValue))
    {
      reportUnknownConditionField(reference, guess: guess, file: file)
      return .literal(.string(""))
    }
    return .field(binding: PlanExpression.rowScope, field: name)
  }

  /// A name in a `where` condition that is no field of a machine's own result.
  func reportUnknownConditionField(_ reference: VariableReference, guess: String?, file: String) {
    let name = reference.name.text
    var fixIts: [FixIt] = []
    if let guess {
      fixIts.append(.replace(reference.name.range, with: guess, "did you mean `\(guess)`?"))
    }
    fixIts.append(
      .replace(reference.name.range, with: "row.\(name)", "a column of the rows: `row.\(name)`"))
    let fields = ResultField.machineFields.map { "`\($0.rawValue)`" }.joined(separator: ", ")
    report(
      .unknownField(name), file: file, reference.name.range,
      notes: [
        Note("in a `where` condition each machine's own result has the fields \(fields)"),
        Note("a column of the machine's rows is written `row.NAME`"),
      ], fixIts: fixIts)
  }
}

extension Compiler {
  /// Compiles a `where` condition given as text (`lr rerun --where`, the REPL's `r where …`):
  /// the condition, or nil with the errors when it does not compile.
  public static func compileCondition(
    _ text: String, name: String = "<condition>", environment: Environment? = nil
  ) -> (condition: PlanExpression?, diagnostics: [Diagnostic]) {
    let source = SourceFile(name: name, text: text)
    var parser = Parser(source: source)
    parser.skipNewlines()
    let expression = parser.parseExpression()
    parser.skipNewlines()
    if parser.current.kind != .endOfFile {
      parser.reportUnexpected("the end of the condition", parser.current.range)
    }
    let state = CompilerState(
      options: Options(environment: environment), modules: NoModules(), main: source)
    state.sources[name] = source
    let condition = state.compileCondition(expression, file: name, env: Scope())
    let diagnostics = parser.diagnostics + state.diagnostics
    guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
    return (condition, diagnostics)
  }
}
