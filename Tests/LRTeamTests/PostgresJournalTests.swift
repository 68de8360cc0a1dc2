import Foundation
import LREngine
import LRTestSupport
import Testing

@testable import LRTeam

/// What only the PostgreSQL journal has to do: keep tenants apart, plan idempotently, and carry
/// on across a lost connection.
@Suite struct PostgresJournalTests {
  typealias Conformance = RunJournalConformanceTests

  @Test func twoTenantsInOneDatabaseNeverSeeEachOther() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let a = try Team.open(url, tenant: "tenant-a").journal
    let b = try Team.open(url, tenant: "tenant-b").journal
    try a.create(Conformance.run("r1", at: 1))
    try b.create(Conformance.run("r2", at: 2, tenant: "tenant-b"))
    let planned = try a.plan(Conformance.action("r1", token: "t-a"))
    try a.recordAuditHead(AuditHead(log: "L", path: "/a", sequence: 1, hash: "h"))
    #expect(try a.runs(limit: 10).map(\.id) == ["r1"])
    #expect(try b.runs(limit: 10).map(\.id) == ["r2"])
    #expect(try b.run("r1") == nil)
    #expect(try b.action(token: "t-a") == nil)
    #expect(try b.actions(run: "r1").isEmpty)
    #expect(try b.auditHead(log: "L") == nil)
    // b cannot change a's action by its row number.
    try b.update(
      action: try #require(planned.id), state: .terminal, actionID: "x", status: nil, error: nil,
      reconciliation: nil, at: Date())
    #expect(try a.action(token: "t-a")?.state == .planned)
  }

  @Test func planningTheSameActionAgainFindsItsRow() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let journal = try Team.open(url, tenant: "tenant-a").journal
    try journal.create(Conformance.run("r1", at: 1))
    let first = try journal.plan(Conformance.action("r1", token: "t-1"))
    let again = try journal.plan(Conformance.action("r1", token: "t-1"))
    #expect(first.id == again.id)
    #expect(try journal.actions(run: "r1").count == 1)
  }

  @Test func aRestartedServerIsWaitedForAndTheWriteGoesThrough() throws {
    let server = try PostgresServer()
    try server.start()
    defer { server.stop() }
    let journal = try Team.open(TeamURL(try server.makeDatabase()), tenant: "tenant-a").journal
    try journal.create(Conformance.run("r1", at: 1))
    server.stop()
    let restarted = Thread {
      Thread.sleep(forTimeInterval: 1)
      try? server.start()
    }
    restarted.start()
    let planned = try journal.plan(Conformance.action("r1", token: "t-1"))
    #expect(planned.id != nil)
    #expect(try journal.actions(run: "r1").count == 1)
  }
}
