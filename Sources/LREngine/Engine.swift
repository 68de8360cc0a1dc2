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
  var runID = ""
  var sequence = 0
  var results: ResultValues = [:]
  var summary = RunSummary()
  var manifestActions: [Manifest.Action] = []
  var waiters: [String: AsyncStream<ActionPoller.Change>.Continuation] = [:]
  var startedAt = Date()
  /// Set by ``resume(_:run:settle:)``: what the journal already knows about the run.
  var resumed: ResumeContext?

  public init(
    api: DefenderAPI, journal: any RunJournal, audit: AuditLog, options: Options,
    events: @escaping @Sendable (EngineEvent) -> Void
  ) {
    self.api = api
    self.journal = journal
    self.audit = audit
    self.options = options
    self.emit = events
    self.resolver = TargetResolver(api: api, baseDirectory: options.scriptDirectory)
    self.poller = ActionPoller(api: api)
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
    let resolved = try await resolveStaticTargets(plan)
    if options.dryRun { return summary }
    try journal.create(
      RunRecord(
        id: runID, createdAt: startedAt, sourcePath: sourcePath, sourceText: sourceText,
        modules: modules,
        profile: options.profile, tenant: options.tenant,
        resultsDirectory: options.resultsRoot.path))
    try audit.append(
      event: "run.started",
      fields: [
        ("run", .string(runID)), ("source", .string(sourcePath)),
        ("tenant", .string(options.tenant)),
      ])
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
      let found = try await resolver.resolve(statement.target, results: [:])
      resolved[statement.number] = found.machines
      unknown += found.unknown
      emit(
        .machinesResolved(
          statement: statement.number, machines: found.machines, unknown: found.unknown.map(\.name))
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

  /// Executes the steps with polling running, within the timeout, and finishes the run.
  func drive(_ steps: [PlanStep], resolved: [Int: [MachineRef]]) async throws -> RunSummary {
    let pollTask = Task { await self.pollLoop() }
    let governorTask = Task { await self.forwardGovernorEvents() }
    defer {
      pollTask.cancel()
      governorTask.cancel()
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
      summary.failure = RunFailure(error)
      try? finishRun(state: .failed)
      throw error
    }
    // Actions the run stopped following no longer hold their device's session slot.
    await poller.untrackAll()
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
    // Actions the service holds but that did not finish while the run waited (offline devices),
    // and actions journaled but stopped before the service answered (`lr resume` settles both).
    summary.pending +=
      ((try? journal.actions(run: runID)) ?? []).filter {
        $0.state == .submitted || $0.state == .planned
      }.count
    try journal.finish(run: runID, state: state)
    try audit.append(
      event: "run.finished", fields: [("run", .string(runID)), ("state", .string(state.rawValue))])
    let head = audit.head
    try journal.setAuditHead(path: audit.url.path, sequence: head.sequence, hash: head.hash)
    try Manifest(
      run: runID, source: (try? journal.run(runID)?.sourcePath) ?? "", startedAt: startedAt,
      finishedAt: Date(), state: state.rawValue, actions: manifestActions
    ).write(to: ResultsFolder(root: options.resultsRoot, runID: runID).manifestURL)
    emit(.runFinished(runID: runID, summary: summary))
  }

  func execute(_ steps: [PlanStep], resolved: [Int: [MachineRef]]) async throws {
    for step in steps {
      try Task.checkCancellation()
      switch step {
      case .statement(let statement):
        var machines = resolved[statement.number]
        if machines == nil {
          let found = try await resolver.resolve(statement.target, results: results)
          emit(
            .machinesResolved(
              statement: statement.number, machines: found.machines,
              unknown: found.unknown.map(\.name)))
          if !found.unknown.isEmpty {
            throw RunError(
              description: "unknown machine: " + found.unknown.map(\.name).joined(separator: ", "),
              unknown: found.unknown)
          }
          machines = found.machines
          try recordTargets(statement: statement.number, machines: found.machines)
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
    let outcomes = try await withThrowingTaskGroup(of: (Int, MachineOutcome).self) { group in
      for (position, machine) in machines.enumerated() {
        group.addTask { (position, try await self.runRequests(statement, on: machine)) }
      }
      var collected: [(Int, MachineOutcome)] = []
      for try await outcome in group { collected.append(outcome) }
      return collected.sorted { $0.0 < $1.0 }.map(\.1)
    }
    if let binding = statement.binding {
      results[binding] = Engine.bind(outcomes)
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
    /// A result of this machine's actions could not be downloaded.
    var downloadFailed = false
  }

  /// How bad a machine's final status is, for the worst of several (`r.status`).
  static func rank(_ status: ActionStatus) -> Int {
    switch status {
    case .succeeded: 0
    case .cancelled: 1
    case .timeOut: 2
    default: 3
    }
  }

  static func bind(_ outcomes: [MachineOutcome]) -> [String: PlanValue] {
    let worst =
      outcomes.map(\.status).max { rank($0) < rank($1) } ?? .succeeded
    var values: [String: PlanValue] = [
      "status": .string(worst.rawValue),
      "ok": .bool(!outcomes.isEmpty && outcomes.allSatisfy { $0.status == .succeeded }),
      "machine": .string(outcomes.first?.machine.computerName ?? ""),
    ]
    if let code = outcomes.compactMap(\.exitCode).max() { values["exit_code"] = .number(code) }
    values["output"] = .string(outcomes.compactMap(\.output).first ?? "")
    values["errors"] = .string(outcomes.compactMap(\.errors).first ?? "")
    values["file"] = .string(outcomes.compactMap(\.file).first ?? "")
    return values
  }

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

  // MARK: - One action

  func runAction(
    _ request: RequestBody, statement: PlannedStatement, requestIndex: Int, machine: MachineRef,
    outcome: inout MachineOutcome
  ) async throws {
    let journaled = resumed?.action(
      statement: statement.number, request: requestIndex, machineID: machine.id)
    let offset = statement.commandOffset(request: requestIndex)
    if let journaled, journaled.state == .terminal || journaled.state == .skipped {
      try replay(journaled, machine: machine, offset: offset, outcome: &outcome)
      return
    }
    let comment = request.comment.resolve(results)
    let commands = request.commands.map { command in
      LiveResponseCommand(
        type: command.type.rawValue,
        params: command.params.map { .init(key: $0.key, value: $0.value.resolve(results)) })
    }
    let token: String
    let body: String
    let row: Int64
    if let journaled, let id = journaled.id {
      (token, body, row) = (journaled.token, journaled.body, id)
    } else {
      sequence += 1
      token = RunToken.action(run: runID, sequence: sequence)
      body = request.json(
        resolving: results, comment: SubmissionToken.tagged(comment, token: token)
      ).serialized()
      // Journal first: a crash after the POST must still know this action may exist.
      let record = try journal.plan(
        ActionRecord(
          runID: runID, statement: statement.number, requestIndex: requestIndex,
          machineID: machine.id,
          computerName: machine.computerName, token: token, body: body))
      guard let id = record.id else { return }
      row = id
    }
    let submitted: MachineAction
    var reconciliation: String?
    do {
      if let journaled {
        (submitted, reconciliation) = try await reconcile(journaled, machine: machine)
      } else {
        // The journaled bytes, exactly: what `lr compile` prints, with the token in the Comment.
        submitted = try await api.runLiveResponse(
          machineID: machine.id, body: body, token: token, waitIfBusy: true
        ).action
      }
    } catch {
      // Stopped (timeout, cancel) before an answer: it stays planned for `lr resume`.
      if Engine.isCancellation(error) { throw CancellationError() }
      // The service refused this machine: its failure, shown and journaled; the others go on.
      // Sign-in, configuration and the app's permissions stop the run (every machine would fail).
      try recordRefusal(
        Refusal(error), row: row, statement: statement.number, request: requestIndex,
        machine: machine, comment: SubmissionToken.tagged(comment, token: token),
        commands: commands)
      outcome.status = .failed
      if Engine.stopsTheRun(error) { throw error }
      return
    }
    let actionID = submitted.id
    if journaled?.state != .submitted {
      try journal.update(
        action: row, state: .submitted, actionID: actionID, status: submitted.status.rawValue,
        reconciliation: reconciliation)
      try audit.append(
        event: "action.submitted",
        fields: [
          ("run", .string(runID)), ("tenant", .string(options.tenant)),
          ("machine", .string(machine.id)),
          ("computerName", .string(machine.computerName)), ("action", .string(actionID)),
          ("body", .string(body)),
        ] + (reconciliation.map { [("reconciled", .string($0))] } ?? []))
    }
    emit(
      .actionSubmitted(
        statement: statement.number, machine: machine, request: requestIndex, actionID: actionID))
    var manifest = Manifest.Action(
      statement: statement.number, request: requestIndex, machineID: machine.id,
      computerName: machine.computerName, actionID: actionID, status: nil,
      comment: SubmissionToken.tagged(comment, token: token),
      commands: commands.enumerated().map { i, c in
        Manifest.Command(
          index: i, type: c.type,
          params: Dictionary(c.params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
          status: "Created")
      })
    let changes = subscribe(actionID)
    await poller.track(
      actionID: actionID, machineID: submitted.machineId ?? machine.id, releasesSession: true)
    var announcedQueued = false
    var announcedStarted = false
    var final = submitted
    for await change in changes {
      final = change.action
      if change.action.status == .pending, !announcedQueued {
        announcedQueued = true
        emit(.actionQueued(actionID: actionID, machine: machine))
      }
      if change.action.status == .inProgress
        || change.action.commands.contains(where: { $0.startTime != nil }), !announcedStarted
      {
        announcedStarted = true
        emit(.actionStarted(actionID: actionID, machine: machine))
      }
      for command in change.completedCommands {
        try await collect(
          command, actionID: actionID, row: row, machine: machine, offset: offset,
          manifest: &manifest, outcome: &outcome)
      }
      for command in change.failedCommands {
        emit(
          .commandFailed(
            actionID: actionID, machine: machine, index: offset + command.index,
            type: command.command.type, errors: command.errors))
        manifest.commands[safe: command.index]?.status = "Failed"
        try journal.record(
          CommandRecord(
            actionRow: row, commandIndex: command.index, type: command.command.type,
            status: "Failed", errors: command.errors.joined(separator: "\n")))
      }
      if change.finished { break }
    }
    waiters[actionID] = nil
    let status = final.status
    guard status.isTerminal else {
      // The run stopped waiting (timeout or cancellation): the action stays in the journal.
      manifest.status = status.rawValue
      manifestActions.append(manifest)
      throw CancellationError()
    }
    for command in final.commands where !command.isCompleted && !command.isFailed {
      emit(
        .commandNotExecuted(
          actionID: actionID, machine: machine, index: offset + command.index,
          type: command.command.type, reason: "the action ended \(status)"))
      manifest.commands[safe: command.index]?.status = "NotExecuted"
    }
    try journal.update(action: row, state: .terminal, status: status.rawValue)
    try audit.append(
      event: "action.finished",
      fields: [
        ("run", .string(runID)), ("action", .string(actionID)), ("machine", .string(machine.id)),
        ("status", .string(status.rawValue)),
      ])
    emit(.actionFinished(actionID: actionID, machine: machine, status: status))
    summary.count(Engine.counted(status, downloadFailed: outcome.downloadFailed))
    outcome.status = Engine.counted(status, downloadFailed: outcome.downloadFailed)
    manifest.status = status.rawValue
    manifestActions.append(manifest)
  }

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
    let duration = Engine.duration(command)
    emit(
      .commandCompleted(
        actionID: actionID, machine: machine, index: position, type: type, duration: duration))
    let folder = ResultsFolder(root: options.resultsRoot, runID: runID)
    switch type {
    case "RunScript":
      let name = (command.command.parameter("ScriptName") ?? "script") + ".json"
      let url = folder.resultURL(
        machine: machine.computerName, number: position + 1, remoteName: name)
      guard
        let saved = try await downloadResult(
          command, actionID: actionID, row: row, machine: machine, position: position, to: url,
          manifest: &manifest, outcome: &outcome)
      else { return }
      let data = FileManager.default.contents(atPath: saved.path) ?? Data()
      let transcript = try? ScriptTranscript.decode(from: data)
      let exitCode = transcript?.exitCode ?? 0
      outcome.exitCode = exitCode
      outcome.output = transcript?.scriptOutput ?? ""
      outcome.errors = transcript?.scriptErrors ?? ""
      try journal.record(
        CommandRecord(
          actionRow: row, commandIndex: command.index, type: type, status: "Completed",
          exitCode: exitCode, resultPath: saved.path, resultSize: saved.size,
          resultSHA256: saved.sha256))
      try audit.append(
        event: "result.saved",
        fields: [
          ("action", .string(actionID)), ("index", .number(command.index)), ("type", .string(type)),
          ("exitCode", .number(exitCode)), ("path", .string(saved.path)),
          ("sha256", .string(saved.sha256)),
        ])
      manifest.commands[safe: command.index]?.status = "Completed"
      manifest.commands[safe: command.index]?.exitCode = exitCode
      manifest.commands[safe: command.index]?.file = saved.path
      manifest.commands[safe: command.index]?.size = saved.size
      manifest.commands[safe: command.index]?.sha256 = saved.sha256
      emit(
        .resultReady(
          actionID: actionID, machine: machine, index: position,
          result: .script(
            exitCode: exitCode, output: transcript?.scriptOutput ?? "",
            errors: transcript?.scriptErrors ?? "", path: saved.path)))
    case "GetFile":
      let remote = command.command.parameter("Path") ?? "file"
      let url = folder.resultURL(
        machine: machine.computerName, number: position + 1, remoteName: remote)
      guard
        let saved = try await downloadResult(
          command, actionID: actionID, row: row, machine: machine, position: position, to: url,
          manifest: &manifest, outcome: &outcome)
      else { return }
      outcome.file = saved.path
      try journal.record(
        CommandRecord(
          actionRow: row, commandIndex: command.index, type: type, status: "Completed",
          resultPath: saved.path, resultSize: saved.size, resultSHA256: saved.sha256))
      try audit.append(
        event: "result.saved",
        fields: [
          ("action", .string(actionID)), ("index", .number(command.index)), ("type", .string(type)),
          ("path", .string(saved.path)), ("size", .number(Int(saved.size))),
          ("sha256", .string(saved.sha256)),
        ])
      manifest.commands[safe: command.index]?.status = "Completed"
      manifest.commands[safe: command.index]?.file = saved.path
      manifest.commands[safe: command.index]?.size = saved.size
      manifest.commands[safe: command.index]?.sha256 = saved.sha256
      emit(
        .resultReady(
          actionID: actionID, machine: machine, index: position,
          result: .file(path: saved.path, size: saved.size, sha256: saved.sha256)))
    default:
      try journal.record(
        CommandRecord(actionRow: row, commandIndex: command.index, type: type, status: "Completed"))
      manifest.commands[safe: command.index]?.status = "Completed"
    }
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

  /// Polls everything in flight with one list call per round, at the governor's interval.
  func pollLoop() async {
    while !Task.isCancelled {
      if await poller.trackedIDs.isEmpty {
        try? await Task.sleep(for: .milliseconds(20))
        continue
      }
      do {
        let changes = try await poller.pollOnce()
        deliver(changes)
      } catch {
        emit(.retry(reason: "polling failed: \(error)", attempt: 1, after: 1))
      }
      let interval = await api.governor.pollInterval()
      try? await api.governor.clock.sleep(until: api.governor.clock.now + interval)
    }
  }

  func forwardGovernorEvents() async {
    let clock = api.governor.clock
    for await event in await api.governor.events() {
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
