import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// `lr watch`'s board (``RunBoard``) on a real PostgreSQL: which runs are live, their counts,
/// the sessions tied to each by the machines it has actions running on, the ETA, tenants apart.
@Suite struct RunBoardTests {
  /// A run of `tenant` journaled in `state` with actions in the given states.
  func journal(
    _ team: Team, run: String, state: String,
    actions: [(machine: String, state: String, status: String?)],
    tenant: String = "t1"
  ) throws {
    try team.database.transaction { t in
      try t.query(
        """
        INSERT INTO lr_run (tenant, id, created_at, source_path, source_text, profile,
                            results_directory, state, who)
        VALUES (\(tenant), \(run), clock_timestamp() - interval '100 seconds', 'sweep.lr', '',
                'lab', '/r', \(state), 'ana')
        """)
      for (n, action) in actions.enumerated() {
        try t.query(
          """
          INSERT INTO lr_action (tenant, run_id, statement, request_index, machine_id,
                                 computer_name, token, body, state, status, created_at, updated_at)
          VALUES (\(tenant), \(run), 1, 1, \(action.machine), \(action.machine), \(run + "-\(n)"),
                  '{}', \(action.state), \(action.status),
                  clock_timestamp() - interval '60 seconds', clock_timestamp())
          """)
      }
    }
  }

  @Test func theBoardShowsLiveRunsTheirCountsSessionsAndETA() async throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let team = try Team.open(url, tenant: "t1")
    _ = try Team.open(url, tenant: "t2")
    try journal(
      team, run: "r1", state: "running",
      actions: [
        ("M1", "terminal", "Succeeded"), ("M2", "terminal", "Failed"), ("M3", "submitted", nil),
        ("M4", "planned", nil),
      ])
    try journal(team, run: "done", state: "finished", actions: [("M5", "terminal", "Succeeded")])
    try journal(team, run: "held", state: "queued", actions: [])
    try journal(team, run: "other", state: "running", actions: [], tenant: "t2")
    try await team.database.query(
      """
      INSERT INTO lr_work (tenant, run, queued_by, source, actions) VALUES ('t1', 'held', 'bo', 's', 7);
      """)
    try await team.database.query(
      """
      INSERT INTO lr_approval (tenant, run, plan_hash, requested_by, why)
      VALUES ('t1', 'held', 'h', 'bo', 'more than 5 machines')
      """)
    try await team.database.query(
      """
      INSERT INTO lr_budget_session (tenant, holder, machine, session_no, device_no)
      VALUES ('t1', 'h1', 'm3', 1, 1), ('t1', 'h2', 'm9', 2, 1), ('t2', 'h3', 'm3', 1, 1)
      """)

    let board = try await RunBoard.read(database: team.database, tenant: "t1")
    #expect(board.runs.map(\.run) == ["r1", "held"])
    #expect(board.sessions == 2)
    let r1 = try #require(board.runs.first)
    #expect(
      [r1.actions, r1.submitted, r1.finished, r1.failed, r1.sessions] as [Int] == [4, 1, 2, 1, 1])
    #expect(r1.state == "running" && r1.who == "ana" && r1.source == "sweep.lr")
    // 2 of 4 finished in the 60 s since the first action: about 60 s to go.
    let eta = try #require(r1.eta).timeIntervalSinceNow
    #expect(eta > 50 && eta < 70, "\(eta)")
    let held = try #require(board.runs.last)
    #expect(held.state == "awaiting")
    #expect(held.actions == 7 && held.sessions == 0)
    #expect(held.eta == nil && held.started == nil)

    let one = try await RunBoard.read(database: team.database, tenant: "t1", run: "held")
    #expect(one.runs.map(\.run) == ["held"])
    let empty = try await RunBoard.read(database: team.database, tenant: "t3")
    #expect(empty.runs.isEmpty && empty.sessions == 0)
  }
}
