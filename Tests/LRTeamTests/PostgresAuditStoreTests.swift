import Foundation
import LREngine
import LiveResponse
import LRTestSupport
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
}
