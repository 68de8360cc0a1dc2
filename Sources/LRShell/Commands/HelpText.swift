import LRLanguage
import LRPrompt

/// The text of `.help` and `.help TOPIC`.
public enum HelpText {
  /// Topics besides meta-command names.
  public static let topics = ["keys", "example", "session", "language", "run", "get", "put"]

  /// `.help` without a topic.
  public static func overview(kind: RunnerKind) -> String {
    var text = """
      Type lr statements; each one becomes a Live Response action per machine. For example:

        \(Banner.example)

      After `let r = on … < … >`, type `r` (or `$r`) to see its machines, `r.rows` the parsed
      output rows, `r.failed`, `r.succeeded`, `r.output`, `r.exit_code`, `r.count`, `r.machines`.

      Meta-commands:
        .help [topic]         this text; topics: keys, example, session, language, run, get, put, or a meta-command
        .connect MACHINE      default machine for bare `run …`, `get '…'`, `put …`   (.disconnect)
        .machines [filter]    the fleet's machines            .library   the library's scripts and files
        .actions              recent machine actions          .jobs      this session's statements
        .cancel [id]          cancel a running statement (or a machine action by its id, after y/N)
        .results [id]         a statement's results           .output human|json
        .show ID N [MACHINE]  one command's full output
        .export R FILE        write a bound result to FILE.csv or FILE.json
        .stack R COLUMN       count a column's values across R's machines, least frequent first
        .profile              where statements go             .history [n]    earlier inputs
        .clear                clear the screen                .quit      leave (also Ctrl-D)
        .plan                 check the next statement live (which machines can run it, the budget)

      """
    if kind == .offline {
      text += """
        Offline preview: statements compile and their request bodies print; nothing is sent, and
        .machines, .library and .actions need a service (`lr --profile NAME`, or `lr --lab`).

        """
    }
    return text
  }

  /// `.help TOPIC`, or nil for an unknown topic.
  public static func topic(_ name: String) -> String? {
    switch name.lowercased() {
    case "keys":
      return """
        Keys (emacs style, libedit):
          Enter        run the statement (an unclosed <, string, ( or [ continues on the next line: ...>)
          Tab          complete keywords, commands, procedures, variables, machines, scripts, modules,
                       bound results and their fields (`r.`), `.export` paths, `.stack` columns
          Up / Down    earlier inputs (a multi-line statement is one entry)     Ctrl-R  search history
          Ctrl-A / E   start / end of line          Ctrl-K  delete to end     Ctrl-U  delete line
          Ctrl-C       clear the line; on an empty line, cancel the latest running statement
                       (asks y/N first when it already runs on a device)
          Ctrl-D       leave lr (on an empty line)

        """
    case "example":
      return """
        The documented example: dump OfficeClickToRun's memory, then fetch the dump.

          \(Banner.example)

        Or connect first and type the commands alone:

          .connect mymachine1.contoso.com
          run minidump.ps1 "OfficeClickToRun"; get 'C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip'

        With a module from the stdlib:

          use "windows"
          on machine WS-0142 < win-memdump OfficeClickToRun >

        """
    case "session":
      return """
        Session mode, as in the portal's console: `.connect MACHINE` sets a default target, after
        which `run SCRIPT [ARGS…]`, `get 'PATH'` and `put FILE` (separated by `;`) go to it.
        `.disconnect` forgets it. `let`, `def` and `use` persist for the whole session.

        """
    case "language":
      return """
        Statements: on TARGET [comment "…"] < commands >, let, def, use, comment, if … else.
        Targets: machine NAME | machines [A, B] | tag "T" | name "WS-*" | file "hosts.txt" |
        filter "OData", joined with +. Commands: run SCRIPT [ARGS…], get PATH, put FILE, or a
        procedure. Strings: "…" with escapes and ${name}; '…' raw (Windows paths). See docs/language.md.

        """
    case "run", "get", "put":
      guard let help = Analysis.commandHelp[name.lowercased()] else { return nil }
      return help.replacing("**", with: "").replacing("`", with: "") + "\n"
    default:
      guard let usage = MetaCommand.usage(of: name) else { return nil }
      return usage.hasSuffix("\n") ? usage : usage + "\n"
    }
  }
}
