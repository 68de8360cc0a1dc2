import Foundation

/// The fenced blocks of a Markdown file of the repository with the given info string, with the
/// line each block's text starts on.
public func fencedBlocks(_ path: String, language: String) throws -> [(line: Int, text: String)] {
  let text = try String(
    contentsOf: LRTestSupport.packageRoot.appendingPathComponent(path), encoding: .utf8)
  var blocks: [(Int, String)] = []
  var current: [String]?
  var start = 0
  for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    if current == nil, line == "```\(language)" {
      current = []
      start = number + 2
    } else if current != nil, line == "```" {
      blocks.append((start, (current ?? []).joined(separator: "\n")))
      current = nil
    } else if current != nil {
      current?.append(String(line))
    }
  }
  return blocks
}
