import DefenderClient
import DefenderEmulator
import Foundation
import LRTestSupport
import Synchronization
import Testing

/// Issue 18 (soak sweep 6221): a read whose connection drops is retried, with backoff, for a
/// time window (``RetryPolicy/retryWindow``), not only a few attempts; past the window it fails
/// with a sentence saying how long it tried.
@Suite(.serialized) struct ReadRetryWindowTests {
  /// An emulator behind a ``LossyProxy`` that loses the answers of the first `drops` reads of
  /// `/api/machines` (the service processed them; the connection closes before the answer).
  struct Setup {
    let emulator: EmulatorFixture
    let proxy: LossyProxy
    let api: DefenderAPI

    init(drops: Int, retry: RetryPolicy) async throws {
      emulator = try await EmulatorFixture.start(timeScale: 60)
      let left = LossyProxy.Shared(drops)
      proxy = try LossyProxy(upstreamPort: emulator.server.baseURL.port ?? 0) { request in
        guard request.method == "GET", request.target.hasPrefix("/api/machines") else {
          return (.none, 0)
        }
        return left.value.withLock { count in
          guard count > 0 else { return (.none, 0) }
          count -= 1
          return (.loseAnswer, 0)
        }
      }
      api = try emulator.client(try emulator.settings(apiBase: proxy.baseURL), retry: retry)
    }

    func stop() async {
      proxy.stop()
      await emulator.stop()
    }
  }

  /// Fast backoff (20 ms doubling to 100 ms) and a 3 s window.
  static var policy: RetryPolicy {
    var policy = RetryPolicy()
    policy.baseDelay = .milliseconds(20)
    policy.maxDelay = .milliseconds(100)
    policy.retryWindow = .seconds(3)
    return policy
  }

  /// Twelve dropped answers in a row (more than `maxAttempts`), then an answer: the read succeeds.
  @Test func aReadDroppedManyTimesInARowSucceedsWithinTheWindow() async throws {
    let setup = try await Setup(drops: 12, retry: Self.policy)
    defer { Task { await setup.stop() } }
    let machines = try await setup.api.machines()
    #expect(!machines.isEmpty)
    #expect(setup.proxy.counts.lostAnswers == 12)
  }

  /// Drops that go on past the window: a transport error after about the window, saying how
  /// many attempts were made over how long.
  @Test func aReadDroppedPastTheWindowFailsWithAClearError() async throws {
    let setup = try await Setup(drops: 10_000, retry: Self.policy)
    defer { Task { await setup.stop() } }
    let start = ContinuousClock.now
    let error = await #expect(throws: DefenderClientError.self) {
      try await setup.api.machines()
    }
    let elapsed = ContinuousClock.now - start
    #expect(error?.kind == .transport)
    #expect(error?.message.contains("cannot reach") == true)
    #expect(error?.message.contains("gave up after") == true, "\(error?.message ?? "")")
    #expect(elapsed >= .seconds(2.5) && elapsed < .seconds(10), "\(elapsed)")
    #expect(setup.proxy.counts.lostAnswers > Self.policy.maxAttempts)
  }

  /// The defaults: a dropped read is retried for about a minute, at least `maxAttempts` times.
  @Test func theDefaultWindowIsAboutAMinute() {
    let policy = RetryPolicy()
    #expect(policy.retryWindow == .seconds(60))
    #expect(policy.mayRetry(afterAttempt: 1, elapsed: .seconds(59), delay: .seconds(0.5)))
    #expect(!policy.mayRetry(afterAttempt: 9, elapsed: .seconds(59), delay: .seconds(16)))
    #expect(policy.mayRetry(afterAttempt: 2, elapsed: .seconds(90), delay: .seconds(1)))
    #expect(!policy.mayRetry(afterAttempt: 5, elapsed: .seconds(90), delay: .seconds(1)))
  }
}
