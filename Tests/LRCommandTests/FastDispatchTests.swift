import Foundation
import LRTestSupport
import Testing

/// `lr check FILE…` is answered by the launcher without swift-argument-parser (start-up, issue
/// 16.3): the same output and status as through lr-core's parser (`--` before the files sends the
/// same command there), and help and errors still from the parser.
@Suite struct FastDispatchTests {
  /// A clean file and one with errors, in a folder of their own.
  func files() throws -> (dir: URL, good: String, bad: String) {
    let dir = try LRTestSupport.temporaryDirectory()
    let good = dir.appendingPathComponent("good.lr").path
    let bad = dir.appendingPathComponent("bad.lr").path
    try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(
      to: URL(fileURLWithPath: good))
    try Data("on machine ws-0142 < frobnicate >\nuse \"nowhere\"\n".utf8).write(
      to: URL(fileURLWithPath: bad))
    return (dir, good, bad)
  }

  @Test func checkPrintsWhatTheParserPathPrints() async throws {
    let (dir, good, bad) = try files()
    defer { try? FileManager.default.removeItem(at: dir) }
    // (options, files): the fast path gets options then files, the parser options, `--`, files.
    let cases: [([String], [String])] = [
      ([], [good]), ([], [bad]), ([], [good, bad]), (["--format", "json"], [bad]),
      (["--format=json"], [good, bad]), (["--format", "human"], [bad]), ([], ["-"]),
      ([], [dir.appendingPathComponent("missing.lr").path]), ([], [dir.path]),
    ]
    for (options, paths) in cases {
      let stdin = paths == ["-"] ? "on machine x < frobnicate >\n" : nil
      let fast = try await LRTestSupport.runLR(["check"] + options + paths, stdin: stdin)
      let parsed = try await LRTestSupport.runLR(
        ["check"] + options + ["--"] + paths, stdin: stdin)
      #expect(fast.status == parsed.status, "\(options) \(paths)")
      #expect(fast.stdout == parsed.stdout, "\(options) \(paths)")
      #expect(fast.stderr == parsed.stderr, "\(options) \(paths)")
    }
    let bare = try await LRTestSupport.runLR(["check", bad])
    #expect(bare.status == 2 && bare.stderr.contains("error"), "\(bare.stderr)")
  }

  @Test func helpAndBadOptionsStayTheParsers() async throws {
    let (dir, good, _) = try files()
    defer { try? FileManager.default.removeItem(at: dir) }
    let help = try await LRTestSupport.runLR(["check", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("USAGE: lr check"), "\(help.stdout)")
    for arguments in [
      ["check", "--bogus", good], ["check", "--format", "xml", good], ["check"],
      ["check", good, "--format"],
    ] {
      let result = try await LRTestSupport.runLR(arguments)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("Usage: lr check"), "\(arguments): \(result.stderr)")
    }
  }
}
