import ArgumentParser
import LRLanguage
import LRModules
import LiveResponse

/// `lr check FILE…`: report every diagnostic; exit 0 when clean, 2 on errors.
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
    guard !files.isEmpty else { throw UsageError("check needs at least one file") }
    var all: [Diagnostic] = []
    var sources: [String: SourceFile] = [:]
    for path in files {
      let source = try SourceLoader.load(path)
      let output = Compiler.compile(source, modules: FileModules())
      all += output.diagnostics
      sources.merge(output.sources) { a, _ in a }
    }
    let formatter = DiagnosticFormatter(
      sources: sources, colors: format == .human && Terminal.colors(2))
    switch format {
    case .human:
      Terminal.err(formatter.render(all))
      let errors = all.filter { $0.severity == .error }.count
      let warnings = all.filter { $0.severity == .warning }.count
      if errors + warnings > 0 {
        Terminal.err(
          "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        )
      }
    case .json:
      Terminal.out(formatter.json(all).serialized(pretty: true) + "\n")
    }
    if all.hasErrors { throw ExitStatus.usage }
  }
}

/// How diagnostics are printed.
enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
  case human, json
}
