import Crypto
import Foundation
import LRLanguage
import LiveResponse

/// An append-only, hash-chained JSON-lines log of every action, command and retrieved file.
///
/// Each line is a compact JSON object whose last member is `"hash"`: the SHA-256 (hex) of the
/// line's text without that member. Each line's `"prev"` is the previous line's hash and `"seq"`
/// counts from 1, so an edited, removed, inserted or reordered line breaks the chain. The first
/// entry carries `"log"`, a random id: the log's identity, under which the journal records the
/// chain's head on every append, so a log cut short (or a copy of it) is caught by `verify`.
///
/// Several lr processes may append at once: each append holds its ``AuditStore``'s lock (an
/// exclusive `flock` on the file, or in team mode the tenant's head row, `FOR UPDATE`), reads the
/// chain's head, checks it against the recorded head, writes, and records the new head, all
/// under that lock.
public final class AuditLog: @unchecked Sendable {
  /// The log file (in team mode, the database's address: the chain is in a table there).
  public let url: URL
  /// Where the entries and the recorded head are kept.
  public let store: any AuditStore
  private let lock = NSLock()
  private var lastHash: String
  private var lastSequence: Int

  /// The hash that precedes the first line.
  public static let genesis = String(repeating: "0", count: 64)

  /// Opens (creating it owner-only if needed) a log; with a journal, every append records the
  /// chain's head there and refuses to extend a log that does not end at the recorded head.
  public convenience init(url: URL, journal: (any RunJournal)? = nil) throws {
    let store = try AuditFileStore(url: url, journal: journal)
    try self.init(store: store, url: store.url)
  }

  /// A log kept in `store` (a team database's table); `url` names it.
  public init(store: any AuditStore, url: URL) throws {
    self.store = store
    self.url = url
    let tail = try store.tail()
    lastHash = tail.hash
    lastSequence = tail.sequence
  }

  /// Where the chain is (the file's path, or the database and tenant).
  public var location: String { store.location }

  /// The chain head this process last wrote or read: the sequence number and hash.
  public var head: (sequence: Int, hash: String) {
    lock.lock()
    defer { lock.unlock() }
    return (lastSequence, lastHash)
  }

  /// Throws ``AuditLogError`` unless the log ends at the head the journal recorded (call before
  /// starting a run, so a run is refused before it submits anything).
  public func checkTail() throws {
    lock.lock()
    defer { lock.unlock() }
    try store.checkTail()
  }

  /// Appends one entry (`event` plus fields) and flushes it to disk; returns its hash.
  @discardableResult
  public func append(event: String, fields: [(String, JSONValue)], at time: Date = Date()) throws
    -> String
  {
    lock.lock()
    defer { lock.unlock() }
    var written: AuditEntryLine?
    try store.append { state in
      let line = AuditLog.entry(event: event, fields: fields, at: time, after: state)
      written = line
      return line
    }
    guard let written else { return lastHash }
    lastSequence = written.sequence
    lastHash = written.hash
    return written.hash
  }

  /// The entry that follows `state`: `seq`, `time`, `prev`, `event`, the log's id on the first
  /// entry, the fields, and `hash` last.
  static func entry(
    event: String, fields: [(String, JSONValue)], at time: Date, after state: AuditChainState
  ) -> AuditEntryLine {
    let sequence = state.sequence + 1
    var members: [(String, JSONValue)] = [
      ("seq", .number(sequence)), ("time", .string(AuditLog.timestamp(time))),
      ("prev", .string(state.hash)), ("event", .string(event)),
    ]
    let identity = state.identity ?? (sequence == 1 ? UUID().uuidString.lowercased() : nil)
    if sequence == 1, let identity { members.append(("log", .string(identity))) }
    members += fields
    let body = JSONValue.object(members).serialized()
    let hash = AuditLog.sha256(body)
    return AuditEntryLine(
      text: String(body.dropLast()) + ",\"hash\":\"\(hash)\"}", sequence: sequence, hash: hash,
      identity: identity)
  }

  static func sha256(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
