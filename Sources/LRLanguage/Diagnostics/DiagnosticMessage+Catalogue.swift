/// Every diagnostic lr reports, in alphabetical order. The id is the member's name; each is
/// listed in docs/language.md (`DocumentationTests` checks both).
extension DiagnosticMessage {
  static func commandOutsideBlock(_ command: String) -> Self {
    .init(
      "`\(command)` needs a target: write `on machine NAME < \(command) … >` or `.connect NAME` first"
    )
  }
  static var computedLibraryName: Self {
    .init("a library file name must be known before running; it cannot depend on a result")
  }
  static func duplicateDefinition(_ name: String) -> Self {
    .init("`\(name)` is already defined")
  }
  static func duplicateParameter(_ name: String) -> Self {
    .init("parameter `\(name)` appears twice")
  }
  static func duplicateRolloutOption(_ name: String) -> Self {
    .init("rollout option `\(name)` is given twice")
  }
  static var emptyBlock: Self {
    .init("empty block: nothing would be sent", severity: .warning)
  }
  static func emptyResult(_ name: String) -> Self {
    .init(
      "`\(name)` is the result of an empty block: nothing is sent, so its fields are always empty",
      severity: .warning)
  }
  static func expected(_ what: String, found: String) -> Self {
    .init("expected \(what), found \(found)")
  }
  static func forbiddenScriptCharacter(_ character: Character) -> Self {
    .init(
      "script arguments may not contain `\(character)`: the service rejects `; & | ! $` in parameters",
      severity: .warning)
  }
  static func importCycle(_ chain: String) -> Self {
    .init("import cycle: \(chain)")
  }
  static func invalidEscape(_ escape: String) -> Self {
    .init(
      "unknown escape `\(escape)` in a double-quoted string; use a single-quoted raw string for paths"
    )
  }
  static var invalidLibraryName: Self {
    .init(
      "library file names may contain only letters, digits, `-`, `_` and `.`")
  }
  static func invalidName(_ name: String, kind: String) -> Self {
    .init(
      "`\(name)` is not a valid \(kind) name: use letters, digits and `_`\(kind == "procedure" ? " (and `-`)" : ""), starting with a letter or `_`"
    )
  }
  static func invalidRolloutValue(_ name: String, reason: String) -> Self {
    .init("invalid value for `\(name)`: \(reason)")
  }
  static func invalidUnicodeEscape(_ text: String) -> Self {
    .init("`\\u{\(text)}` is not a Unicode scalar value")
  }
  static var invalidUTF8: Self {
    .init("the file is not valid UTF-8")
  }
  static var missingField: Self {
    .init("a result is used through a field, e.g. `r.output` or `r.exit_code`")
  }
  static func moduleNotFound(_ name: String, searched: String) -> Self {
    .init("module `\(name)` not found (searched \(searched))")
  }
  static var moduleStatement: Self {
    .init("a module may contain only `use`, `let` and `def`; it cannot run actions")
  }
  static func nestingTooDeep(_ limit: Int) -> Self {
    .init("nested more than \(limit) deep (`if`, `not`, `( )`, `and`/`or`): split it up")
  }
  static func notAResult(_ name: String) -> Self {
    .init("`\(name)` is not a result; fields can be read only from `let NAME = on … < … >`")
  }
  static func notAResultSet(_ name: String) -> Self {
    .init(
      "`\(name)` is not a bound result: its machines (`.machines`, `.succeeded`, `.failed`, `where`) exist only for `let \(name) = on … < … >`"
    )
  }
  static func notATarget(_ name: String) -> Self {
    .init("`\(name)` is not a target or machine name")
  }
  static func notText(_ name: String, kind: String) -> Self {
    .init("`\(name)` is \(kind), not text")
  }
  static func percentageOverHundred(_ name: String) -> Self {
    .init("`\(name)` cannot be more than 100% of the statement's machines")
  }
  static var percentageWithoutNumber: Self {
    .init("`%` needs a number written right before it, e.g. `10%`")
  }
  static func recursiveProcedure(_ chain: String) -> Self {
    .init("procedure calls itself: \(chain)")
  }
  static func reservedName(_ name: String) -> Self {
    .init("`\(name)` is a reserved word and cannot be used as a name")
  }
  static func rolloutOnOneMachine(_ name: String, reason: String) -> Self {
    .init("`\(name)` on a statement for one machine: \(reason)")
  }
  static func rolloutValueZero(_ name: String) -> Self {
    .init("`\(name)` must be at least 1 machine or more than 0%")
  }
  static func statementInBlock(_ keyword: String) -> Self {
    .init(
      "`\(keyword)` starts a statement, which cannot appear inside a block of commands; a block holds only `run`, `get`, `put` and procedure calls"
    )
  }
  static var strayCloseBlock: Self {
    .init("stray `>` with no open `<`")
  }
  static func suspiciousMachineID(_ length: Int) -> Self {
    .init(
      "this looks like a machine id but has \(length) hex digits instead of 40", severity: .warning)
  }
  static func tooManyCommands(_ name: String, limit: Int) -> Self {
    .init(
      "calling `\(name)` here would expand to more than \(grouped(limit)) commands, the limit for one statement or procedure: split the work"
    )
  }
  static func tooManyCommandsInFile(_ name: String, limit: Int) -> Self {
    .init(
      "calling `\(name)` here would take the file past \(grouped(limit)) commands, the limit for one file: split it"
    )
  }
  static func topLevelOnly(_ keyword: String) -> Self {
    .init("`\(keyword)` is allowed only at the top level of a file, not inside `if`")
  }
  static func undefinedName(_ name: String) -> Self {
    .init("`\(name)` is not defined")
  }
  static func unexpectedCharacter(_ character: String, expected: String) -> Self {
    .init("unexpected character \(character); expected \(expected)")
  }
  static func unknownCommand(_ name: String) -> Self {
    .init("unknown command `\(name)`; commands are `run`, `get`, `put` or a procedure")
  }
  static func unknownField(_ field: String) -> Self {
    .init("results have no field `\(field)`")
  }
  static func unknownFile(_ name: String) -> Self {
    .init("`\(name)` is not in the library", severity: .warning)
  }
  static func unknownMachine(_ name: String) -> Self {
    .init("no machine named `\(name)` in the fleet", severity: .warning)
  }
  static func unknownRolloutOption(_ name: String) -> Self {
    .init("unknown rollout option `\(name)`")
  }
  static func unknownScript(_ name: String) -> Self {
    .init("script `\(name)` is not in the library", severity: .warning)
  }
  static var unterminatedBlock: Self {
    .init("unterminated block: `<` has no matching `>`")
  }
  static var unterminatedInterpolation: Self {
    .init("unterminated `${` in string")
  }
  static var unterminatedString: Self {
    .init("unterminated string")
  }
  static func wrongArity(_ command: String, expected: String, got: Int) -> Self {
    .init("`\(command)` takes \(expected), got \(got)")
  }
}

extension DiagnosticMessage {
  /// A count with thousands separators (`10,000`).
  fileprivate static func grouped(_ number: Int) -> String {
    var digits = Array(String(number))
    var index = digits.count - 3
    while index > 0 {
      digits.insert(",", at: index)
      index -= 3
    }
    return String(digits)
  }
}
