import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// One request body sent to one machine, as the engine journals, submits and follows it.
struct ActionRun: Sendable {
  var statement: Int
  var request: Int
  var machine: MachineRef
  /// How many commands of the statement's earlier requests precede this action's.
  var offset: Int
  /// The journal row.
  var row: Int64
  var token: String
  /// The body exactly as journaled and POSTed (the token in its Comment).
  var body: String
  /// The Comment with its token.
  var comment: String
  var commands: [LiveResponseCommand]
  /// Where the action is in its life.
  var life = StateMachine()

  /// The manifest entry of the action once the service gave it an id.
  func manifest(actionID: String?) -> Manifest.Action {
    Manifest.Action(
      statement: statement, request: request, machineID: machine.id,
      computerName: machine.computerName, actionID: actionID, status: nil, comment: comment,
      commands: commands.enumerated().map { i, c in
        Manifest.Command(
          index: i, type: c.type,
          params: Dictionary(c.params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
          status: "Created")
      })
  }
}

/// An action's life: journal, submit (or reconcile), follow its changes, finish.
extension Engine {
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
    guard
      var run = try prepare(
        request, statement: statement.number, requestIndex: requestIndex, machine: machine,
        offset: offset, journaled: journaled)
    else { return }
    guard let submitted = try await submit(&run, journaled: journaled, outcome: &outcome) else {
      return
    }
    var manifest = run.manifest(actionID: submitted.id)
    let final = try await follow(&run, submitted, manifest: &manifest, outcome: &outcome)
    try finish(run, final, manifest: &manifest, outcome: &outcome)
  }

  /// The action's token, body and journal row: journaled now (before anything is sent, so a crash
  /// after the POST still knows the action may exist), or as `lr resume` found them.
  func prepare(
    _ request: RequestBody, statement: Int, requestIndex: Int, machine: MachineRef, offset: Int,
    journaled: ActionRecord?
  ) throws -> ActionRun? {
    let comment = request.comment.resolve(results)
    let commands = request.commands.map { command in
      LiveResponseCommand(
        type: command.type.rawValue,
        params: command.params.map { .init(key: $0.key, value: $0.value.resolve(results)) })
    }
    func run(row: Int64, token: String, body: String) -> ActionRun {
      ActionRun(
        statement: statement, request: requestIndex, machine: machine, offset: offset, row: row,
        token: token, body: body, comment: SubmissionToken.tagged(comment, token: token),
        commands: commands)
    }
    if let journaled, let id = journaled.id {
      return run(row: id, token: journaled.token, body: journaled.body)
    }
    sequence += 1
    let token = RunToken.action(run: runID, sequence: sequence)
    let body = request.json(
      resolving: results, comment: SubmissionToken.tagged(comment, token: token)
    ).serialized()
    let record = try recorder.planned(
      ActionRecord(
        runID: runID, statement: statement, requestIndex: requestIndex, machineID: machine.id,
        computerName: machine.computerName, token: token, body: body))
    return record.id.map { run(row: $0, token: token, body: body) }
  }

  /// Sends the journaled bytes (or settles a journaled action by its token); nil when the service
  /// refused this machine, which is then that machine's failure and the run goes on.
  func submit(_ run: inout ActionRun, journaled: ActionRecord?, outcome: inout MachineOutcome)
    async throws -> MachineAction?
  {
    let submitted: MachineAction
    var reconciliation: String?
    do {
      if let journaled {
        (submitted, reconciliation) = try await reconcile(journaled, machine: run.machine)
      } else {
        // The journaled bytes, exactly: what `lr compile` prints, with the token in the Comment.
        submitted = try await api.runLiveResponse(
          machineID: run.machine.id, body: run.body, token: run.token, waitIfBusy: true
        ).action
      }
    } catch {
      // Stopped (timeout, cancel) before an answer: it stays planned for `lr resume`.
      if Engine.isCancellation(error) { throw CancellationError() }
      // Sign-in, configuration and the app's permissions stop the run (every machine would fail).
      try recorder.refused(Refusal(error), run)
      outcome.status = .failed
      if Engine.stopsTheRun(error) { throw error }
      return nil
    }
    try recorder.submitted(
      run, submitted, reconciliation: reconciliation,
      alreadyJournaled: journaled?.state == .submitted)
    return submitted
  }

  /// Follows the action's changes (one list call per round for everything in flight), collecting
  /// each command's result as it completes; returns the action as last read.
  func follow(
    _ run: inout ActionRun, _ submitted: MachineAction, manifest: inout Manifest.Action,
    outcome: inout MachineOutcome
  ) async throws -> MachineAction {
    let actionID = submitted.id
    let changes = subscribe(actionID)
    await poller.track(
      actionID: actionID, machineID: submitted.machineId ?? run.machine.id, releasesSession: true)
    schedule.track(
      submitted, at: api.governor.clock.now, interval: await api.governor.pollInterval())
    var final = submitted
    for await change in changes {
      final = change.action
      let started = change.action.commands.contains { $0.startTime != nil }
      for announcement in run.life.observe(change.action.status, commandStarted: started) {
        switch announcement {
        case .queued: emit(.actionQueued(actionID: actionID, machine: run.machine))
        case .started: emit(.actionStarted(actionID: actionID, machine: run.machine))
        }
      }
      for command in change.completedCommands {
        try await collect(
          command, actionID: actionID, row: run.row, machine: run.machine, offset: run.offset,
          manifest: &manifest, outcome: &outcome)
      }
      for command in change.failedCommands {
        try recorder.commandFinished(
          CommandRecord(
            actionRow: run.row, commandIndex: command.index, type: command.command.type,
            status: "Failed", errors: command.errors.joined(separator: "\n")),
          errors: command.errors, actionID: actionID, machine: run.machine,
          position: run.offset + command.index, manifest: &manifest)
      }
      if change.finished { break }
    }
    waiters[actionID] = nil
    return final
  }

  /// Records the action's terminal status (journal, audit log, manifest, counts, event); an
  /// action the run stopped waiting for stays in the journal for `lr resume`.
  func finish(
    _ run: ActionRun, _ final: MachineAction, manifest: inout Manifest.Action,
    outcome: inout MachineOutcome
  ) throws {
    guard final.status.isTerminal else {
      recorder.stoppedFollowing(final.status, manifest: manifest)
      throw CancellationError()
    }
    outcome.status = try recorder.actionFinished(
      run, final, manifest: manifest, downloadFailed: outcome.downloadFailed)
  }
}
