import Foundation
import LREngine
import LRTestSupport
import LiveResponse
import Testing

@testable import LRTeam

/// The audit chain in the team database: several appenders (each with its own connection, as
/// several processes) extend one chain without forking it, and a tampered table is caught.
@Suite struct PostgresAuditStoreTests {
  @Test func concurrentAppendersExtendOneChain() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let logs = try (0..<4).map { _ in try Team.open(url, tenant: "tenant-a").auditLog() }
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      for n in 0..<10 {
        _ = try? logs[index].append(event: "test", fields: [("n", .number(n))])
      }
    }
    let team = try Team.open(url, tenant: "tenant-a")
    let text = try team.auditStore.text()
    let tail = try team.auditStore.tail()
    #expect(tail.sequence == 40)
    #expect(AuditLog.verify(text: text, expectedHead: (tail.sequence, tail.hash)).isEmpty)
    #expect(AuditLog.identity(in: text) == tail.identity)
    // Another tenant's chain is its own.
    #expect(try Team.open(url, tenant: "tenant-b").auditStore.text().isEmpty)
  }

  @Test func aDeletedLastEntryIsRefusedBeforeTheNextAppend() throws {
    let server = try PostgresServer.shared()
    let url = try TeamURL(try server.makeDatabase())
    let log = try Team.open(url, tenant: "tenant-a").auditLog()
    try log.append(event: "one", fields: [])
    try log.append(event: "two", fields: [])
    try server.sql("DELETE FROM lr_audit_entry WHERE sequence = 2", database: url.database)
    #expect(throws: AuditLogError.self) { try log.checkTail() }
    #expect(throws: AuditLogError.self) { try log.append(event: "three", fields: []) }
  }

  /// The connection dies after the server committed an append but before lr read the answer:
  /// lr runs the append again on a new connection, and the entry is still recorded once.
  @Test func anAppendWhoseCommitAnswerIsLostIsRecordedOnce() throws {
    let server = try PostgresServer.shared()
    let direct = try TeamURL(try server.makeDatabase())
    let proxy = try TCPProxy(to: server.port)
    defer { proxy.stop() }
    let url = try TeamURL(
      server.url(database: direct.database, through: proxy))
    let log = try Team.open(url, tenant: "tenant-a").auditLog()
    try log.append(event: "one", fields: [])
    proxy.loseAnswer(after: "COMMIT")
    try log.append(event: "two", fields: [])
    try log.append(event: "three", fields: [])
    let store = try Team.open(direct, tenant: "tenant-a").auditStore
    let text = try store.text()
    let tail = try store.tail()
    #expect(text.components(separatedBy: "\"event\":\"two\"").count == 2, "\(text)")
    #expect(tail.sequence == 3, "\(text)")
    #expect(log.head.sequence == 3)
    #expect(AuditLog.verify(text: text, expectedHead: (tail.sequence, tail.hash)).isEmpty)
  }
}
