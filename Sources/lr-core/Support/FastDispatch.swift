import ArgumentParser
import LRShell

/// The REPL's plain starts built without swift-argument-parser's command tree (start-up, issue
/// 16.3).
///
/// The parser reflects over every option of the root and the subcommand several times, and each
/// first use of a generic property-wrapper type scans the binary's protocol conformances. `lr`,
/// `lr --lab` and `lr --offline` (the invocations the launcher draws an instant prompt for,
/// ``InstantPrompt/kind(arguments:)``) are recognised here and the command is built directly;
/// anything else goes through the parser, so help, errors and exit codes stay the parser's own.
/// (`lr check FILE…` never gets here: the launcher answers it, ``Check``.)
enum FastDispatch {
  /// The command for `arguments` (argv without the program name), or nil for the parser.
  static func command(_ arguments: [String]) -> (any ParsableCommand)? {
    guard let kind = InstantPrompt.kind(arguments: arguments) else { return nil }
    var team = TeamOption()
    team.team = nil
    var command = REPLCommand()
    command.offline = kind == .offline
    command.lab = kind == .lab
    command.profile = nil
    command.output = nil
    command.team = team
    return command
  }
}
