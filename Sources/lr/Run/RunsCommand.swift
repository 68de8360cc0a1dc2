import ArgumentParser
import Foundation
import LREngine

/// `lr runs`: the runs in the journal, newest first.
struct RunsCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List runs recorded in the journal and their state.")

  @Option(help: "Output format: human or json (JSON lines).")
  var output: OutputFormat?

  @Option(help: "How many runs to show.")
  var limit = 20

  func run() async throws {
    let journal = try RunWorkspace.openJournal()
    let runs = try journal.runs(limit: limit)
    let format = output ?? (Terminal.stdoutIsTerminal ? .human : .json)
    try Self.list(runs, journal: journal, format: format)
  }

  /// Prints runs as a table or JSON lines, each with its finished and total actions.
  static func list(_ runs: [RunRecord], journal: Journal, format: OutputFormat) throws {
    var rows: [[String]] = []
    for run in runs {
      let actions = try journal.actions(run: run.id)
      let done = actions.filter { $0.state == .terminal }.count
      switch format {
      case .json:
        try JSONLines.print(
          RunLine(
            id: run.id, createdAt: run.createdAt, source: run.sourcePath, state: run.state.rawValue,
            actions: actions.count, finishedActions: done, parent: run.parentRun))
      case .human:
        rows.append([
          run.id, run.state.rawValue, "\(done)/\(actions.count)",
          Terminal.sanitize(run.sourcePath) + (run.parentRun.map { "  (rerun of \($0))" } ?? ""),
        ])
      }
    }
    if format == .human {
      Terminal.out(Table(headers: ["RUN", "STATE", "ACTIONS", "SOURCE"], rows: rows).render())
      Terminal.out(locations(journal: journal, newest: runs.first))
    }
  }

  /// Where the journal, the audit log and the newest run's results are.
  static func locations(journal: Journal, newest: RunRecord?) -> String {
    var text = "journal: \(Terminal.sanitize(journal.url.path))\n"
    text += "audit log: \(Terminal.sanitize(RunWorkspace.auditLogURL().path))\n"
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
  }
}
