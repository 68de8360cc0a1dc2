import DefenderClient
import Foundation
import LRLanguage
import LiveResponse

/// Records a run's outcomes: each call writes the journal first, then the audit log, the manifest
/// entry and the event, so that what a front end is told is already on disk.
///
/// Events that record nothing (targets resolved, queued, started, retries, budget waits) are the
/// engine's own; every outcome goes through here.
struct RunRecorder: Sendable {
  let journal: any RunJournal
  let audit: AuditLog
  /// Results go to `<resultsRoot>/<run>/…`, the manifest to `<resultsRoot>/<run>/manifest.json`.
  let resultsRoot: URL
  /// The tenant the audit log names.
  let tenant: String
  let emit: @Sendable (EngineEvent) -> Void
  /// The run being recorded.
  var runID = ""
  /// The counts so far.
  var summary = RunSummary()
  /// The manifest's actions so far, in the order they finished (or were replayed).
  private(set) var manifestActions: [Manifest.Action] = []

  init(
    journal: any RunJournal, audit: AuditLog, resultsRoot: URL, tenant: String,
    emit: @escaping @Sendable (EngineEvent) -> Void
  ) {
    self.journal = journal
    self.audit = audit
    self.resultsRoot = resultsRoot
    self.tenant = tenant
    self.emit = emit
  }

  // MARK: - Runs

  /// A new run: journaled, then audited (`run.started`).
  func created(_ record: RunRecord) throws {
    try journal.create(record)
    try audit.append(
      event: "run.started",
      fields: [
        ("run", .string(record.id)), ("source", .string(record.sourcePath)),
        ("tenant", .string(tenant)),
      ])
  }

  /// A run `lr resume` takes up again: journaled, then audited (`run.resumed`).
  func resumed(_ record: RunRecord) throws {
    try journal.resume(run: record.id)
    try audit.append(
      event: "run.resumed",
      fields: [
        ("run", .string(record.id)), ("source", .string(record.sourcePath)),
        ("tenant", .string(tenant)),
      ])
  }

  /// The machines a statement resolved to, in order.
  func targets(statement: Int, machines: [MachineRef]) throws {
    try journal.record(
      machines.enumerated().map { position, machine in
        TargetRecord(
          runID: runID, statement: statement, machineID: machine.id,
          computerName: machine.computerName, position: position)
      })
  }

  /// The run's end: counts what is still pending, then `manifest.json`, the audit log
  /// (`run.finished`), the journal's state and the `runFinished` event.
  mutating func runFinished(state: RunRecord.State, startedAt: Date) throws {
    // Actions the service holds but that did not finish while the run waited (offline devices),
    // and actions journaled but stopped before the service answered (`lr resume` settles both).
    summary.pending +=
      ((try? journal.actions(run: runID)) ?? []).filter {
        $0.state == .submitted || $0.state == .planned
      }.count
    // The journal's state last: a kill -9 before it leaves the run `running`, and `lr resume`
    // writes the manifest and the audit entry again; never a finished run with neither.
    try Manifest(
      run: runID, source: (try? journal.run(runID)?.sourcePath) ?? "", startedAt: startedAt,
      finishedAt: Date(), state: state.rawValue, actions: manifestActions
    ).write(to: ResultsFolder(root: resultsRoot, runID: runID).manifestURL)
    let pause = state == .paused ? summary.paused : nil
    if let pause {
      try audit.append(
        event: "run.paused", fields: [("run", .string(runID)), ("reason", .string(pause.reason))])
    }
    try audit.append(
      event: "run.finished", fields: [("run", .string(runID)), ("state", .string(state.rawValue))])
    if let pause {
      try journal.pause(run: runID, reason: pause.reason, at: Date())
    } else {
      try journal.finish(run: runID, state: state)
    }
    emit(.runFinished(runID: runID, summary: summary))
  }

  // MARK: - Actions

  /// An action journaled before anything is sent; returns it with its journal row.
  func planned(_ action: ActionRecord) throws -> ActionRecord {
    try journal.plan(action)
  }

