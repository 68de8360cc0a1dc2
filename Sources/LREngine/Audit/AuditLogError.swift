import Foundation

/// Why the audit log could not be appended to: it cannot be opened, or it no longer ends at the
/// head the journal recorded (truncated, extended outside lr, or its last entry replaced).
public struct AuditLogError: Error, Sendable, CustomStringConvertible {
  /// The log file.
  public var path: String
  public var message: String

  public var description: String { "\(path): \(message)" }

  /// What to do about a log that does not match its recorded head.
  static let remedy =
    "nothing was appended; check it with `lr audit verify`, then restore the log, or keep it as "
    + "evidence and start a new one with `lr audit rotate`"

  /// "entry 5" or "entries 5–7".
  static func entries(_ first: Int, _ last: Int) -> String {
    first == last ? "entry \(first)" : "entries \(first)–\(last)"
  }

  /// The log ends before the recorded head.
  public static func truncated(_ path: String, ends: Int, recorded: Int) -> AuditLogError {
    let missing = entries(ends + 1, recorded)
    return AuditLogError(
      path: path,
      message:
        "the log ends at entry \(ends) but the journal recorded \(recorded): \(missing) "
        + "\(ends + 1 == recorded ? "is" : "are") missing (truncated); \(remedy)")
  }

  /// The log goes on after the recorded head.
  public static func extended(_ path: String, ends: Int, recorded: Int) -> AuditLogError {
    AuditLogError(
      path: path,
      message:
        "\(entries(recorded + 1, ends)) follow\(recorded + 1 == ends ? "s" : "") the head the "
        + "journal recorded (entry \(recorded)): not written by lr, or by a process that stopped "
        + "before recording them; \(remedy)")
  }

  /// The last entry is not the recorded one.
  public static func replaced(_ path: String, sequence: Int) -> AuditLogError {
    AuditLogError(
      path: path,
      message: "entry \(sequence) is not the one the journal recorded (replaced); \(remedy)")
  }

  /// The last line is not a whole entry.
  static func unreadableTail(_ path: String) -> AuditLogError {
    AuditLogError(
      path: path,
      message: "the last line is not a complete audit entry (edited or cut short); \(remedy)")
  }
}
