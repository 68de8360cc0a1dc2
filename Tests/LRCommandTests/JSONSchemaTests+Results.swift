import Foundation
import LRTestSupport
import Testing

extension JSONSchemaTests {
  /// `lr query`, `lr stack` and `lr results` after a real run on the lab: every line they print
  /// matches its definition (`queryRow`, `stackValue`, `resultRecord`).
  @Test(.timeLimit(.minutes(5))) func resultsCommandsMatchTheSchema() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let c = Collected()
    let fan = dir.appendingPathComponent("fan.lr")
    try Data(
      """
      on machines [ws-0142, srv-legacy03, ws-broken-09, ws-hostile-13] < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >

      """.utf8
    ).write(to: fan)
    _ = try await run(["run", fan.path, "--lab", "--output", "json"], in: dir, expecting: [1])
    c.add("queryRow", try await run(["query", "SELECT * FROM results"], in: dir))
    c.add("queryRow", try await run(["query", "SELECT * FROM runs"], in: dir))
    c.add(
      "queryRow", try await run(["query", "SELECT *, 1.5 AS x, x'00ff' AS b FROM rows"], in: dir))
    c.add("stackValue", try await run(["stack", "last", "ProcessName"], in: dir))
    c.add("stackValue", try await run(["stack", "status", "--format", "json"], in: dir))
    c.add("resultRecord", try await run(["results"], in: dir))
    c.add("resultRecord", try await run(["results", "last", "--format", "jsonl"], in: dir))
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
    // The failed machine, a GetFile row and a command without rows were all exported.
    #expect(
      c.lines.contains { $0.hasPrefix("resultRecord\t") && $0.contains("\"status\":\"Failed\"") })
    #expect(
      c.lines.contains { $0.hasPrefix("resultRecord\t") && $0.contains("\"type\":\"GetFile\"") })
    #expect(
      c.lines.contains { $0.hasPrefix("stackValue\t") && $0.contains("\"value\":\"lsass.exe\"") })
  }
}
