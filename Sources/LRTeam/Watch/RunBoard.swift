import Foundation
import PostgresNIO

/// The tenant's live runs (running, queued, paused, awaiting approval), read in one statement
/// for `lr watch`, with the sessions the tenant holds in all.
public struct RunBoard: Sendable, Equatable {
  /// Oldest first.
  public var runs: [BoardRun]
  /// Every session the tenant holds (`lr_budget_session`), whichever run or process holds it.
  public var sessions: Int

  public init(runs: [BoardRun], sessions: Int) {
    self.runs = runs
    self.sessions = sessions
  }

  /// Reads the board: every live run of `tenant`, or only `run`.
  public static func read(database: TeamDatabase, tenant: String, run: String? = nil)
    async throws(TeamError) -> RunBoard
  {
    let rows = try await database.query(statement(tenant: tenant, run: run))
    var runs: [BoardRun] = []
    var total = 0
    for row in rows {
      let columns = row.makeRandomAccess()
      total = (try? columns["tenant_sessions"].decode(Int.self)) ?? total
      let id = (try? columns["id"].decode(String?.self)) ?? nil
      guard id != nil else { continue }
      do { runs.append(try BoardRun(row: row)) } catch {
        throw TeamError.statement("cannot read the run board: \(String(reflecting: error))")
      }
    }
    return RunBoard(runs: runs, sessions: total)
  }

  /// The journaled state of `run` (`finished`, `running`, …), nil when the tenant has no such run.
  public static func state(database: TeamDatabase, tenant: String, run: String)
    async throws(TeamError) -> String?
  {
    let rows = try await database.query(
      "SELECT state FROM lr_run WHERE tenant = \(tenant) AND id = \(run)")
    return try? rows.first?.decode(String.self)
  }

  /// The board's one statement. A session belongs to a run when the run has an action running
  /// (`submitted`) on its machine: the budget allows one action per device, so at most one run
  /// does. The tenant's total is on every row, and on a row of its own (no run) when none is live.
  static func statement(tenant: String, run: String?) -> PostgresQuery {
    """
    WITH live AS (
      SELECT r.id, coalesce(r.who, w.queued_by, '') AS who, r.source_path AS source,
             CASE WHEN ap.run IS NOT NULL THEN 'awaiting'
                  WHEN r.state IN ('running', 'queued', 'paused') THEN r.state
                  WHEN w.state = 'claimed' THEN 'running'
                  ELSE 'queued' END AS state,
             CASE WHEN w.state = 'claimed' THEN w.worker END AS worker,
             coalesce(w.actions, 0) AS queued_actions, r.created_at AS created
        FROM lr_run r
        LEFT JOIN lr_work w ON w.tenant = r.tenant AND w.run = r.id
        LEFT JOIN lr_approval ap
               ON ap.tenant = r.tenant AND ap.run = r.id AND ap.approved_by IS NULL
       WHERE r.tenant = \(tenant) AND (\(run)::text IS NULL OR r.id = \(run))
         AND (r.state IN ('running', 'queued', 'paused')
              OR w.state IN ('awaiting', 'queued', 'claimed'))),
    counted AS (
      SELECT l.*, greatest(count(a.id), l.queued_actions)::bigint AS actions,
             count(a.id) FILTER (WHERE a.state = 'submitted')::bigint AS submitted,
             count(a.id) FILTER (WHERE a.state IN ('terminal', 'skipped'))::bigint AS finished,
             count(a.id) FILTER (
               WHERE a.state = 'terminal' AND coalesce(a.status, '') <> 'Succeeded')::bigint
               AS failed,
             min(a.created_at) AS started,
             (SELECT count(*) FROM lr_budget_session s
               WHERE s.tenant = \(tenant) AND EXISTS (
                 SELECT 1 FROM lr_action b
                  WHERE b.tenant = \(tenant) AND b.run_id = l.id AND b.state = 'submitted'
                    AND lower(b.machine_id) = s.machine))::bigint AS sessions
        FROM live l
        LEFT JOIN lr_action a ON a.tenant = \(tenant) AND a.run_id = l.id
       GROUP BY l.id, l.who, l.source, l.state, l.worker, l.queued_actions, l.created),
    total AS (
      SELECT count(*)::bigint AS tenant_sessions FROM lr_budget_session WHERE tenant = \(tenant))
    SELECT c.id, c.who, c.source, c.state, c.worker, c.actions, c.submitted, c.finished, c.failed,
           c.sessions, c.created, c.started,
           CASE WHEN c.finished > 0 AND c.actions > c.finished THEN
             clock_timestamp()
               + (clock_timestamp() - c.started) * ((c.actions - c.finished)::float8 / c.finished)
           END AS eta,
           t.tenant_sessions
      FROM total t LEFT JOIN counted c ON true
     ORDER BY c.created, c.id
    """
  }
}
