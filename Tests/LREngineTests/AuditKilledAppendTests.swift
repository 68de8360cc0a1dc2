import Foundation
import LRTestSupport
import Testing

@testable import LREngine

/// Issue 18 (soak kill trials 6129, 6312, 1005): a process killed between writing an audit entry
/// and recording the new head in the journal left the log one entry ahead, and every later `lr`
/// refused it ("entry 23 follows the head the journal recorded"), so `lr resume` exited 1 with no
/// event. The entry recorded as about to be written is adopted; any other extension is refused.
@Suite struct AuditKilledAppendTests {
  /// A log of `count` entries whose journal head is put back one entry, as a `kill -9` between
  /// the file append and the head's record leaves it; returns the log's identity.
  static func killedAfterWriting(_ count: Int) throws -> (AuditChainTests.Fixture, String) {
    let f = try AuditChainTests.Fixture()
    try f.append(count)
    let id = try #require(AuditLog.identity(in: try f.text()))
    let previous = try #require(AuditLog.parse(try f.lines()[count - 2]))
    try f.journal.recordAuditHead(
      AuditHead(log: id, path: f.url.path, sequence: count - 1, hash: previous.hash))
    return (f, id)
  }

  @Test func theEntryAKilledProcessWroteIsAdopted() throws {
    let (f, id) = try Self.killedAfterWriting(4)
    defer { try? FileManager.default.removeItem(at: f.dir) }
    let log = try AuditLog(url: f.url, journal: f.journal)
    try log.checkTail()
    try log.append(event: "run.resumed", fields: [])
    #expect(try f.journal.auditHead(log: id)?.sequence == 5)
    #expect(try f.lines().count == 5)
  }

  @Test func anEntryNotRecordedAsAboutToBeWrittenIsStillRefused() throws {
    let (f, id) = try Self.killedAfterWriting(4)
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.journal.recordAuditHead(
      AuditHead(log: AuditFileStore.nextKey(id), path: "", sequence: 4, hash: "0" + id))
    let log = try AuditLog(url: f.url, journal: f.journal)
    #expect {
      try log.checkTail()
    } throws: { error in
      String(describing: error).contains("entry 4 follows the head the journal recorded")
    }
  }

  @Test func twoEntriesPastTheHeadAreStillRefused() throws {
    let f = try AuditChainTests.Fixture()
    defer { try? FileManager.default.removeItem(at: f.dir) }
    try f.append(4)
    let id = try #require(AuditLog.identity(in: try f.text()))
    let second = try #require(AuditLog.parse(try f.lines()[1]))
    try f.journal.recordAuditHead(
      AuditHead(log: id, path: f.url.path, sequence: 2, hash: second.hash))
    #expect {
      try AuditLog(url: f.url, journal: f.journal).checkTail()
    } throws: { error in
      String(describing: error).contains("entries 3–4 follow")
    }
  }
}
