import Foundation
import LRTeam
import LiveResponse

extension WorkerEvent {
  /// The event's JSON line (`lr worker --output json`; the `workerEvent` definition of
  /// docs/schema/lr-json.schema.json).
  func json() -> JSONValue {
    switch self {
    case .started(let worker, let concurrency):
      .object([
        ("event", .string("workerStarted")), ("worker", .string(worker)),
        ("concurrency", .number(concurrency)),
      ])
    case .claimed(let claim): claimed("workerClaimed", claim)
    case .finished(let claim, let state):
      claimed("workerFinished", claim, [("state", .string(state))])
    case .released(let claim): claimed("workerReleased", claim)
    case .lost(let claim): claimed("workerLost", claim)
    case .failed(let claim, let error): claimed("workerFailed", claim, [("error", .string(error))])
    case .stopped(let worker):
      .object([("event", .string("workerStopped")), ("worker", .string(worker))])
    }
  }

  private func claimed(
    _ name: String, _ claim: WorkClaim, _ more: [(String, JSONValue)] = []
  ) -> JSONValue {
    .object(
      [
        ("event", .string(name)), ("worker", .string(claim.worker)), ("run", .string(claim.run)),
        ("attempt", .number(claim.attempt)),
      ] + more)
  }

  /// The event as one line of text.
  var text: String {
    switch self {
    case .started(let worker, let concurrency):
      "worker \(worker) waiting for runs (\(concurrency) at once)"
    case .claimed(let claim):
      "claimed run \(claim.run)" + (claim.attempt > 1 ? " (attempt \(claim.attempt))" : "")
    case .finished(let claim, let state): "run \(claim.run) \(state)"
    case .released(let claim): "run \(claim.run) stopped; back in the queue for another worker"
    case .lost(let claim): "run \(claim.run) lost: its lease ran out and another worker took it"
    case .failed(let claim, let error): "run \(claim.run) failed: \(error)"
    case .stopped(let worker): "worker \(worker) stopped"
    }
  }
}
