/// `with canary 10, waves 10%, stop-if-failed 5%` after a statement's target (and comment): how
/// its fan-out is staged. The parser reads names and values as words; the compiler checks them.
public struct RolloutClause: Sendable {
  /// The `with` keyword.
  public var keyword: ByteRange
  public var options: [RolloutOption]
  public var range: ByteRange

  /// The option names the language knows, in the order they are documented (the same as
  /// `lr run`'s `--canary`, `--waves` and `--stop-if-failed`).
  public static let optionNames = ["canary", "waves", "stop-if-failed"]

  /// What to delete to remove option `index` with its comma; for the only option, the whole
  /// clause with the spaces before `with`.
  func removalRange(of index: Int, in source: SourceFile) -> ByteRange {
    let option = options[index]
    if options.count == 1 {
      var start = keyword.lowerBound
      while start > 0, [UInt8(ascii: " "), UInt8(ascii: "\t")].contains(source.bytes[start - 1]) {
        start -= 1
      }
      return start..<option.range.upperBound
    }
    if index == 0 { return option.range.lowerBound..<options[1].range.lowerBound }
    return options[index - 1].range.upperBound..<option.range.upperBound
  }
}

/// One option of a ``RolloutClause``: its name and the value written after it.
public struct RolloutOption: Sendable {
  public var name: Name
  /// The value as written (`10`, `10%`); nil when it is missing or was reported by the parser.
  public var value: Name?
  public var range: ByteRange
}
