/// Strips a RunScript transcript's own noise before parsing: the `Transcript started, output file
/// is …` line (and `Transcript stopped`), PowerShell transcript header and footer blocks (between
/// lines of asterisks), and trailing NULs. Line ends become `\n`; everything else is kept as data.
public enum TranscriptCleaner {
  /// The script's own output, without the transcript's noise.
  public static func clean(_ transcript: String) -> String {
    var text = Substring(transcript)
    while text.last == "\u{0}" { text.removeLast() }
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    var kept: [Substring] = []
    kept.reserveCapacity(lines.count)
    var index = 0
    while index < lines.count {
      let line = lines[index]
      if isTranscriptNotice(line) {
        index += 1
      } else if isStarLine(line), index + 1 < lines.count, isBlockTitle(lines[index + 1]) {
        index = endOfBlock(lines, from: index + 1)
      } else {
        kept.append(line)
        index += 1
      }
    }
    return kept.joined(separator: "\n")
  }

  /// `Transcript started, output file is …` and `Transcript stopped, output file is …`.
  static func isTranscriptNotice(_ line: Substring) -> Bool {
    line.hasPrefix("Transcript started, output file is ")
      || line.hasPrefix("Transcript stopped, output file is ")
  }

  /// A line of ten or more asterisks, as PowerShell frames its transcript blocks.
  static func isStarLine(_ line: Substring) -> Bool {
    let trimmed = line.drop { $0 == " " }.reversed().drop { $0 == " " }
    return trimmed.count >= 10 && trimmed.allSatisfy { $0 == "*" }
  }

  /// The first line inside a PowerShell transcript block.
  static func isBlockTitle(_ line: Substring) -> Bool {
    line.hasSuffix("PowerShell transcript start") || line.hasSuffix("PowerShell transcript end")
      || line.hasPrefix("Command start time:")
  }

  /// The index after the star line that closes the block whose title is at `title`.
  static func endOfBlock(_ lines: [Substring], from title: Int) -> Int {
    var index = title + 1
    while index < lines.count {
      if isStarLine(lines[index]) { return index + 1 }
      index += 1
    }
    return index
  }
}
