import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules
import LRSystem

/// `lr resume [RUN]`: finish a run from the journal, never submitting an action twice.
struct ResumeCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Finish an unfinished run from the journal (newest one by default).",
    discussion: """
      Actions journaled without an answer are looked up by the token in their Comment: found, \
      their id is adopted; resubmitted (same token) only when a search of the machine's actions \
      since the run started, begun at least --settle after the action was journaled, finds \
      nothing. Submitted actions are followed to the end, missing results downloaded, and the \
      statements that had not started are run. A run paused by --stop-if-failed continues with \
      its rollout (the machines that ran count first, so the breaker keeps counting and pauses it \
      again, sending nothing, if nothing changed): give --stop-if-failed (or --canary, --waves) to \
      change it for the rest of the run, or --abandon to end it. Exit statuses as for `lr run`; \
      a finished run exits 0 without contacting the service.
      """)

  @Argument(help: "The run id (see `lr runs`); default: the newest unfinished run.")
  var run: String?

  @Flag(help: "List the unfinished runs instead of resuming one.")
  var list = false

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var team: TeamOption

  @OptionGroup var rollout: RolloutOptions

  @Flag(help: "Mark the run abandoned instead of resuming it; nothing is sent.")
  var abandon = false

  @Flag(help: "Do not ask before statements that touch many machines.")
  var yes = false

  @Option(help: "Ask (or require --yes) above this many machines in one statement.")
  var confirmAbove = 25

  @Option(help: "Stop waiting after this long (e.g. 90s, 30m, 2h); pending actions stay journaled.")
  var timeout: String?

  @Option(
    help: """
      How long after an unanswered submission was journaled before a search that does not find \
      it proves it never arrived (default 2m).
      """)
  var settle = "2m"

  func validate() throws {
    if let timeout, RunCommand.duration(timeout) == nil {
      throw ValidationError("--timeout takes a duration such as 90s, 30m or 2h")
    }
    if RunCommand.duration(settle) == nil, settle != "0" {
      throw ValidationError("--settle takes a duration such as 30s or 2m")
    }
  }

  func run() async throws {
    let journal = try team.journal(tenant: connection.tenant, profile: connection.profile)
    if list {
      try listUnfinished(journal)
      return
    }
    let record: RunRecord
    if let run {
      guard let found = try journal.run(run) else {
        throw UsageError("no run \(Terminal.sanitize(run)) in the journal (`lr runs` lists them)")
      }
      record = found
    } else {
      guard let newest = try journal.runs(limit: 10_000).first(where: \.isUnfinished) else {
        Terminal.out("nothing to resume: every run in the journal has finished\n")
        return
      }
      record = newest
    }
    try Self.requireApproval(record, journal: journal)
    guard record.isUnfinished else {
      Terminal.out("run \(record.id) already \(record.state.rawValue); nothing to resume\n")
      return
    }
    if abandon { return try self.abandon(record, journal: journal) }
    // The options given win; the run's journaled rollout gives the rest.
    let policy = (try rollout.policy() ?? RolloutPolicy()).overriding(record.rollout)
    let source = SourceFile(name: record.sourcePath, text: record.sourceText)
    let output = Compiler.compile(
      source, modules: JournaledModules(record.modules, fallback: FileModules()))
    if output.diagnostics.hasErrors {
      let formatter = DiagnosticFormatter(sources: output.sources, colors: Terminal.colors(2))
      Terminal.err(formatter.render(output.diagnostics))
      throw UsageError("the journaled source of run \(record.id) no longer compiles")
    }
    let format = connection.format
    let renderer = RunRenderer(format: format)
    let settleTime = RunCommand.duration(settle) ?? .zero
    let results = resultsDirectory(journaled: record)
    try await ErrorReporting.run {
      let summary = try await Connection.with(connection, team: team, notices: renderer.notices) {
        connection in
        let workspace = try team.workspace(
          journal: journal, resultsRoot: URL(fileURLWithPath: results))
        try workspace.audit.checkTail()
        var options = workspace.options(
          scriptDirectory: URL(fileURLWithPath: record.sourcePath).deletingLastPathComponent(),
          api: connection.api, profile: connection.api.settings.profileName ?? record.profile)
        options.confirmAbove = confirmAbove
        options.timeout = timeout.flatMap(RunCommand.duration)
        options.rollout = policy.isEmpty ? nil : policy
        if record.parentRun != nil {
          // A rerun runs only on the machines it chose, those its statements were journaled with.
          options.onlyMachines = Set(try journal.targets(run: record.id).map(\.machineID))
        }
        let driver = RunDriver(format: format, renderer: renderer, assumeYes: yes)
        return try await driver.drive(
          output.plan, workspace: workspace, api: connection.api, options: options
        ) { try await $0.resume(output.plan, run: record, settle: settleTime) }
      }
      if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
  }

  /// Unfinished runs, newest first (the candidates for `lr resume`).
  func listUnfinished(_ journal: any RunJournal) throws {
    try RunsCommand.list(
      try journal.runs(limit: 10_000).filter(\.isUnfinished), journal: journal,
      format: connection.format)
  }
}

extension ResumeCommand {
  /// `--results-dir` if given, else where the run saved its results.
  func resultsDirectory(journaled record: RunRecord) -> String {
    connection.resultsDir ?? record.resultsDirectory
  }
}
