import Foundation

/// Run ids and the per-action tokens the engine puts in each Comment (through the client's
/// ``SubmissionToken``: `… [lr:<run>:<sequence>]`), so a resumed run can find actions the service
/// accepted even when the answer was lost, and never submit them twice.
public enum RunToken {
  /// A new run id: UTC time plus 24 random bits (sortable, unique enough per tenant).
  public static func newRunID(now: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss"
    let random = String(UInt32.random(in: 0..<0x100_0000), radix: 16)
    return formatter.string(from: now) + "-" + String(repeating: "0", count: 6 - random.count)
      + random
  }

  /// The token of the `sequence`-th action of a run.
  public static func action(run: String, sequence: Int) -> String { "\(run):\(sequence)" }
}
