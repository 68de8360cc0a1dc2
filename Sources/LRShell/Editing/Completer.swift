import LRLanguage

/// Tab completion for one input line: meta-commands and their arguments, and everything the
/// language's analysis API offers (keywords, commands, procedures, variables, machines, scripts).
public struct Completer: Sendable {
  /// Candidates and where, in the current line, they replace text.
  public struct Answer: Sendable, Equatable {
    /// UTF-8 offset in the current line where the replaced word starts.
    public var start: Int
    /// Replacement texts, sorted and unique.
    public var candidates: [String]
  }

  public var modules: any ModuleProvider

  public init(modules: any ModuleProvider) {
    self.modules = modules
  }

  /// Completes at `cursor` (a UTF-8 offset into `line`); `pending` holds earlier lines of a
  /// multi-line statement.
  public func complete(line: String, cursor: Int, pending: String = "", context: CompletionContext)
    -> Answer
  {
    let bytes = Array(line.utf8)
    let cursor = max(0, min(cursor, bytes.count))
    let before = String(decoding: bytes[..<cursor], as: UTF8.self)
    if pending.isEmpty, MetaCommand.isMetaCommand(line) {
      return meta(before, context: context)
    }
    // `use "win` → module names (inside a string the analysis offers nothing).
    if let answer = moduleName(before) { return answer }
    // `r.fa` → a bound result's fields.
    if pending.isEmpty, let answer = ResultCompletion.fields(before, context: context) {
      return answer
    }
    let bound = pending.isEmpty ? ResultCompletion.names(before, context: context) : nil
    let statement = statementCompletion(line, cursor: cursor, pending: pending, context: context)
    guard let bound, !bound.candidates.isEmpty else { return statement }
    guard statement.start == bound.start || statement.candidates.isEmpty else { return statement }
    return Answer(
      start: bound.start, candidates: Array(Set(bound.candidates + statement.candidates)).sorted())
  }

  /// What the language's analysis offers at the cursor.
  private func statementCompletion(
    _ line: String, cursor: Int, pending: String, context: CompletionContext
  ) -> Answer {
    let prefixText = pending.isEmpty ? "" : pending + "\n"
    let base = prefixText.utf8.count
    let source = SourceFile(name: "<repl>", text: prefixText + line)
    let options = Compiler.Options(
      defaultTarget: context.defaultTarget, allowRedefinition: true,
      environment: context.environment)
    let analysis = Analysis(source: source, modules: modules, options: options)
    let completions = analysis.completions(at: base + cursor, names: context.names)
    guard !completions.isEmpty else { return Answer(start: cursor, candidates: []) }
    let start = completions.map { $0.replacing.lowerBound }.min() ?? (base + cursor)
    var candidates: [String] = []
    for completion in completions {
      // Completions may replace different spans; express each from the common start.
      let lead = String(
        decoding: source.bytes[start..<completion.replacing.lowerBound], as: UTF8.self)
      candidates.append(lead + completion.label)
    }
    return Answer(start: max(0, start - base), candidates: Array(Set(candidates)).sorted())
  }

  private func moduleName(_ before: String) -> Answer? {
    guard let quote = before.lastIndex(of: "\"") else { return nil }
    let head = before[..<quote].trimmingSuffixBlanks()
    guard head.hasSuffix("use"),
      head.dropLast(3).last.map({ $0 == " " || $0 == "\t" || $0 == ";" || $0 == "\n" }) ?? true
    else { return nil }
    let partial = String(before[before.index(after: quote)...])
    guard !partial.contains(" ") else { return nil }
    let names = modules.availableModules(from: "<repl>").filter { $0.hasPrefix(partial) }
    let start = before[..<before.index(after: quote)].utf8.count
    return Answer(start: start, candidates: names.map { $0 + "\"" })
  }

  private func meta(_ before: String, context: CompletionContext) -> Answer {
    let trimmed = before.drop { $0 == " " || $0 == "\t" }
    let lead = before.utf8.count - trimmed.utf8.count
    guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
      let partial = trimmed.dropFirst()
      let names = MetaCommand.names.filter { $0.hasPrefix(partial) }.map { "." + $0 }
      return Answer(start: lead, candidates: names)
    }
    let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<space])
    let rest = trimmed[space...]
    let wordStart =
      rest.lastIndex(where: { $0 == " " || $0 == "\t" }).map { rest.index(after: $0) }
      ?? rest.startIndex
    let partial = String(rest[wordStart...])
    let start = before.utf8.count - partial.utf8.count
    let options: [String]
    switch name {
    case "connect": options = context.names.machines
    case "output": options = OutputMode.allCases.map(\.rawValue)
    case "help": options = MetaCommand.names + HelpText.topics
    case "export", "stack":
      if let answer = ResultCompletion.meta(
        name, rest: rest, partial: partial, start: start, context: context)
      {
        return answer
      }
      options = []
    default: options = []
    }
    let matches = options.filter { $0.lowercased().hasPrefix(partial.lowercased()) }
    return Answer(start: start, candidates: Array(Set(matches)).sorted())
  }
}

extension Substring {
  /// The text without trailing blanks.
  func trimmingSuffixBlanks() -> Substring {
    var s = self
    while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
    return s
  }
}
