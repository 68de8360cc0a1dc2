import Foundation
import LRTestSupport
import Testing

/// Every JSON line lr prints, from real `lr` processes on the lab, validated against the one
/// documented schema (docs/schema/lr-json.schema.json) with Python's `jsonschema`.
@Suite(.serialized) struct JSONSchemaTests {
  let root = LRTestSupport.packageRoot

  func environment(_ dir: URL) -> [String: String] {
    [
      "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
      "LR_LAB_TIME_SCALE": "600", "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
    ]
  }

  /// Lines `DEF<TAB>JSON` for the validator.
  final class Collected: @unchecked Sendable {
    var lines: [String] = []
    func add(_ definition: String, _ output: String) {
      for line in output.split(separator: "\n") where !line.isEmpty {
        lines.append(definition + "\t" + line)
      }
    }
  }

  func run(
    _ arguments: [String], stdin: String? = nil, in dir: URL, expecting statuses: Set<Int32> = [0]
  ) async throws -> String {
    let result = try await LRTestSupport.runLR(
      arguments, stdin: stdin, environment: environment(dir), currentDirectory: root)
    #expect(
      statuses.contains(result.status),
      "lr \(arguments.joined(separator: " ")): \(result.status)\n\(result.stdout)\(result.stderr)")
    #expect(!result.stdout.isEmpty, "lr \(arguments.joined(separator: " ")) printed nothing")
    return result.stdout
  }

  @Test(.timeLimit(.minutes(5))) func everyEmittedLineMatchesTheSchema() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let c = Collected()
    // lr run: success, a refusal, a failing script, hostile output, a file, a dry run.
    let fan = dir.appendingPathComponent("fan.lr")
    try Data(
      """
      on machines [ws-0142, srv-legacy03, ws-broken-09, ws-hostile-13] < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >

      """.utf8
    ).write(to: fan)
    c.add(
      "runEvent", try await run(["run", "examples/seed.lr", "--lab", "--output", "json"], in: dir))
    c.add(
      "runEvent",
      try await run(["run", fan.path, "--lab", "--output", "json"], in: dir, expecting: [1]))
    c.add(
      "runEvent",
      try await run(["run", fan.path, "--lab", "--dry-run", "--output", "json"], in: dir))
    // lr plan and lr run's pre-flight refusal (web-01 is Linux, the script PowerShell).
    let mixed = dir.appendingPathComponent("mixed.lr")
    try Data("on machines [ws-0142, web-01, kiosk-lobby-02] < run Get-Processes.ps1 >\n".utf8)
      .write(to: mixed)
    c.add(
      "planLine",
      try await run(["plan", mixed.path, "--lab", "--output", "json"], in: dir, expecting: [1]))
    c.add(
      "runEvent",
      try await run(["run", mixed.path, "--lab", "--output", "json"], in: dir, expecting: [1]))
    // Refused before anything was sent (runFinished state refused), and a target matching no
    // machine (machinesResolved's unmatched, lr plan's noMachine line).
    let none = dir.appendingPathComponent("none.lr")
    try Data("on tag nosuchtag < run Get-Processes.ps1 >\n".utf8).write(to: none)
    c.add(
      "runEvent",
      try await run(["run", none.path, "--lab", "--output", "json"], in: dir, expecting: [2]))
    c.add("planLine", try await run(["plan", none.path, "--lab", "--output", "json"], in: dir))
    // The journal's runs, and resume on a finished run.
    c.add("runRecord", try await run(["runs", "--output", "json"], in: dir))
    // lr rerun --dry-run: the machines of the newest run (the fan-out) that failed.
    c.add(
      "rerunMachine",
      try await run(["rerun", "--failed", "--dry-run", "--output", "json"], in: dir))
    // The service's entities.
    c.add("machine", try await run(["machines", "--lab", "--output", "json"], in: dir))
    c.add("libraryFile", try await run(["library", "--lab", "--output", "json"], in: dir))
    // The REPL's JSON lines, piped.
    c.add(
      "replEvent",
      try await run(
        ["--lab", "--output", "json"],
        stdin: """
          let r = on machines [ws-0142, srv-legacy03, ws-broken-09] < run Get-Processes.ps1 >
          on machine ws-0143 < get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >
          r
          r.rows
          r.count
          .stack r status
          .machines
          .jobs
          .results 1

          """, in: dir))
    // The REPL's own events: the offline preview (submitted, preview, note, finished).
    c.add(
      "replEvent",
      try await run(
        ["--offline", "--output", "json"],
        stdin: """
          let r = on machine ws-0142 < run Get-Processes.ps1 >
          if r.ok < on machine ws-0142 < get 'C:\\a.txt' > >

          """, in: dir))
    // Diagnostics (an array: one element a line) and compiled bodies.
    let bad = dir.appendingPathComponent("bad.lr")
    try Data("on machine X < gte 'a' >\nlet $r = on machine Y < run a.ps1 >\n".utf8).write(to: bad)
    let check = try await run(["check", "--format", "json", bad.path], in: dir, expecting: [2])
    let diagnostics = try #require(
      try JSONSerialization.jsonObject(with: Data(check.utf8)) as? [Any])
    #expect(!diagnostics.isEmpty)
    for diagnostic in diagnostics {
      let data = try JSONSerialization.data(withJSONObject: diagnostic)
      c.add("diagnostic", String(decoding: data, as: UTF8.self))
    }
    c.add("requestBody", try await run(["compile", "examples/seed.lr"], in: dir))

    let file = dir.appendingPathComponent("lines.tsv")
    try Data((c.lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    let validated = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"),
      [
        root.appendingPathComponent("Tests/pty/python.sh").path,
        root.appendingPathComponent("Tests/schema/validate.py").path,
        root.appendingPathComponent("docs/schema/lr-json.schema.json").path, file.path,
      ])
    #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
    // Each stream was exercised, and the kinds of run event that matter most were seen.
    for definition in [
      "runEvent", "runRecord", "machine", "libraryFile", "replEvent", "diagnostic", "requestBody",
      "planLine",
    ] {
      #expect(c.lines.contains { $0.hasPrefix(definition + "\t") }, "\(definition)")
    }
    #expect(c.lines.contains { $0.hasPrefix("replEvent\t{\"event\":\"output\"") })
    #expect(c.lines.contains { $0.contains("\"event\":\"machineIneligible\"") })
    #expect(c.lines.contains { $0.contains("\"state\":\"refused\"") })
    #expect(c.lines.contains { $0.contains("\"unmatched\":\"tag \\\"nosuchtag\\\"\"") })
    #expect(c.lines.contains { $0.hasPrefix("planLine\t{\"plan\":\"noMachine\"") })
    // A bound result typed at the prompt, and `.stack`: `value` events.
    #expect(
      c.lines.contains { $0.hasPrefix("replEvent\t{\"event\":\"value\",\"expression\":\"r\"") })
    #expect(
      c.lines.contains {
        $0.hasPrefix("replEvent\t{\"event\":\"value\",\"expression\":\".stack r status\"")
      })
    // The REPL prints the engine's events (with its job) and its own.
    for event in ["runStarted", "resultReady", "actionRefused", "runFinished", "finished"]
      + ["submitted", "preview", "note"]
    {
      #expect(
        c.lines.contains {
          $0.hasPrefix("replEvent\t{\"job\":") && $0.contains("\"event\":\"\(event)\"")
        },
        "REPL \(event)")
    }
    for event in [
      "actionRefused", "commandFailed", "resultReady", "requestPlanned", "runFinished",
      "commandNotExecuted",
    ] {
      #expect(c.lines.contains { $0.contains("\"event\":\"\(event)\"") }, "\(event)")
    }
  }
}
