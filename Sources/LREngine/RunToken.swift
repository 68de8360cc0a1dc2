import Foundation

/// Identifies a run and each action it submits. The action token travels inside the action's
/// Comment (`… [lr:RUN:SEQ]`), so a resumed run can find actions the service accepted even when
/// the acknowledgement was lost, and never submit them twice.
public struct RunToken: Sendable, Hashable {
  /// The run id, e.g. `20261122T110512-3f9a2c`.
  public var runID: String
  /// The action's sequence number within the run.
  public var sequence: Int

  public init(runID: String, sequence: Int) {
    self.runID = runID
    self.sequence = sequence
  }

  /// A new run id: UTC time plus 24 random bits (sortable, unique enough per tenant).
  public static func newRunID(now: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss"
    let random = String(UInt32.random(in: 0..<0x100_0000), radix: 16)
    return formatter.string(from: now) + "-" + String(repeating: "0", count: 6 - random.count) + random
  }

  /// The marker appended to a Comment: `[lr:RUN:SEQ]`.
  public var marker: String { "[lr:\(runID):\(sequence)]" }

  /// A Comment with this token appended.
  public func comment(_ base: String) -> String {
    base.isEmpty ? marker : base + " " + marker
  }

  /// The token inside a Comment, if it carries one.
  public static func find(in comment: String?) -> RunToken? {
    guard let comment, let open = comment.range(of: "[lr:", options: .backwards),
      let close = comment[open.upperBound...].firstIndex(of: "]")
    else { return nil }
    let inner = comment[open.upperBound..<close]
    guard let colon = inner.lastIndex(of: ":"), let sequence = Int(inner[inner.index(after: colon)...])
    else { return nil }
    let runID = String(inner[..<colon])
    guard !runID.isEmpty else { return nil }
    return RunToken(runID: runID, sequence: sequence)
  }
}
