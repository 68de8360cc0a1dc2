import Foundation
import LRTestSupport
import Testing

/// `--output human|json`, which `lr run`, `lr machines` and the REPL take, works on the journal
/// commands too (`lr results`, `lr stack`, `lr query`, whose own name for it is `--format`).
@Suite(.serialized) struct OutputOptionTests {
  @Test func journalCommandsTakeOutput() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let env = [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
    let script = dir.appendingPathComponent("p.lr")
    try Data("on machine ws-0142 < run Get-Processes.ps1 >\n".utf8).write(to: script)
    let run = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: env)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    for arguments in [
      ["results"], ["stack", "ProcessName"], ["query", "SELECT machine FROM results"],
    ] {
      let json = try await LRTestSupport.runLR(arguments + ["--output", "json"], environment: env)
      #expect(json.status == 0, "\(arguments): \(json.stderr)")
      let first = json.stdout.split(separator: "\n").first.map(String.init) ?? ""
      #expect(first.hasPrefix("{"), "\(arguments): \(json.stdout)")
      let human = try await LRTestSupport.runLR(
        arguments + ["--output", "human"], environment: env)
      #expect(human.status == 0, "\(arguments): \(human.stderr)")
      #expect(!human.stdout.hasPrefix("{"), "\(arguments): \(human.stdout)")
    }
  }
}
