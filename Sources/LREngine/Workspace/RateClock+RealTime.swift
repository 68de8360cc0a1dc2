import DefenderClient
import Foundation

extension RateClock {
  /// The wall-clock moment at which `delay` of this clock's time will have passed.
  func realDate(after delay: Duration) -> Date {
    Date().addingTimeInterval(delay.seconds / max(scale, 1e-6))
  }
}
