import Foundation
import GRDB
import LREngine
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// A run on the lab stores each saved result as data in the journal (real SQLite): the cleaned
/// output, errors, exit code, parsed format and rows of a RunScript; a GetFile result's row.
@Suite(.serialized) struct StructuredResultsTests {
  @Test func aRunStoresOutputErrorsExitCodeAndRows() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    // A local copy of a script declaring a format its output lacks: the run's folder is read.
    try "<#\n.NOTES\n    lr:output list\n#>\nparam()\n".write(
      to: lab.directory.appendingPathComponent("Get-Services.ps1"), atomically: true,
      encoding: .utf8)
    let text = """
      on machine ws-0142.contoso.com < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >
      on machine ws-hostile-13.contoso.com < run Get-Processes.ps1 >
      on machine ws-0143.contoso.com < run Get-Services.ps1 >
      """
    _ = try await lab.engine().run(try lab.compile(text), sourcePath: "t.lr", sourceText: text)
    let runID = try #require(try lab.journal.runs().first?.id)
    let actions = try lab.journal.actions(run: runID)
    func row(of machine: String) throws -> Int64 {
      try #require(actions.first { $0.computerName == machine }?.id)
    }
    let results = try lab.journal.results(run: runID)
    let rows = try lab.journal.resultRows(run: runID)

    // ws-0142: the process table, cleaned and parsed into rows, in the script's order.
    let processes = try #require(
      results.first {
        $0.actionRow == (try? row(of: "ws-0142.contoso.com")) && $0.commandIndex == 0
      })
    #expect(processes.type == "RunScript")
    #expect(processes.exitCode == 0)
    #expect(processes.errors == "")
    #expect(processes.format == "table")
    #expect(processes.formatWarning == nil)
    let output = try #require(processes.output)
    #expect(!output.contains("Transcript started"))
    #expect(output.hasPrefix("12 of 143 processes on ws-0142.contoso.com"))
    let machineRows = rows.filter {
      $0.computerName == "ws-0142.contoso.com" && $0.commandIndex == 0
    }
    #expect(machineRows.map(\.n) == Array(0..<12))
    let data = machineRows.compactMap { JSONValue.parse($0.data) }
    #expect(data.count == 12)
    #expect(
      data.first?.objectValue?.map(\.0)
        == [
          "Id", "ParentId", "Parent", "ProcessName", "Owner", "Session", "StartedUtc", "Path",
          "CommandLine",
        ])
    let odd = try #require(data.first { $0["Path"] == .string("C:\\Users\\Public\\lsass.exe") })
    #expect(odd["ProcessName"] == .string("lsass.exe"))
    #expect(odd["Id"] == .string("5512"))
    #expect(odd["CommandLine"] == .string("C:\\Users\\Public\\lsass.exe -k netsvcs"))
    #expect(machineRows.allSatisfy { $0.runID == runID && $0.machineID.count == 40 })

    // The GetFile result is one row: the remote path, size, SHA-256 and the saved file.
    let saved = try #require(
      try lab.journal.commands(action: try row(of: "ws-0142.contoso.com")).first {
        $0.commandIndex == 1
      })
    let fileRow = try #require(
      rows.first { $0.computerName == "ws-0142.contoso.com" && $0.commandIndex == 1 })
    #expect(fileRow.n == 0)
    #expect(
      JSONValue.parse(fileRow.data)
        == .object([
          ("path", .string("C:\\Windows\\System32\\drivers\\etc\\hosts")),
          ("size", .number(Int(try #require(saved.resultSize)))),
          ("sha256", .string(try #require(saved.resultSHA256))),
          ("file", .string(try #require(saved.resultPath))),
        ]))
    #expect(results.contains { $0.actionRow == saved.actionRow && $0.type == "GetFile" })

    // ws-hostile-13: output that is not the declared table stays text, errors kept as data.
    let hostile = try #require(
      results.first { $0.actionRow == (try? row(of: "ws-hostile-13.contoso.com")) })
    #expect(hostile.format == "text")
    #expect(hostile.formatWarning == "the output is declared table but is not table; kept as text")
    #expect(hostile.output?.contains("\u{1B}[2J") == true)
    #expect(hostile.errors == "\u{1B}[5mblinking error\u{1B}[0m\u{07}\n")
    #expect(!rows.contains { $0.computerName == "ws-hostile-13.contoso.com" })

    // ws-0143: the local Get-Services.ps1 declares list; its table is still read, with a warning.
    let services = try #require(
      results.first { $0.actionRow == (try? row(of: "ws-0143.contoso.com")) })
    #expect(services.format == "table")
    #expect(services.formatWarning == "the output is declared list but reads as table")
    #expect(rows.filter { $0.computerName == "ws-0143.contoso.com" }.count == 6)

    // SQLite's JSON functions work on `data`.
    let queue = try DatabaseQueue(
      path: lab.journal.url.path,
      configuration: {
        var c = Configuration(); c.readonly = true; return c
      }())
    let lsass = try await queue.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM resultRow WHERE runID = ? AND json_extract(data, '$.ProcessName') = 'lsass.exe'
          """, arguments: [runID])
    }
    #expect(lsass == 2)
  }

  /// `lr resume` stores the results of actions that finished before it (a journal written
  /// before results were stored, or a run stopped between the two writes).
  /// A bound result's rows are the ones the journal stored: a script that declares `text` has
  /// none, although its output reads as a table; without a local copy, the table's rows.
  @Test func boundRowsFollowTheScriptsDeclarationAsTheJournalDoes() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    try "# lr:output text\nparam()\n".write(
      to: lab.directory.appendingPathComponent("Get-Processes.ps1"), atomically: true,
      encoding: .utf8)
    let text = """
      let p = on machine ws-0142.contoso.com < run Get-Processes.ps1 >
      let s = on machine ws-0143.contoso.com < run Get-Services.ps1 >
      """
    let engine = lab.engine()
    _ = try await engine.run(try lab.compile(text), sourcePath: "t.lr", sourceText: text)
    let bound = await engine.boundResults
    let runID = try #require(try lab.journal.runs().first?.id)
    let journalRows = try lab.journal.resultRows(run: runID)
    #expect(bound["p"]?.machines.first?.rows.isEmpty == true)
    #expect(!journalRows.contains { $0.computerName == "ws-0142.contoso.com" })
    let services = journalRows.filter { $0.computerName == "ws-0143.contoso.com" }
    #expect(!services.isEmpty)
    #expect(
      bound["s"]?.machines.first?.rows.map { $0.serialized() } == services.map(\.data))
  }

  @Test func resumeStoresTheResultsOfFinishedActions() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let text = "on machine ws-0142.contoso.com < run Get-Processes.ps1 >\n"
    let plan = try lab.compile(text)
    _ = try await lab.engine().run(plan, sourcePath: "t.lr", sourceText: text)
    let runID = try #require(try lab.journal.runs().first?.id)
    #expect(try lab.journal.resultRows(run: runID).count == 12)
    let queue = try DatabaseQueue(path: lab.journal.url.path)
    try await queue.write { db in
      try db.execute(sql: "DELETE FROM resultRow")
      try db.execute(sql: "DELETE FROM commandResult")
    }
    try lab.journal.finish(run: runID, state: .failed)
    let failed = try #require(try lab.journal.run(runID))
    _ = try await lab.engine().resume(plan, run: failed, settle: .zero)
    #expect(try lab.journal.resultRows(run: runID).count == 12)
    #expect(try lab.journal.results(run: runID).map(\.format) == ["table"])
  }
}
