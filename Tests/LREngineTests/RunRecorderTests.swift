import DefenderClient
import Foundation
import LRTestSupport
import LiveResponse
import Testing

@testable import LREngine

/// `RunRecorder`: one call writes the journal, the audit log, the manifest entry and the event
/// together, the journal first (a front end told of an outcome finds it already journaled).
@Suite struct RunRecorderTests {
  /// A real SQLite journal, a real audit log recording its head there, a results folder, and
  /// what the journal held when each event was reported.
  final class Setup: @unchecked Sendable {
    let directory: URL
    let journal: Journal
    let audit: AuditLog
    let lock = NSLock()
    var seen: [(event: EngineEvent, journaled: String)] = []

    init() throws {
      directory = try LRTestSupport.temporaryDirectory()
      journal = try Journal(url: directory.appendingPathComponent("journal.sqlite"))
      audit = try AuditLog(url: directory.appendingPathComponent("audit.jsonl"), journal: journal)
    }

    var resultsRoot: URL { directory.appendingPathComponent("results") }

    func recorder() -> RunRecorder {
      var recorder = RunRecorder(
        journal: journal, audit: audit, resultsRoot: resultsRoot, tenant: "lab"
      ) { [self] event in
        let state = self.journalState()
        lock.withLock { seen.append((event, state)) }
      }
      recorder.runID = "run-1"
      return recorder
    }

    /// The run's state, its action's state and status, and its commands' statuses, as journaled.
    func journalState() -> String {
      let run = (try? journal.run("run-1"))?.state.rawValue ?? "-"
      let action = (try? journal.actions(run: "run-1"))?.first
      let commands = action?.id.flatMap { try? journal.commands(action: $0) } ?? []
      return [
        run, action?.state.rawValue ?? "-", action?.status ?? "-",
        commands.map { "\($0.commandIndex):\($0.status)" }.joined(separator: ","),
      ].joined(separator: " ")
    }

    var events: [(event: EngineEvent, journaled: String)] { lock.withLock { seen } }

    func auditEvents() throws -> [String] {
      try String(contentsOf: audit.url, encoding: .utf8).split(separator: "\n").map { line in
        guard case .object(let members)? = JSONValue.parse(String(line)),
          case .string(let event)? = members.first(where: { $0.0 == "event" })?.1
        else { return "?" }
        return event
      }
    }
  }

  static let machine = MachineRef(id: "m1", computerName: "ws-1")
  static let commands = [
    LiveResponseCommand(type: "RunScript", params: [.init(key: "ScriptName", value: "a.ps1")]),
    LiveResponseCommand(type: "GetFile", params: [.init(key: "Path", value: "C:\\x.txt")]),
  ]

  /// Journals a run and one planned action; returns the action as the engine follows it.
  func start(_ setup: Setup, _ recorder: RunRecorder) throws -> ActionRun {
    try recorder.created(
      RunRecord(
        id: "run-1", sourcePath: "t.lr", sourceText: "", profile: "default", tenant: "lab",
        resultsDirectory: setup.resultsRoot.path))
    try recorder.targets(statement: 1, machines: [Self.machine])
    let body = #"{"Commands":[],"Comment":"c [lr:run-1:1]"}"#
    let planned = try recorder.planned(
      ActionRecord(
        runID: "run-1", statement: 1, requestIndex: 0, machineID: "m1", computerName: "ws-1",
        token: "run-1:1", body: body))
    return ActionRun(
      statement: 1, request: 0, machine: Self.machine, offset: 0,
      row: try #require(planned.id), token: "run-1:1", body: body, comment: "c [lr:run-1:1]",
      commands: Self.commands)
  }

