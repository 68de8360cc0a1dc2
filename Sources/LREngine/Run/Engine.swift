import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// Runs compiled plans: resolves targets, journals every action before submitting it, submits
/// through the client (which keeps the API budget), polls everything in flight with one list call,
/// fetches each result as soon as its command completes, and reports typed events.
public actor Engine {
  /// How a run behaves.
  public struct Options: Sendable {
    /// Results go to `<resultsRoot>/<run>/<machine>/<index>-<name>`.
    public var resultsRoot: URL
    /// The folder `file "…"` targets are relative to.
    public var scriptDirectory: URL
    /// Resolve and report, submit nothing.
    public var dryRun = false
    /// Refuse statements that resolve to more machines than this.
    public var maxMachines: Int?
    /// Statements touching more machines than this need `confirm` to answer yes.
    public var confirmAbove = 25
    /// Asked before a large fan-out (statement number, machine count); nil refuses.
    public var confirm: (@Sendable (Int, Int) async -> Bool)?
    /// Stop waiting after this long; unfinished actions stay in the journal for `lr resume`.
    public var timeout: Duration?
    public var profile = "default"
    public var tenant = ""
    /// The run this one reruns (`lr rerun`), journaled with the new run.
    public var parentRun: String?
    /// When set, every statement runs only on the machines (ids) in it (`lr rerun`).
    public var onlyMachines: Set<String>?
    /// Machines (ids) a statement (by number) leaves out: those `--skip-ineligible` skips.
    public var excludedMachines: [Int: Set<String>] = [:]
    /// Static statements' targets resolved already (the pre-flight's), by statement number: the
    /// engine uses them rather than resolving again.
    public var resolvedTargets: [Int: [MachineRef]] = [:]
    /// The staged rollout of the command line (`--canary`, `--waves`, `--stop-if-failed`); each
    /// option it leaves unset comes from the statement's own (see ``rolloutPolicy(for:)``).
    public var rollout: RolloutPolicy?

    public init(resultsRoot: URL, scriptDirectory: URL) {
      self.resultsRoot = resultsRoot
      self.scriptDirectory = scriptDirectory
    }
  }

  /// Why a run stopped before sending anything.
  public struct RunError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Unknown machine names, with suggestions.
    public var unknown: [TargetResolver.UnknownName]
  }

  let api: DefenderAPI
  let journal: any RunJournal
  let audit: AuditLog
  let options: Options
  let emit: @Sendable (EngineEvent) -> Void
  let resolver: TargetResolver
  let poller: ActionPoller
  var sequence = 0
  var results: ResultValues = [:]
  /// Writes every outcome: journal, audit log, manifest, event.
  var recorder: RunRecorder
  var waiters: [String: AsyncStream<ActionPoller.Change>.Continuation] = [:]
  /// When to poll what is in flight (``pollLoop()``).
  var schedule = PollSchedule()
  var startedAt = Date()
  /// Set by ``resume(_:run:settle:)``: what the journal already knows about the run.
  var resumed: ResumeContext?
  /// The statements whose target matched no machine (``resolveStaticTargets(_:known:)``).
  var unmatched: [PlannedStatement] = []

  public init(
    api: DefenderAPI, journal: any RunJournal, audit: AuditLog, options: Options,
    events: @escaping @Sendable (EngineEvent) -> Void
  ) {
    self.api = api
    self.journal = journal
    self.audit = audit
    self.options = options
    self.emit = events
    self.recorder = RunRecorder(
      journal: journal, audit: audit, resultsRoot: options.resultsRoot, tenant: options.tenant,
      emit: events)
    self.resolver = TargetResolver(api: api, baseDirectory: options.scriptDirectory)
    self.poller = ActionPoller(api: api)
  }

  /// The run being recorded.
  var runID: String {
    get { recorder.runID }
    set { recorder.runID = newValue }
  }

  /// The counts so far.
  var summary: RunSummary {
    get { recorder.summary }
    set { recorder.summary = newValue }
  }

  // MARK: - Runs

  /// Runs a plan to the end; returns the summary (its ``RunSummary/exitStatus`` is the exit code).
  ///
  /// - Parameters:
  ///   - sourceText: the text that was compiled, journaled for `lr resume`.
  ///   - modules: the text of each module it imported, by source name, journaled with it.
  ///   - earlier: results bound by earlier runs (the REPL's session), for `if` and `${…}`.
  public func run(
    _ plan: Plan, sourcePath: String, sourceText: String, modules: [String: String] = [:],
    results earlier: ResultValues = [:]
  ) async throws -> RunSummary {
    runID = RunToken.newRunID()
    results = earlier
    startedAt = Date()
    emit(.runStarted(runID: runID, statements: plan.allStatements.count))
    let governorTask = await forwardGovernorEvents()
    defer { governorTask.cancel() }
    let resolved: [Int: [MachineRef]]
    do {
      resolved = try await resolveStaticTargets(plan)
      try validateRollout(plan, resolved: resolved)
      try refuseIfNothingMatches(plan)
    } catch {
      // Stopped before anything was journaled or sent: the stream still ends with runFinished.
      emit(.runFinished(runID: runID, summary: .refusal(RunFailure(error))))
      throw error
    }
    if options.dryRun {
      summary.dryRun = true
      emit(.runFinished(runID: runID, summary: summary))
      return summary
    }
    try recorder.created(
      RunRecord(
        id: runID, createdAt: startedAt, sourcePath: sourcePath, sourceText: sourceText,
        modules: modules,
        profile: options.profile, tenant: options.tenant,
        resultsDirectory: options.resultsRoot.path, parentRun: options.parentRun,
        rollout: options.rollout))
    for (statement, machines) in resolved {
      try recordTargets(statement: statement, machines: machines)
    }
    return try await drive(plan.steps, resolved: resolved)
  }

  /// Resolves the top-level statements whose targets do not read results, except those `known`
  /// already; unknown names anywhere stop the run before anything is sent, with suggestions.
  func resolveStaticTargets(_ plan: Plan, known: [Int: [MachineRef]] = [:]) async throws
    -> [Int: [MachineRef]]
  {
    var resolved = known
    var unknown: [TargetResolver.UnknownName] = []
    for case .statement(let statement) in plan.steps
    where statement.target.isStatic && resolved[statement.number] == nil {
      let found = try await targets(of: statement, results: [:])
      if found.machines.isEmpty, found.unknown.isEmpty { unmatched.append(statement) }
      resolved[statement.number] = restricted(found.machines, statement: statement.number)
      unknown += found.unknown
      emit(
        .machinesResolved(
          statement: statement.number,
          machines: restricted(found.machines, statement: statement.number),
          unknown: found.unknown.map(\.name),
          unmatched: found.machines.isEmpty && found.unknown.isEmpty
            ? statement.target.summary : nil)
      )
    }
    if !unknown.isEmpty {
      let names = unknown.map { u in
        u.suggestion.map { "\(u.name) (did you mean \($0)?)" } ?? u.name
      }
      throw RunError(
        description: "unknown machine\(unknown.count == 1 ? "" : "s"): "
          + names.joined(separator: ", "), unknown: unknown)
    }
    return resolved
  }

  /// The machines `statement`'s target denotes: those ``Options/resolvedTargets`` holds for a
  /// static target, else resolved through the machines API.
  func targets(of statement: PlannedStatement, results: ResultValues) async throws
    -> (machines: [MachineRef], unknown: [TargetResolver.UnknownName])
  {
    if statement.target.isStatic, let known = options.resolvedTargets[statement.number] {
      return (known, [])
    }
    return try await resolver.resolve(statement.target, results: results)
  }

  /// The machines a statement runs on: all it resolved to, or those of ``Options/onlyMachines``,
  /// less its ``Options/excludedMachines``.
  func restricted(_ machines: [MachineRef], statement: Int) -> [MachineRef] {
    let excluded = options.excludedMachines[statement] ?? []
    let kept = machines.filter { !excluded.contains($0.id) }
    guard let only = options.onlyMachines else { return kept }
    return kept.filter { only.contains($0.id) }
  }

  /// Executes the steps with polling running, within the timeout, and finishes the run.
  func drive(_ steps: [PlanStep], resolved: [Int: [MachineRef]]) async throws -> RunSummary {
    let pollTask = Task { await self.pollLoop() }
    // Sessions others hold (queued for offline devices included) are counted before submitting.
    _ = try? await api.countSessionsHeldElsewhere()
    let sessionsTask = Task { await self.watchSessionsHeldElsewhere() }
    defer {
      pollTask.cancel()
      sessionsTask.cancel()
    }
    var state = RunRecord.State.finished
    let targets = resolved
    do {
      if let timeout = options.timeout {
        // Service time: in the lab the timeout runs at the emulator's time scale.
        let clock = api.governor.clock
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await self.execute(steps, resolved: targets) }
          group.addTask {
            try await clock.sleep(until: clock.now + timeout)
            throw CancellationError()
          }
          try await group.next()
          group.cancelAll()
        }
      } else {
        try await execute(steps, resolved: targets)
      }
    } catch let pause as RunPause {
      // The breaker tripped: the machines not started wait for `lr resume`.
      state = .paused
      summary.paused = pause
      emit(.runPaused(runID: runID, pause: pause))
    } catch  where Engine.isCancellation(error) {
      // A timeout, or the caller cancelled the run (Ctrl-C): every accepted action is journaled,
      // so the run stays resumable.
      state = .interrupted
      summary.stoppedEarly = true
      summary.interrupted = Task.isCancelled
    } catch {
      // Sign-in, configuration, the journal: the run stops; what was accepted stays journaled,
      // and `lr resume` finishes the run once the cause is fixed.
      await poller.untrackAll()
      schedule.forgetAll()
      summary.failure = RunFailure(error)
      try? finishRun(state: .failed)
      throw error
    }
    // Actions the run stopped following no longer hold their device's session slot.
    await poller.untrackAll()
    schedule.forgetAll()
    try finishRun(state: state)
    return summary
  }

  /// The results bound so far (`let r = on …`), by binding name.
  public var boundResults: ResultValues { results }

  /// Cancels, through the API, every action of this run that has not finished; returns how many.
  @discardableResult
  public func cancelInFlight(comment: String = "cancelled from lr") async -> Int {
    var cancelled = 0
    for action in (try? journal.actions(run: runID)) ?? [] where action.state == .submitted {
      guard let id = action.actionID else { continue }
      if (try? await api.cancelMachineAction(id, comment: comment)) != nil { cancelled += 1 }
    }
    return cancelled
  }

  func finishRun(state: RunRecord.State) throws {
    for (_, continuation) in waiters { continuation.finish() }
    try recorder.runFinished(state: state, startedAt: startedAt)
  }

  func execute(_ steps: [PlanStep], resolved: [Int: [MachineRef]]) async throws {
    for step in steps {
      try Task.checkCancellation()
      switch step {
      case .statement(let statement):
        var machines = resolved[statement.number]
        if machines == nil {
          let found = try await targets(of: statement, results: results)
          emit(
            .machinesResolved(
              statement: statement.number,
              machines: restricted(found.machines, statement: statement.number),
              unknown: found.unknown.map(\.name)))
          if !found.unknown.isEmpty {
            throw RunError(
              description: "unknown machine: " + found.unknown.map(\.name).joined(separator: ", "),
              unknown: found.unknown)
          }
          machines = restricted(found.machines, statement: statement.number)
          try recordTargets(statement: statement.number, machines: machines ?? [])
        }
        try await runStatement(statement, on: machines ?? [])
      case .branch(let branch):
        let taken = branch.condition.evaluate(results).isTruthy
        try await execute(taken ? branch.thenSteps : branch.elseSteps, resolved: resolved)
      }
    }
  }

  /// One statement: every machine in parallel, each machine's requests in order.
  func runStatement(_ statement: PlannedStatement, on machines: [MachineRef]) async throws {
    if let limit = options.maxMachines, machines.count > limit {
      throw RunError(
        description:
          "statement \(statement.number) would touch \(machines.count) machines; --max-machines is \(limit)",
        unknown: [])
    }
    if machines.count > options.confirmAbove {
      let approved = await options.confirm?(statement.number, machines.count) ?? false
      guard approved else {
        throw RunError(
          description:
            "statement \(statement.number) would touch \(machines.count) machines (more than \(options.confirmAbove)); confirm on a terminal or pass --yes",
          unknown: [])
      }
    }
    let outcomes = try await runStaged(statement, on: machines)
    if let binding = statement.binding {
      results[binding] = Engine.bind(outcomes)
    }
  }

  /// How many machines of a statement run at once: a bounded pool, well above the 25 sessions
  /// the service allows, instead of one task per machine created up front.
  static let runningMachines = 256

  /// Runs the machines in parallel (at most ``runningMachines`` at once, in order), each
  /// machine's requests in order; the outcomes in machine order, nil for a machine the breaker
  /// kept from starting (none at all when `keep` is false: what each machine produced is in the
  /// journal, and memory stays flat however many machines run).
  func fanOut(
    _ statement: PlannedStatement, on machines: [MachineRef], breaker: RolloutBreaker?,
    keep: Bool = true
  ) async throws -> [MachineOutcome?] {
    try await withThrowingTaskGroup(of: (Int, MachineOutcome?).self) { group in
      var collected: [(Int, MachineOutcome?)] = []
      if keep { collected.reserveCapacity(machines.count) }
      for (position, machine) in machines.enumerated() {
        if position >= Engine.runningMachines, let done = try await group.next(), keep {
          collected.append(done)
        }
        group.addTask {
          (position, try await self.runMachine(statement, on: machine, breaker: breaker))
        }
      }
      for try await outcome in group where keep { collected.append(outcome) }
      return collected.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  /// What one machine's part of a statement produced (for `let r = on …`).
  struct MachineOutcome: Sendable {
    var machine: MachineRef
    var status: ActionStatus
    var exitCode: Int?
    var output: String?
    var errors: String?
    var file: String?
    /// The last script's output as rows, parsed as the journal stores them.
    var rows: [JSONValue] = []
    /// A result of this machine's actions could not be downloaded.
    var downloadFailed = false
    /// A script of this machine's actions exited non-zero (the rollout's breaker counts it).
    var scriptFailed = false
  }

  /// How bad a machine's final status is, for the worst of several (`r.status`).
  static func rank(_ status: ActionStatus) -> Int { ResultSet.rank(status) }

  func runRequests(_ statement: PlannedStatement, on machine: MachineRef) async throws
    -> MachineOutcome
  {
    var outcome = MachineOutcome(machine: machine, status: .succeeded)
    for (index, request) in statement.requests.enumerated() {
      if outcome.status != .succeeded {
        let offset = statement.commandOffset(request: index)
        for (i, command) in request.commands.enumerated() {
          emit(
            .commandNotExecuted(
              actionID: nil, machine: machine, index: offset + i, type: command.type.rawValue,
              reason: "an earlier action on this machine ended \(outcome.status)"))
        }
        continue
      }
      try await runAction(
        request, statement: statement, requestIndex: index, machine: machine, outcome: &outcome)
    }
    return outcome
  }

  // MARK: - Results

  /// Fetches a completed command's result into the results folder.
  ///
  /// - Parameter offset: how many commands of the statement's earlier requests precede this
  ///   action's (events and result names number commands across the statement).
  func collect(
    _ command: ActionCommand, actionID: String, row: Int64, machine: MachineRef, offset: Int,
    manifest: inout Manifest.Action, outcome: inout MachineOutcome
  ) async throws {
    let position = offset + command.index
    if try reuseSavedResult(
      command, actionID: actionID, row: row, machine: machine, position: position,
      manifest: &manifest, outcome: &outcome)
    {
      return
    }
    let type = command.command.type
    let remote: String
    switch type {
    case "RunScript": remote = (command.command.parameter("ScriptName") ?? "script") + ".json"
    case "GetFile": remote = command.command.parameter("Path") ?? "file"
    default:
      try recorder.commandFinished(
        CommandRecord(actionRow: row, commandIndex: command.index, type: type, status: "Completed"),
        actionID: actionID, machine: machine, position: position,
        duration: Engine.duration(command), manifest: &manifest)
      return
    }
    // Shown as completed now; journaled once its result is saved.
    emit(
      .commandCompleted(
        actionID: actionID, machine: machine, index: position, type: type,
        duration: Engine.duration(command)))
    let url = ResultsFolder(root: options.resultsRoot, runID: runID).resultURL(
      machine: machine.computerName, number: position + 1, remoteName: remote)
    guard
      let saved = try await downloadResult(
        command, actionID: actionID, row: row, machine: machine, position: position, to: url,
        manifest: &manifest, outcome: &outcome)
    else { return }
    let (record, result) = Engine.savedResult(saved, command: command, row: row, outcome: &outcome)
    try storeResult(
      record, command: command.command, machine: machine, outcome: &outcome)
    try recorder.resultSaved(
      record, result: result, actionID: actionID, machine: machine, position: position,
      manifest: &manifest)
  }

  /// A saved result as journaled and as the event reports it (a RunScript transcript read for its
  /// exit code and output, or a GetFile file), bound into the machine's outcome.
  static func savedResult(
    _ saved: DownloadedFile, command: ActionCommand, row: Int64, outcome: inout MachineOutcome
  ) -> (CommandRecord, CommandResult) {
    let type = command.command.type
    var exitCode: Int?
    let result: CommandResult
    if type == "RunScript" {
      let data = FileManager.default.contents(atPath: saved.path) ?? Data()
      let transcript = try? ScriptTranscript.decode(from: data)
      let code = transcript?.exitCode ?? 0
      exitCode = code
      outcome.exitCode = code
      if code != 0 { outcome.scriptFailed = true }
      outcome.output = transcript?.scriptOutput ?? ""
      outcome.errors = transcript?.scriptErrors ?? ""
      result = .script(
        exitCode: code, output: transcript?.scriptOutput ?? "",
        errors: transcript?.scriptErrors ?? "", path: saved.path)
    } else {
      outcome.file = saved.path
      result = .file(path: saved.path, size: saved.size, sha256: saved.sha256)
    }
    let record = CommandRecord(
      actionRow: row, commandIndex: command.index, type: type, status: "Completed",
      exitCode: exitCode, resultPath: saved.path, resultSize: saved.size,
      resultSHA256: saved.sha256)
    return (record, result)
  }

  static func duration(_ command: ActionCommand) -> TimeInterval? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    func parse(_ s: String?) -> Date? {
      guard let s else { return nil }
      return formatter.date(from: s) ?? ISO8601DateFormatter().date(from: s)
    }
    guard let start = parse(command.startTime), let end = parse(command.endTime) else { return nil }
    return end.timeIntervalSince(start)
  }

  // MARK: - Polling

  func subscribe(_ actionID: String) -> AsyncStream<ActionPoller.Change> {
    let (stream, continuation) = AsyncStream<ActionPoller.Change>.makeStream()
    waiters[actionID] = continuation
    return stream
  }

  func deliver(_ changes: [ActionPoller.Change]) {
    for change in changes {
      waiters[change.action.id]?.yield(change)
      if change.finished { waiters[change.action.id]?.finish() }
    }
  }

  /// Shows the budget's events (waits, throttling, retries: the sign-in's too) as run events
  /// until the returned task is cancelled; subscribed before it returns, so a run forwards from
  /// its start (target resolution's sign-in included).
  func forwardGovernorEvents() async -> Task<Void, Never> {
    let events = await api.governor.events()
    return Task { await self.forward(events) }
  }

  private func forward(_ events: AsyncStream<GovernorEvent>) async {
    let clock = api.governor.clock
    for await event in events {
      switch event {
      case .waiting(let endpoint, let reason, let delay):
        emit(
          .waitingForBudget(
            reason: "\(reason.rawValue) of \(endpoint)", until: clock.realDate(after: delay)))
      case .throttled(let endpoint, let retryAfter):
        emit(
          .waitingForBudget(
            reason: "the service asked to wait (429) on \(endpoint)",
            until: Date().addingTimeInterval(retryAfter.seconds)))
      case .waitingForSession(let machineID, let reason):
        emit(.waitingForBudget(reason: "\(reason.rawValue) (machine \(machineID))", until: Date()))
      case .retrying(_, let attempt, let delay, let cause):
        emit(.retry(reason: cause, attempt: attempt, after: delay.seconds))
      }
    }
  }
}

extension PlannedStatement {
  /// How many commands the statement's requests before `request` hold: the position of the
  /// request's first command among the statement's commands on one machine.
  func commandOffset(request: Int) -> Int {
    requests.prefix(request).reduce(0) { $0 + $1.commands.count }
  }
}

extension TargetSelector {
  /// Whether the selector can be resolved before anything runs (reads no result).
  var isStatic: Bool {
    terms.allSatisfy {
      switch $0 {
      case .machine(let s), .tag(let s), .name(let s), .file(let s), .filter(let s):
        s.literal != nil
      case .results: false
      }
    }
  }
}

extension Duration {
  var seconds: TimeInterval {
    let (s, attoseconds) = components
    return TimeInterval(s) + TimeInterval(attoseconds) / 1e18
  }
}

extension Array {
  subscript(safe index: Int) -> Element? {
    get { indices.contains(index) ? self[index] : nil }
    set {
      if let newValue, indices.contains(index) { self[index] = newValue }
    }
  }
}
