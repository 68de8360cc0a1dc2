import ArgumentParser
import Foundation
import LRLanguage
import LRModules
import LRShell
import LRSystem

/// `lr` (the default command): the interactive REPL, or piped statements run like a script.
struct REPLCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "Start the interactive REPL (the default when no command is given).",
    discussion: """
      On a terminal: line editing, history, Tab completion and live results above the prompt. \
      With standard input not a terminal (`lr --offline < script.lr`), statements are read and run \
      one after another like a batch script, with no prompt. --lab runs statements on the \
      in-process lab, --profile on a tenant; without either (or with --offline) statements are \
      compiled and their request bodies shown, and nothing is sent. See docs/repl.md.
      """)

  @Flag(help: "Send nothing: show the request bodies each statement would POST.")
  var offline = false

  @Flag(
    help: """
      Start the lab (an in-process emulator with the demo fleet), 10 times faster than real \
      time (LR_LAB_TIME_SCALE sets the factor, 1 = real time).
      """)
  var lab = false

  @Option(help: "The configuration profile (tenant) to use; also names the history file.")
  var profile: String?

  @Option(help: "How results print: human or json (default: human on a terminal, else json).")
  var output: OutputMode?

  @OptionGroup var team: TeamOption

  /// Words the REPL does not take (`lr --lab run x.lr`): ``StrayArguments`` says what to type.
  @Argument(help: .hidden) var stray: [String] = []

  func validate() throws {
    if lab && offline { throw ValidationError("--lab and --offline exclude each other") }
    if lab && profile != nil { throw ValidationError("--lab and --profile exclude each other") }
    let options = lab ? "--lab" : profile.map { "--profile \($0)" } ?? ""
    if let message = StrayArguments.message(stray, options: options) {
      throw ValidationError(message)
    }
  }

  func run() async throws {
    let drawn = InstantPrompt.drawn()
    var runner: any StatementRunner = PlanPreviewRunner()
    do {
      if lab, let deferred = RunnerHooks.deferredLab(team: team) {
        runner = deferred
      } else if lab {
        runner = try await RunnerHooks.lab(team: team) ?? runner
      } else if !offline, let profile {
        runner = try await RunnerHooks.service(profile, team: team) ?? runner
      }
    } catch {
      // A lab with a team database that cannot start: the error replaces the drawn prompt.
      drawn?.takeOver()
      throw ErrorReporting.report(error)
    }
    let historyProfile = lab ? "lab" : (profile ?? "offline")
    let banner = Banner.text(kind: runner.kind, environment: ProcessInfo.processInfo.environment)
    var options = REPL.Options(
      runner: runner, modules: FileModules(), historyProfile: historyProfile, outputMode: output,
      localScripts: RunnerHooks.localScripts(), banner: banner)
    options.drawn = drawn
    let status = await REPL.run(options)
    await (runner as? EngineRunner)?.close()
    await (runner as? DeferredRunner)?.close()
    if status != 0 { throw ExitCode(status) }
  }
}
