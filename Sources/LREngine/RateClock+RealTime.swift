import DefenderClient
import Foundation

extension RateClock {
  /// How many clock seconds pass per real second (the emulator's time scale in the lab; 1 else).
  var realTimeScale: Double { (self as? SystemRateClock)?.scale ?? 1 }

  /// The wall-clock moment at which `delay` of this clock's time will have passed.
  func realDate(after delay: Duration) -> Date {
    Date().addingTimeInterval(delay.seconds / realTimeScale)
  }
}
