import Foundation
import LRTestSupport
import Testing

/// What the journal keeps of a run's source: the input's own text and the text of every module it
/// used, so that `lr resume` recompiles exactly what ran (REPL inputs and `lr run` alike).
@Suite(.serialized) struct JournaledSourceTests {
  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  /// `[(sourcePath, sourceText, modules JSON)]` of every journaled run, read with SQLite itself.
  func journaledRuns(_ dir: URL) async throws -> [[String]] {
    let journal = dir.appendingPathComponent("state/lr/journal.sqlite").path
    let script = """
      import json, sqlite3, sys
      rows = sqlite3.connect(sys.argv[1]).execute(
          "select sourcePath, sourceText, modules from run order by createdAt").fetchall()
      print(json.dumps(rows))
      """
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, journal])
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String]])
  }

  @Test(.timeLimit(.minutes(2))) func replJournalsItsInputAndTheModulesItUsed() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = "use \"windows\"; on machine ws-0142 < win-triage >"
    let result = try await LRTestSupport.runLR(
      ["--lab", "--output", "human"], stdin: input + "\n", environment: environment(dir),
      currentDirectory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let runs = try await journaledRuns(dir)
    let run = try #require(runs.first)
    #expect(run[0] == "<repl>")
    #expect(run[1] == input)
    let modules = try #require(
      try JSONSerialization.jsonObject(with: Data(run[2].utf8)) as? [String: String])
    let windows = try #require(modules.first { $0.key.hasSuffix("windows.lr") })
    let onDisk = try String(
      contentsOf: LRTestSupport.packageRoot.appendingPathComponent("stdlib/windows.lr"),
      encoding: .utf8)
    #expect(windows.value == onDisk)
  }

  @Test(.timeLimit(.minutes(2))) func runJournalsItsLocalModules() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let module = "def listing() <\n  run Get-Processes.ps1\n>\n"
    try Data(module.utf8).write(to: dir.appendingPathComponent("mine.lr"))
    let script = dir.appendingPathComponent("main.lr")
    try Data("use \"mine\"\non machine ws-0142 < listing >\n".utf8).write(to: script)
    let result = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: environment(dir),
      currentDirectory: dir)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let run = try #require(try await journaledRuns(dir).first)
    let modules = try #require(
      try JSONSerialization.jsonObject(with: Data(run[2].utf8)) as? [String: String])
    #expect(modules.count == 1)
    #expect(modules.first?.key.hasSuffix("mine.lr") == true)
    #expect(modules.first?.value == module)
  }
}
