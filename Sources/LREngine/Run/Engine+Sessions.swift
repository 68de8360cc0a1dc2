import DefenderClient
import Foundation

/// Sessions held by actions the run does not follow (other requestors', earlier runs',
/// those queued for offline devices included), counted so submissions wait for them rather than
/// provoke the service's 429.
extension Engine {
  /// Counts the sessions others hold before the run submits anything, then keeps the count
  /// current while a submission waits for one of them: one list call per poll interval, only
  /// while waiting. A failed count leaves the last one.
  func watchSessionsHeldElsewhere() async {
    let governor = api.governor
    while !Task.isCancelled {
      let interval = await governor.pollInterval()
      do { try await governor.clock.sleep(until: governor.clock.now + interval) } catch {
        return
      }
      if await governor.waitsForSessionsHeldElsewhere {
        _ = try? await api.countSessionsHeldElsewhere()
      }
    }
  }
}
