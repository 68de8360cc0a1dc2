import ArgumentParser
import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules

/// `lr run FILE.lr`: run a script unattended across machines, within the API budget.
struct RunCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a .lr script: resolve targets, send each action, save every result.",
    discussion: """
      Every action is journaled before it is sent; results go to <results>/<run>/<machine>/ with a \
      manifest.json; every action, command and file is appended to the hash-chained audit log. \
      Exit status: 0 all succeeded, 1 a command failed or timed out (or is still pending), 2 the \
      script does not compile, names unknown machines, matches no machine at all or has a bad \
      rollout option, 3 sign-in or configuration, 4 cancelled, 5 paused by --stop-if-failed \
      (`lr resume` continues it).
      """)

  @Argument(help: "The .lr script.")
  var file: String

  @OptionGroup var connection: ConnectionOptions

  @OptionGroup var team: TeamOption

  @OptionGroup var rollout: RolloutOptions

  @Flag(help: "Resolve targets and show what would be sent; send nothing.")
  var dryRun = false

  @Flag(help: "With --team: journal the run queued for `lr worker` and print its id at once.")
  var detach = false

  @Flag(help: "Do not ask before statements that touch many machines.")
  var yes = false

  @Option(help: "Refuse statements that resolve to more machines than this.")
  var maxMachines: Int?

  @Option(help: "Ask (or require --yes) above this many machines in one statement.")
  var confirmAbove = 25

  @Option(help: "Stop waiting after this long (e.g. 90s, 30m, 2h); pending actions stay journaled.")
  var timeout: String?

  @Flag(help: "Run on the machines that can run, skip (and list) those that cannot.")
  var skipIneligible = false

  @Flag(help: "Send to every resolved machine without the pre-flight (lr plan) check.")
  var noPreflight = false

  func validate() throws {
    if let timeout, Self.duration(timeout) == nil {
      throw ValidationError("--timeout takes a duration such as 90s, 30m or 2h")
    }
    if detach, dryRun { throw ValidationError("--detach queues the run; --dry-run sends nothing") }
    if let maxMachines, maxMachines < 1 {
      throw ValidationError("--max-machines must be at least 1")
    }
  }

  /// `90`, `90s`, `30m`, `2h`.
  static func duration(_ text: String) -> Duration? {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
    if let last = text.last, let unit = units[last], let value = Int64(text.dropLast()), value > 0 {
      return .seconds(value * unit)
    }
    return Int64(text).flatMap { $0 > 0 ? .seconds($0) : nil }
  }

  func run() async throws {
    let source = try SourceLoader.load(file)
    let output = Compiler.compile(source, modules: FileModules())
    if !output.diagnostics.isEmpty {
      let formatter = DiagnosticFormatter(sources: output.sources, colors: Terminal.colors(2))
      Terminal.err(formatter.render(output.diagnostics))
    }
    if output.diagnostics.hasErrors { throw ExitStatus.usage }
    if detach { return try await queueDetached(output, source: source) }
    let format = connection.format
    let renderer = RunRenderer(format: format, lab: connection.lab)
    try await ErrorReporting.run {
      let summary = try await Connection.with(connection, team: team, notices: renderer.notices) {
        connection in
        let api = connection.api
        let workspace = try team.workspace(
          resultsRoot: URL(fileURLWithPath: api.settings.resultsDirectory),
          tenant: api.settings.tenantID, profile: self.connection.profile)
        // A log that does not end at its recorded head is refused before anything is sent.
        if !dryRun { try workspace.audit.checkTail() }
        var options = workspace.options(
          scriptDirectory: URL(fileURLWithPath: file).deletingLastPathComponent(), api: api)
        options.dryRun = dryRun
        options.maxMachines = maxMachines
        options.confirmAbove = confirmAbove
        options.timeout = timeout.flatMap(Self.duration)
        options.rollout = try rollout.policy()
        if !noPreflight {
          let checked = try await preflight(output.plan, api: api, renderer: renderer)
          options.excludedMachines = checked.excluded
          options.resolvedTargets = checked.targets
        }
        let plan = output.plan
        let driver = RunDriver(format: format, renderer: renderer, assumeYes: yes, dryRun: dryRun)
        // Four eyes: a run the team's policy holds is journaled and waits for `lr approve`.
        if let approved = try await approvedRun(
          output, source: source, workspace: workspace, api: api, options: options)
        {
          options.confirmAbove = Int.max
          return try await driver.drive(plan, workspace: workspace, api: api, options: options) {
            try await $0.resume(plan, run: approved)
          }
        }
        return try await driver.drive(plan, workspace: workspace, api: api, options: options) {
          try await $0.run(
            plan, sourcePath: source.name,
            sourceText: String(decoding: source.bytes, as: UTF8.self),
            modules: JournaledModules.texts(of: output.sources, except: source.name))
        }
      }
      if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
  }

  /// Checks which machines cannot run the plan: refuses them (exit 1, nothing sent; JSON lines
  /// from `runStarted` to a `runFinished` whose state is `refused`) or, with `--skip-ineligible`,
  /// lists them as skipped and returns them to leave out; returns too the targets it resolved,
  /// for the engine to reuse.
  func preflight(_ plan: Plan, api: DefenderAPI, renderer: RunRenderer) async throws
    -> (excluded: [Int: Set<String>], targets: [Int: [MachineRef]])
  {
    let format = renderer.format
    let preflight = try await Preflight.check(
      plan, api: api, baseDirectory: URL(fileURLWithPath: file).deletingLastPathComponent())
    // Unknown names: the engine resolves again and refuses the run with its suggestions.
    guard preflight.unknown.isEmpty else { return ([:], [:]) }
    let blocked = preflight.blocked
    guard !blocked.isEmpty else { return ([:], preflight.targets) }
    if !skipIneligible {
      let run = RunToken.newRunID()
      let count = "\(blocked.count) machine\(blocked.count == 1 ? "" : "s")"
      let refusal = RunSummary.refusal(
        RunFailure(message: "\(count) cannot run this script; nothing was sent", exitStatus: 1))
      if format == .json {
        renderer.handle(.runStarted(runID: run, statements: plan.allStatements.count))
      }
      try PreflightReport.printIneligible(blocked, skipped: false, format: format)
      if format == .json { renderer.handle(.runFinished(runID: run, summary: refusal)) }
      throw ExitStatus.failure
    }
    try PreflightReport.printIneligible(blocked, skipped: true, format: format)
    var excluded: [Int: Set<String>] = [:]
    for verdict in blocked { excluded[verdict.statement, default: []].insert(verdict.machine.id) }
    return (excluded, preflight.targets)
  }

  /// Asks a yes/no question on the terminal (no terminal: no).
  static func ask(_ question: String) -> Bool {
    guard Terminal.isTerminal(STDIN_FILENO) else { return false }
    Terminal.err(question)
    guard let answer = readLine() else { return false }
    return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
  }
}
