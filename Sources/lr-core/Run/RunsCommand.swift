import ArgumentParser
import Foundation
import LREngine
import LRTeam

/// `lr runs`: the runs in the journal, newest first.
struct RunsCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List runs recorded in the journal and their state.")

  @Option(help: "Output format: human or json (JSON lines).")
  var output: OutputFormat?

  @Option(help: "How many runs to show.")
  var limit = 20

  @OptionGroup var team: TeamOption

  @OptionGroup var scope: TeamTenantOptions

  func run() async throws {
    let journal = try team.openedJournal(scope)
    let runs = try journal.runs(limit: limit)
    let format = output ?? (Terminal.stdoutIsTerminal ? .human : .json)
    try Self.list(runs, journal: journal, format: format)
  }

  /// Prints runs as a table or JSON lines, each with its finished and total actions; a team
  /// database's runs (everyone's on the tenant) show who started each.
  static func list(_ runs: [RunRecord], journal: any RunJournal, format: OutputFormat) throws {
    let team = journal is PostgresJournal
    var rows: [[String]] = []
    for run in runs {
      let actions = try journal.actions(run: run.id)
      let done = actions.filter { $0.state == .terminal }.count
      switch format {
      case .json:
        try JSONLines.print(
          RunLine(
            id: run.id, createdAt: run.createdAt, source: run.sourcePath, state: run.state.rawValue,
            actions: actions.count, finishedActions: done, parent: run.parentRun,
            pauseReason: run.pauseReason, who: run.who))
      case .human:
        rows.append(
          [run.id, run.state.rawValue] + (team ? [Terminal.sanitize(run.who ?? "?")] : []) + [
            "\(done)/\(actions.count)",
            Terminal.sanitize(run.sourcePath) + (run.parentRun.map { "  (rerun of \($0))" } ?? "")
              + (run.pauseReason.map { "  (paused: \(Terminal.sanitize($0)))" } ?? ""),
          ])
      }
    }
    if format == .human, runs.isEmpty {
      Terminal.out(
        "no runs yet: `lr run FILE.lr` makes one (try `lr run examples/seed.lr --lab`; "
          + "`lr --lab` opens the REPL)\n")
      Terminal.out(locations(journal: journal, newest: nil))
    } else if format == .human {
      let headers = ["RUN", "STATE"] + (team ? ["WHO"] : []) + ["ACTIONS", "SOURCE"]
      Terminal.out(Table(headers: headers, rows: rows).render())
      Terminal.out(locations(journal: journal, newest: runs.first))
    }
  }

  /// Where the journal, the audit log and the newest run's results are.
  static func locations(journal: any RunJournal, newest: RunRecord?) -> String {
    var text = "journal: \(Terminal.sanitize(journal.location))\n"
    let audit =
      journal is PostgresJournal
      ? "the team database (lr audit verify --team)" : RunWorkspace.auditLogURL().path
    text += "audit log: \(Terminal.sanitize(audit))\n"
    if let newest {
      text += "results: \(Terminal.sanitize(newest.resultsDirectory)) (newest run)\n"
    }
    return text
  }

  struct RunLine: Encodable {
    var id: String
    var createdAt: Date
    var source: String
    var state: String
    var actions: Int
    var finishedActions: Int
    /// The run this one reruns (`lr rerun`); absent otherwise.
    var parent: String?
    /// Why a paused run paused; absent otherwise.
    var pauseReason: String?
    /// Who started it (the operating-system user); absent in runs journaled before it was kept.
    var who: String?
  }
}
