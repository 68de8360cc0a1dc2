import ArgumentParser
import LRLanguage

/// Words the REPL was given that it does not take (`lr --lab run x.lr`, `lr x.lr`, `lr runn`),
/// and the sentence that says what to type instead.
enum StrayArguments {
  /// The names of lr's commands.
  static var commandNames: [String] {
    LR.configuration.subcommands.compactMap { $0.configuration.commandName }
  }

  /// What to say about `words`, given the REPL's own options as typed (`--lab`,
  /// `--profile NAME`); nil when there are none.
  static func message(_ words: [String], options: String) -> String? {
    guard let first = words.first else { return nil }
    let typed = Terminal.sanitize(words.joined(separator: " "))
    let rest = Terminal.sanitize(words.dropFirst().joined(separator: " "))
    if commandNames.contains(first) {
      let connection = options.isEmpty ? "" : " " + options
      return "options go after the command: `lr \(typed)\(connection)`"
    }
    if first.hasSuffix(".lr") {
      let connection = options.isEmpty ? " --lab" : " " + options
      return "to run a script, name the command: `lr run \(typed)\(connection)`"
        + (options.isEmpty ? " on the lab, or `--profile NAME` for a tenant" : "")
        + "; `lr check \(Terminal.sanitize(first))` only checks it"
    }
    let guess = Suggestions.closest(to: first, in: commandNames)
    let hint =
      guess.map {
        rest.isEmpty ? "; did you mean `\($0)`?" : "; did you mean `\($0)`? (`lr \($0) \(rest)`)"
      } ?? ""
    return "unknown command `\(Terminal.sanitize(first))`\(hint); `lr --help` lists the commands"
  }
}
