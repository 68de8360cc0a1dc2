import Foundation
import LRTeam

/// `lr watch --output json`: `{"event":"board","runs":[…],"sessions":N}`, one line per change.
struct BoardLine: Encodable {
  var event = "board"
  var runs: [Run]
  /// Every session the tenant holds.
  var sessions: Int

  init(_ board: RunBoard) {
    runs = board.runs.map(Run.init)
    sessions = board.sessions
  }

  /// One live run (docs/json.md, "lr watch").
  struct Run: Encodable {
    var run: String
    var who: String
    var source: String
    var state: String
    var worker: String?
    var actions: Int
    var submitted: Int
    var finished: Int
    var failed: Int
    var sessions: Int
    var createdAt: Date
    var startedAt: Date?
    var eta: Date?

    init(_ run: BoardRun) {
      (self.run, who, source, state, worker) = (run.run, run.who, run.source, run.state, run.worker)
      (actions, submitted, finished, failed) = (
        run.actions, run.submitted, run.finished, run.failed
      )
      (sessions, createdAt, startedAt, eta) = (run.sessions, run.created, run.started, run.eta)
    }
  }
}
