import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// What the journal knows about a run being resumed, and the reconcile rule's settle time.
struct ResumeContext: Sendable {
  struct Key: Hashable {
    var statement: Int
    var request: Int
    var machineID: String
  }

  var actions: [Key: ActionRecord]
  /// When the run started (the search for unacknowledged actions covers everything since).
  var runStart: Date
  /// How long after an action was journaled its POST may still reach the service.
  var settle: Duration

  init(actions: [ActionRecord], runStart: Date, settle: Duration) {
    var byKey: [Key: ActionRecord] = [:]
    for action in actions {
      byKey[Key(action.statement, action.requestIndex, action.machineID)] = action
    }
    self.actions = byKey
    self.runStart = runStart
    self.settle = settle
  }

  func action(statement: Int, request: Int, machineID: String) -> ActionRecord? {
    actions[Key(statement, request, machineID)]
  }
}

extension ResumeContext.Key {
  init(_ statement: Int, _ request: Int, _ machineID: String) {
    self.init(statement: statement, request: request, machineID: machineID.lowercased())
  }
}

/// `lr resume`: finishes a run from the journal without ever submitting an action twice.
extension Engine {
  /// The default settle time: twice the client's request timeout.
  public static let defaultSettle: Duration = .seconds(120)

  /// Finishes an unfinished run: replays what the journal says finished, reconciles actions
  /// journaled without an id by their token, follows submitted ones, fetches missing results and
  /// runs the statements that had not started.
  ///
  /// The reconcile rule for an action journaled but never acknowledged: the machine's actions
  /// created since the run started are searched (every page) for the action's token. Found: its id
  /// is adopted. Not found: the action is resubmitted (with the same token) only when that search
  /// began at least `settle` after the action was journaled, so a POST still in flight when the
  /// client died has had time to arrive or fail; before that, resume waits and searches again.
  ///
  /// - Parameters:
  ///   - plan: the plan compiled from the run's journaled source text.
  ///   - record: the run as journaled.
  ///   - settle: how long after journaling an unacknowledged action may still reach the service.
  public func resume(_ plan: Plan, run record: RunRecord, settle: Duration = Engine.defaultSettle)
    async throws -> RunSummary
  {
    runID = record.id
    startedAt = record.createdAt
    results = [:]
    let actions = try journal.actions(run: runID)
    resumed = ResumeContext(actions: actions, runStart: record.createdAt, settle: settle)
    sequence =
      actions.compactMap { $0.token.split(separator: ":").last.flatMap { Int($0) } }.max()
      ?? 0
    emit(.runStarted(runID: runID, statements: plan.allStatements.count))
    let governorTask = await forwardGovernorEvents()
    defer { governorTask.cancel() }
    var resolved: [Int: [MachineRef]] = [:]
    for target in try journal.targets(run: runID) {
      resolved[target.statement, default: []].append(
        MachineRef(id: target.machineID, computerName: target.computerName))
    }
    for statement in resolved.keys.sorted() {
      emit(
        .machinesResolved(statement: statement, machines: resolved[statement] ?? [], unknown: []))
    }
    // Statements that had not resolved yet resolve now, as in a fresh run.
    resolved = try await resolveStaticTargets(plan, known: resolved)
    if !record.tenant.isEmpty, !options.tenant.isEmpty,
      record.tenant.lowercased() != options.tenant.lowercased()
    {
      throw DefenderClientError.configuration(
        "run \(runID) was made in tenant \(record.tenant), not \(options.tenant); "
          + "resume it with the same profile")
    }
    // Sign-in and the service are checked before anything is followed (the poller retries
    // failures, which would hide a wrong secret), and the service must know the run's actions.
    let submittedIDs = actions.filter { $0.state == .submitted }.compactMap(\.actionID)
    if !submittedIDs.isEmpty {
      let known = Set(try await api.machineActions(ids: submittedIDs).map(\.id))
      let missing = submittedIDs.filter { !known.contains($0) }
      if !missing.isEmpty {
        throw DefenderClientError.configuration(
          "the service does not know action\(missing.count == 1 ? "" : "s") "
            + missing.joined(separator: ", ")
            + " of run \(runID): resume against the service the run was made on (a `--lab` "
            + "emulator's actions end with its process; use `lr emulator` for runs to resume)")
      }
    }
    try recorder.resumed(record)
    if options.rollout != record.rollout {
      try journal.record(rollout: options.rollout, run: runID)
    }
    for (statement, machines) in resolved {
      try recordTargets(statement: statement, machines: machines)
    }
    return try await drive(plan.steps, resolved: resolved)
  }

