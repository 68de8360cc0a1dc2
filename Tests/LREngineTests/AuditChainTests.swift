import Foundation
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

@testable import LREngine

/// The audit log kept with the journal: the head recorded on every append, a log that no longer
/// ends at that head refused, and owner-only files.
@Suite struct AuditChainTests {
  struct Fixture {
    let dir: URL
    let journal: Journal
    let log: AuditLog
    var url: URL { log.url }

    init() throws {
      dir = try LRTestSupport.temporaryDirectory()
      journal = try Journal(url: dir.appendingPathComponent("journal.sqlite"))
      log = try AuditLog(url: dir.appendingPathComponent("audit.jsonl"), journal: journal)
    }

    func append(_ count: Int) throws {
      for i in 1...count { try log.append(event: "action.submitted", fields: [("n", .number(i))]) }
    }

    func lines() throws -> [String] {
      try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String]) throws {
      try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
    }

    func text() throws -> String { try String(contentsOf: url, encoding: .utf8) }
  }

  @Test func everyAppendRecordsTheHeadUnderTheLogsIdentity() throws {
    let f = try Fixture()
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.append(1)
    let id = try #require(AuditLog.identity(in: try f.text()))
    #expect(try f.journal.auditHead(log: id)?.sequence == 1)
    try f.append(2)
    let head = try #require(try f.journal.auditHead(log: id))
    #expect(head.sequence == 3)
    #expect(head.hash == f.log.head.hash)
  }

  @Test func aTruncatedLogIsNotExtended() throws {
    let f = try Fixture()
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.append(4)
    try f.write(Array(try f.lines().dropLast(2)))
    #expect {
      try f.log.append(event: "run.started", fields: [])
    } throws: { error in
      String(describing: error).contains("entries 3–4 are missing")
    }
    #expect(try f.lines().count == 2)
  }

  @Test func entriesAfterTheRecordedHeadAreReportedAndRefused() throws {
    let f = try Fixture()
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.append(3)
    let recorded = f.log.head
    // A writer that does not record its head (not lr, or lr before this check) extends the chain.
    let outsider = try AuditLog(url: f.url)
    try outsider.append(event: "forged", fields: [])
    try outsider.append(event: "forged", fields: [])
    let problems = AuditLog.verify(text: try f.text(), expectedHead: recorded)
    #expect(problems.map(\.line) == [4], "\(problems)")
    #expect(problems.first?.reason.contains("entries 4–5 follow") == true, "\(problems)")
    #expect {
      try f.log.append(event: "run.started", fields: [])
    } throws: { error in
      String(describing: error).contains("entries 4–5 follow")
    }
  }

  @Test func anEmptiedLogIsNotRestarted() throws {
    let f = try Fixture()
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.append(2)
    try f.write([])
    #expect {
      try f.log.append(event: "run.started", fields: [])
    } throws: { error in
      String(describing: error).contains("entries 1–2 are missing")
    }
  }

  @Test func journalAndLogAreOwnerOnly() throws {
    let previous = umask(0o022)
    defer { umask(previous) }
    let f = try Fixture()
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.append(1)
    try f.journal.create(
      RunRecord(
        id: "r1", sourcePath: "s.lr", sourceText: "", profile: "p", tenant: "t",
        resultsDirectory: "/tmp"))
    for name in ["journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm", "audit.jsonl"] {
      let path = f.dir.appendingPathComponent(name).path
      let mode = try #require(
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
      #expect(mode.intValue & 0o777 == 0o600, "\(name): \(String(mode.intValue, radix: 8))")
    }
  }
}
