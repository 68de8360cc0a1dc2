import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRShell
import LiveResponse

/// Runs REPL inputs for real: each input is an engine run (journaled, audited, results saved),
/// and the engine's events become the shell's events.
final class EngineRunner: StatementRunner, @unchecked Sendable {
  let kind: RunnerKind
  let connection: Connection
  let workspace: RunWorkspace
  private let lock = NSLock()
  private var engines: [JobID: Engine] = [:]

  init(kind: RunnerKind, connection: Connection, workspace: RunWorkspace) {
    self.kind = kind
    self.connection = connection
    self.workspace = workspace
  }

  /// A runner recording in the team database when one is configured (`--team`, `LR_TEAM`, the
  /// profile's `team`), else in the state folder; a team that cannot be opened closes the
  /// connection (and the lab) and throws.
  static func open(
    kind: RunnerKind, connection: Connection, team: TeamOption, profile: String? = nil
  ) async throws -> EngineRunner {
    do {
      let workspace = try team.workspace(
        resultsRoot: URL(fileURLWithPath: connection.api.settings.resultsDirectory),
        tenant: connection.api.settings.tenantID, profile: profile)
      return EngineRunner(kind: kind, connection: connection, workspace: workspace)
    } catch {
      await connection.close()
      throw error
    }
  }

  var storage: [(label: String, path: String)] { workspace.storage }

  func run(
    _ plan: Plan, context: RunContext, events: @escaping @Sendable (ShellEvent) -> Void
  ) async throws -> ResultValues {
    // A damaged audit log refuses the input before a run is journaled or anything is sent.
    try workspace.audit.checkTail()
    let started = Date()
    var options = workspace.options(
      scriptDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
      api: connection.api, profile: kind.label)
    options.confirmAbove = Int.max
    let translator = EventTranslator(
      plan: plan, started: started, retryWindow: connection.api.retry.retryWindow, emit: events)
    let engine = workspace.engine(api: connection.api, options: options) { translator.handle($0) }
    lock.withLock { engines[context.job] = engine }
    defer { _ = lock.withLock { engines.removeValue(forKey: context.job) } }
    // The input's own text and the modules it used: `lr resume` recompiles exactly this.
    let text =
      context.sources[context.input].map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
    let modules = JournaledModules.texts(of: context.sources, except: context.input)
    let summary: RunSummary
    do {
      summary = try await engine.run(
        plan, sourcePath: context.input, sourceText: text, modules: modules,
        results: context.results)
    } catch let error as Engine.RunError {
      events(
        .finished(
          .failed(reason: error.description), elapsedSeconds: Date().timeIntervalSince(started)))
      return [:]
    }
    let outcome: ShellEvent.Outcome
    if summary.cancelled > 0 {
      outcome = .cancelled
    } else if summary.failed + summary.timedOut > 0 {
      outcome = .failed(reason: "\(summary.failed + summary.timedOut) action(s) did not succeed")
    } else if summary.pending > 0 {
      outcome = .queued
    } else {
      outcome = .succeeded
    }
    events(.finished(outcome, elapsedSeconds: Date().timeIntervalSince(started)))
    let bound = await engine.boundResults
    var new: ResultValues = [:]
    for step in plan.allStatements { if let b = step.binding, let v = bound[b] { new[b] = v } }
    return new
  }

  /// Shuts the client (and the lab) down; call once, when the REPL ends.
  func close() async {
    await connection.close()
  }

  func cancel(job: JobID) async throws {
    guard let engine = lock.withLock({ engines[job] }) else { return }
    await engine.cancelInFlight(comment: "cancelled from the lr REPL")
  }

  func machines(filter: String?) async throws -> [MachineRecord] {
    // `ws-01*` is the prefix `ws-01` (the API's filter has no wildcards).
    let prefix = filter.map { $0.hasSuffix("*") ? String($0.dropLast()) : $0 }
    return try await connection.api.machines(filter: MachinesCommand.odataFilter(prefix)).map {
      MachineRecord(
        id: $0.id, name: $0.computerDnsName ?? $0.id, osPlatform: $0.osPlatform,
        healthStatus: $0.healthStatus, tags: $0.machineTags)
    }
  }

  func library() async throws -> [LibraryRecord] {
    try await connection.api.libraryFiles().map {
      LibraryRecord(
        fileName: $0.fileName, description: $0.description, hasParameters: $0.hasParameters ?? false
      )
    }
  }

  func actions() async throws -> [LRShell.ActionRecord] {
    try await connection.api.machineActions(top: 50, orderBy: "creationDateTimeUtc desc").map(
      Self.record)
  }

  func action(id: String) async throws -> LRShell.ActionRecord {
    Self.record(try await connection.api.machineAction(id))
  }

  func cancelAction(id: String, comment: String) async throws -> LRShell.ActionRecord {
    Self.record(try await connection.api.cancelMachineAction(id, comment: comment))
  }

  private static func record(_ action: MachineAction) -> LRShell.ActionRecord {
    LRShell.ActionRecord(
      id: action.id, machine: action.computerDnsName ?? action.machineId ?? "",
      status: action.status.rawValue, comment: action.requestorComment,
      created: action.creationDateTimeUtc, requestor: action.requestor)
  }

  /// `.plan`: the live pre-flight of `plan` on the connected tenant; sends nothing.
  func preflight(_ plan: Plan) async throws -> String {
    let preflight = try await Preflight.check(
      plan, api: connection.api,
      baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    return PreflightReport.text(preflight)
  }
}
