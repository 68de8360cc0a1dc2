import ArgumentParser
import LRCheck

/// The hot invocations built without swift-argument-parser's command tree (start-up, issue 16.3).
///
/// The parser reflects over every option of the root and the subcommand several times, and each
/// first use of a generic property-wrapper type scans the binary's protocol conformances: about
/// half of `lr check FILE`'s time. `lr check FILE…` (with `--format human|json`, as ``Check``
/// reads it; the `lr` launcher usually answers it before `lr-core` starts) and the REPL's plain
/// starts (`lr`, `lr --lab`, `lr --offline`) are recognised here and the command is built
/// directly; anything else (help, a dash-led word, a bad value, `--`) returns nil and goes through
/// the parser, so help, errors and exit codes stay the parser's own.
enum FastDispatch {
  /// The command for `arguments` (argv without the program name), or nil for the parser.
  static func command(_ arguments: [String]) -> (any ParsableCommand)? {
    guard let first = arguments.first else { return repl(lab: false, offline: false) }
    switch first {
    case "--lab" where arguments.count == 1: return repl(lab: true, offline: false)
    case "--offline" where arguments.count == 1: return repl(lab: false, offline: true)
    case "check": return check(Array(arguments.dropFirst()))
    default: return nil
    }
  }

  /// `lr check FILE… [--format human|json]`.
  static func check(_ arguments: [String]) -> CheckCommand? {
    guard let check = Check(arguments: arguments) else { return nil }
    var command = CheckCommand()
    command.files = check.files
    command.format = check.format
    return command
  }

  /// The REPL with no options but `--lab` or `--offline`.
  static func repl(lab: Bool, offline: Bool) -> REPLCommand {
    var team = TeamOption()
    team.team = nil
    var command = REPLCommand()
    command.offline = offline
    command.lab = lab
    command.profile = nil
    command.output = nil
    command.team = team
    return command
  }
}
