import Foundation
import LRLanguage
import LiveResponse

/// The REPL's brain, independent of the terminal: it keeps the compile environment, the default
/// target, the output mode and the jobs, and evaluates each complete input (a meta-command or
/// statements). Statements that compile run in the background through the ``StatementRunner``.
public actor Session {
  /// Settings fixed for a session.
  public struct Configuration: Sendable {
    /// Loads `use` modules (the current folder, then the stdlib).
    public var modules: any ModuleProvider
    /// Starting output mode.
    public var outputMode: OutputMode
    /// Whether to colour output (a terminal, `NO_COLOR` unset).
    public var colors: Bool
    /// Whether output goes to an interactive terminal (`.clear` clears it).
    public var terminal: Bool
    /// Lines of script output shown before the `.show` hint.
    public var maxOutputLines: Int
    /// The input history (`.history`), if any.
    public var history: HistoryFile?
    /// Library script names known locally (completion when no service is connected).
    public var localScripts: [String]
    /// The terminal's width in columns, read when a value prints (nil: lines are not cut).
    public var width: (@Sendable () -> Int)?

    public init(
      modules: any ModuleProvider, outputMode: OutputMode = .human, colors: Bool = false,
      terminal: Bool = false,
      maxOutputLines: Int = 20, history: HistoryFile? = nil, localScripts: [String] = [],
      width: (@Sendable () -> Int)? = nil
    ) {
      self.modules = modules
      self.outputMode = outputMode
      self.colors = colors
      self.terminal = terminal
      self.maxOutputLines = maxOutputLines
      self.history = history
      self.localScripts = localScripts
      self.width = width
    }
  }

  /// What the front end should do after an input.
  public enum Next: Sendable, Equatable {
    case proceed
    case quit
  }

  public let runner: any StatementRunner
  public let configuration: Configuration
  let output: ShellOutput

  /// Names defined by earlier inputs (`let`, `def`, `use`).
  public private(set) var environment: Compiler.Environment?
  /// The `.connect` machine.
  public private(set) var defaultMachine: String?
  public private(set) var outputMode: OutputMode
  /// Results bound by earlier statements, for `if` and `${r.output}`.
  public private(set) var results: ResultValues = [:]
  /// Every job, by id.
  public private(set) var jobs: [JobID: Job] = [:]
  /// Inputs that did not compile or meta-commands that failed (batch mode's exit status).
  public internal(set) var errorCount = 0
  private var tasks: [JobID: Task<Void, Never>] = [:]
  /// The machine action `.cancel ACTION-ID` asked about: the next input is the y/N answer.
  private var confirmingActionCancel: String?
  private var nextJob = 1
  /// Set by `.plan`: the next statement is checked live instead of run.
  private var planNext = false
  private var knownMachines: Set<String> = []
  private var serviceMachines: [String] = []
  private var serviceFiles: [String] = []
  private let completionState = Locked(CompletionContext())

  public init(runner: any StatementRunner, configuration: Configuration, output: ShellOutput) {
    self.runner = runner
    self.configuration = configuration
    self.output = output
    self.outputMode = configuration.outputMode
    let names = CompletionNames(
      scripts: configuration.localScripts, files: configuration.localScripts)
    completionState.withLock { $0.names = names }
  }

  /// The primary prompt: `lr(offline)> `, `lr(lab:WS-0142)> `.
  public var prompt: String {
    runner.kind.prompt(machine: defaultMachine.map { Sanitizer.line($0) })
  }

  /// The prompt of continuation lines.
  public static let continuationPrompt = "...> "

  /// A thread-safe view of what completion needs, refreshed after each input.
  public nonisolated func completionContext() -> CompletionContext {
    completionState.withLock { $0 }
  }

  var renderer: ShellRenderer {
    ShellRenderer(
      mode: outputMode, maxOutputLines: configuration.maxOutputLines, colors: configuration.colors)
  }

  // MARK: - Evaluation

  /// Evaluates one complete input: a meta-command, or statements (compiled; run if clean).
  public func evaluate(_ input: String) async -> Next {
    if let id = confirmingActionCancel {
      confirmingActionCancel = nil
      await confirmActionCancel(id, answer: input)
      return .proceed
    }
    guard !input.allSatisfy({ $0.isWhitespace }) else { return .proceed }
    if let expression = ResultExpression.parse(input), isResultExpression(expression) {
      showValue(expression)
      return .proceed
    }
    if MetaCommand.isMetaCommand(input) {
      switch MetaCommand.parse(input) {
      case .success(let command): return await perform(command)
      case .failure(let error):
        errorCount += 1
        output.err("error: \(Sanitizer.text(error.description))\n")
        return .proceed
      }
    }
    await submit(input)
    return .proceed
  }

  /// Compiles an input and, when it has no errors, starts a job for its statements.
  private func submit(_ input: String) async {
    let source = SourceFile(name: "<repl>", text: input)
    let options = Compiler.Options(
      defaultComment: "lr REPL", defaultTarget: defaultTarget, allowRedefinition: true,
      environment: environment)
    let compiled = Compiler.compile(source, options: options, modules: configuration.modules)
    if !compiled.diagnostics.isEmpty {
      let formatter = DiagnosticFormatter(sources: compiled.sources, colors: configuration.colors)
      output.err(formatter.render(compiled.diagnostics))
    }
    if compiled.diagnostics.hasErrors {
      errorCount += 1
      if defaultMachine == nil, startsWithBareCommand(compiled.diagnostics) {
        output.err("hint: `.connect MACHINE` first, or write `on machine NAME < … >`\n")
      }
      return
    }
    environment = compiled.environment
    for statement in compiled.plan.allStatements {
      for term in statement.target.terms {
        if case .machine(let name) = term, let literal = name.literal {
          knownMachines.insert(literal)
        }
      }
    }
    refreshCompletion()
    guard !compiled.plan.steps.isEmpty else { return }
    if planNext {
      planNext = false
      return await listing { try await runner.preflight(compiled.plan) }
    }
    start(compiled.plan, input: input, source: source.name, sources: compiled.sources)
  }

  private func startsWithBareCommand(_ diagnostics: [Diagnostic]) -> Bool {
    diagnostics.contains { $0.id == "commandOutsideBlock" }
  }

  private var defaultTarget: TargetSelector? {
    defaultMachine.map { TargetSelector(terms: [.machine(PlanString(literal: $0))]) }
  }

  /// Starts a job: the runner on one task, its events rendered in order on another.
  private func start(
    _ plan: Plan, input: String, source: String, sources: [String: SourceFile]
  ) {
    let id = JobID(nextJob)
    nextJob += 1
    jobs[id] = Job(id: id, input: input)
    let (stream, continuation) = AsyncStream.makeStream(of: ShellEvent.self)
    let runner = self.runner
    let context = RunContext(job: id, results: results, sources: sources, input: source)
    let clock = ContinuousClock()
    let began = clock.now
    let producer = Task<ResultValues, Never> {
      do {
        let values = try await runner.run(plan, context: context) { _ = continuation.yield($0) }
        continuation.finish()
        return values
      } catch {
        let elapsed = began.duration(to: clock.now)
        continuation.yield(
          .finished(.failed(reason: "\(error)"), elapsedSeconds: Session.seconds(elapsed)))
        continuation.finish()
        return [:]
      }
    }
    tasks[id] = Task {
      for await event in stream { self.handle(event, job: id) }
      let values = await producer.value
      self.complete(id, values: values)
    }
  }

  /// Prints what a meta-command says: as it is for people, or as an `output` event in JSON mode
  /// so that piped standard output stays JSON lines.
  func say(_ text: String) {
    switch outputMode {
    case .human: output.out(text)
    case .json:
      output.out(
        JSONValue.object([("event", .string("output")), ("text", .string(text))]).serialized()
          + "\n")
    }
  }

  private func handle(_ event: ShellEvent, job id: JobID) {
    record(event, job: id)
    let text = renderer.render(event, job: id)
    if !text.isEmpty { output.out(text) }
  }

  /// Keeps what an event says about the job (results, actions, machine names for completion).
  private func record(_ event: ShellEvent, job id: JobID) {
    switch event {
    case .engine(_, let views):
      for view in views { record(view, job: id) }
    case .commandCompleted(let machine, let command, let result, _):
      jobs[id]?.results.append(Job.Entry(machine: machine, command: command, result: result))
    case .finished(let outcome, _):
      jobs[id]?.state = .finished(outcome)
    case .resolved(let machines):
      for machine in machines { knownMachines.insert(machine.name) }
    case .actionStatus(let machine, let actionID, let status, _):
      jobs[id]?.actions[actionID] = Job.Action(machine: machine.name, status: status)
    default: break
    }
  }

  private func complete(_ id: JobID, values: ResultValues) {
    results.merge(values) { _, new in new }
    if jobs[id]?.state == .running { jobs[id]?.state = .finished(.succeeded) }
    if !values.isEmpty { refreshCompletion() }
    tasks[id] = nil
  }

  /// Waits until every running job has finished (batch mode, tests, `.quit`).
  public func waitForJobs() async {
    while let task = tasks.first?.value {
      await task.value
    }
  }

  /// What Ctrl-C on an empty line led to.
  public enum Interruption: Sendable, Equatable {
    /// Nothing was running (a hint was printed).
    case nothingRunning
    /// The job's cancellation went to the API.
    case cancelled(JobID)
    /// The job is already running on a device: the front end asks `question` (y/N) and passes
    /// the answer to ``confirmCancel(_:answer:)``.
    case confirm(JobID, question: String)
  }

  /// Ctrl-C on an empty line: cancel the latest running job (asking first when it is already
  /// running on a device), or say how to leave.
  public func interrupt() async -> Interruption {
    guard let id = latestRunning, let job = jobs[id] else {
      say("(nothing is running; Ctrl-D or .quit leaves lr)\n")
      return .nothingRunning
    }
    let devices = job.runningOnDevice
    guard devices.isEmpty else {
      let names = devices.prefix(3).map(Sanitizer.line).joined(separator: ", ")
      let more = devices.count > 3 ? " and \(devices.count - 3) more" : ""
      return .confirm(
        id, question: "[\(id)] is running on \(names)\(more); cancel it through the API? [y/N] ")
    }
    await cancel(id)
    return .cancelled(id)
  }

  /// The answer to an ``Interruption/confirm(_:question:)``: `y`/`yes` cancels, anything else
  /// (or nil: Ctrl-C, Ctrl-D) keeps the job running.
  public func confirmCancel(_ id: JobID, answer: String?) async {
    let yes = ["y", "yes"].contains(answer?.trimmingCharacters(in: .whitespaces).lowercased())
    guard yes else {
      say("[\(id)] keeps running\n")
      return
    }
    guard jobs[id]?.isRunning == true else {
      say("[\(id)] has already finished\n")
      return
    }
    await cancel(id)
  }

  /// Running jobs, oldest first.
  public var runningJobs: [Job] {
    jobs.values.filter(\.isRunning).sorted { $0.id < $1.id }
  }

  private var latestRunning: JobID? { runningJobs.last?.id }

  private func cancel(_ id: JobID) async {
    say("[\(id)] cancelling…\n")
    do {
      try await runner.cancel(job: id)
    } catch {
      errorCount += 1
      output.err("error: [\(id)] cannot cancel: \(Sanitizer.text("\(error)"))\n")
    }
  }

  /// Names for completion from the service (machines, library); quietly skipped offline.
  public func loadServiceNames() async {
    guard runner.kind != .offline else { return }
    if let machines = try? await runner.machines(filter: nil) {
      serviceMachines = machines.map(\.name)
    }
    if let library = try? await runner.library() { serviceFiles = library.map(\.fileName) }
    refreshCompletion()
  }

  func refreshCompletion() {
    var machines = Set(serviceMachines).union(knownMachines)
    if let defaultMachine { machines.insert(defaultMachine) }
    let files = Array(Set(serviceFiles + configuration.localScripts)).sorted()
    let context = CompletionContext(
      environment: environment, defaultTarget: defaultTarget,
      names: CompletionNames(machines: machines.sorted(), scripts: files, files: files),
      results: boundColumns)
    completionState.withLock { $0 = context }
  }

  static func seconds(_ duration: Duration) -> Double {
    let c = duration.components
    return Double(c.seconds) + Double(c.attoseconds) / 1e18
  }

  // MARK: - Meta-commands

  private func perform(_ command: MetaCommand) async -> Next {
    switch command {
    case .help(let topic): help(topic)
    case .connect(let machine): connect(machine)
    case .disconnect: disconnect()
    case .machines, .library, .actions: await list(command)
    case .jobs, .cancel, .results, .show: return await performJobCommand(command)
    case .cancelAction(let id): return await askActionCancel(id)
    case .export(let expression, let path): return export(expression, to: path)
    case .stack(let expression, let column): return stack(expression, column: column)
    case .output(let mode): setOutput(mode)
    case .profile: showProfile()
    case .history(let count): showHistory(count)
    case .clear:
      if configuration.terminal { output.out("\u{1B}[H\u{1B}[2J") }
    case .quit: return quit()
    case .plan:
      planNext = true
      say("the next statement is checked, not run\n")
    case .echoLater(let milliseconds, let text):
      let out = output
      Task {
        try? await Task.sleep(for: .milliseconds(milliseconds))
        out.out(Sanitizer.line(text) + "\n")
      }
    }
    return .proceed
  }

  /// `.help` and `.help TOPIC`.
  private func help(_ topic: String?) {
    guard let topic else { return say(HelpText.overview(kind: runner.kind)) }
    if let text = HelpText.topic(topic) {
      say(text)
    } else {
      errorCount += 1
      output.err("error: no help on `\(Sanitizer.line(topic))`; `.help` lists the topics\n")
    }
  }

  /// `.connect MACHINE`: the default target of bare commands.
  private func connect(_ machine: String) {
    defaultMachine = machine
    knownMachines.insert(machine)
    refreshCompletion()
    say(
      "default target: machine \(Sanitizer.line(machine)); bare `run`, `get`, `put` go there "
        + "(.disconnect to stop)\n")
  }

  /// `.disconnect`: no default target.
  private func disconnect() {
    if let machine = defaultMachine {
      say("no default target (was \(Sanitizer.line(machine)))\n")
    } else {
      say("no default target was set\n")
    }
    defaultMachine = nil
    refreshCompletion()
  }

  /// `.machines`, `.library` and `.actions`: the service's listings (names feed completion).
  private func list(_ command: MetaCommand) async {
    switch command {
    case .machines(let filter):
      await listing {
        let machines = try await runner.machines(filter: filter)
        serviceMachines = Array(Set(serviceMachines + machines.map(\.name))).sorted()
        refreshCompletion()
        return ListingTable.machines(machines)
      }
    case .library:
      await listing {
        let files = try await runner.library()
        serviceFiles = files.map(\.fileName)
        refreshCompletion()
        return ListingTable.library(files)
      }
    case .actions:
      await listing { ListingTable.actions(try await runner.actions()) }
    default:
      break
    }
  }

  /// `.jobs`, `.cancel [N]`, `.results [N]` and `.show N #I [MACHINE]`.
  private func performJobCommand(_ command: MetaCommand) async -> Next {
    switch command {
    case .jobs:
      say(ListingTable.jobs(jobs.values.sorted { $0.id < $1.id }))
    case .cancel(let id):
      return await cancelCommand(id)
    case .results(let id):
      if let id {
        guard let job = jobs[id] else { return fail("no job [\(id)]; `.jobs` lists them") }
        say(ListingTable.results(job))
      } else if let job = jobs.values.max(by: { $0.id < $1.id }) {
        say(ListingTable.results(job))
      } else {
        say("no statements yet\n")
      }
    case .show(let id, let index, let machine):
      return show(job: id, index: index, machine: machine)
    default:
      break
    }
    return .proceed
  }

  /// `.cancel [N]`: the given job, else the latest running one.
  private func cancelCommand(_ id: JobID?) async -> Next {
    if let id {
      guard let job = jobs[id] else { return fail("no job [\(id)]; `.jobs` lists them") }
      guard job.isRunning else { return fail("[\(id)] is not running") }
      await cancel(id)
    } else if let id = latestRunning {
      await cancel(id)
    } else {
      say("nothing is running\n")
    }
    return .proceed
  }

  /// `.cancel ACTION-ID`: shows the action (machine, status, requestor, comment) and asks
  /// whether to cancel it through the API; the next input is the answer.
  private func askActionCancel(_ id: String) async -> Next {
    let action: ActionRecord
    do { action = try await runner.action(id: id) } catch {
      return fail("cannot read action \(Sanitizer.line(id)): \(Sanitizer.text("\(error)"))")
    }
    var facts = "action \(Sanitizer.line(action.id)) on \(Sanitizer.line(action.machine)): "
    facts += Sanitizer.line(action.status)
    facts += ", requested by \(Sanitizer.line(action.requestor ?? "an unknown requestor"))"
    if let created = action.created { facts += " at \(Sanitizer.line(created))" }
    if let comment = action.comment { facts += " (\"\(Sanitizer.line(comment))\")" }
    say(facts + "\n")
    guard !["Succeeded", "Failed", "TimeOut", "Cancelled"].contains(action.status) else {
      return fail("action \(Sanitizer.line(action.id)) has already finished")
    }
    confirmingActionCancel = action.id
    say("cancel it through the API? [y/N] ")
    return .proceed
  }

  /// The answer to `.cancel ACTION-ID`: `y`/`yes` cancels the action, anything else keeps it.
  private func confirmActionCancel(_ id: String, answer: String) async {
    let yes = ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    guard yes else {
      say("action \(Sanitizer.line(id)) not cancelled\n")
      return
    }
    do {
      let action = try await runner.cancelAction(id: id, comment: "cancelled from the lr REPL")
      say("action \(Sanitizer.line(action.id)): \(Sanitizer.line(action.status))\n")
    } catch {
      errorCount += 1
      output.err(
        "error: cannot cancel action \(Sanitizer.line(id)): \(Sanitizer.text("\(error)"))\n")
    }
  }

  /// `.show N #I [MACHINE]`: one result in full.
  private func show(job id: JobID, index: Int, machine: String?) -> Next {
    guard let job = jobs[id] else { return fail("no job [\(id)]; `.jobs` lists them") }
    let matches = job.results.filter {
      $0.command.index == index - 1 && (machine.map($0.machine.isNamed) ?? true)
    }
    guard let entry = matches.first else {
      return fail(
        "[\(id)] has no result #\(index)\(machine.map { " on " + Sanitizer.line($0) } ?? "")")
    }
    if Set(matches.map(\.machine.name)).count > 1 {
      say(
        "(\(matches.count) machines have #\(index); showing \(Sanitizer.line(entry.machine.name)))\n"
      )
    }
    say(renderer.full(entry.result))
    return .proceed
  }

  /// `.output [human|json]`.
  private func setOutput(_ mode: OutputMode?) {
    if let mode {
      outputMode = mode
      say("output: \(mode.rawValue)\n")
    } else {
      say("output: \(outputMode.rawValue) (.output human|json)\n")
    }
  }

  /// `.profile`: where statements go and where things are kept.
  private func showProfile() {
    var text = "statements go to: \(runner.kind.description)\n"
    text += "default target: \(defaultMachine.map(Sanitizer.line) ?? "none")\n"
    text += "output: \(outputMode.rawValue)\n"
    if let url = configuration.history?.url { text += "history: \(url.path)\n" }
    for place in runner.storage { text += "\(place.label): \(Sanitizer.line(place.path))\n" }
    say(text)
  }

  /// `.history [N]`: the last N entries (20 by default), numbered.
  private func showHistory(_ count: Int?) {
    let entries = configuration.history?.entries ?? []
    let shown = entries.suffix(count ?? 20)
    var text = ""
    var number = entries.count - shown.count + 1
    for entry in shown {
      let lines = Sanitizer.text(entry).split(separator: "\n", omittingEmptySubsequences: false)
      text += "\(number)  " + lines.joined(separator: "\n    ") + "\n"
      number += 1
    }
    say(text.isEmpty ? "(no history)\n" : text)
  }

  /// `.quit`: says what happens to the jobs still running, then leaves.
  private func quit() -> Next {
    let running = runningJobs
    if !running.isEmpty {
      let list = running.map { "[\($0.id)] \(Sanitizer.line($0.title))" }.joined(separator: ", ")
      let fate =
        switch runner.kind {
        case .lab: "the lab stops with lr, so they end here"
        case .offline: "nothing was sent"
        case .service:
          "leaving does not cancel actions already sent: they stay on the service and in the "
            + "journal (`lr resume --list` shows their runs, `lr resume RUN` finishes one)"
        }
      say("still running: \(list); \(fate)\n")
    }
    return .quit
  }

  func fail(_ message: String) -> Next {
    errorCount += 1
    output.err("error: \(message)\n")
    return .proceed
  }

  /// Runs a service listing and prints its table or the error.
  private func listing(_ body: () async throws -> String) async {
    do {
      say(try await body())
    } catch {
      errorCount += 1
      output.err("error: \(Sanitizer.text("\(error)"))\n")
    }
  }
}
