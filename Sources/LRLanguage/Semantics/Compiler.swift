/// Checks a program and compiles it to a ``Plan``: names resolved, procedures expanded, modules
/// imported, and blocks split into the fewest requests that keep the API's command order.
public struct Compiler {
  /// What the caller knows beyond the text.
  public struct Options: Sendable {
    /// The Comment for statements without one; nil means `lr <file name>`.
    public var defaultComment: String?
    /// The REPL's `.connect` target, letting bare `run …` / `get …` / `put …` statements compile.
    public var defaultTarget: TargetSelector?
    /// Machine names and ids in the fleet, when connected (enables "no such machine" warnings).
    public var knownMachines: [String]?
    /// Library file names, when connected (enables "not in the library" warnings).
    public var knownLibraryFiles: [String]?
    /// Whether `let`/`def` may redefine a name (the REPL allows it).
    public var allowRedefinition: Bool
    /// Constants and procedures defined earlier (the REPL's session); see ``Compiler/Output/environment``.
    public var environment: Environment?

    public init(
      defaultComment: String? = nil, defaultTarget: TargetSelector? = nil,
      knownMachines: [String]? = nil, knownLibraryFiles: [String]? = nil,
      allowRedefinition: Bool = false, environment: Environment? = nil
    ) {
      self.defaultComment = defaultComment
      self.defaultTarget = defaultTarget
      self.knownMachines = knownMachines
      self.knownLibraryFiles = knownLibraryFiles
      self.allowRedefinition = allowRedefinition
      self.environment = environment
    }
  }

  /// Everything a compilation produced.
  public struct Output: Sendable {
    public var plan: Plan
    public var diagnostics: [Diagnostic]
    /// Every source involved: the main file and each imported module, by name.
    public var sources: [String: SourceFile]
    /// The main file's syntax tree.
    public var program: Program
    /// Comment tokens of the main file.
    public var comments: [Token]
    /// Every definition (main file and modules).
    public var symbols: [Symbol]
    /// Every resolved use of a name.
    public var references: [SymbolReference]
    /// The names defined when compilation ended (feed back as ``Options/environment`` in a REPL).
    public var environment: Environment
  }

  /// Names in scope: values and procedures, carried between REPL inputs.
  public struct Environment: Sendable {
    var variables: [String: Variable] = [:]
    var procedures: [String: Procedure] = [:]
    var loadedModules: Set<String> = []
    var comment: PlanString?
    public init() {}

    /// Variable names in scope.
    public var variableNames: [String] { variables.keys.sorted() }
    /// Procedure names in scope.
    public var procedureNames: [String] { procedures.keys.sorted() }
    /// Names bound to results of earlier statements.
    public var resultNames: [String] { variables.filter { $0.value.value.isResult }.keys.sorted() }
  }

  /// Compiles `source`, loading modules through `modules`.
  public static func compile(
    _ source: SourceFile, options: Options = Options(), modules: any ModuleProvider = NoModules()
  ) -> Output {
    let state = CompilerState(options: options, modules: modules, main: source)
    return state.run()
  }
}

/// What a name is bound to.
enum Value: Sendable, Equatable {
  case constant(PlanValue)
  /// Known only at run time (reads results).
  case deferred(PlanExpression)
  case target(TargetSelector)
  /// The result of a bound statement; `sendsNothing` when its block is empty (no action runs, so
  /// its fields stay empty).
  case result(sendsNothing: Bool)
  /// A procedure parameter, bound to the caller's argument.
  case parameter(PlanString)

  var isResult: Bool {
    if case .result = self { return true }
    return false
  }
}

struct Variable: Sendable {
  var value: Value
  var symbol: Symbol
  /// When the name was defined (procedures see only globals defined before them).
  var order: Int
  /// For a parameter bound at a call: the argument the value came from.
  var origin: ArgumentOrigin?
}

/// Where a procedure parameter's value was written: an argument of a call.
struct ArgumentOrigin: Sendable {
  var file: String
  var range: ByteRange
  /// The argument's value.
  var value: PlanString
}

/// The names visible at a point: locals (procedure parameters) over the globals defined before
/// `limit`. Procedures capture an order, not a copy of the globals.
struct Scope {
  var locals: [String: Variable] = [:]
  var limit: Int?
}

