import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules
import LRSystem

/// `lr rerun --failed [RUN]`: run a journaled run's statements again on the machines that failed
/// (or whose result matches `--where`), as a new run linked to the first.
struct RerunCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "rerun",
    abstract: "Run a run's statements again on its failed machines, as a new linked run.",
    discussion: """
      The statements are recompiled from the run's journaled source and modules (as `lr resume` \
      does) and every statement runs only on the chosen machines. --failed chooses the machines \
      with an action that was refused or ended Failed, TimeOut or Cancelled, a command that \
      failed or could not be downloaded, or a script that exited non-zero. --where chooses by a \
      condition on each machine's result (status, ok, exit_code, output, errors, file, machine). \
      Nothing to rerun: a message, exit 0. Unknown run: exit 2. Other exit statuses as `lr run`.
      """)

  @Argument(help: "The run id (see `lr runs`); default: the newest run.")
  var run: String?

  @Flag(help: "Rerun on the machines that failed.")
  var failed = false

  @Option(
    name: .customLong("where"),
    help: "Rerun on the machines whose result matches this condition (e.g. 'exit_code != 0').")
  var condition: String?

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var team: TeamOption

  @OptionGroup var rollout: RolloutOptions

  @Flag(help: "Print the machines that would run again; send nothing.")
  var dryRun = false

  @Flag(help: "Do not ask before statements that touch many machines.")
  var yes = false

  @Option(help: "Ask (or require --yes) above this many machines in one statement.")
  var confirmAbove = 25

  @Option(help: "Stop waiting after this long (e.g. 90s, 30m, 2h); pending actions stay journaled.")
  var timeout: String?

  func validate() throws {
    if failed == (condition != nil) {
      throw ValidationError("give either --failed or --where CONDITION")
    }
    if let timeout, RunCommand.duration(timeout) == nil {
      throw ValidationError("--timeout takes a duration such as 90s, 30m or 2h")
    }
  }

  /// The rollout options given, each one not given taken from `record`'s journaled rollout.
  func rolloutPolicy(over record: RunRecord) throws -> RolloutPolicy? {
    let policy = (try rollout.policy() ?? RolloutPolicy()).overriding(record.rollout)
    return policy.isEmpty ? nil : policy
  }

  func run() async throws {
    let journal = try team.journal(tenant: connection.tenant, profile: connection.profile)
    let record = try parentRun(journal)
    let machines = try select(from: record, journal: journal)
    if machines.isEmpty {
      let what = failed ? "no machine failed" : "no machine matches"
      Terminal.out("nothing to rerun: \(what) in run \(record.id)\n")
      return
    }
    if dryRun {
      printMachines(machines, of: record)
      return
    }
    let output = Compiler.compile(
      SourceFile(name: record.sourcePath, text: record.sourceText),
      modules: JournaledModules(record.modules, fallback: FileModules()))
    if output.diagnostics.hasErrors {
      let formatter = DiagnosticFormatter(sources: output.sources, colors: Terminal.colors(2))
      Terminal.err(formatter.render(output.diagnostics))
      throw UsageError("the journaled source of run \(record.id) no longer compiles")
    }
    try await rerun(output.plan, of: record, on: Set(machines.map(\.id)))
  }

  /// The run named, or the newest; an unknown run is a usage error.
  func parentRun(_ journal: any RunJournal) throws -> RunRecord {
    if let run {
      guard let found = try journal.run(run) else {
        throw UsageError("no run \(Terminal.sanitize(run)) in the journal (`lr runs` lists them)")
      }
      return found
    }
    guard let newest = try journal.runs(limit: 1).first else {
      throw UsageError("no run in the journal to rerun (`lr run` records one)")
    }
    return newest
  }

  /// The machines --failed or --where chooses.
  func select(from record: RunRecord, journal: any RunJournal) throws -> [RerunSelection.Machine] {
    guard let condition else { return try RerunSelection.failed(run: record.id, journal: journal) }
    let expression: PlanExpression
    do {
      expression = try RerunCondition.compile(condition)
    } catch {
      throw UsageError("--where: \(error)")
    }
    return try RerunSelection.matching(run: record.id, journal: journal, condition: expression)
  }

  /// `--dry-run`: each machine and why it was chosen.
  func printMachines(_ machines: [RerunSelection.Machine], of record: RunRecord) {
    if connection.format == .json {
      for machine in machines {
        try? JSONLines.print(
          RerunLine(
            run: record.id, machineId: machine.id, computerName: machine.computerName,
            reason: machine.reason))
      }
      return
    }
    let count = machines.count == 1 ? "1 machine" : "\(machines.count) machines"
    var text = "would rerun run \(record.id) on \(count):\n"
    for machine in machines {
      text += "  \(Terminal.sanitize(machine.computerName))  \(Terminal.sanitize(machine.reason))\n"
    }
    Terminal.out(text)
  }

  /// One line of `lr rerun --dry-run --output json`.
  struct RerunLine: Encodable {
    var event = "rerunMachine"
    var run: String
    var machineId: String
    var computerName: String
    var reason: String
  }
}
