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
/// Several lr processes may append at once: each append holds an exclusive lock on the file,
/// reads the chain's head from the file's last line, checks it against the head the journal
/// recorded, writes, and records the new head, all under that lock.
public final class AuditLog: @unchecked Sendable {
  /// The log file.
  public let url: URL
  /// Where the head is recorded and checked (nil: not recorded; tests of the format).
  let journal: (any RunJournal)?
  private let lock = NSLock()
  private var lastHash: String
  private var lastSequence: Int

  /// The hash that precedes the first line.
  public static let genesis = String(repeating: "0", count: 64)

  /// Opens (creating it owner-only if needed) a log; with a journal, every append records the
  /// chain's head there and refuses to extend a log that does not end at the recorded head.
  public init(url: URL, journal: (any RunJournal)? = nil) throws {
    self.url = url.standardizedFileURL
    self.journal = journal
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let file = try AuditLogFile(url: self.url)
    defer { file.release() }
    let tail = try file.lastLine().flatMap { AuditLog.parse($0.text) }
    lastHash = tail?.hash ?? AuditLog.genesis
    lastSequence = tail?.sequence ?? 0
  }

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
    let file = try AuditLogFile(url: url)
    defer { file.release() }
    _ = try chainState(of: file)
  }

  /// Appends one entry (`event` plus fields) and flushes it to disk; returns its hash.
  @discardableResult
  public func append(event: String, fields: [(String, JSONValue)], at time: Date = Date()) throws
    -> String
  {
    lock.lock()
    defer { lock.unlock() }
    let file = try AuditLogFile(url: url)
    defer { file.release() }
    let state = try chainState(of: file)
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
    try file.append(String(body.dropLast()) + ",\"hash\":\"\(hash)\"}\n")
    try record(identity: identity, sequence: sequence, hash: hash)
    lastSequence = sequence
    lastHash = hash
    return hash
  }

  /// The chain as the file holds it: its last entry and its identity.
  struct ChainState {
    var sequence: Int
    var hash: String
    var identity: String?
  }

  /// Reads the chain's head from the locked file and, with a journal, checks it against the
  /// recorded head.
  private func chainState(of file: AuditLogFile) throws -> ChainState {
    var state = ChainState(sequence: 0, hash: AuditLog.genesis, identity: nil)
    if let last = try file.lastLine() {
      guard last.complete, let entry = AuditLog.parse(last.text) else {
        throw AuditLogError.unreadableTail(url.path)
      }
      state.sequence = entry.sequence
      state.hash = entry.hash
      state.identity = try file.firstLine().flatMap(AuditLog.identity(inLine:))
    }
    guard let recorded = try recordedHead(state) else { return state }
    if state.sequence < recorded.sequence {
      throw AuditLogError.truncated(url.path, ends: state.sequence, recorded: recorded.sequence)
    }
    if state.sequence > recorded.sequence {
      throw AuditLogError.extended(url.path, ends: state.sequence, recorded: recorded.sequence)
    }
    if state.hash != recorded.hash {
      throw AuditLogError.replaced(url.path, sequence: state.sequence)
    }
    return state
  }

  /// The head the journal recorded for this log: by identity; for an empty file, that of a log
  /// last written at this path; for a log without identity (written before v3), by path.
  private func recordedHead(_ state: ChainState) throws -> (sequence: Int, hash: String)? {
    guard let journal else { return nil }
    if let identity = state.identity {
      return try journal.auditHead(log: identity).map { (sequence: $0.sequence, hash: $0.hash) }
    }
    if state.sequence == 0 {
      return try journal.auditHeads(path: url.path).first.map {
        (sequence: $0.sequence, hash: $0.hash)
      }
    }
    return try journal.auditHead(path: url.path)
  }

  /// Records the new head in the journal (still under the file lock).
  private func record(identity: String?, sequence: Int, hash: String) throws {
    guard let journal else { return }
    if let identity {
      try journal.recordAuditHead(
        AuditHead(log: identity, path: url.path, sequence: sequence, hash: hash))
    } else {
      try journal.setAuditHead(path: url.path, sequence: sequence, hash: hash)
    }
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