struct Procedure: Sendable {
  var definition: DefStatement
  var file: String
  var symbol: Symbol
  /// Globals defined before this order are visible to the body (set where the `def` appears).
  var captured: Int?
}

/// The mutable state of one compilation.
final class CompilerState {
  let options: Compiler.Options
  let modules: any ModuleProvider
  let main: SourceFile
  var diagnostics: [Diagnostic] = []
  var sources: [String: SourceFile] = [:]
  var symbols: [Symbol] = []
  var references: [SymbolReference] = []
  var globals: [String: Variable]
  var procedures: [String: Procedure]
  var loadedModules: Set<String>
  var loadingStack: [String] = []
  var comment: PlanString?
  var statementNumber = 0
  /// The order the next global definition gets.
  var nextOrder = 1
  /// Set while validating or expanding a procedure body.
  var suppressDiagnostics = false
  /// When not nil, every global definition is logged here (``IncrementalDiagnostics``).
  var assignments: [(name: String, variable: Variable)]?
  /// When not nil, the name of every procedure expanded is logged here (``IncrementalDiagnostics``:
  /// problems with arguments are reported at calls, so they depend on the procedures' bodies).
  var expandedProcedures: Set<String>?
  /// The procedures' calls, found when first needed after the procedures last changed.
  var callGraph: CallGraph?
  /// Memoised ``expansionSize(of:)`` per procedure (valid while the procedures do not change).
  var expansionSizes: [String: Int] = [:]
  /// What calls to procedures without parameters expanded to, and with which globals defined
  /// (``cachedExpansion(of:_:)``); the commands it holds in all.
  var expansionCache: [String: (order: Int, commands: [PlannedCommand])] = [:]
  var cachedCommandCount = 0
  /// Commands the plan's statements send so far (held to ``ExpansionLimits/commandsPerFile``).
  var fileCommandCount = 0
  /// Commands the statements checked so far asked for, including calls refused for a limit
  /// (``IncrementalDiagnostics`` reuses a statement only when the file limit cannot matter).
  var commandsRequested = 0

  init(options: Compiler.Options, modules: any ModuleProvider, main: SourceFile) {
    self.options = options
    self.modules = modules
    self.main = main
    let env = options.environment ?? Compiler.Environment()
    self.globals = env.variables
    self.procedures = env.procedures
    self.loadedModules = env.loadedModules
    self.comment = env.comment
    self.nextOrder = (env.variables.values.map(\.order).max() ?? 0) + 1
  }

  /// A name's binding in a scope.
  func variable(_ name: String, in scope: Scope) -> Variable? {
    if let local = scope.locals[name] { return local }
    guard let global = globals[name] else { return nil }
    if let limit = scope.limit, global.order >= limit { return nil }
    return global
  }

  /// Every name visible in a scope (for suggestions), sorted so that ties between equally close
  /// suggestions never depend on a dictionary's order.
  func visibleNames(in scope: Scope) -> [String] {
    scope.locals.keys.sorted()
      + globals.filter { scope.limit == nil || $0.value.order < (scope.limit ?? 0) }.keys.sorted()
  }

  func run() -> Compiler.Output {
    var parser = Parser(source: main)
    let program = parser.parseProgram()
    diagnostics += parser.diagnostics
    sources[main.name] = main
    loadingStack = [main.name]
    let steps = compileFile(program, file: main.name, isModule: false)
    diagnostics = sortedDiagnostics()
    var env = Compiler.Environment()
    env.variables = globals
    env.procedures = procedures
    env.loadedModules = loadedModules
    env.comment = comment
    return Compiler.Output(
      plan: Plan(source: main.name, steps: steps), diagnostics: diagnostics,
      sources: sources, program: program, comments: parser.comments, symbols: symbols,
      references: references, environment: env)
  }

  /// The diagnostics in the order they are shown: the main file's first, by position, without
  /// repeats.
  func sortedDiagnostics() -> [Diagnostic] {
    let sorted = diagnostics.sorted { a, b in
      if a.file != b.file { return a.file == main.name }
      return a.range.lowerBound < b.range.lowerBound
    }
    var seen = Set<Diagnostic>()
    return sorted.filter { seen.insert($0).inserted }
  }

