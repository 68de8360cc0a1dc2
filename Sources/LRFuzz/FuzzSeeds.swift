import Foundation

/// Where inputs start from: `.lr` files (examples, stdlib), the `lr` blocks of the docs, and
/// framing streams (valid frames and the malformed frames of docs/editors.md).
public struct FuzzSeeds: Sendable {
  /// `.lr` texts.
  public var sources: [[UInt8]]
  /// Byte streams for the framing parser.
  public var streams: [[UInt8]]

  /// Reads the seeds under the repository root `root`.
  public init(root: URL) {
    var sources: [[UInt8]] = []
    for folder in ["examples", "stdlib"] {
      for file in FuzzSeeds.files(under: root.appendingPathComponent(folder), suffix: ".lr") {
        if let data = FileManager.default.contents(atPath: file.path) {
          sources.append(Array(data))
        }
      }
    }
    for file in FuzzSeeds.files(under: root.appendingPathComponent("docs"), suffix: ".md") {
      guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
      sources += FuzzSeeds.lrBlocks(in: text).map { Array($0.utf8) }
    }
    self.sources = sources.isEmpty ? [Array("on machine X < get 'a' >\n".utf8)] : sources
    streams = FuzzSeeds.frameStreams
  }

  /// Files under a folder (recursively) whose names end with `suffix`, sorted.
  static func files(under folder: URL, suffix: String) -> [URL] {
    let paths = FileManager.default.subpaths(atPath: folder.path) ?? []
    return paths.filter { $0.hasSuffix(suffix) }.sorted().map { folder.appendingPathComponent($0) }
  }

  /// The contents of the ```` ```lr ```` blocks of a Markdown text.
  static func lrBlocks(in markdown: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop { $0 == " " }
      if current == nil, trimmed == "```lr" {
        current = []
      } else if current != nil, trimmed.hasPrefix("```") {
        blocks.append((current ?? []).joined(separator: "\n") + "\n")
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  /// JSON-RPC bodies a client sends.
  static let bodies = [
    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
    #"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.lr","languageId":"lr","version":1,"text":"on machine X < get 'a' >\n# Content-Length: 5\r\n\r\n{\"}"}}}"#,
    #"{"jsonrpc":"2.0","id":"h","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.lr"},"position":{"line":0,"character":3}}}"#,
    #"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
    #"[1,{"a":"]}\\\""}]"#,
  ]

  /// Valid streams, and each malformed frame followed by a valid one.
  static var frameStreams: [[UInt8]] {
    let frames = bodies.map {
      Array("Content-Length: \($0.utf8.count)\r\n\r\n".utf8) + Array($0.utf8)
    }
    let valid = frames.joined()
    let body = Array(bodies[4].utf8)
    let broken: [String] = [
      "Content-Length: abc\r\n\r\n", "Content-Length: 12\r\n\r\n",
      "Content-Length: \(body.count + 15)\r\n\r\n", "Content-Length: \(body.count)\n\n",
      "Content-Length: \(body.count)\r\nX-Padding: \(String(repeating: "a", count: 300))\r\n\r\n",
      "Content-Length: 99999999999999999999999\r\n\r\n", "}}garbage",
    ]
    return [Array(valid)] + broken.map { Array($0.utf8) + body + frames[3] }
  }
}
