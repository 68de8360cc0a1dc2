import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRSystem
import LRTeam

/// `lr report [RUN] -o report.html`: one self-contained HTML page about a journaled run.
struct ReportCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a run's report as one self-contained HTML file.",
    discussion: """
      The page holds the run's summary, a table with one row per machine (status, exit codes, \
      why it failed, saved files with their SHA-256), a timeline with one bar per action \
      (submitted, started, finished, on the service's clock) against the per-minute submission \
      limit, and the stacked values of each parsed column, least frequent first. Inline CSS and \
      SVG only: no scripts, nothing fetched. Reads the journal only; unknown run: exit 2.
      """)

  @Argument(help: "The run id (see `lr runs`); default: the newest run.")
  var run: String?

  @Option(name: .shortAndLong, help: "The HTML file to write.")
  var output = "report.html"

  @Option(help: "The per-minute submission limit drawn on the timeline.")
  var submissionsPerMinute = RateLimits().liveResponsePerMinute

  @OptionGroup var team: TeamOption

  @OptionGroup var scope: TeamTenantOptions

  func validate() throws {
    if submissionsPerMinute < 1 {
      throw ValidationError("--submissions-per-minute must be at least 1")
    }
  }

  func run() async throws {
    let journal = try team.openedJournal(scope)
    let record: RunRecord
    if let run {
      guard let found = try journal.run(run) else {
        throw UsageError("no run \(Terminal.sanitize(run)) in the journal (`lr runs` lists them)")
      }
      record = found
    } else {
      guard let newest = try journal.runs(limit: 1).first else {
        throw UsageError("no run in the journal to report on (`lr run` records one)")
      }
      record = newest
    }
    let report = try await RunReport.load(
      run: record, journal: journal, reader: try Self.reader(of: journal),
      submissionsPerMinute: submissionsPerMinute)
    let url = URL(fileURLWithPath: output)
    try Data(report.html().utf8).write(to: url, options: .atomic)
    Terminal.out(
      "wrote \(Terminal.sanitize(url.path)): run \(record.id), "
        + "\(Self.counted(report.machines.count, "machine")), "
        + "\(Self.counted(report.bars.count, "action"))\n")
  }

  /// `1 machine`, `5 machines`.
  static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }

  /// The documented views of the journal the run was read from (SQLite or the team database).
  static func reader(of journal: any RunJournal) throws -> (any ResultsReader)? {
    if let journal = journal as? PostgresJournal {
      return PostgresResultsReader(url: journal.database.url, tenant: journal.tenant)
    }
    return try (journal as? Journal).map { try JournalReader(url: $0.url) }
  }
}