  // MARK: - Reporting

  func report(
    _ message: DiagnosticMessage, file: String, _ range: ByteRange, notes: [Note] = [],
    fixIts: [FixIt] = []
  ) {
    guard !suppressDiagnostics else { return }
    diagnostics.append(
      Diagnostic(message, file: file, range: range, notes: notes, fixIts: fixIts))
  }

  func reference(_ symbol: Symbol, file: String, range: ByteRange) {
    guard !suppressDiagnostics else { return }
    references.append(SymbolReference(file: file, range: range, symbol: symbol))
  }

  func define(_ symbol: Symbol) {
    guard !suppressDiagnostics else { return }
    symbols.append(symbol)
  }

  // MARK: - Files and statements

  func compileFile(_ program: Program, file: String, isModule: Bool) -> [PlanStep] {
    for statement in program.statements {
      if case .use(let use) = statement { processUse(use, file: file) }
    }
    for statement in program.statements {
      if case .def(let def) = statement { registerProcedure(def, file: file) }
    }
    return compileStatements(program.statements, file: file, isModule: isModule, topLevel: true)
  }

  func compileStatements(_ statements: [Statement], file: String, isModule: Bool, topLevel: Bool)
    -> [PlanStep]
  {
    // A `comment` statement inside an `if` block applies to the rest of that block only.
    let outerComment = comment
    defer { if !topLevel { comment = outerComment } }
    var steps: [PlanStep] = []
    for statement in statements {
      if let step = compileStatement(statement, file: file, isModule: isModule, topLevel: topLevel)
      {
        steps.append(step)
      }
    }
    return steps
  }

  /// One statement of a file or block (``compileStatements``), reporting its problems.
  func compileStatement(_ statement: Statement, file: String, isModule: Bool, topLevel: Bool)
    -> PlanStep?
  {
    switch statement {
    case .on(let on):
      if isModule {
        report(.moduleStatement, file: file, on.keyword)
        return nil
      }
      return compileOn(on, file: file, binding: nil)
    case .let(let l):
      if case .action(let on) = l.value, isModule {
        report(.moduleStatement, file: file, on.keyword)
        return nil
      }
      return compileLet(l, file: file)
    case .def(let def):
      if !topLevel {
        report(.topLevelOnly("def"), file: file, def.name.range)
        return nil
      }
      validateProcedure(def, file: file)
      return nil
    case .use(let use):
      if !topLevel { report(.topLevelOnly("use"), file: file, use.range) }
      return nil
    case .comment(let c):
      if isModule {
        report(.moduleStatement, file: file, c.range)
        return nil
      }
      comment = resolveString(c.text, file: file, env: Scope())
      return nil
    case .if(let i):
      if isModule {
        report(.moduleStatement, file: file, i.range)
        return nil
      }
      return .branch(compileIf(i, file: file))
    case .commands(let list):
      if isModule {
        report(.moduleStatement, file: file, list.range)
        return nil
      }
      guard let target = options.defaultTarget else {
        let first = list.commands[0]
        if first.kind == .call, procedures[first.name.text] == nil {
          reportUnknownCommand(first, file: file)
        } else {
          report(.commandOutsideBlock(first.name.text), file: file, first.name.range)
        }
        return nil
      }
      return compileCommands(
        list.commands, target: target, comment: nil, file: file, range: list.range,
        binding: nil)
    case .invalid:
      return nil
    }
  }

  func compileIf(_ statement: IfStatement, file: String) -> PlannedBranch {
    let condition = compileExpression(statement.condition, file: file, env: Scope())
    let thenSteps = compileStatements(
      statement.thenBlock.statements, file: file, isModule: false, topLevel: false)
    var elseSteps: [PlanStep] = []
    switch statement.elseBranch {
    case .block(let block)?:
      elseSteps = compileStatements(block.statements, file: file, isModule: false, topLevel: false)
    case .elseIf(let nested)?:
      elseSteps = [.branch(compileIf(nested, file: file))]
    case nil:
      break
    }
    return PlannedBranch(
      file: file, range: statement.range, condition: condition, thenSteps: thenSteps,
      elseSteps: elseSteps)
  }

