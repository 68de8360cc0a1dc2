import Foundation
import LRTestSupport
import LiveResponse
import Testing

@testable import LREngine

/// `lr query`, `lr stack` and `lr results` as real processes on a real journal file (`--journal`),
/// with the home and state folder in a temporary folder.
@Suite struct JournalCommandsTests {
  func withJournal(_ body: (URL, [String: String]) async throws -> Void) async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("journal.sqlite")
    try JournalFixture.make(at: url)
    let env = ["HOME": dir.path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
    try await body(url, env)
  }

  @Test func queryPrintsJSONLinesCSVAndATable() async throws {
    try await withJournal { url, env in
      let sql =
        "SELECT machine, exit_code, output FROM results WHERE type = 'RunScript' ORDER BY machine"
      let json = try await LRTestSupport.runLR(
        ["query", sql, "--journal", url.path], environment: env)
      #expect(json.status == 0, "\(json.stderr)")
      let lines = json.stdout.split(separator: "\n").map(String.init)
      #expect(lines.count == 3)
      #expect(lines.first == #"{"machine":"ws-1","exit_code":0,"output":"\u001b[31mred\u001b[0m"}"#)
      let csv = try await LRTestSupport.runLR(
        ["query", sql, "--journal", url.path, "--format", "csv"], environment: env)
      #expect(csv.stdout.hasPrefix("machine,exit_code,output\r\nws-1,0,[31mred[0m\r\n"))
      let table = try await LRTestSupport.runLR(
        ["query", sql, "--journal", url.path, "--format", "table"], environment: env)
      #expect(table.stdout.contains("ws-3     1          \\u{1b}[31mred\\u{1b}[0m"))
      #expect(!table.stdout.contains("\u{1B}"))
      #expect(table.stdout.hasSuffix("(3 rows)\n"))
    }
  }

  @Test func aWriteIsRefusedAndTheJournalIsUnchanged() async throws {
    try await withJournal { url, env in
      let before = try Data(contentsOf: url)
      for sql in ["DELETE FROM run", "drop table command", "PRAGMA user_version = 3"] {
        let result = try await LRTestSupport.runLR(
          ["query", sql, "--journal", url.path], environment: env)
        #expect(result.status == 2)
        #expect(result.stderr.contains("read-only"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
      }
      #expect(try Data(contentsOf: url) == before)
      let count = try await LRTestSupport.runLR(
        ["query", "SELECT count(*) AS n FROM results", "--journal", url.path], environment: env)
      #expect(count.stdout == "{\"n\":6}\n")
    }
  }

  @Test func aParseErrorShowsSQLitesMessageAndWhere() async throws {
    try await withJournal { url, env in
      let result = try await LRTestSupport.runLR(
        ["query", "SELECT machine FROM results WHERE status = = 'Failed'", "--journal", url.path],
        environment: env)
      #expect(result.status == 2)
      #expect(
        result.stderr == """
          lr: error: near "=": syntax error (at offset 43)
            SELECT machine FROM results WHERE status = = 'Failed'
                                                       ^

          """)
    }
  }

  @Test func stackCountsTheLongTailFirst() async throws {
    try await withJournal { url, env in
      let json = try await LRTestSupport.runLR(
        ["stack", "last", "ProcessName", "--journal", url.path], environment: env)
      #expect(json.status == 0, "\(json.stderr)")
      let lines = json.stdout.split(separator: "\n")
      #expect(lines.count == 4)
      #expect(
        lines[1]
          == #"{"run":"run-fixture","column":"ProcessName","value":"odd.exe","count":1,"occurrences":1,"machines":["ws-3"]}"#
      )
      let table = try await LRTestSupport.runLR(
        ["stack", "exit_code", "--journal", url.path, "--format", "table"], environment: env)
      #expect(
        table.stdout == """
          count  occurrences  exit_code  machines
          1      1            1          ws-3
          2      2            0          ws-1, ws-2
          (2 rows)

          """)
    }
  }

  @Test func unknownRunOrColumnIsAUsageError() async throws {
    try await withJournal { url, env in
      let run = try await LRTestSupport.runLR(
        ["stack", "nope", "ProcessName", "--journal", url.path], environment: env)
      #expect(run.status == 2)
      #expect(run.stderr.contains("no run nope in the journal"))
      let column = try await LRTestSupport.runLR(
        ["stack", "Colour", "--journal", url.path], environment: env)
      #expect(column.status == 2)
      #expect(column.stderr.contains("no column Colour"))
      #expect(column.stderr.contains("known columns: Id, ProcessName, path, size, machine"))
      let results = try await LRTestSupport.runLR(
        ["results", "nope", "--journal", url.path], environment: env)
      #expect(results.status == 2)
    }
  }

  @Test func resultsAsCSVDefuseFormulasAndDropEscapes() async throws {
    try await withJournal { url, env in
      let csv = try await LRTestSupport.runLR(
        ["results", "--journal", url.path, "--format", "csv"], environment: env)
      #expect(csv.status == 0, "\(csv.stderr)")
      let lines = csv.stdout.components(separatedBy: "\r\n")
      #expect(
        lines.first
          == "run,run_started,machine,machine_id,action_id,statement,command_index,command,type,"
          + "status,exit_code,finished,n,output,errors,path,size,sha256,ProcessName,Id,data.path,data.size"
      )
      #expect(lines.count == 14)
      let hostile = try #require(lines.first { $0.contains("calc") })
      #expect(hostile.contains(",\"'=cmd|' /C calc'!A0\","))
      #expect(!csv.stdout.contains("\u{1B}"))
    }
  }

  @Test func resultsAsJSONLinesCarryOneTypePerField() async throws {
    try await withJournal { url, env in
      let jsonl = try await LRTestSupport.runLR(
        ["results", JournalFixture.runID, "--journal", url.path, "--format", "jsonl"],
        environment: env)
      #expect(jsonl.status == 0, "\(jsonl.stderr)")
      let records = jsonl.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
      #expect(records.count == 12)
      let getFile = try #require(records.first { $0["type"] == .string("GetFile") })
      #expect(getFile["data"]?["path"] == .string("C:\\hosts"))
      #expect(getFile["exit_code"] == nil)
      #expect(getFile["size"] == .number(10))
    }
  }
}
