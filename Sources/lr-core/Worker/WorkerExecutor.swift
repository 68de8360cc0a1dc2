import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules
import LRTeam

/// How a worker executes a claimed run: its journaled source compiled again with its journaled
/// modules, and the engine's resume path (replay what finished, adopt journaled actions by their
/// token, run the rest), recorded in the team's journal.
struct WorkerExecutor: Sendable {
  let team: Team
  let api: DefenderAPI
  let settle: Duration
  /// `--results-dir`, else the profile's results folder (a run queued on another host may name
  /// a folder this host does not have).
  let resultsRoot: URL
  let audit: AuditLog

  init(team: Team, api: DefenderAPI, settle: Duration, resultsDirectory: String?) throws {
    self.team = team
    self.api = api
    self.settle = settle
    self.resultsRoot = URL(fileURLWithPath: resultsDirectory ?? api.settings.resultsDirectory)
    self.audit = try team.auditLog()
  }

  /// Executes the run to its end and returns its final state.
  func execute(_ claim: WorkClaim) async throws -> String {
    guard let record = try team.journal.run(claim.run) else {
      throw WorkerError("the journal has no run \(claim.run)")
    }
    let source = SourceFile(name: record.sourcePath, text: record.sourceText)
    let output = Compiler.compile(
      source, modules: JournaledModules(record.modules, fallback: FileModules()))
    guard !output.diagnostics.hasErrors else {
      throw WorkerError("the journaled source of run \(record.id) no longer compiles")
    }
    let workspace = RunWorkspace(journal: team.journal, audit: audit, resultsRoot: resultsRoot)
    var options = workspace.options(
      scriptDirectory: URL(fileURLWithPath: record.sourcePath).deletingLastPathComponent(),
      api: api, profile: record.profile)
    // Large statements were confirmed when the run was queued.
    options.confirmAbove = Int.max
    options.rollout = record.rollout
    if record.parentRun != nil {
      options.onlyMachines = Set(try team.journal.targets(run: record.id).map(\.machineID))
    }
    let engine = workspace.engine(api: api, options: options) { _ in }
    _ = try await engine.resume(output.plan, run: record, settle: settle)
    return try team.journal.run(claim.run)?.state.rawValue ?? RunRecord.State.finished.rawValue
  }
}

/// Why a worker could not execute a run.
struct WorkerError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
