import Foundation
import LRTeam

/// When `lr watch` reads its board again: once listening (re)starts, and after changes to the
/// runs it shows. A burst of notifications (every action of a run changing) collapses into one
/// pending wake-up, so the board is read at most once per batch, never on a timer.
enum BoardWakeups {
  /// The wake-ups for `tenant` (only `run`'s changes when given).
  static func start(url: TeamURL, tenant: String, run: String?) -> AsyncStream<Void> {
    let (wakeups, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let task = Task {
      for await change in RunNotifications.changes(url: url, tenant: tenant) {
        if case .run(let id) = change, let run, id != run { continue }
        continuation.yield()
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return wakeups
  }
}
