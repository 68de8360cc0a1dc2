import Foundation
import PostgresNIO

/// The tenant's four-eyes approvals in the team database (migration v5): a run's request bound
/// to its plan's hash, the approval a second person gives, and the runs still waiting.
public final class TeamApprovals: Sendable {
  /// The connection the statements use.
  public let database: TeamDatabase
  /// The tenant whose runs these are.
  public let tenant: String

  public init(database: TeamDatabase, tenant: String) {
    self.database = database
    self.tenant = tenant
  }

  /// Records that `run` (journaled, its targets resolved) waits for approval; returns the plan
  /// hash the approval will be bound to.
  @discardableResult
  public func request(run: String, by: String, why: String) throws(TeamError) -> String {
    let rows = try database.query(
      "SELECT lr_request_approval(\(tenant), \(run), \(by), \(why))")
    return (try? rows.first?.decode(String.self)) ?? ""
  }

  /// Puts a held run in the workers' queue (`lr_work`, where the v5 trigger makes it
  /// `awaiting` until approved), with the blocking connection: for a waiting `lr run` the user
  /// interrupted, whose task can no longer await.
  public func holdForWorkers(run: String, by: String, source: String, actions: Int)
    throws(TeamError)
  {
    try database.query(
      """
      INSERT INTO lr_work (tenant, run, queued_by, source, actions)
      VALUES (\(tenant), \(run), \(by), \(source), \(actions))
      ON CONFLICT (tenant, run) DO NOTHING
      """)
  }

  /// Approves `run` as `by` with `reason`, in one statement; what the database answered.
  public func approve(run: String, by: String, reason: String) throws(TeamError) -> ApprovalOutcome
  {
    let rows = try database.query(
      "SELECT outcome, plan_hash FROM lr_approve_run(\(tenant), \(run), \(by), \(reason))")
    guard let row = rows.first, let (outcome, hash) = try? row.decode((String, String?).self)
    else { return .unknown }
    return ApprovalOutcome(outcome, hash: hash ?? "")
  }

  /// The run's approval as it stands (nil: the run never needed one), with its plan's current
  /// hash.
  public func status(run: String) throws(TeamError) -> ApprovalRequest? {
    try requests(run: run, waitingOnly: false).first
  }

  /// The runs that wait for approval, oldest first.
  public func waiting() throws(TeamError) -> [ApprovalRequest] {
    try requests(run: nil, waitingOnly: true)
  }

  private func requests(run: String?, waitingOnly: Bool) throws(TeamError) -> [ApprovalRequest] {
    let rows = try database.query(
      """
      SELECT a.run, a.plan_hash, a.requested_by, a.requested_at, a.why, a.approved_by, a.reason,
             a.approved_at, a.approved_hash, lr_plan_hash(a.tenant, a.run), r.source_path
        FROM lr_approval a JOIN lr_run r ON r.tenant = a.tenant AND r.id = a.run
       WHERE a.tenant = \(tenant) AND (\(run)::text IS NULL OR a.run = \(run))
         AND (NOT \(waitingOnly) OR a.approved_by IS NULL)
       ORDER BY a.requested_at, a.run
      """)
    return rows.compactMap { ApprovalRequest(row: $0) }
  }
}
