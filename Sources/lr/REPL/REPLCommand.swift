import ArgumentParser
import Foundation
import LRLanguage
import LRShell

/// `lr` (the default command): the interactive REPL, or piped statements run like a script.
struct REPLCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "Start the interactive REPL (the default when no command is given).",
    discussion: """
      On a terminal: line editing, history, Tab completion and live results above the prompt. \
      With standard input not a terminal (`lr --offline < script.lr`), statements are read and run \
      one after another like a batch script, with no prompt. Without a connection (--offline, or \
      until the engine is wired) statements are compiled and their request bodies shown; nothing \
      is sent. See docs/repl.md.
      """)

  @Flag(help: "Send nothing: show the request bodies each statement would POST.")
  var offline = false

  @Flag(help: "Start the lab (an in-process emulator with the demo fleet).")
  var lab = false

  @Option(help: "The configuration profile (tenant) to use; also names the history file.")
  var profile: String?

  @Option(help: "How results print: human or json (default: human on a terminal, else json).")
  var output: OutputMode?

  func validate() throws {
    if lab && offline { throw ValidationError("--lab and --offline exclude each other") }
    if lab && profile != nil { throw ValidationError("--lab and --profile exclude each other") }
  }

  func run() async throws {
    var notice = ""
    var runner: any StatementRunner = PlanPreviewRunner()
    if lab {
      if let labRunner = try await RunnerHooks.lab() {
        runner = labRunner
      } else {
        notice = "note: the lab arrives with the engine; starting the offline preview instead.\n"
      }
    } else if !offline, let profile {
      if let serviceRunner = try await RunnerHooks.service(profile) {
        runner = serviceRunner
      } else {
        notice =
          "note: profile \(profile): running statements arrives with the engine; "
          + "starting the offline preview instead.\n"
      }
    }
    if !notice.isEmpty { Terminal.err(notice) }
    let historyProfile = lab ? "lab" : (profile ?? "offline")
    let banner = """
      lr \(LRVersion.current): \(runner.kind.description). `.help` for help, `.quit` or Ctrl-D to leave.
      Try: \(HelpText.example)

      """
    let options = REPL.Options(
      runner: runner, modules: FileModules(), historyProfile: historyProfile, outputMode: output,
      localScripts: RunnerHooks.localScripts(), banner: banner)
    let status = await REPL.run(options)
    if status != 0 { throw ExitCode(status) }
  }
}
