import Foundation
import GRDB
import LRTestSupport
import LiveResponse
import Testing

@testable import LREngine

/// The read-only SQL schema (migration v6), the read-only reader and stacking, on a real SQLite
/// journal written through the journal's API.
@Suite struct JournalSchemaTests {
  func fixture() throws -> (URL, JournalReader) {
    let dir = try LRTestSupport.temporaryDirectory()
    let url = dir.appendingPathComponent("journal.sqlite")
    try JournalFixture.make(at: url)
    return (dir, try JournalReader(url: url))
  }

  @Test func viewsHaveTheDocumentedColumns() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    func columns(_ view: String) async throws -> [String] {
      try await reader.query("SELECT * FROM \(view) LIMIT 0").columns
    }
    #expect(
      try await columns("runs").prefix(6) == [
        "run", "source", "started", "finished", "state", "who",
      ])
    #expect(try await columns("results") == JournalSchema.resultColumns)
    #expect(
      try await columns("rows").prefix(6) == [
        "run", "machine", "machine_id", "command_index", "n", "data",
      ])
    #expect(try await reader.query("SELECT version FROM schema_version").rows == [[.number(1)]])
    let run = try await reader.query("SELECT started, finished, who FROM runs").rows
    #expect(
      run == [
        [
          .string("2027-01-15T08:00:00.000Z"), .string("2027-01-15T08:01:00.000Z"),
          .string("analyst"),
        ]
      ])
  }

  @Test func resultsNumberCommandsAcrossTheStatementAndRowsAreJSON() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    let results = try await reader.query(
      "SELECT machine, command_index, command, status, exit_code FROM results WHERE machine = 'ws-3' ORDER BY command_index"
    ).rows
    #expect(
      results == [
        [
          .string("ws-3"), .number(1), .string("RunScript Get-Processes.ps1"), .string("Completed"),
          .number(1),
        ],
        [.string("ws-3"), .number(2), .string("GetFile C:\\hosts"), .string("Completed"), .null],
      ])
    let names = try await reader.query(
      "SELECT json_extract(data, '$.ProcessName') FROM rows WHERE machine = 'ws-3' AND command_index = 1 ORDER BY n"
    ).rows
    #expect(
      names.map { $0[0] }
        == ["lsass.exe", "svchost.exe", "svchost.exe", "odd.exe"].map(JSONValue.string))
  }

  @Test func writesAreRefusedAndNothingChanges() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    let before = try Data(contentsOf: reader.url)
    for sql in [
      "DELETE FROM run", "UPDATE action SET status = 'x'", "DROP TABLE resultRow",
      "INSERT INTO run (id) VALUES ('x')", "ATTACH DATABASE ':memory:' AS other",
      "PRAGMA user_version = 9", "PRAGMA wal_checkpoint", "VACUUM", "BEGIN",
      "CREATE TABLE t (x)", "  /* hidden */ delete from command",
      "WITH x AS (SELECT 1) DELETE FROM run",
    ] {
      await #expect(throws: JournalQueryError.self, "\(sql)") { try await reader.query(sql) }
    }
    await #expect(throws: JournalQueryError.severalStatements) {
      try await reader.query("SELECT 1; DELETE FROM run")
    }
    #expect(try await reader.query("SELECT count(*) FROM run").rows == [[.number(1)]])
    #expect(try await reader.query("SELECT count(*) FROM resultRow").rows == [[.number(12)]])
    #expect(try Data(contentsOf: reader.url) == before)
  }

  @Test func aQueryThatDoesNotParseGivesSQLitesMessageAndPosition() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try await reader.query("SELECT machine FROM results WHERE status = = 'Failed'")
      Issue.record("no error")
    } catch JournalQueryError.invalid(let message, _, let offset) {
      #expect(message.contains("syntax error"))
      #expect(offset == 43)
    }
    let error = JournalQueryError.invalid(
      message: "near \"=\": syntax error", sql: "a\nb = = c", offset: 6)
    #expect(error.description.hasSuffix("\n  b = = c\n      ^"))
  }

  @Test func anUnknownTableNamesTheViews() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try await reader.query("SELECT * FROM result")
      Issue.record("no error")
    } catch let error as JournalQueryError {
      #expect(error.description.hasPrefix("no such table: result"), "\(error)")
      #expect(
        error.description.contains("runs, results, rows, targets and schema_version"), "\(error)")
    }
  }

  @Test func stackingCountsLeastFrequentFirstWithTheMachines() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    let stacked = try await Stacking.stack(
      run: JournalFixture.runID, column: "ProcessName", in: reader)
    #expect(stacked.source == .rows)
    #expect(
      stacked.values.map(\.value) == ["=cmd|' /C calc'!A0", "odd.exe", "lsass.exe", "svchost.exe"])
    #expect(stacked.values.map(\.count) == [1, 1, 3, 3])
    #expect(stacked.values.map(\.occurrences) == [1, 1, 3, 4])
    #expect(stacked.values[1].machines == ["ws-3"])
    #expect(stacked.values[3].machines == ["ws-1", "ws-2", "ws-3"])
    let sha = try await Stacking.stack(run: JournalFixture.runID, column: "sha256", in: reader)
    #expect(sha.source == .results)
    #expect(sha.values.map(\.count) == [1, 2])
    #expect(sha.values.first?.machines == ["ws-1"])
    let exit = try await Stacking.stack(run: JournalFixture.runID, column: "exit_code", in: reader)
    #expect(exit.values.map(\.value) == ["1", "0"])
    // Case-insensitive when nothing matches exactly.
    #expect(
      try await Stacking.stack(run: JournalFixture.runID, column: "processname", in: reader).column
        == "ProcessName")
  }

  @Test func unknownRunsAndColumnsAreClearErrors() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try await reader.resolveRun(nil) == JournalFixture.runID)
    #expect(try await reader.resolveRun("last") == JournalFixture.runID)
    await #expect(throws: JournalQueryError.unknownRun("nope")) {
      try await reader.resolveRun("nope")
    }
    do {
      _ = try await Stacking.stack(run: JournalFixture.runID, column: "Colour", in: reader)
      Issue.record("no error")
    } catch JournalQueryError.unknownColumn(let column, let known) {
      #expect(column == "Colour")
      #expect(
        known.contains("ProcessName") && known.contains("exit_code") && known.contains("path"))
    }
  }

  @Test func exportRecordsLeaveOutAbsentFieldsAndParseData() async throws {
    let (dir, reader) = try fixture()
    defer { try? FileManager.default.removeItem(at: dir) }
    let records = try await ResultExport.records(run: JournalFixture.runID, in: reader)
    #expect(records.count == 12)
    let first = try #require(records.first)
    #expect(first["machine"] == .string("ws-1"))
    #expect(first["data"]?["ProcessName"] == .string("lsass.exe"))
    #expect(first["run_started"] == .string("2027-01-15T08:00:00.000Z"))
    #expect(first["output"] == nil)
    #expect(
      records.allSatisfy { record in record.objectValue?.allSatisfy { $0.1 != .null } ?? false })
  }
}
