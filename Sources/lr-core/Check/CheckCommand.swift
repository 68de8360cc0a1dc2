import ArgumentParser
import LRCheck

/// `lr check FILE…`: report every diagnostic; exit 0 when clean, 2 on errors. The `lr` launcher
/// runs plain invocations itself (``Check``); this command serves help, errors and `--`.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check .lr files and report every problem.",
    discussion: "Exit status 0 when no file has errors (warnings allowed), 2 otherwise.")

  @ArgumentParser.Argument(help: "The .lr files to check (`-` reads standard input).")
  var files: [String]

  @Option(name: .long, help: "Output format: human (to stderr) or json (an array, to stdout).")
  var format: DiagnosticsFormat = .human

  func run() throws {
    let status = try Check(files: files, format: format).run()
    if status != 0 { throw ExitCode(status) }
  }
}

extension DiagnosticsFormat: ExpressibleByArgument {}
