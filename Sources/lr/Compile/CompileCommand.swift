import ArgumentParser
import LRLanguage

/// `lr compile FILE`: the request bodies exactly as they would be POSTed, one JSON object a line.
struct CompileCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile",
    abstract: "Compile a .lr file and print what would be sent.",
    discussion: """
      Standard output gets each planned runliveresponse request body, one JSON object per line, \
      exactly as POSTed ({"Commands":[…],"Comment":"…"}). A summary of targets and sequence goes to \
      standard error. With --plan, standard output gets the whole plan as one JSON document \
      (targets, the request sequence per statement, bindings and branches). At run time the engine \
      appends a run token to each Comment so that resumed runs never submit twice.
      """)

  @ArgumentParser.Argument(help: "The .lr file to compile (`-` reads standard input).")
  var file: String

  @Flag(name: .long, help: "Print the whole plan as one JSON document instead of the bodies.")
  var plan = false

  @Option(name: .long, help: "Diagnostics format on standard error.")
  var format: DiagnosticsFormat = .human

  func run() throws {
    let source = try SourceLoader.load(file)
    let output = Compiler.compile(source, modules: FileModules())
    let formatter = DiagnosticFormatter(
      sources: output.sources, colors: format == .human && Terminal.colors(2))
    if !output.diagnostics.isEmpty {
      switch format {
      case .human: Terminal.err(formatter.render(output.diagnostics))
      case .json: Terminal.err(formatter.json(output.diagnostics).serialized() + "\n")
      }
    }
    if output.diagnostics.hasErrors { throw ExitStatus.usage }
    if plan {
      Terminal.out(output.plan.json(sources: output.sources).serialized(pretty: true) + "\n")
      return
    }
    var summary = ""
    describe(output.plan.steps, output: output, indent: "", into: &summary)
    for statement in output.plan.allStatements {
      for request in statement.requests {
        Terminal.out(request.json().serialized() + "\n")
      }
    }
    if format == .human, Terminal.isTerminal(2) || Terminal.isTerminal(1) {
      Terminal.err(summary)
    }
  }

  /// One line per statement and branch, for humans (standard error).
  func describe(
    _ steps: [PlanStep], output: Compiler.Output, indent: String, into text: inout String
  ) {
    let formatter = DiagnosticFormatter(sources: output.sources)
    for step in steps {
      switch step {
      case .statement(let s):
        let bind = s.binding.map { " → \($0)" } ?? ""
        let count = s.requests.count
        text += "\(indent)# \(formatter.position(file: s.file, offset: s.range.lowerBound)): "
        text += "on \(s.target.summary): \(count) request\(count == 1 ? "" : "s")"
        text += count > 1 ? " in sequence (API order PutFile → RunScript → GetFile)" : ""
        text += bind + "\n"
      case .branch(let b):
        text +=
          "\(indent)# \(formatter.position(file: b.file, offset: b.range.lowerBound)): if \(b.condition)\n"
        describe(b.thenSteps, output: output, indent: indent + "#   ", into: &text)
        if !b.elseSteps.isEmpty {
          text += "\(indent)# else\n"
          describe(b.elseSteps, output: output, indent: indent + "#   ", into: &text)
        }
      }
    }
  }
}
