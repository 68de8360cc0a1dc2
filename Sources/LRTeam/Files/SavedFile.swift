import Foundation

/// A file a run saved, as the team database knows it: what the journal recorded (the command's
/// path, size and SHA-256) and whether its content is stored (docs/team.md, "Saved files").
public struct SavedFile: Sendable, Equatable {
  /// Whether the content can be fetched.
  public enum State: Sendable, Equatable {
    /// Stored, in ``SavedFile/chunks`` chunks.
    case stored
    /// Recorded as not stored, with why (over the cap, changed on disk).
    case notStored(String)
    /// Journaled, but not in the database (its store failed, or an older lr saved it).
    case missing
  }

  public var runID: String
  public var actionRow: Int64
  public var commandIndex: Int
  public var machineID: String
  public var computerName: String
  /// The file's name as saved (`<number>-<name>`), as recorded: sanitise before writing it.
  public var name: String
  /// Where the saving host wrote it.
  public var path: String
  /// The host that saved it (nil: not recorded).
  public var host: String?
  public var size: Int64?
  public var sha256: String?
  public var state: State
  public var chunks: Int
}
