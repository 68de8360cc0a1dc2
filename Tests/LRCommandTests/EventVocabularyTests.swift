import Foundation
import LRTestSupport
import Testing

/// One run-event vocabulary (issue 17.3): the same statement run by `lr run --output json` and by
/// the piped REPL prints the same engine events, with the same names and fields; the REPL only
/// adds `job`, and its own events (`submitted`, `preview`, `note`, `output`, `finished`).
@Suite(.serialized) struct EventVocabularyTests {
  let root = LRTestSupport.packageRoot

  /// A refusal, a failing script, a result file and a script transcript on the lab.
  static let statement =
    "on machines [ws-0142, srv-legacy03, ws-broken-09] < run Get-Processes.ps1; "
    + "get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >\n"

  /// Events only the REPL prints.
  static let replOnly: Set<String> = ["submitted", "preview", "note", "output", "finished"]

  /// Events whose appearance depends on timing (the budget, retries, polling rounds).
  static let timing: Set<String> = [
    "waitingForBudget", "retry", "commandStarted", "commandCompleted", "actionQueued",
  ]

  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  /// Every line's event name and its member names (without `job`), in order.
  func events(_ stdout: String) throws -> [(name: String, keys: Set<String>, job: Bool)] {
    try stdout.split(separator: "\n").map { line in
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
      let name = try #require(object["event"] as? String, "\(line)")
      return (name, Set(object.keys).subtracting(["job"]), object["job"] != nil)
    }
  }

  /// Per event name, the union of the member names of its lines.
  func fields(_ list: [(name: String, keys: Set<String>, job: Bool)]) -> [String: Set<String>] {
    list.reduce(into: [:]) { $0[$1.name, default: []].formUnion($1.keys) }
  }

  @Test(.timeLimit(.minutes(5))) func replAndRunPrintTheSameEngineEvents() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("fan.lr")
    try Data(Self.statement.utf8).write(to: script)
    let run = try await LRTestSupport.runLR(
      ["run", script.path, "--lab", "--output", "json"], environment: environment(dir),
      currentDirectory: root)
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    let repl = try await LRTestSupport.runLR(
      ["--lab", "--output", "json"], stdin: Self.statement, environment: environment(dir),
      currentDirectory: root)
    #expect(repl.stdout.contains("\"event\":\"finished\""), "\(repl.stdout)\(repl.stderr)")

    let runEvents = try events(run.stdout)
    let replEvents = try events(repl.stdout)
    #expect(runEvents.allSatisfy { !$0.job }, "lr run prints no job")
    // Every REPL line of a job carries it; `output` (meta-commands) is the session's own.
    #expect(replEvents.filter { $0.name != "output" }.allSatisfy { $0.job })
    let runFields = fields(runEvents)
    let replFields = fields(replEvents.filter { !Self.replOnly.contains($0.name) })
    // The same engine events, by name (apart from those that depend on timing) …
    #expect(
      Set(replFields.keys).subtracting(Self.timing) == Set(runFields.keys).subtracting(Self.timing))
    for name in [
      "runStarted", "machinesResolved", "actionSubmitted", "actionRefused", "resultReady",
      "actionFinished", "runFinished",
    ] {
      #expect(replFields[name] != nil, "the REPL printed no \(name)")
    }
    // … and each with the same members.
    for (name, members) in replFields {
      if let expected = runFields[name] {
        #expect(
          members == expected, "\(name): REPL \(members.sorted()), lr run \(expected.sorted())")
      }
    }
  }
}
