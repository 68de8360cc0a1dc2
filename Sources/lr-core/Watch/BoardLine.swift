import Foundation
import LRTeam

/// `lr watch --output json`: `{"event":"board","runs":[…],"sessions":N}`, one line per change.
struct BoardLine: Encodable {
  var event = "board"
  var runs: [BoardRun]
  /// Every session the tenant holds.
  var sessions: Int

  init(_ board: RunBoard) {
    runs = board.runs
    sessions = board.sessions
  }
}