  /// Journals the machines a statement resolved to, in order.
  func recordTargets(statement: Int, machines: [MachineRef]) throws {
    try recorder.targets(statement: statement, machines: machines)
  }

  // MARK: - Actions the journal already knows

  /// An action that finished before the resume: its outcome, counts and manifest entry from the
  /// journal (and the saved transcript), with nothing sent.
  func replay(
    _ action: ActionRecord, machine: MachineRef, offset: Int, outcome: inout MachineOutcome
  ) throws {
    let saved = try action.id.map { try journal.commands(action: $0) } ?? []
    var results: [(index: Int, result: CommandResult)] = []
    for command in saved where command.status == "Completed" {
      if let result = Engine.replayedResult(command, outcome: &outcome) {
        results.append((command.commandIndex, result))
      }
    }
    try storeReplayedResults(action, saved: saved, machine: machine, outcome: &outcome)
    outcome.status = recorder.replayed(
      action, machine: machine, offset: offset, saved: saved, results: results)
  }

  /// A journaled command's saved result (its transcript read again), bound into the machine's
  /// outcome; nil when it has none.
  static func replayedResult(_ command: CommandRecord, outcome: inout MachineOutcome)
    -> CommandResult?
  {
    switch command.type {
    case "RunScript":
      outcome.exitCode = command.exitCode ?? 0
      if (command.exitCode ?? 0) != 0 { outcome.scriptFailed = true }
      let transcript = command.resultPath.flatMap { FileManager.default.contents(atPath: $0) }
        .flatMap { try? JSONDecoder().decode(ScriptTranscript.self, from: $0) }
      outcome.output = transcript?.scriptOutput ?? ""
      outcome.errors = transcript?.scriptErrors ?? ""
      guard let path = command.resultPath else { return nil }
      return .script(
        exitCode: command.exitCode ?? 0, output: outcome.output ?? "",
        errors: outcome.errors ?? "", path: path)
    case "GetFile":
      outcome.file = command.resultPath
      guard let path = command.resultPath, let size = command.resultSize,
        let sha256 = command.resultSHA256
      else { return nil }
      return .file(path: path, size: size, sha256: sha256)
    default:
      return nil
    }
  }

  /// The service's action for a journaled one, and how it was settled (`adopted`,
  /// `resubmitted`, or nil when the journal already had its id). Holds the device's session slot.
  func reconcile(_ action: ActionRecord, machine: MachineRef) async throws
    -> (MachineAction, String?)
  {
    if action.state == .submitted, let id = action.actionID {
      try await api.governor.acquireSession(machineID: machine.id)
      return (
        MachineAction(
          id: id, status: ActionStatus(action.status ?? "Pending"), machineId: machine.id),
        nil
      )
    }
    let settle = resumed?.settle ?? Engine.defaultSettle
    let deadline = action.createdAt.addingTimeInterval(settle.seconds)
    var searches = 0
    while true {
      let searchedAt = Date()
      searches += 1
      if let found = try await findByToken(action.token, machineID: machine.id) {
        try await api.governor.acquireSession(machineID: machine.id)
        return (found, "adopted")
      }
      if searchedAt >= deadline { break }
      let wait = max(0.05, deadline.timeIntervalSinceNow)
      emit(
        .retry(
          reason:
            "no action with token \(action.token) on \(machine.computerName) yet; it was "
            + "journaled without an answer and may still reach the service, so it is searched "
            + "for again before anything is resubmitted",
          attempt: searches + 1, after: wait))
      try await Task.sleep(for: .seconds(wait))
    }
    // No action carries the token, by a search that began after the settle time: the POST never
    // reached the service. Send it now: the journaled body, byte for byte (its token included).
    let submission = try await api.runLiveResponse(
      machineID: machine.id, body: action.body, token: action.token, waitIfBusy: true)
    return (submission.action, submission.recovered ? "adopted" : "resubmitted")
  }

