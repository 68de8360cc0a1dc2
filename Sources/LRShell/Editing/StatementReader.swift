import LRLanguage

/// Groups input lines into complete inputs: a meta-command line alone, or the lines of one
/// statement until nothing is left open (an unclosed `<`, string, `(` or `[`).
public struct StatementReader: Sendable {
  private var pending: [String] = []

  public init() {}

  /// Whether earlier lines are waiting for more (the continuation prompt's condition).
  public var isContinuing: Bool { !pending.isEmpty }

  /// Adds a line; returns the complete input it finished, if any.
  public mutating func add(_ line: String) -> String? {
    if pending.isEmpty, MetaCommand.isMetaCommand(line) { return line }
    pending.append(line)
    let text = pending.joined(separator: "\n")
    if Analysis.needsMoreInput(text) { return nil }
    pending = []
    return text
  }

  /// The unfinished input at the end of the stream (compiled, so its errors are reported).
  public mutating func finish() -> String? {
    defer { pending = [] }
    return pending.isEmpty ? nil : pending.joined(separator: "\n")
  }
}