  /// The service gave the action an id: journaled, audited (`action.submitted`, with the body),
  /// reported. `alreadyJournaled` (a resumed action the journal had the id of): only reported.
  func submitted(
    _ run: ActionRun, _ action: MachineAction, reconciliation: String?,
    alreadyJournaled: Bool = false
  ) throws {
    if !alreadyJournaled {
      try journal.update(
        action: run.row, state: .submitted, actionID: action.id, status: action.status.rawValue,
        reconciliation: reconciliation)
      try audit.append(
        event: "action.submitted",
        fields: [
          ("run", .string(runID)), ("tenant", .string(tenant)),
          ("machine", .string(run.machine.id)),
          ("computerName", .string(run.machine.computerName)), ("action", .string(action.id)),
          ("body", .string(run.body)),
        ] + (reconciliation.map { [("reconciled", .string($0))] } ?? []))
    }
    emit(
      .actionSubmitted(
        statement: run.statement, machine: run.machine, request: run.request, actionID: action.id))
  }

  /// The service refused to create the action on this machine: journaled (terminal, `Failed`),
  /// audited (`action.refused`), in the manifest (no action id), reported, counted as failed.
  mutating func refused(_ refusal: Refusal, _ run: ActionRun) throws {
    try journal.update(action: run.row, state: .terminal, status: "Failed", error: refusal.message)
    var fields: [(String, JSONValue)] = [
      ("run", .string(runID)), ("tenant", .string(tenant)),
      ("machine", .string(run.machine.id)), ("computerName", .string(run.machine.computerName)),
      ("message", .string(refusal.message)),
    ]
    if let code = refusal.code { fields.append(("code", .string(code))) }
    if let status = refusal.httpStatus { fields.append(("httpStatus", .number(status))) }
    try audit.append(event: "action.refused", fields: fields)
    var manifest = run.manifest(actionID: nil)
    manifest.status = "Failed"
    manifest.error = refusal.message
    for index in manifest.commands.indices { manifest.commands[index].status = "NotExecuted" }
    manifestActions.append(manifest)
    emit(
      .actionRefused(
        statement: run.statement, machine: run.machine, request: run.request, refusal: refusal))
    summary.failed += 1
  }

  /// The action reached a terminal status: journaled, audited (`action.finished`), its commands
  /// the service did not run marked and reported, in the manifest, reported, counted. Returns the
  /// status it counts as (`Failed` when a result could not be downloaded).
  mutating func actionFinished(
    _ run: ActionRun, _ final: MachineAction, manifest: Manifest.Action, downloadFailed: Bool
  ) throws -> ActionStatus {
    let status = final.status
    try journal.update(action: run.row, state: .terminal, status: status.rawValue)
    try journal.record(times: ActionTimes(final), action: run.row)
    try audit.append(
      event: "action.finished",
      fields: [
        ("run", .string(runID)), ("action", .string(final.id)),
        ("machine", .string(run.machine.id)), ("status", .string(status.rawValue)),
      ])
    var manifest = manifest
    let notRun = final.commands.filter { !$0.isCompleted && !$0.isFailed }
    for command in notRun { manifest.commands[safe: command.index]?.status = "NotExecuted" }
    manifest.status = status.rawValue
    manifestActions.append(manifest)
    for command in notRun {
      emit(
        .commandNotExecuted(
          actionID: final.id, machine: run.machine, index: run.offset + command.index,
          type: command.command.type, reason: "the action ended \(status)"))
    }
    emit(.actionFinished(actionID: final.id, machine: run.machine, status: status))
    let counted = Engine.counted(status, downloadFailed: downloadFailed)
    summary.count(counted)
    return counted
  }

  /// An action the run stopped following before it finished: in the manifest with its last
  /// status (the journal keeps it submitted, for `lr resume`).
  mutating func stoppedFollowing(_ status: ActionStatus, manifest: Manifest.Action) {
    var manifest = manifest
    manifest.status = status.rawValue
    manifestActions.append(manifest)
  }

  /// An action that finished before `lr resume`, shown again from the journal with nothing sent:
  /// in the manifest, reported (submitted or refused, its saved results, finished), counted.
  /// Returns the status it counts as.
  mutating func replayed(
    _ action: ActionRecord, machine: MachineRef, offset: Int, saved: [CommandRecord],
    results: [(index: Int, result: CommandResult)]
  ) -> ActionStatus {
    let status = ActionStatus(action.status ?? "Failed")
    manifestActions.append(Manifest.Action(replaying: action, status: status, saved: saved))
    if let actionID = action.actionID {
      emit(
        .actionSubmitted(
          statement: action.statement, machine: machine, request: action.requestIndex,
          actionID: actionID))
      for (index, result) in results {
        emit(
          .resultReady(actionID: actionID, machine: machine, index: offset + index, result: result))
      }
      emit(.actionFinished(actionID: actionID, machine: machine, status: status))
    } else {
      // Refused by the service: no action exists; shown again as refused.
      emit(
        .actionRefused(
          statement: action.statement, machine: machine, request: action.requestIndex,
          refusal: Refusal(message: action.error ?? "the service refused the action")))
    }
    let counted = Engine.counted(
      status, downloadFailed: saved.contains { $0.status == Engine.downloadFailed })
    summary.count(counted)
    return counted
  }

