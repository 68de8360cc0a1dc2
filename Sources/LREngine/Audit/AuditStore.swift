import Foundation

/// Where an audit chain's entries and its recorded head are kept: a file with its head in the
/// journal (``AuditFileStore``), or, in team mode, a table of the team database. ``AuditLog``
/// builds each entry; the store serialises appends (several processes may append at once), checks
/// that the chain ends at its recorded head, and records the new head with the entry.
public protocol AuditStore: AnyObject, Sendable {
  /// Where the chain is (a path, or a database and tenant), for `.profile` and `lr runs`.
  var location: String { get }
  /// The chain's last entry as stored now (not checked; `AuditLog.head` before any append).
  func tail() throws -> AuditChainState
  /// Throws ``AuditLogError`` unless the chain ends at its recorded head.
  func checkTail() throws
  /// Under the store's lock: checks the chain, hands its head to `entry`, writes the line that
  /// returns and records it as the new head, so no two appends extend the same head.
  func append(_ entry: (AuditChainState) throws -> AuditEntryLine) throws
}

/// The head of an audit chain: its last entry's sequence number and hash, and its identity.
public struct AuditChainState: Sendable, Equatable {
  public var sequence: Int
  public var hash: String
  /// The log's random id (nil: an empty file, or a log written before logs had one).
  public var identity: String?

  public init(sequence: Int, hash: String, identity: String?) {
    self.sequence = sequence
    self.hash = hash
    self.identity = identity
  }
}

/// One entry as stored: its text (one line, no newline), sequence number, hash and the log's id.
public struct AuditEntryLine: Sendable, Equatable {
  public var text: String
  public var sequence: Int
  public var hash: String
  public var identity: String?
}
