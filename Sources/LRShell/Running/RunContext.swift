import LRLanguage

/// What a runner needs besides the steps: which job this is, earlier results, the sources.
public struct RunContext: Sendable {
  /// The session's number for this input (`.jobs`, `.cancel ID`, `.show ID INDEX`).
  public var job: JobID
  /// Values of results bound by earlier inputs, for `if r.ok` and `${r.output}`.
  public var results: ResultValues
  /// The input's source and its modules, by name (for locations in messages and the journal).
  public var sources: [String: SourceFile]
  /// The name of the input's own source in ``sources`` (the others are the modules it used).
  public var input: String

  public init(
    job: JobID, results: ResultValues = [:], sources: [String: SourceFile] = [:],
    input: String = "<repl>"
  ) {
    self.job = job
    self.results = results
    self.sources = sources
    self.input = input
  }
}