  func compileLet(_ statement: LetStatement, file: String) -> PlanStep? {
    let name = statement.name
    checkDefinable(name, file: file, existing: globals[name.text]?.symbol)
    var step: PlanStep?
    let value: Value
    let detail: String
    let kind: Symbol.Kind
    switch statement.value {
    case .expression(.variable(let reference)) where isTarget(reference, file: file):
      // `let b = $a` with `a` a target, or `let f = $r.failed`: the grammar's target, bound as one.
      let target = TargetExpression(terms: [.variable(reference)], range: reference.range)
      value = .target(compileTarget(target, file: file, env: Scope()))
      detail = main.name == file ? sources[file]?.text(reference.range) ?? "target" : "target"
      kind = .target
    case .expression(let e):
      let expression = compileExpression(e, file: file, env: Scope())
      if case .literal(let v) = expression {
        value = .constant(v)
        if case .string(let s) = v { detail = "\"\(s)\"" } else { detail = v.description }
      } else {
        value = .deferred(expression)
        detail = expression.description
      }
      kind = .variable
    case .target(let t):
      value = .target(compileTarget(t, file: file, env: Scope()))
      detail = main.name == file ? sources[file]?.text(t.range) ?? "target" : "target"
      kind = .target
    case .action(let on):
      step = compileOn(on, file: file, binding: name.text, range: statement.range)
      value = .result(sendsNothing: on.block.commands.isEmpty && on.block.close != nil)
      detail =
        "result of the statement at line \(sources[file]?.location(of: on.range.lowerBound).line ?? 0)"
      kind = .result
    }
    let symbol = Symbol(
      kind: kind, name: name.text, file: file, range: name.range, fullRange: statement.range,
      documentation: nil, parameters: [], detail: detail)
    define(symbol)
    let variable = Variable(value: value, symbol: symbol, order: nextOrder)
    globals[name.text] = variable
    assignments?.append((name.text, variable))
    nextOrder += 1
    return step
  }

  /// Whether a reference names a target as a whole (no fields), or is `$r.machines`,
  /// `$r.succeeded` or `$r.failed` (written with `$`; `r.failed` is text), in the top-level scope.
  func isTarget(_ reference: VariableReference, file: String) -> Bool {
    switch variable(reference.name.text, in: Scope())?.value {
    case .target?: return reference.fields.isEmpty
    case .result?:
      guard reference.fields.count == 1,
        ResultField(rawValue: reference.fields[0].text)?.isMachineSet == true,
        let source = sources[file], reference.range.lowerBound < source.bytes.count
      else { return false }
      return source.bytes[reference.range.lowerBound] == UInt8(ascii: "$")
    default: return false
    }
  }

  /// Reports reserved names and duplicates for a name about to be defined.
  func checkDefinable(_ name: Name, file: String, existing: Symbol?) {
    if Parser.reservedWords.contains(name.text) {
      report(.reservedName(name.text), file: file, name.range)
    } else if !name.text.isIdentifier {
      report(.invalidName(name.text, kind: "variable"), file: file, name.range)
    }
    if let existing, !options.allowRedefinition {
      report(
        .duplicateDefinition(name.text), file: file, name.range,
        notes: [Note("first defined here", file: existing.file, range: existing.range)])
    }
  }

  // MARK: - Modules

  func processUse(_ use: UseStatement, file: String) {
    let name: String
    switch use.module {
    case .word(let n): name = n.text
    case .string(let s) where s.literalValue != nil: name = s.literalValue ?? ""
    default:
      report(.expected("a module name", found: "a computed value"), file: file, use.module.range)
      return
    }
    let bare = name.hasSuffix(".lr") ? String(name.dropLast(3)) : name
    switch modules.lookup(module: bare, from: file) {
    case .notFound(let searched):
      let places = searched.isEmpty ? "no module folders" : searched.joined(separator: ", ")
      let known = modules.availableModules(from: file)
      var fixIts: [FixIt] = []
      if let guess = Suggestions.closest(to: bare, in: known) {
        fixIts.append(.replace(use.module.range, with: "\"\(guess)\"", "did you mean `\(guess)`?"))
      }
      report(.moduleNotFound(bare, searched: places), file: file, use.module.range, fixIts: fixIts)
    case .found(let source):
      let symbol = Symbol(
        kind: .module, name: bare, file: source.name, range: 0..<0,
        fullRange: 0..<source.bytes.count, documentation: nil, parameters: [], detail: source.name)
      reference(symbol, file: file, range: use.module.range)
      if let index = loadingStack.firstIndex(of: source.name) {
        let chain = (loadingStack[index...] + [source.name]).joined(separator: " → ")
        report(.importCycle(chain), file: file, use.module.range)
        return
      }
      guard !loadedModules.contains(source.name) else { return }
      loadedModules.insert(source.name)
      sources[source.name] = source
      var parser = Parser(source: source)
      let program = parser.parseProgram()
      diagnostics += parser.diagnostics
      loadingStack.append(source.name)
      let savedComment = comment
      _ = compileFile(program, file: source.name, isModule: true)
      comment = savedComment
      loadingStack.removeLast()
    }
  }

