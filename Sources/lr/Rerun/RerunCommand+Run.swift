import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRLanguage

extension RerunCommand {
  /// Runs `plan` as a new run linked to `record`, every statement restricted to `machines`.
  func rerun(_ plan: Plan, of record: RunRecord, on machines: Set<String>) async throws {
    let format = connection.format
    let renderer = RunRenderer(format: format)
    try await ErrorReporting.run {
      let summary = try await Connection.with(connection) { connection in
        let api = connection.api
        let workspace = try RunWorkspace.open(
          resultsRoot: URL(fileURLWithPath: api.settings.resultsDirectory))
        try workspace.audit.checkTail()
        var options = workspace.options(
          scriptDirectory: URL(fileURLWithPath: record.sourcePath).deletingLastPathComponent(),
          api: api)
        options.confirmAbove = confirmAbove
        options.timeout = timeout.flatMap(RunCommand.duration)
        options.parentRun = record.id
        options.onlyMachines = machines
        let assumeYes = yes
        let live = await LiveRunView.make(
          format: format, dryRun: false, plan: plan, renderer: renderer, governor: api.governor)
        options.confirm = { statement, count in
          if assumeYes { return true }
          live?.pause()
          return RunCommand.ask(
            "statement \(statement) will run on \(count) machines. Continue? [y/N] ")
        }
        let engine = workspace.engine(api: api, options: options) { event in
          if let live { live.handle(event) } else { renderer.handle(event) }
        }
        live?.start()
        defer { live?.stop() }
        do {
          return try await engine.run(
            plan, sourcePath: record.sourcePath, sourceText: record.sourceText,
            modules: record.modules)
        } catch let error as Engine.RunError {
          live?.pause()
          Terminal.printError("lr: error: " + Terminal.sanitize(error.description))
          throw ExitStatus.usage
        }
      }
      if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
  }
}
