import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRLanguage

extension RerunCommand {
  /// Runs `plan` as a new run linked to `record`, every statement restricted to `machines`.
  func rerun(_ plan: Plan, of record: RunRecord, on machines: Set<String>) async throws {
    let format = connection.format
    let renderer = RunRenderer(format: format, lab: connection.lab)
    try await ErrorReporting.run {
      let summary = try await Connection.with(connection, team: team, notices: renderer.notices) {
        connection in
        let api = connection.api
        let workspace = try team.workspace(
          resultsRoot: URL(fileURLWithPath: api.settings.resultsDirectory),
          tenant: api.settings.tenantID, profile: self.connection.profile)
        try workspace.audit.checkTail()
        var options = workspace.options(
          scriptDirectory: URL(fileURLWithPath: record.sourcePath).deletingLastPathComponent(),
          api: api)
        options.confirmAbove = confirmAbove
        options.timeout = timeout.flatMap(RunCommand.duration)
        options.parentRun = record.id
        options.onlyMachines = machines
        // Its own rollout options, each one not given taken from the first run's.
        options.rollout = try rolloutPolicy(over: record)
        let driver = RunDriver(format: format, renderer: renderer, assumeYes: yes)
        return try await driver.drive(plan, workspace: workspace, api: api, options: options) {
          try await $0.run(
            plan, sourcePath: record.sourcePath, sourceText: record.sourceText,
            modules: record.modules)
        }
      }
      if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
  }
}
