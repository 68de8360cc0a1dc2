import Foundation
import LRTestSupport
import Synchronization

/// A ``LossyProxy`` that drops the connection *after* the service has answered the next
/// `runliveresponse` POSTs, so the client never sees the answer although the action was created —
/// the case the no-duplicate rule exists for — or *before* forwarding them, so the service never
/// sees the POST at all.
final class KillSwitchProxy: Sendable {
  private let kills: LossyProxy.Shared<Kills>
  private let proxy: LossyProxy

  /// Starts listening on 127.0.0.1 (a free port) and forwarding to `upstreamPort`.
  init(upstreamPort: Int) throws {
    let kills = LossyProxy.Shared(Kills())
    self.kills = kills
    proxy = try LossyProxy(upstreamPort: upstreamPort) { request in
      guard request.isSubmission else { return (.none, 0) }
      return kills.value.withLock { left in
        if left.before > 0 {
          left.before -= 1
          return (.resetBeforeForwarding, 0)
        }
        if left.after > 0 {
          left.after -= 1
          return (.loseAnswer, 0)
        }
        return (.none, 0)
      }
    }
  }

  /// Submissions still to drop, after and before the service.
  struct Kills: Sendable {
    var after = 0
    var before = 0
  }

  var port: Int { proxy.port }

  /// Drops the connection carrying each of the next `count` `runliveresponse` answers.
  func killNextLiveResponses(_ count: Int) { kills.value.withLock { $0.after = count } }

  /// Drops the connection of the next `count` `runliveresponse` POSTs before forwarding them.
  func dropNextLiveResponsesBeforeTheService(_ count: Int) {
    kills.value.withLock { $0.before = count }
  }

  /// How many answers (or requests) were dropped.
  var killedCount: Int { proxy.counts.lostSubmissionAnswers + proxy.counts.resets }

  func stop() { proxy.stop() }
}