  // MARK: - Commands

  /// A command that finished without a result to save (`Completed` PutFile, `Failed`, or
  /// `DownloadFailed`): journaled (a failed download audited as `result.failed`), its status in
  /// the manifest, reported (`commandCompleted` or `commandFailed` with `errors`).
  /// `alreadyJournaled`: found in the journal by `lr resume`, only the manifest and the event.
  func commandFinished(
    _ record: CommandRecord, errors: [String] = [], actionID: String, machine: MachineRef,
    position: Int, duration: TimeInterval? = nil, manifest: inout Manifest.Action,
    alreadyJournaled: Bool = false
  ) throws {
    if !alreadyJournaled {
      try journal.record(record)
      if record.status == Engine.downloadFailed {
        try audit.append(
          event: "result.failed",
          fields: [
            ("action", .string(actionID)), ("index", .number(record.commandIndex)),
            ("type", .string(record.type)), ("error", .string(record.errors ?? "")),
          ])
      }
    }
    manifest.commands[safe: record.commandIndex]?.status = record.status
    if record.status == "Completed" {
      emit(
        .commandCompleted(
          actionID: actionID, machine: machine, index: position, type: record.type,
          duration: duration))
    } else {
      emit(
        .commandFailed(
          actionID: actionID, machine: machine, index: position, type: record.type, errors: errors))
    }
  }

  /// A command's result saved in the results folder: journaled, audited (`result.saved`: exit
  /// code, path, size for a file, SHA-256), in the manifest, reported (`resultReady`).
  /// `alreadyJournaled`: a result `lr resume` found intact, only the manifest and the event.
  func resultSaved(
    _ record: CommandRecord, result: CommandResult, actionID: String, machine: MachineRef,
    position: Int, manifest: inout Manifest.Action, alreadyJournaled: Bool = false
  ) throws {
    if !alreadyJournaled {
      try journal.record(record)
      var fields: [(String, JSONValue)] = [
        ("action", .string(actionID)), ("index", .number(record.commandIndex)),
        ("type", .string(record.type)),
      ]
      if let exitCode = record.exitCode { fields.append(("exitCode", .number(exitCode))) }
      fields.append(("path", .string(record.resultPath ?? "")))
      if record.exitCode == nil {
        fields.append(("size", .number(Int(record.resultSize ?? 0))))
      }
      fields.append(("sha256", .string(record.resultSHA256 ?? "")))
      try audit.append(event: "result.saved", fields: fields)
    }
    manifest.commands[safe: record.commandIndex]?.update(from: record)
    emit(.resultReady(actionID: actionID, machine: machine, index: position, result: result))
  }
}

extension Manifest.Command {
  /// Takes a journaled command's status and result (exit code, file, size, SHA-256).
  mutating func update(from record: CommandRecord) {
    status = record.status
    exitCode = record.exitCode
    file = record.resultPath
    size = record.resultSize
    sha256 = record.resultSHA256
  }
}

extension Manifest.Action {
  /// The manifest entry of a journaled action that finished before `lr resume`: its commands
  /// from its journaled body, their statuses and results from the journal.
  init(replaying action: ActionRecord, status: ActionStatus, saved: [CommandRecord]) {
    let body = JournaledBody(action.body, token: action.token)
    self.init(
      statement: action.statement, request: action.requestIndex, machineID: action.machineID,
      computerName: action.computerName, actionID: action.actionID, status: status.rawValue,
      comment: SubmissionToken.tagged(body.comment, token: action.token),
      commands: body.commands.enumerated().map { index, command in
        let record = saved.first { $0.commandIndex == index }
        return Manifest.Command(
          index: index, type: command.type,
          params: Dictionary(
            command.params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
          status: record?.status ?? (status == .succeeded ? "Completed" : "NotExecuted"),
          exitCode: record?.exitCode, file: record?.resultPath, size: record?.resultSize,
          sha256: record?.resultSHA256)
      })
  }
}
