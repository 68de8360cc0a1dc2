import ArgumentParser
import LRLanguage

/// A REPL meta-command (`.connect WS-0142`, `.output json`, …), parsed from one input line.
public enum MetaCommand: Sendable, Equatable {
  case help(topic: String?)
  case connect(machine: String)
  case disconnect
  case machines(filter: String?)
  case library
  case actions
  case jobs
  case cancel(JobID?)
  /// `.cancel ACTION-ID`: a machine action (another requestor's that blocks a device), after
  /// confirmation.
  case cancelAction(String)
  case results(JobID?)
  case show(JobID, index: Int, machine: String?)
  /// `.export r FILE.csv|FILE.json`: a bound result's value written to a file.
  case export(ResultExpression, path: String)
  /// `.stack r COLUMN`: how many machines have each value of a column, least frequent first.
  case stack(ResultExpression, column: String)
  case output(OutputMode?)
  case profile
  case history(count: Int?)
  case clear
  case quit
  /// `.plan`: the next statement is checked live (which machines can run it, the budget), not run.
  case plan
  /// Test aid (not listed by `.help`): prints TEXT above the prompt after MS milliseconds.
  case echoLater(milliseconds: Int, text: String)

  /// Names shown by `.help` and offered by completion, in help order.
  public static let names = [
    "help", "connect", "disconnect", "machines", "library", "actions", "jobs", "cancel", "results",
    "show", "export", "stack", "output", "profile", "history", "clear", "quit", "plan",
  ]

  /// Whether an input is a meta-command (its first non-blank character is `.`).
  public static func isMetaCommand(_ input: String) -> Bool {
    input.drop { $0 == " " || $0 == "\t" }.first == "."
  }

  /// Parses `.name arguments…`; the error's text is ready to print.
  public static func parse(_ input: String) -> Result<MetaCommand, MetaCommandError> {
    let words: [String]
    switch ShellWords.split(input) {
    case .success(let w): words = w
    case .failure(let error): return .failure(error)
    }
    guard var name = words.first, name.hasPrefix(".") else {
      return .failure(MetaCommandError("meta-commands start with `.`; `.help` lists them"))
    }
    name.removeFirst()
    if name == "exit" { name = "quit" }
    if name == "?" { name = "help" }
    guard MetaCommand.names.contains(name) || name == "echo-later" else {
      let close =
        Suggestions.closest(to: name, in: MetaCommand.names).map { "; did you mean `.\($0)`?" }
        ?? ""
      return .failure(
        MetaCommandError("unknown meta-command `.\(name)`\(close) (`.help` lists them)"))
    }
    if name == "help" {
      // The argument parser reserves `help`; `.help [topic]` is simple enough to parse here.
      guard words.count <= 2 else { return .failure(MetaCommandError("usage: .help [topic]")) }
      return .success(
        .help(
          topic: words.dropFirst().first.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }))
    }
    if name == "machines", !["--help", "-h"].contains(words.dropFirst().first ?? "") {
      // The filter is the rest of the line as typed: an OData filter keeps its quotes and spaces.
      var rest = Substring(input).drop(while: \.isWhitespace)
      rest = rest.drop { !$0.isWhitespace }.drop(while: \.isWhitespace)
      while rest.last?.isWhitespace == true { rest.removeLast() }
      return .success(.machines(filter: rest.isEmpty ? nil : String(rest)))
    }
    let arguments = Array(words.dropFirst())
    if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
      return .success(.help(topic: name))
    }
    if let usage = MetaCommandUsage.all[name], let problem = usage.arityProblem(arguments.count) {
      return .failure(MetaCommandError(problem))
    }
    do {
      let parsed = try MetaCommandLine.parseAsRoot([name] + arguments)
      guard let convertible = parsed as? any MetaCommandConvertible else {
        return .failure(MetaCommandError(MetaCommandUsage.sentence(for: name)))
      }
      return .success(try convertible.metaCommand())
    } catch let error as MetaCommandError {
      return .failure(error)
    } catch {
      // The argument parser's own text names internals (`<id>`, `See '… --help'`): never shown.
      if MetaCommandLine.exitCode(for: error) == .success { return .success(.help(topic: name)) }
      return .failure(MetaCommandError(MetaCommandUsage.sentence(for: name)))
    }
  }

  /// `.name`'s usage and description, from the argument parser (for `.help NAME`).
  public static func usage(of name: String) -> String? {
    guard
      let type = MetaCommandLine.configuration.subcommands.first(where: {
        $0.configuration.commandName == name
      })
    else { return nil }
    // The root has no name: show the meta-command as typed (`.connect <machine>`).
    return MetaCommandLine.helpMessage(for: type, columns: 100)
      .replacing("USAGE:  ", with: "USAGE: .")
  }
}

/// Why a meta-command line could not be parsed.
public struct MetaCommandError: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// A parsed argument-parser command that maps to a ``MetaCommand``.
protocol MetaCommandConvertible {
  func metaCommand() throws -> MetaCommand
}

