import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules
import LRTeam
import LiveResponse

extension RunCommand {
  /// `lr run FILE --team URL --detach`: resolves the targets (with the pre-flight), journals the
  /// run `queued` in the team database and queues it for `lr worker`; prints the run id at once.
  func queueDetached(_ output: Compiler.Output, source: SourceFile) async throws {
    let format = connection.format
    try await ErrorReporting.run {
      let queued = try await Connection.with(connection, team: team) { connection in
        let api = connection.api
        let opened = try team.require(
          "--detach", tenant: api.settings.tenantID, profile: self.connection.profile)
        let engine = try await detachedEngine(output.plan, team: opened, api: api, format: format)
        do {
          let queued = try await engine.enqueue(
            output.plan, sourcePath: source.name,
            sourceText: String(decoding: source.bytes, as: UTF8.self),
            modules: JournaledModules.texts(of: output.sources, except: source.name))
          // Four eyes: a held run gets its approval request first, so the queue's trigger
          // files it `awaiting` (no worker claims it until `lr approve`).
          let held = try Self.holdIfNeeded(
            queued.record, plan: output.plan,
            policy: approvalPolicy(tenant: api.settings.tenantID), journal: opened.journal,
            audit: try opened.auditLog())
          try await WorkQueue(database: opened.connect(), tenant: opened.tenant).enqueue(
            run: queued.record.id, by: queued.record.who ?? "", source: source.name,
            actions: queued.actions)
          if let held {
            Terminal.err(
              "run \(queued.record.id) waits for approval: \(Terminal.sanitize(held))\n"
                + "  a second person approves it with: lr approve \(queued.record.id) --reason \"…\"\n"
            )
          }
          return queued
        } catch let error as Engine.RunError {
          Terminal.printError("lr: error: " + Terminal.sanitize(error.description))
          throw ExitStatus.usage
        }
      }
      Terminal.out(Self.queuedLine(queued, format: format))
    }
  }

  /// The engine that journals the queued run: the team's journal and audit chain
  /// (in the team database), the options `lr run` would use.
  private func detachedEngine(_ plan: Plan, team: Team, api: DefenderAPI, format: OutputFormat)
    async throws -> Engine
  {
    let audit = try team.auditLog()
    try audit.checkTail()
    let workspace = RunWorkspace(
      journal: team.journal, audit: audit,
      resultsRoot: URL(fileURLWithPath: api.settings.resultsDirectory))
    var options = workspace.options(
      scriptDirectory: URL(fileURLWithPath: file).deletingLastPathComponent(), api: api)
    options.maxMachines = maxMachines
    options.confirmAbove = confirmAbove
    options.rollout = try rollout.policy()
    if !noPreflight {
      let checked = try await preflight(plan, api: api, renderer: RunRenderer(format: format))
      options.excludedMachines = checked.excluded
      options.resolvedTargets = checked.targets
    }
    let assumeYes = yes
    options.confirm = { statement, count in
      assumeYes
        || RunCommand.ask("statement \(statement) will run on \(count) machines. Queue it? [y/N] ")
    }
    return workspace.engine(api: api, options: options) { _ in }
  }

  /// The one line `--detach` prints: the `runQueued` event, or a sentence.
  static func queuedLine(_ queued: QueuedRun, format: OutputFormat) -> String {
    switch format {
    case .json:
      return JSONValue.object([
        ("event", .string("runQueued")), ("run", .string(queued.record.id)),
        ("source", .string(queued.record.sourcePath)), ("machines", .number(queued.machines)),
        ("actions", .number(queued.actions)),
      ]).serialized() + "\n"
    case .human:
      return "queued run \(queued.record.id): \(queued.actions) action"
        + (queued.actions == 1 ? "" : "s") + " on \(queued.machines) machine"
        + (queued.machines == 1 ? "" : "s") + "; `lr worker` executes it, `lr watch` follows it\n"
    }
  }
}
