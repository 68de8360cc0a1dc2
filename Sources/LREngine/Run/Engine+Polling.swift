import DefenderClient
import LiveResponse

extension Engine {
  /// Polls everything in flight with one list call per round, when a completion is likely
  /// (``PollSchedule``: the durations and check-in latencies seen so far in the run), never
  /// closer together than the governor's interval.
  func pollLoop() async {
    let clock = api.governor.clock
    while !Task.isCancelled {
      let interval = await api.governor.pollInterval()
      guard let due = schedule.nextPoll(interval: interval) else {
        try? await Task.sleep(for: .milliseconds(20))
        continue
      }
      guard due <= clock.now else {
        // Wake at least every fifth of an interval: actions tracked meanwhile may be due sooner.
        try? await clock.sleep(until: min(due, clock.now + interval / 5))
        continue
      }
      do {
        let changes = try await poller.pollOnce()
        let now = clock.now
        for change in changes { schedule.observe(change.action, at: now, interval: interval) }
        schedule.polled(at: now, interval: interval)
        deliver(changes)
      } catch {
        schedule.polled(at: clock.now, interval: interval)
        emit(.retry(reason: "polling failed: \(error)", attempt: 1, after: 1))
      }
    }
  }
}
