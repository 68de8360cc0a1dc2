/// How each meta-command is written, and the plain sentences that say what is wrong with a line.
struct MetaCommandUsage: Sendable {
  /// The form shown to users, e.g. `.show JOB COMMAND [MACHINE]`.
  var form: String
  /// What the arguments are, for "needs …" (e.g. "a job number and a command number").
  var needs: String
  /// Fewest and most arguments.
  var arguments: ClosedRange<Int>

  /// Every meta-command the argument parser reads (`.help` and `.machines` are read by hand).
  static let all: [String: MetaCommandUsage] = [
    "connect": .init(form: ".connect MACHINE", needs: "a machine", arguments: 1...1),
    "disconnect": .init(form: ".disconnect", needs: "", arguments: 0...0),
    "library": .init(form: ".library", needs: "", arguments: 0...0),
    "actions": .init(form: ".actions", needs: "", arguments: 0...0),
    "jobs": .init(form: ".jobs", needs: "", arguments: 0...0),
    "cancel": .init(form: ".cancel [JOB | ACTION-ID]", needs: "", arguments: 0...1),
    "results": .init(form: ".results [JOB]", needs: "", arguments: 0...1),
    "show": .init(
      form: ".show JOB COMMAND [MACHINE]", needs: "a job number and a command number",
      arguments: 2...3),
    "export": .init(
      form: ".export RESULT FILE.csv|FILE.json", needs: "a bound result and a file",
      arguments: 2...2),
    "stack": .init(
      form: ".stack RESULT COLUMN", needs: "a bound result and a column", arguments: 2...2),
    "output": .init(form: ".output [human|json]", needs: "", arguments: 0...1),
    "profile": .init(form: ".profile", needs: "", arguments: 0...0),
    "history": .init(form: ".history [COUNT]", needs: "", arguments: 0...1),
    "clear": .init(form: ".clear", needs: "", arguments: 0...0),
    "quit": .init(form: ".quit", needs: "", arguments: 0...0),
    "plan": .init(form: ".plan", needs: "", arguments: 0...0),
    "echo-later": .init(
      form: ".echo-later MS TEXT…", needs: "milliseconds", arguments: 1...Int.max),
  ]

  /// The sentence for a wrong number of arguments, or nil when the count is right.
  func arityProblem(_ count: Int) -> String? {
    let name = String(form.prefix { $0 != " " })
    if count < arguments.lowerBound {
      return "`\(name)` needs \(needs): \(form)"
    }
    if count > arguments.upperBound {
      return arguments.upperBound == 0
        ? "`\(name)` takes no arguments" : "too many arguments for `\(name)`: \(form)"
    }
    return nil
  }

  /// The sentence for a line the argument parser refused (an unknown option, say).
  static func sentence(for name: String) -> String {
    guard let usage = all[name] else { return "`.help` lists the meta-commands" }
    return "cannot read that `.\(name)`: it is written \(usage.form) (`.help \(name)` explains)"
  }

  /// A job number as shown (`3` or `[3]`).
  /// Whether `text` is a machine action id (a GUID), not a job number.
  static func isActionID(_ text: String) -> Bool {
    text.count >= 32 && text.contains("-")
      && text.allSatisfy { $0.isHexDigit || $0 == "-" }
  }

  static func job(_ text: String) throws -> JobID {
    let digits =
      text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
    guard let number = Int(digits), number >= 1 else {
      throw MetaCommandError("no job '\(text)'; jobs are numbered [1], [2]…: `.jobs` lists them")
    }
    return JobID(number)
  }

  /// A bound result as written (`r`, `$r`, `r.rows`, `'r where exit_code != 0'`).
  static func result(_ text: String) throws -> ResultExpression {
    guard let expression = ResultExpression.parse(text) else {
      throw MetaCommandError(
        "'\(text)' is not a bound result; write its name (`r`), maybe with a field (`r.rows`)")
    }
    return expression
  }

  /// A command number as shown (`1` or `#1`).
  static func command(_ text: String) throws -> Int {
    let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
    guard let number = Int(digits), number >= 1 else {
      throw MetaCommandError(
        "no command '\(text)'; a job's commands are numbered #1, #2…: `.results JOB` lists them")
    }
    return number
  }
}
