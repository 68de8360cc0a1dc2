/// The clock the rate governor reads and sleeps on; injectable so tests run minutes in microseconds.
public protocol RateClock: Sendable {
  /// Time elapsed since an arbitrary, fixed origin.
  var now: Duration { get }
  /// Sleeps until `deadline` (on this clock's time line).
  func sleep(until deadline: Duration) async throws
  /// How many clock seconds pass per real second (1 except against a time-scaled emulator).
  var scale: Double { get }
}

/// The real clock, optionally running faster than wall time (to match an emulator's time scale).
public struct SystemRateClock: RateClock {
  private let origin: ContinuousClock.Instant
  /// How many clock seconds pass per real second (1 = real time; 60 = the emulator at scale 60).
  public let scale: Double

  /// Creates a clock starting now.
  public init(scale: Double = 1) {
    origin = ContinuousClock.now
    self.scale = max(scale, 0.000_001)
  }

  /// Scaled time since creation.
  public var now: Duration { (ContinuousClock.now - origin) * scale }

  /// Sleeps the real time that corresponds to reaching `deadline`.
  public func sleep(until deadline: Duration) async throws {
    let remaining = deadline - now
    guard remaining > .zero else { return }
    try await Task.sleep(for: remaining / scale)
  }
}

extension RateClock {
  /// Real time, unless the clock says otherwise.
  public var scale: Double { 1 }
}