/// The argument-parser root that parses the words of a meta-command line (its name first).
struct MetaCommandLine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "",
    subcommands: [
      Connect.self, Disconnect.self, Machines.self, Library.self, Actions.self, Jobs.self,
      Cancel.self, Results.self, Show.self, Export.self, Stack.self, Output.self, Profile.self,
      History.self, Clear.self,
      Quit.self, EchoLater.self, PlanNext.self,
    ])

  struct Connect: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "connect",
      abstract: "Set the default machine: bare `run …`, `get …`, `put …` then go to it.")
    @Argument(
      help: ArgumentHelp(
        "A computer name (short or FQDN) or a 40-hex machine id.", valueName: "machine"))
    var machine: String
    func metaCommand() -> MetaCommand { .connect(machine: machine) }
  }

  struct Disconnect: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "disconnect", abstract: "Forget the default machine.")
    func metaCommand() -> MetaCommand { .disconnect }
  }

  struct Machines: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "machines", abstract: "List the fleet's machines (needs a service).")
    @Argument(
      help: "A name prefix (`ws-01`, `ws-01*`) or an OData filter (`healthStatus eq 'Inactive'`).")
    var filter: String?
    func metaCommand() -> MetaCommand { .machines(filter: filter) }
  }

  struct Library: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "library", abstract: "List the Live Response library (needs a service).")
    func metaCommand() -> MetaCommand { .library }
  }

  struct Actions: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "actions", abstract: "List recent machine actions (needs a service).")
    func metaCommand() -> MetaCommand { .actions }
  }

  struct Jobs: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "jobs", abstract: "List this session's statements and their state.")
    func metaCommand() -> MetaCommand { .jobs }
  }

  struct Cancel: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: "Cancel a running statement (default: the latest), or a machine action by id.")
    @Argument(
      help: ArgumentHelp("The job number shown as [N], or a machine action's id.", valueName: "job")
    )
    var id: String?
    func metaCommand() throws -> MetaCommand {
      if let id, MetaCommandUsage.isActionID(id) { return .cancelAction(id) }
      return .cancel(try id.map(MetaCommandUsage.job))
    }
  }

  struct Results: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "results", abstract: "Summarise a statement's results (default: the latest).")
    @Argument(help: ArgumentHelp("The job number shown as [N].", valueName: "job"))
    var id: String?
    func metaCommand() throws -> MetaCommand { .results(try id.map(MetaCommandUsage.job)) }
  }

  struct Show: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show one command's result in full (output not truncated).")
    @Argument(help: ArgumentHelp("The job number shown as [N].", valueName: "job"))
    var id: String
    @Argument(help: ArgumentHelp("The command number shown as #N.", valueName: "command"))
    var index: String
    @Argument(
      help: ArgumentHelp(
        "The machine, when the statement ran on several (short name, FQDN or id).",
        valueName: "machine"))
    var machine: String?
    func metaCommand() throws -> MetaCommand {
      .show(
        try MetaCommandUsage.job(id), index: try MetaCommandUsage.command(index), machine: machine)
    }
  }

  struct Export: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write a bound result (`r`, `r.rows`, `r.failed`) to a .csv or .json file.")
    @Argument(
      help: ArgumentHelp("A bound result: r, $r, r.rows, r.failed, …", valueName: "result"))
    var result: String
    @Argument(help: ArgumentHelp("FILE.csv or FILE.json.", valueName: "file"))
    var file: String
    func metaCommand() throws -> MetaCommand {
      .export(try MetaCommandUsage.result(result), path: file)
    }
  }

  struct Stack: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "stack",
      abstract: "Count a column's values across a bound result's machines, least frequent first.")
    @Argument(help: ArgumentHelp("A bound result: r, $r, r.succeeded, …", valueName: "result"))
    var result: String
    @Argument(
      help: ArgumentHelp(
        "A row column (ProcessName), or exit_code, status, output.", valueName: "column"))
    var column: String
    func metaCommand() throws -> MetaCommand {
      .stack(try MetaCommandUsage.result(result), column: column)
    }
  }

  struct Output: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "output",
      abstract: "Show or set how results print: human or json (one object a line).")
    @Argument(help: ArgumentHelp("human or json.", valueName: "mode"))
    var mode: String?
    func metaCommand() throws -> MetaCommand {
      guard let mode else { return .output(nil) }
      guard let parsed = OutputMode(rawValue: mode.lowercased()) else {
        throw MetaCommandError("output is human or json, not '\(mode)'")
      }
      return .output(parsed)
    }
  }

  struct PlanNext: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "plan", abstract: "Check the next statement live (lr plan); send nothing.")
    func metaCommand() -> MetaCommand { .plan }
  }

  struct Profile: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "profile", abstract: "Show where statements go, the history file and settings.")
    func metaCommand() -> MetaCommand { .profile }
  }

  struct History: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "history", abstract: "Show the input history of this profile.")
    @Argument(
      help: ArgumentHelp("How many of the latest entries (default 20).", valueName: "count"))
    var count: String?
    func metaCommand() throws -> MetaCommand {
      guard let count else { return .history(count: nil) }
      guard let number = Int(count), number >= 1 else {
        throw MetaCommandError(
          "`.history` takes how many entries to show, a number, not '\(count)'")
      }
      return .history(count: number)
    }
  }

  struct Clear: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "clear", abstract: "Clear the screen.")
    func metaCommand() -> MetaCommand { .clear }
  }

  struct Quit: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "quit", abstract: "Leave lr (also Ctrl-D on an empty line, or .exit).")
    func metaCommand() -> MetaCommand { .quit }
  }

  struct EchoLater: ParsableCommand, MetaCommandConvertible {
    static let configuration = CommandConfiguration(
      commandName: "echo-later", abstract: "Test aid: print TEXT above the prompt after MS ms.",
      shouldDisplay: false)
    @Argument var milliseconds: Int
    @Argument var text: [String] = []
    func metaCommand() -> MetaCommand {
      .echoLater(milliseconds: max(0, milliseconds), text: text.joined(separator: " "))
    }
  }
}