  /// Whether an error means the run stopped waiting rather than that the service refused.
  static func isCancellation(_ error: any Error) -> Bool {
    error is CancellationError || (error as? DefenderClientError)?.kind == .cancelled
  }

  /// The machine's action carrying `token`, among every action created since the run started.
  func findByToken(_ token: String, machineID: String) async throws -> MachineAction? {
    let since = (resumed?.runStart ?? startedAt).addingTimeInterval(-3600)  // clock skew
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    let machine = machineID.replacingOccurrences(of: "'", with: "''")
    let actions = try await api.machineActions(
      filter:
        "machineId eq '\(machine)' and creationDateTimeUtc ge \(formatter.string(from: since))",
      followNextLink: true)
    return actions.first { SubmissionToken.find(in: $0.requestorComment) == token }
  }

  /// A completed command whose result the journal recorded and whose file is intact: reported
  /// again from the journal instead of being downloaded twice. False when it must be fetched.
  func reuseSavedResult(
    _ command: ActionCommand, actionID: String, row: Int64, machine: MachineRef, position: Int,
    manifest: inout Manifest.Action, outcome: inout MachineOutcome
  ) throws -> Bool {
    guard resumed != nil,
      let saved = try journal.commands(action: row).first(where: {
        $0.commandIndex == command.index && $0.status == "Completed"
      })
    else { return false }
    if let path = saved.resultPath {
      guard let expected = saved.resultSHA256, FileDigest.ofFile(at: path) == expected else {
        return false
      }
    }
    guard let result = Engine.replayedResult(saved, outcome: &outcome) else {
      try recorder.commandFinished(
        saved, actionID: actionID, machine: machine, position: position,
        duration: Engine.duration(command), manifest: &manifest, alreadyJournaled: true)
      return true
    }
    emit(
      .commandCompleted(
        actionID: actionID, machine: machine, index: position, type: saved.type,
        duration: Engine.duration(command)))
    try storeResult(
      saved, command: command.command, machine: machine, outcome: &outcome)
    try recorder.resultSaved(
      saved, result: result, actionID: actionID, machine: machine, position: position,
      manifest: &manifest, alreadyJournaled: true)
    return true
  }
}

/// A journaled request body (`{"Commands": […], "Comment": "… [lr:token]"}`), with the token
/// taken off the comment, for the manifest of a replayed action (a resubmission sends the
/// journaled text itself).
struct JournaledBody: Decodable {
  var commands: [LiveResponseCommand]
  var comment: String

  enum CodingKeys: String, CodingKey {
    case commands = "Commands"
    case comment = "Comment"
  }

  init(_ body: String, token: String) {
    let decoded = try? JSONDecoder().decode(JournaledBody.self, from: Data(body.utf8))
    commands = decoded?.commands ?? []
    var comment = decoded?.comment ?? ""
    let tag = SubmissionToken.tagged("", token: token)
    if comment.hasSuffix(tag) {
      comment.removeLast(tag.count)
      if comment.hasSuffix(" ") { comment.removeLast() }
    }
    self.comment = comment
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    commands = try c.decode([LiveResponseCommand].self, forKey: .commands)
    comment = try c.decodeIfPresent(String.self, forKey: .comment) ?? ""
  }
}
