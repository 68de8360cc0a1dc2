import Foundation
import LRTestSupport
import Testing

/// The examples of docs/results.md's "Querying the journal" run as written, against the journal
/// of a real run on the lab: every ```sql block through `lr query`, every `lr query`, `lr stack`
/// and `lr results` line of a ```sh block, and the parse error shown in the ```text block.
@Suite struct ResultsDocumentationTests {
  let root = LRTestSupport.packageRoot

  /// Shell words: blanks separate, double and single quotes group (no escapes in these examples).
  static func words(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for character in line {
      if let open = quote {
        if character == open { quote = nil } else { current.append(character) }
      } else if character == "\"" || character == "'" {
        quote = character
        inWord = true
      } else if character == " " {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(character)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }

  @Test(.timeLimit(.minutes(5))) func theExamplesRunAsWritten() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let env = [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
    let sweep = dir.appendingPathComponent("sweep.lr")
    try Data(
      """
      on machines [ws-0142, ws-0143, ws-broken-09] < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >

      """.utf8
    ).write(to: sweep)
    let run = try await LRTestSupport.runLR(
      ["run", sweep.path, "--lab", "--output", "json"], environment: env, currentDirectory: root)
    #expect(run.status == 1, "\(run.stderr)")
    let queries = try fencedBlocks("docs/results.md", language: "sql")
    #expect(queries.count >= 5)
    for (line, sql) in queries {
      let result = try await LRTestSupport.runLR(["query", sql], environment: env)
      #expect(result.status == 0, "docs/results.md:\(line): \(result.stderr)")
    }
    var commands = 0
    for (line, block) in try fencedBlocks("docs/results.md", language: "sh") {
      for text in block.split(separator: "\n") {
        let words = Self.words(String(text))
        guard words.count > 1, words[0] == "lr", ["query", "stack", "results"].contains(words[1])
        else { continue }
        commands += 1
        let result = try await LRTestSupport.runLR(Array(words.dropFirst()), environment: env)
        #expect(result.status == 0, "docs/results.md:\(line): \(text): \(result.stderr)")
        #expect(!result.stdout.isEmpty, "docs/results.md:\(line): \(text)")
      }
    }
    #expect(commands >= 5)
    let shown = try #require(
      try fencedBlocks("docs/results.md", language: "text").first {
        $0.text.hasPrefix("$ lr query")
      })
    let lines = shown.text.split(separator: "\n", omittingEmptySubsequences: false)
    let words = Self.words(String(lines[0].dropFirst(2)))
    let result = try await LRTestSupport.runLR(Array(words.dropFirst()), environment: env)
    #expect(result.status == 2)
    #expect(result.stderr == lines.dropFirst().joined(separator: "\n") + "\n")
  }
}
