import Foundation
import Synchronization

/// The emulator's notion of time: real time since start, multiplied by a time scale, plus jumps.
///
/// Every duration the service models (check-in latency, rate windows, timeouts, queue expiry,
/// token and link expiry) is measured on this clock. What the server tells a client about
/// waiting (`Retry-After`, `expires_in`) is converted back to real seconds.
public final class VirtualClock: Sendable {
  /// How many virtual seconds pass per real second.
  public let scale: Double
  private let realStart: ContinuousClock.Instant
  private let virtualStart: Date
  private let offset = Mutex<TimeInterval>(0)

  /// A clock starting at `start` (default: now) running `scale` times faster than real time.
  public init(scale: Double = 1, start: Date = Date()) {
    self.scale = scale > 0 ? scale : 1
    self.realStart = ContinuousClock.now
    self.virtualStart = start
  }

  /// The current virtual time.
  public func now() -> Date {
    let elapsed = ContinuousClock.now - realStart
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return virtualStart.addingTimeInterval(seconds * scale + offset.withLock { $0 })
  }

  /// Virtual seconds since the clock started.
  public func elapsed() -> TimeInterval { now().timeIntervalSince(virtualStart) }

  /// The virtual instant the clock started at.
  public var start: Date { virtualStart }

  /// Jumps virtual time forward by `seconds` (admin endpoint and tests).
  public func advance(by seconds: TimeInterval) {
    offset.withLock { $0 += max(0, seconds) }
  }

  /// Converts a virtual duration into the real seconds a client will experience.
  public func realSeconds(forVirtual seconds: TimeInterval) -> TimeInterval { seconds / scale }

  /// Sleeps for a virtual duration (in real time: `seconds / scale`).
  public func sleep(virtualSeconds seconds: TimeInterval) async throws {
    let real = max(0, seconds / scale)
    try await Task.sleep(for: .milliseconds(Int(real * 1000)))
  }
}

/// Formats dates the way the service does: ISO 8601, UTC, seven fractional digits, `Z`.
enum EntityDate {
  private static let calendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
    return calendar
  }()

  /// `2021-02-04T15:36:52.7788848Z`.
  static func format(_ date: Date) -> String {
    let t = date.timeIntervalSince1970
    let whole = t.rounded(.down)
    let ticks = Int(((t - whole) * 10_000_000).rounded(.down))
    let c = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
      c.hour ?? 0, c.minute ?? 0, c.second ?? 0, ticks)
  }

  /// `2021-02-04T16:13:50Z` (no fraction), as in SAS `se=` parameters.
  static func formatSeconds(_ date: Date) -> String {
    let c = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
  }

  /// Parses the date forms OData literals and scenarios use (`2018-08-01Z`, `…T…Z`, fractions).
  static func parse(_ text: String) -> Date? {
    var s = text
    if s.hasSuffix("Z") || s.hasSuffix("z") { s.removeLast() }
    var fraction = 0.0
    if let dot = s.firstIndex(of: ".") {
      let digits = s[s.index(after: dot)...]
      if let f = Double("0." + digits) { fraction = f }
      s = String(s[..<dot])
    }
    let parts = s.split(separator: "T", maxSplits: 1)
    guard let datePart = parts.first else { return nil }
    let ymd = datePart.split(separator: "-").compactMap { Int($0) }
    guard ymd.count == 3 else { return nil }
    var hms = [0, 0, 0]
    if parts.count == 2 {
      let fields = parts[1].split(separator: ":").compactMap { Int($0) }
      guard !fields.isEmpty, fields.count <= 3 else { return nil }
      for (i, f) in fields.enumerated() { hms[i] = f }
    }
    let components = DateComponents(
      year: ymd[0], month: ymd[1], day: ymd[2], hour: hms[0], minute: hms[1], second: hms[2])
    guard let date = calendar.date(from: components) else { return nil }
    return date.addingTimeInterval(fraction)
  }
}
