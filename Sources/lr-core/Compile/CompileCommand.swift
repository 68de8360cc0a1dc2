import ArgumentParser
import LRCheck
import LRLanguage
import LRModules
import LiveResponse

/// `lr compile FILE`: the request bodies exactly as they would be POSTed, one JSON object a line.
struct CompileCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compile",
    abstract: "Compile a .lr file and print what would be sent.",
    discussion: """
      Standard output gets every request body the file can send, one compact JSON object per \
      line, exactly as POSTed to runliveresponse ({"Commands":[…],"Comment":"…"}), in plan \
      order: statements as written, a split statement's requests in sequence, and for an `if` \
      the bodies of its then-steps followed by those of its else-steps (not marked: which run \
      is decided from results). Targets and branches are not on standard output. Standard \
      error gets a summary (not with --format json): per statement its position, targets and \
      number of requests, each `if` with its condition and branches indented, and the total. \
      With --plan, standard output gets the whole plan as one JSON document instead: per \
      statement its location, targets, binding and requests (each body on one line, exactly \
      as POSTed), and per `if` its condition, then-steps and else-steps. At run time the \
      engine appends a run token to each Comment so that resumed runs never submit twice.
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
      Terminal.out(
        output.plan.json(sources: output.sources).serialized(
          pretty: true, compactMembers: ["requests"]) + "\n")
      return
    }
    for statement in output.plan.allStatements {
      for request in statement.requests {
        Terminal.out(request.json().serialized() + "\n")
      }
    }
    if format == .human {
      Terminal.err(CompileCommand.summary(output))
    }
  }

  /// The summary on standard error: one line per statement and branch, then the total.
  static func summary(_ output: Compiler.Output) -> String {
    var text = ""
    describe(output.plan.steps, output: output, indent: "", into: &text)
    let statements = output.plan.allStatements
    let requests = statements.reduce(0) { $0 + $1.requests.count }
    text += "# \(requests) request\(requests == 1 ? "" : "s") from \(statements.count) statement"
    text += statements.count == 1 ? "" : "s"
    text += output.plan.hasBranches ? " (including both branches of every `if`)\n" : "\n"
    return text
  }

  /// One line per statement and branch, for humans (standard error).
  static func describe(
    _ steps: [PlanStep], output: Compiler.Output, indent: String, into text: inout String
  ) {
    let formatter = DiagnosticFormatter(sources: output.sources)
    for step in steps {
      switch step {
      case .statement(let s):
        let bind = s.binding.map { " → \($0)" } ?? ""
        let count = s.requests.count
        text += "\(indent)# \(formatter.position(file: s.file, offset: s.range.lowerBound)): "
        text += "on \(Sanitizer.line(s.target.summary)): \(count) request\(count == 1 ? "" : "s")"
        text += count > 1 ? " in sequence (API order PutFile → RunScript → GetFile)" : ""
        text += bind + "\n"
      case .branch(let b):
        text +=
          "\(indent)# \(formatter.position(file: b.file, offset: b.range.lowerBound)): "
          + "if \(Sanitizer.line(b.condition.description))\n"
        describe(b.thenSteps, output: output, indent: indent + "#   ", into: &text)
        if !b.elseSteps.isEmpty {
          text += "\(indent)# else\n"
          describe(b.elseSteps, output: output, indent: indent + "#   ", into: &text)
        }
      }
    }
  }
}
