/// The bounds on procedure expansion (docs/language.md): a call that would pass one is reported
/// (`tooManyCommands`, `tooManyCommandsInFile`) and sends nothing.
public enum ExpansionLimits {
  /// Commands one statement, or one procedure's body, may expand to.
  public static let commandsPerStatement = 10_000
  /// Commands one compilation (a file, or one REPL input) may expand to.
  public static let commandsPerFile = 100_000
}

/// What a block of commands is being expanded for.
enum ExpansionMode: Equatable {
  /// A statement's block: the commands are the plan's.
  case statement
  /// A procedure's body, checked once at its `def`: the commands are only counted.
  case definition
}

extension CompilerState {
  /// The call graph of the procedures known now (built again after a procedure is registered).
  var graph: CallGraph {
    if let callGraph { return callGraph }
    let built = CallGraph(procedures: procedures)
    callGraph = built
    return built
  }

  /// Whether a command sends a command itself (a `run`, `get` or `put` that compiles).
  static func sendsCommand(_ command: Command) -> Bool {
    switch command.kind {
    case .run: !command.arguments.isEmpty
    case .get, .put: command.arguments.count == 1
    case .call: false
    }
  }

  /// The procedure a call expands: known, called with the right number of arguments, and not
  /// recursive (a recursive procedure is an error at its `def`; calls to it expand to nothing).
  func expandable(_ command: Command) -> Procedure? {
    guard command.kind == .call, let procedure = procedures[command.name.text],
      procedure.definition.parameters.count == command.arguments.count,
      !graph.recursive.contains(command.name.text)
    else { return nil }
    return procedure
  }

  /// How many commands a call to `name` expands to, saturating just past the file limit.
  /// Memoised per procedure and found without recursion, so a chain of procedures costs its
  /// length and a procedure that doubles at each level costs its text.
  func expansionSize(of name: String) -> Int {
    if let known = expansionSizes[name] { return known }
    let cap = ExpansionLimits.commandsPerFile + 1
    var work: [(name: String, next: Int, total: Int)] = [(name, 0, 0)]
    while let top = work.last {
      let k = work.count - 1
      let commands =
        graph.recursive.contains(top.name)
        ? [] : procedures[top.name]?.definition.body.commands ?? []
      guard top.next < commands.count else {
        expansionSizes[top.name] = top.total
        work.removeLast()
        if let parent = work.indices.last {
          work[parent].total = min(cap, work[parent].total + top.total)
        }
        continue
      }
      let command = commands[top.next]
      work[k].next += 1
      if CompilerState.sendsCommand(command) {
        work[k].total = min(cap, top.total + 1)
      } else if expandable(command) != nil {
        if let size = expansionSizes[command.name.text] {
          work[k].total = min(cap, top.total + size)
        } else {
          work.append((command.name.text, 0, 0))
        }
      }
    }
    return expansionSizes[name] ?? 0
  }

  /// Expands a statement's block or a procedure's body. Commands written here are checked as
  /// usual; each call is checked at the call, held to the limits, and expanded with its body's
  /// own diagnostics silenced (only problems with the values it was passed come out, at the call).
  func expandBlock(_ commands: [Command], file: String, env: Scope, mode: ExpansionMode)
    -> [PlannedCommand]
  {
    var out: [PlannedCommand] = []
    // What the block sends (in a body, counted: its commands are not kept).
    var count = 0
    var reportedLimit = false
    for command in commands {
      guard command.kind == .call else {
        if mode == .statement { commandsRequested += 1 }
        if let planned = expandLeaf(command, file: file, env: env) {
          count += 1
          if mode == .statement { out.append(planned) }
        }
        continue
      }
      guard let (procedure, values) = checkCall(command, file: file, env: env),
        !graph.recursive.contains(command.name.text)
      else { continue }
      let size = expansionSize(of: command.name.text)
      if mode == .statement { commandsRequested += size }
      let limit = ExpansionLimits.commandsPerStatement
      if count + size > limit {
        // In a body, a callee that is itself too big was reported at its own `def`.
        if mode == .statement || (!reportedLimit && size <= limit) {
          report(.tooManyCommands(command.name.text, limit: limit), file: file, command.range)
          reportedLimit = true
        }
        continue
      }
      if mode == .statement, fileCommandCount + count + size > ExpansionLimits.commandsPerFile {
        report(
          .tooManyCommandsInFile(command.name.text, limit: ExpansionLimits.commandsPerFile),
          file: file, command.range)
        continue
      }
      count += size
      // A body's call passing only its own parameters on has nothing to report at the `def`:
      // the callee's body was checked at its own.
      if size == 0 || (mode == .definition && values.allSatisfy(CompilerState.isPassedOn)) {
        continue
      }
      var expanded: [PlannedCommand] = []
      expandCall(
        command, procedure: procedure, values: values, file: file, env: env, mode: mode,
        into: &expanded)
      if mode == .statement { out += expanded }
    }
    return out
  }

  /// Whether a value is made only of the enclosing procedure's parameters (and text): at the
  /// `def`, such a value is never checked where it is used.
  static func isPassedOn(_ value: PlanString) -> Bool {
    value.literal == nil
      && value.parts.allSatisfy {
        switch $0 {
        case .literal: true
        case .runtime(.field(let binding, _)): binding.hasPrefix("$")
        case .runtime: false
        }
      }
  }

