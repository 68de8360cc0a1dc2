import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// The work queue of detached runs (migration v4): claims with `FOR UPDATE SKIP LOCKED`, leases,
/// releases, tenants kept apart, and the `lr_runs` notifications, on a real PostgreSQL.
@Suite struct WorkQueueTests {
  /// A fresh database, migrated, and a queue of `tenant` on its own connection.
  func queue(tenant: String = "t1", url: TeamURL? = nil) throws -> WorkQueue {
    let url = try url ?? TeamURL(try PostgresServer.shared().makeDatabase())
    return WorkQueue(database: try TeamDatabase.open(url), tenant: tenant)
  }

  @Test func workersClaimEachQueuedRunOnce() async throws {
    let first = try queue()
    for n in 1...12 {
      try await first.enqueue(run: "run-\(n)", by: "ana", source: "s.lr", actions: 3)
    }
    let queues =
      [first]
      + (0..<3).map { _ in WorkQueue(database: TeamDatabase(url: first.database.url), tenant: "t1")
      }
    let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
      for (n, queue) in queues.enumerated() {
        group.addTask {
          var runs: [String] = []
          while let claim = try await queue.claim(worker: "w\(n)", lease: .seconds(30)) {
            runs.append(claim.run)
          }
          return runs
        }
      }
      var all: [String] = []
      for try await runs in group { all += runs }
      return all
    }
    #expect(claimed.count == 12)
    #expect(Set(claimed).count == 12)
  }

  @Test func anExpiredLeaseIsClaimedAgainAndTheOldWorkerLosesIt() async throws {
    let queue = try queue()
    try await queue.enqueue(run: "r", by: "ana", source: "s.lr", actions: 1)
    let dead = try #require(try await queue.claim(worker: "dead", lease: .milliseconds(200)))
    #expect(dead.attempt == 1)
    #expect(try await queue.claim(worker: "other", lease: .seconds(30)) == nil)
    try await Task.sleep(for: .milliseconds(400))
    let adopted = try #require(try await queue.claim(worker: "other", lease: .seconds(30)))
    #expect(adopted.run == "r")
    #expect(adopted.attempt == 2)
    #expect(try await queue.renew(dead, lease: .seconds(30)) == false)
    #expect(try await queue.release(dead, outcome: "finished") == false)
    #expect(try await queue.renew(adopted, lease: .seconds(30)))
    #expect(try await queue.release(adopted, outcome: "finished"))
    let entry = try #require(try await queue.entries(run: "r").first)
    #expect(entry.state == "done")
    #expect(entry.outcome == "finished")
    #expect(entry.worker == "other")
    #expect(try await queue.claim(worker: "third", lease: .seconds(30)) == nil)
  }

  @Test func aReleasedClaimGoesBackToTheQueue() async throws {
    let queue = try queue()
    try await queue.enqueue(run: "r", by: "ana", source: "s.lr", actions: 1)
    let claim = try #require(try await queue.claim(worker: "w", lease: .seconds(30)))
    #expect(try await queue.release(claim, outcome: nil))
    #expect(try await queue.entries().first?.state == "queued")
    #expect(try await queue.claim(worker: "w2", lease: .seconds(30))?.attempt == 2)
  }

  @Test func tenantsAreKeptApart() async throws {
    let mine = try queue(tenant: "mine")
    let theirs = WorkQueue(database: mine.database, tenant: "theirs")
    try await theirs.enqueue(run: "r", by: "bo", source: "s.lr", actions: 1)
    #expect(try await mine.claim(worker: "w", lease: .seconds(30)) == nil)
    #expect(try await mine.entries().isEmpty)
    #expect(try await theirs.claim(worker: "w", lease: .seconds(30))?.run == "r")
  }

  @Test func changesAreNotifiedToTheirTenantOnly() async throws {
    let queue = try queue(tenant: "mine")
    let theirs = WorkQueue(database: queue.database, tenant: "theirs")
    var changes = RunNotifications.changes(url: queue.database.url, tenant: "mine")
      .makeAsyncIterator()
    #expect(await changes.next() == .resync)
    try await theirs.enqueue(run: "other", by: "bo", source: "s.lr", actions: 1)
    try await queue.enqueue(run: "r", by: "ana", source: "s.lr", actions: 1)
    #expect(await changes.next() == .run("r"))
    _ = try await queue.claim(worker: "w", lease: .seconds(30))
    #expect(await changes.next() == .run("r"))
  }
}
