import DefenderClient
import Foundation
import GRDB
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

@testable import LREngine

@Suite struct JournalTests {
  @Test func actionsAreJournaledBeforeSubmissionAndSurviveReopening() throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("journal.sqlite")
    let runID = RunToken.newRunID()
    do {
      let journal = try Journal(url: url)
      #expect(try journal.appliedMigrations() == Journal.migrator.migrations.sorted())
      #expect(Journal.migrator.migrations.starts(with: ["v1", "v2", "v3", "v4", "v5", "v6"]))
      try journal.create(
        RunRecord(
          id: runID, sourcePath: "x.lr", sourceText: "on machine X < get 'a' >", profile: "lab",
          tenant: "lab", resultsDirectory: "results"))
      try journal.record([
        TargetRecord(runID: runID, statement: 1, machineID: "m1", computerName: "ws-1")
      ])
      let token = RunToken.action(run: runID, sequence: 1)
      let planned = try journal.plan(
        ActionRecord(
          runID: runID, statement: 1, requestIndex: 0, machineID: "m1", computerName: "ws-1",
          token: token, body: "{}"))
      let row = try #require(planned.id)
      try journal.update(action: row, state: .submitted, actionID: "a-1", status: "Pending")
      try journal.record(
        CommandRecord(
          actionRow: row, commandIndex: 0, type: "GetFile", status: "Completed",
          resultPath: "r/1-a", resultSize: 3, resultSHA256: "abc"))
    }
    let reopened = try Journal(url: url)
    let actions = try reopened.actions(run: runID)
    #expect(actions.count == 1)
    #expect(actions.first?.state == .submitted)
    #expect(actions.first?.actionID == "a-1")
    #expect(
      try reopened.action(token: RunToken.action(run: runID, sequence: 1))?.status == "Pending")
    #expect(
      try reopened.commands(action: try #require(actions.first?.id)).first?.resultSHA256 == "abc")
    #expect(try reopened.targets(run: runID).map(\.computerName) == ["ws-1"])
    try reopened.finish(run: runID, state: .finished)
    #expect(try reopened.run(runID)?.state == .finished)
    #expect(try reopened.runs().map(\.id) == [runID])
  }

  @Test func tokensAreUnique() throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let journal = try Journal(url: dir.appendingPathComponent("j.sqlite"))
    try journal.create(
      RunRecord(
        id: "r", sourcePath: "x", sourceText: "", profile: "p", tenant: "t", resultsDirectory: "d"))
    let action = ActionRecord(
      runID: "r", statement: 1, requestIndex: 0, machineID: "m", computerName: "c",
      token: "[lr:r:1]", body: "{}")
    _ = try journal.plan(action)
    #expect(throws: (any Error).self) { _ = try journal.plan(action) }
  }

  @Test func tokensTravelInCommentsAndComeBack() {
    let run = RunToken.newRunID()
    let token = RunToken.action(run: run, sequence: 7)
    let comment = SubmissionToken.tagged("Testing Live Response API", token: token)
    #expect(comment == "Testing Live Response API [lr:\(run):7]")
    #expect(SubmissionToken.find(in: comment) == token)
    #expect(run.count == 22)
  }

  /// A journal written by a v1 `lr` opens under v2 with its runs, targets and actions intact.
  @Test func version1JournalMigratesToVersion2() throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("journal.sqlite")
    do {
      let old = try Journal(url: url, migratingUpTo: "v1")
      #expect(try old.appliedMigrations() == ["v1"])
      try old.pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO run (id, createdAt, sourcePath, sourceText, profile, tenant,
              resultsDirectory, state) VALUES ('r1', '2026-01-01 00:00:00.000', 'x.lr',
              'on machine X < get ''a'' >', 'lab', 'lab', 'results', 'running');
            INSERT INTO target (runID, statement, machineID, computerName)
              VALUES ('r1', 1, 'm1', 'ws-1');
            INSERT INTO action (runID, statement, requestIndex, machineID, computerName, token,
              body, state, createdAt, updatedAt) VALUES ('r1', 1, 0, 'm1', 'ws-1', 'r1:1', '{}',
              'planned', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
            """)
      }
    }
    let journal = try Journal(url: url)
    #expect(try journal.appliedMigrations() == Journal.migrator.migrations.sorted())
    let run = try #require(try journal.run("r1"))
    #expect(run.resumes == 0)
    #expect(run.isUnfinished)
    #expect(try journal.targets(run: "r1").map(\.position) == [0])
    let action = try #require(try journal.actions(run: "r1").first)
    #expect(action.state == .planned)
    #expect(action.reconciliation == nil)
    try journal.update(
      action: try #require(action.id), state: .submitted, actionID: "a-1",
      reconciliation: "adopted")
    try journal.resume(run: "r1")
    #expect(try journal.actions(run: "r1").first?.reconciliation == "adopted")
    #expect(try journal.run("r1")?.resumes == 1)
  }
}

@Suite struct AuditLogTests {
  func makeLog() throws -> (AuditLog, URL) {
    let dir = try LRTestSupport.temporaryDirectory()
    let url = dir.appendingPathComponent("audit.jsonl")
    let log = try AuditLog(url: url)
    for i in 1...5 {
      try log.append(
        event: "action.submitted",
        fields: [("machine", .string("ws-\(i)")), ("comment", .string("a \"quoted\"\nline"))])
    }
    return (log, url)
  }

  func lines(_ url: URL) throws -> [String] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  func write(_ lines: [String], _ url: URL) throws {
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
  }

  @Test func intactLogVerifies() throws {
    let (log, url) = try makeLog()
    #expect(
      AuditLog.verify(text: try String(contentsOf: url, encoding: .utf8), expectedHead: log.head)
        .isEmpty)
    // Reopening continues the chain.
    let again = try AuditLog(url: url)
    try again.append(event: "run.finished", fields: [])
    #expect(again.head.sequence == 6)
    #expect(AuditLog.verify(text: try String(contentsOf: url, encoding: .utf8)).isEmpty)
  }

  @Test func editedLineIsFound() throws {
    let (_, url) = try makeLog()
    var l = try lines(url)
    l[2] = l[2].replacingOccurrences(of: "ws-3", with: "ws-9")
    try write(l, url)
    let problems = AuditLog.verify(text: try String(contentsOf: url, encoding: .utf8))
    #expect(problems.map(\.line) == [3])
    #expect(problems.first?.reason.contains("edited") == true)
  }

  @Test func removedLineIsFound() throws {
    let (_, url) = try makeLog()
    var l = try lines(url)
    l.remove(at: 1)
    try write(l, url)
    let problems = AuditLog.verify(text: try String(contentsOf: url, encoding: .utf8))
    #expect(problems.map(\.line) == [2])
    #expect(problems.first?.reason.contains("removed") == true)
  }

  @Test func reorderedLinesAreFound() throws {
    let (_, url) = try makeLog()
    var l = try lines(url)
    l.swapAt(1, 2)
    try write(l, url)
    #expect(
      AuditLog.verify(text: try String(contentsOf: url, encoding: .utf8)).map(\.line) == [2, 3])
  }

  @Test func truncationIsFoundAgainstTheJournalHead() throws {
    let (log, url) = try makeLog()
    var l = try lines(url)
    l.removeLast()
    try write(l, url)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(AuditLog.verify(text: text).isEmpty)
    #expect(AuditLog.verify(text: text, expectedHead: log.head).map(\.line) == [5])
  }
}

@Suite struct ResultsFolderTests {
  @Test(arguments: [
    (#"C:\windows\TEMP\OfficeClickToRun.dmp.zip"#, "2-OfficeClickToRun.dmp.zip"),
    ("/var/log/../../etc/passwd", "2-passwd"),
    ("..", "2-_"),
    (#"C:\x\CON.txt"#, "2-_CON.txt"),
    ("evil\u{1B}[31m.txt", "2-evil_[31m.txt"),
    ("", "2-_"),
  ])
  func resultNamesStayInsideTheFolder(_ remote: String, _ expected: String) {
    let folder = ResultsFolder(root: URL(fileURLWithPath: "/r"), runID: "run1")
    let url = folder.resultURL(machine: "ws-1.contoso.com", number: 2, remoteName: remote)
    #expect(url.lastPathComponent == expected)
    #expect(url.deletingLastPathComponent().path == "/r/run1/ws-1.contoso.com")
  }

  @Test func manifestRoundTrips() throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let manifest = Manifest(
      run: "r", source: "x.lr", startedAt: Date(timeIntervalSince1970: 0), finishedAt: nil,
      state: "finished",
      actions: [
        .init(
          statement: 1, request: 0, machineID: "m", computerName: "c", actionID: "a",
          status: "Succeeded", comment: "c",
          commands: [
            .init(
              index: 0, type: "GetFile", params: ["Path": "C:\\a"], status: "Completed",
              exitCode: nil, file: "c/0-a", size: 3, sha256: "x")
          ])
      ])
    let url = dir.appendingPathComponent("m/manifest.json")
    try manifest.write(to: url)
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    #expect(try decoder.decode(Manifest.self, from: Data(contentsOf: url)) == manifest)
  }
}