  /// Checks a call where it is written: a known procedure, the number of arguments, the
  /// arguments' values. Returns the procedure and the values, or nil (reported).
  func checkCall(_ command: Command, file: String, env: Scope)
    -> (Procedure, [PlanString])?
  {
    guard let procedure = procedures[command.name.text] else {
      reportUnknownCommand(command, file: file)
      return nil
    }
    reference(procedure.symbol, file: file, range: command.name.range)
    expandedProcedures?.insert(command.name.text)
    let parameters = procedure.definition.parameters
    let args = command.arguments
    guard parameters.count == args.count else {
      let expected =
        parameters.isEmpty
        ? "no arguments"
        : "\(parameters.count) argument\(parameters.count == 1 ? "" : "s") (\(parameters.map(\.text).joined(separator: ", ")))"
      report(
        .wrongArity(command.name.text, expected: expected, got: args.count), file: file,
        command.range,
        notes: [Note("defined here", file: procedure.symbol.file, range: procedure.symbol.range)])
      return nil
    }
    return (procedure, args.map { resolveArgument($0, file: file, env: env) })
  }

  /// The scope of a procedure's body at a call: its parameters bound to the call's values, each
  /// remembering where the user wrote it (here, or passed on from an outer call's argument).
  func bodyScope(
    _ procedure: Procedure, arguments: [CommandArgument], values: [PlanString], file: String,
    env: Scope
  ) -> Scope {
    var scope = Scope(limit: procedure.captured ?? nextOrder)
    for (parameter, (argument, value)) in zip(
      procedure.definition.parameters, zip(arguments, values))
    {
      let symbol = Symbol(
        kind: .parameter, name: parameter.text, file: procedure.file, range: parameter.range,
        fullRange: parameter.range, documentation: nil, parameters: [], detail: nil)
      let origin =
        parameterUse(in: argument, env: env)?.origin
        ?? ArgumentOrigin(file: file, range: argument.range, value: value)
      scope.locals[parameter.text] = Variable(
        value: .parameter(value), symbol: symbol, order: 0, origin: origin)
    }
    return scope
  }

  /// Expands one checked call, with an explicit stack instead of recursion (a chain of 10,000
  /// procedures is 10,000 deep). Every command it sends points at the call the user wrote. For a
  /// body (`mode` `.definition`), only calls passing on the values of this call are followed.
  func expandCall(
    _ call: Command, procedure: Procedure, values: [PlanString], file: String, env: Scope,
    mode: ExpansionMode, into out: inout [PlannedCommand]
  ) {
    let saved = suppressDiagnostics
    suppressDiagnostics = true
    defer { suppressDiagnostics = saved }
    func remapped(_ command: PlannedCommand) -> PlannedCommand {
      var command = command
      command.file = file
      command.range = call.range
      return command
    }
    if let cached = cachedExpansion(of: call.name.text, procedure) {
      out += cached.map(remapped)
      return
    }
    var frames = [
      ExpansionFrame(
        procedure, name: call.name.text, start: out.count,
        env: bodyScope(procedure, arguments: call.arguments, values: values, file: file, env: env))
    ]
    while let top = frames.last {
      guard top.next < top.commands.count else {
        frames.removeLast()
        cacheExpansion(top, out[top.start...])
        continue
      }
      frames[frames.count - 1].next += 1
      let command = top.commands[top.next]
      guard command.kind == .call else {
        if let planned = expandLeaf(command, file: top.file, env: top.env) {
          out.append(remapped(planned))
        }
        continue
      }
      expandedProcedures?.insert(command.name.text)
      guard let callee = expandable(command), expansionSize(of: command.name.text) > 0,
        mode == .statement
          || command.arguments.contains(where: { parameterUse(in: $0, env: top.env) != nil })
      else { continue }
      if let cached = cachedExpansion(of: command.name.text, callee) {
        out += cached.map(remapped)
        continue
      }
      let calleeValues = command.arguments.map {
        resolveArgument($0, file: top.file, env: top.env)
      }
      let scope = bodyScope(
        callee, arguments: command.arguments, values: calleeValues, file: top.file, env: top.env)
      frames.append(ExpansionFrame(callee, name: command.name.text, start: out.count, env: scope))
    }
  }

  /// The commands a call to a procedure without parameters expanded to earlier, with the same
  /// globals defined (such a call always expands the same way, and anything its expansion
  /// reports was reported then, at the same place).
  func cachedExpansion(of name: String, _ procedure: Procedure) -> [PlannedCommand]? {
    guard procedure.definition.parameters.isEmpty, let cached = expansionCache[name],
      cached.order == nextOrder
    else { return nil }
    return cached.commands
  }

  /// Remembers what a call to a procedure without parameters expanded to, while the cache holds
  /// fewer than ``ExpansionLimits/commandsPerFile`` commands in all.
  func cacheExpansion(_ frame: ExpansionFrame, _ commands: ArraySlice<PlannedCommand>) {
    guard frame.isCacheable,
      cachedCommandCount + commands.count <= ExpansionLimits.commandsPerFile
    else { return }
    cachedCommandCount += commands.count
    expansionCache[frame.name] = (nextOrder, Array(commands))
  }
}

/// A procedure body being expanded: where it is, its scope, and where its commands start.
struct ExpansionFrame {
  var name: String
  var commands: [Command]
  var next = 0
  var file: String
  var env: Scope
  var start: Int
  var isCacheable: Bool

  init(_ procedure: Procedure, name: String, start: Int, env: Scope) {
    self.name = name
    self.commands = procedure.definition.body.commands
    self.file = procedure.file
    self.env = env
    self.start = start
    self.isCacheable = procedure.definition.parameters.isEmpty
  }
}