  // MARK: - Procedures

  func registerProcedure(_ def: DefStatement, file: String) {
    let name = def.name
    if Parser.reservedWords.contains(name.text) {
      report(.reservedName(name.text), file: file, name.range)
    } else if !name.text.isProcedureName {
      report(.invalidName(name.text, kind: "procedure"), file: file, name.range)
    }
    if let existing = procedures[name.text] {
      if existing.symbol.file == file, existing.symbol.range == name.range { return }
      if !options.allowRedefinition {
        report(
          .duplicateDefinition(name.text), file: file, name.range,
          notes: [
            Note("first defined here", file: existing.symbol.file, range: existing.symbol.range)
          ])
        return
      }
    }
    var seen = Set<String>()
    for parameter in def.parameters {
      if !seen.insert(parameter.text).inserted {
        report(.duplicateParameter(parameter.text), file: file, parameter.range)
      }
      if Parser.reservedWords.contains(parameter.text) {
        report(.reservedName(parameter.text), file: file, parameter.range)
      } else if !parameter.text.isIdentifier {
        report(.invalidName(parameter.text, kind: "parameter"), file: file, parameter.range)
      }
    }
    let symbol = Symbol(
      kind: .procedure, name: name.text, file: file, range: name.range, fullRange: def.range,
      documentation: def.documentation, parameters: def.parameters.map(\.text),
      detail: "def \(name.text)(\(def.parameters.map(\.text).joined(separator: ", ")))")
    define(symbol)
    procedures[name.text] = Procedure(definition: def, file: file, symbol: symbol, captured: nil)
    callGraph = nil
    expansionSizes = [:]
    expansionCache = [:]
  }

  /// Sets the globals a procedure's body sees (those defined so far), if `def` is the definition
  /// in force; returns whether it is.
  func captureGlobals(_ def: DefStatement, file: String) -> Bool {
    guard var procedure = procedures[def.name.text], procedure.symbol.file == file,
      procedure.symbol.range == def.name.range
    else { return false }
    procedure.captured = nextOrder
    procedures[def.name.text] = procedure
    return true
  }

  /// Captures the globals for a procedure and checks its body once, reporting in its own file.
  func validateProcedure(_ def: DefStatement, file: String) {
    guard captureGlobals(def, file: file) else { return }
    var env = Scope(limit: nextOrder)
    for parameter in def.parameters {
      let symbol = Symbol(
        kind: .parameter, name: parameter.text, file: file, range: parameter.range,
        fullRange: parameter.range, documentation: nil, parameters: [],
        detail: "parameter of \(def.name.text)")
      define(symbol)
      env.locals[parameter.text] = Variable(
        value: .parameter(PlanString([.runtime(.field(binding: "$" + parameter.text, field: ""))])),
        symbol: symbol, order: 0)
    }
    let graph = self.graph
    for call in def.body.commands
    where call.kind == .call && graph.isRecursive(from: def.name.text, to: call.name.text) {
      let chain = ([def.name.text] + graph.cycle(from: call.name.text, to: def.name.text))
      report(.recursiveProcedure(chain.joined(separator: " → ")), file: file, call.name.range)
    }
    _ = expandBlock(def.body.commands, file: file, env: env, mode: .definition)
    if def.body.commands.isEmpty, def.body.close != nil {
      report(.emptyBlock, file: file, def.body.range)
    }
  }
}