  @Test func eachOutcomeIsJournaledAuditedInTheManifestAndReportedJournalFirst() throws {
    let setup = try Setup()
    defer { try? FileManager.default.removeItem(at: setup.directory) }
    var recorder = setup.recorder()
    let run = try start(setup, recorder)
    try recorder.submitted(
      run, MachineAction(id: "a-1", status: .pending, machineId: "m1"), reconciliation: nil)
    var manifest = run.manifest(actionID: "a-1")
    let transcript = CommandRecord(
      actionRow: run.row, commandIndex: 0, type: "RunScript", status: "Completed", exitCode: 3,
      resultPath: "/r/1-a.ps1.json", resultSize: 10, resultSHA256: "ab")
    try recorder.resultSaved(
      transcript, result: .script(exitCode: 3, output: "out", errors: "", path: "/r/1-a.ps1.json"),
      actionID: "a-1", machine: Self.machine, position: 0, manifest: &manifest)
    try recorder.commandFinished(
      CommandRecord(
        actionRow: run.row, commandIndex: 1, type: "GetFile", status: "Failed", errors: "gone"),
      errors: ["gone"], actionID: "a-1", machine: Self.machine, position: 1, manifest: &manifest)
    let counted = try recorder.actionFinished(
      run, MachineAction(id: "a-1", status: .failed, machineId: "m1"), manifest: manifest,
      downloadFailed: false)
    try recorder.runFinished(state: .finished, startedAt: Date())

    #expect(counted == .failed)
    // Each event found its outcome already in the journal.
    let journaled = setup.events.map(\.journaled)
    #expect(
      journaled == [
        "running submitted Pending ", "running submitted Pending 0:Completed",
        "running submitted Pending 0:Completed,1:Failed",
        "running terminal Failed 0:Completed,1:Failed",
        "finished terminal Failed 0:Completed,1:Failed",
      ])
    // The audit log, in the same order.
    #expect(
      try setup.auditEvents() == [
        "run.started", "action.submitted", "result.saved", "action.finished", "run.finished",
      ])
    #expect(setup.audit.head.sequence == 5)
    #expect(try setup.journal.auditHeads(path: setup.audit.url.path).first?.sequence == 5)
    // The manifest on disk.
    let data = try Data(
      contentsOf: ResultsFolder(root: setup.resultsRoot, runID: "run-1").manifestURL)
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    let written = try decoder.decode(Manifest.self, from: data)
    #expect(written.state == "finished")
    #expect(written.actions.count == 1)
    let action = try #require(written.actions.first)
    #expect(action.actionID == "a-1")
    #expect(action.status == "Failed")
    #expect(action.commands.map(\.status) == ["Completed", "Failed"])
    #expect(action.commands.first?.exitCode == 3)
    #expect(action.commands.first?.sha256 == "ab")
    // The events, in order.
    let kinds = setup.events.map { entry -> String in
      switch entry.event {
      case .actionSubmitted(_, _, _, let id): "submitted \(id)"
      case .resultReady(_, _, let index, _): "result \(index)"
      case .commandFailed(_, _, let index, _, let errors): "failed \(index) \(errors)"
      case .actionFinished(_, _, let status): "finished \(status)"
      case .runFinished(_, let summary): "run \(summary.failed)"
      default: "other"
      }
    }
    #expect(
      kinds == ["submitted a-1", "result 0", "failed 1 [\"gone\"]", "finished Failed", "run 1"])
  }

  /// Soak kill trials 9592 and 9605: a kill -9 after the run was journaled `finished` but before
  /// its manifest was written left a finished run with no manifest that `lr resume` would not
  /// touch. The journal says `finished` last, so a run whose manifest or audit entry failed (or
  /// was cut short) is still `running`, and `lr resume` ends it again.
  @Test func aRunIsJournaledFinishedOnlyOnceItsManifestAndAuditEntryAreWritten() throws {
    let setup = try Setup()
    defer { try? FileManager.default.removeItem(at: setup.directory) }
    var recorder = setup.recorder()
    let run = try start(setup, recorder)
    try recorder.submitted(
      run, MachineAction(id: "a-1", status: .pending, machineId: "m1"), reconciliation: nil)
    _ = try recorder.actionFinished(
      run, MachineAction(id: "a-1", status: .succeeded, machineId: "m1"),
      manifest: run.manifest(actionID: "a-1"), downloadFailed: false)
    // A folder where the manifest goes: writing it fails, as a kill before it would stop it.
    let manifestURL = ResultsFolder(root: setup.resultsRoot, runID: "run-1").manifestURL
    try FileManager.default.createDirectory(
      at: manifestURL.appendingPathComponent("blocked"), withIntermediateDirectories: true)
    #expect(throws: (any Error).self) {
      try recorder.runFinished(state: .finished, startedAt: Date())
    }
    #expect(try setup.journal.run("run-1")?.state == .running)
    #expect(!(try setup.auditEvents()).contains("run.finished"))

    // Once the manifest can be written, ending the run again completes it.
    try FileManager.default.removeItem(at: manifestURL)
    try recorder.runFinished(state: .finished, startedAt: Date())
    #expect(try setup.journal.run("run-1")?.state == .finished)
    #expect(try setup.auditEvents().filter { $0 == "run.finished" }.count == 1)
    #expect(FileManager.default.fileExists(atPath: manifestURL.path))
  }

  @Test func aRefusalIsJournaledAuditedInTheManifestAndCounted() throws {
    let setup = try Setup()
    defer { try? FileManager.default.removeItem(at: setup.directory) }
    var recorder = setup.recorder()
    let run = try start(setup, recorder)
    try recorder.refused(
      Refusal(message: "busy", code: "ActiveRequestAlreadyExists", httpStatus: 400), run)
    #expect(setup.events.map(\.journaled) == ["running terminal Failed "])
    #expect(try setup.auditEvents() == ["run.started", "action.refused"])
    #expect(recorder.summary.failed == 1)
    let entry = try #require(recorder.manifestActions.first)
    #expect(entry.actionID == nil)
    #expect(entry.error == "busy")
    #expect(entry.status == "Failed")
    #expect(entry.commands.map(\.status) == ["NotExecuted", "NotExecuted"])
  }

  /// A result that could not be downloaded is journaled before the front end hears of it (the
  /// engine used to report the failure first).
  @Test func aFailedDownloadIsJournaledAndAuditedBeforeItIsReported() throws {
    let setup = try Setup()
    defer { try? FileManager.default.removeItem(at: setup.directory) }
    let recorder = setup.recorder()
    let run = try start(setup, recorder)
    var manifest = run.manifest(actionID: "a-1")
    try recorder.commandFinished(
      CommandRecord(
        actionRow: run.row, commandIndex: 1, type: "GetFile", status: Engine.downloadFailed,
        errors: "the result could not be downloaded: 503"),
      errors: ["the result could not be downloaded: 503"], actionID: "a-1",
      machine: Self.machine, position: 1, manifest: &manifest)
    #expect(setup.events.map(\.journaled) == ["running planned - 1:DownloadFailed"])
    #expect(try setup.auditEvents() == ["run.started", "result.failed"])
    #expect(manifest.commands.map(\.status) == ["Created", Engine.downloadFailed])
  }
}
