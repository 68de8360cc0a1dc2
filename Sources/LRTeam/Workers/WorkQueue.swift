import Foundation
import PostgresNIO

/// The tenant's queue of detached runs in the team database: `lr run --detach` adds to it,
/// `lr worker` claims from it (one run per claim, never the same run to two live workers), renews
/// its lease while it works, and releases the run done or back to the queue.
///
/// It owns its connection (claims and heartbeats must not wait behind another caller's
/// transaction); every statement filters by tenant.
public final class WorkQueue: Sendable {
  /// The connection the queue's statements use.
  public let database: TeamDatabase
  /// The tenant whose runs these are.
  public let tenant: String

  public init(database: TeamDatabase, tenant: String) {
    self.database = database
    self.tenant = tenant
  }

  /// Queues a journaled run for the workers.
  ///
  /// - Parameters:
  ///   - by: who queued it (the operating-system user).
  ///   - source: the script's name, for `lr watch`.
  ///   - actions: how many actions its resolved statements plan (`lr watch`'s "how far").
  public func enqueue(run: String, by: String, source: String, actions: Int) async throws(TeamError)
  {
    try await database.query(
      """
      INSERT INTO lr_work (tenant, run, queued_by, source, actions)
      VALUES (\(tenant), \(run), \(by), \(source), \(actions))
      """)
  }

  /// Claims the oldest queued run, or one whose worker's lease ran out; nil when there is none.
  public func claim(worker: String, lease: Duration) async throws(TeamError) -> WorkClaim? {
    let rows = try await database.query(
      "SELECT claimed_run, claim_count FROM lr_claim_run(\(tenant), \(worker), \(lease.seconds))")
    guard let row = rows.first, let (run, count) = try? row.decode((String, Int).self) else {
      return nil
    }
    return WorkClaim(run: run, worker: worker, attempt: count)
  }

  /// Extends the claim's lease; false when the worker no longer holds it (its lease ran out and
  /// another worker claimed the run).
  public func renew(_ claim: WorkClaim, lease: Duration) async throws(TeamError) -> Bool {
    let rows = try await database.query(
      """
      SELECT lr_renew_claim(\(tenant), \(claim.run), \(claim.worker), \(lease.seconds))
      """)
    return (try? rows.first?.decode(Bool.self)) ?? false
  }

  /// Gives the run up: `outcome` (the run's final state) marks it done; nil puts it back in the
  /// queue for another worker (a worker stopping). False when the worker no longer held it.
  @discardableResult
  public func release(_ claim: WorkClaim, outcome: String?) async throws(TeamError) -> Bool {
    let rows = try await database.query(
      "SELECT lr_release_claim(\(tenant), \(claim.run), \(claim.worker), \(outcome))")
    return (try? rows.first?.decode(Bool.self)) ?? false
  }

  /// The queue's entries (all, or one run's), oldest first.
  public func entries(run: String? = nil) async throws(TeamError) -> [WorkEntry] {
    let rows = try await database.query(
      """
      SELECT run, state, queued_by, queued_at, source, actions, worker, lease_until, claims,
             outcome
        FROM lr_work
       WHERE tenant = \(tenant) AND (\(run)::text IS NULL OR run = \(run))
       ORDER BY queued_at, run
      """)
    return rows.compactMap { WorkEntry(row: $0) }
  }
}

extension Duration {
  /// The duration in seconds, fractions included.
  var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) / 1e18
  }
}
