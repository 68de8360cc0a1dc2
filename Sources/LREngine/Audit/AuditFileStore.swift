import Foundation

/// The audit chain in a JSON-lines file, appended under an exclusive `flock`, its head recorded
/// in (and checked against) the journal under the log's identity.
public final class AuditFileStore: AuditStore, @unchecked Sendable {
  /// The log file.
  public let url: URL
  /// Where the head is recorded and checked (nil: not recorded; tests of the format).
  let journal: (any RunJournal)?

  /// Opens (creating it owner-only if needed) the file.
  public init(url: URL, journal: (any RunJournal)?) throws {
    self.url = url.standardizedFileURL
    self.journal = journal
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let file = try AuditLogFile(url: self.url)
    file.release()
  }

  public var location: String { url.path }

  public func tail() throws -> AuditChainState {
    let file = try AuditLogFile(url: url)
    defer { file.release() }
    let tail = try file.lastLine().flatMap { AuditLog.parse($0.text) }
    return AuditChainState(
      sequence: tail?.sequence ?? 0, hash: tail?.hash ?? AuditLog.genesis, identity: nil)
  }

  public func checkTail() throws {
    let file = try AuditLogFile(url: url)
    defer { file.release() }
    _ = try chainState(of: file)
  }

  public func append(_ entry: (AuditChainState) throws -> AuditEntryLine) throws {
    let file = try AuditLogFile(url: url)
    defer { file.release() }
    let line = try entry(try chainState(of: file))
    try recordNext(line)
    try file.append(line.text + "\n")
    try record(identity: line.identity, sequence: line.sequence, hash: line.hash)
  }

  /// The journal key of the entry a log is about to be extended by (its identity, then `#next`).
  static func nextKey(_ identity: String) -> String { identity + "#next" }

  /// Records, before writing it, the entry about to be appended (sequence and hash, under
  /// ``nextKey(_:)``, with no path): a process killed between writing it and recording the new
  /// head leaves a log one entry ahead that is exactly this entry, which is then adopted rather
  /// than refused as an extension not written by lr.
  private func recordNext(_ line: AuditEntryLine) throws {
    guard let journal, let identity = line.identity else { return }
    try journal.recordAuditHead(
      AuditHead(log: Self.nextKey(identity), path: "", sequence: line.sequence, hash: line.hash))
  }

  /// Whether a log one entry past its recorded head ends with the entry recorded as about to be
  /// written (a process killed between writing it and recording it); if so, records it as the
  /// head.
  private func adoptUnrecorded(_ state: AuditChainState, recorded: Int) throws -> Bool {
    guard let journal, let identity = state.identity, state.sequence == recorded + 1,
      let next = try journal.auditHead(log: Self.nextKey(identity)),
      next.sequence == state.sequence, next.hash == state.hash
    else { return false }
    try record(identity: identity, sequence: state.sequence, hash: state.hash)
    return true
  }

  /// Reads the chain's head from the locked file and, with a journal, checks it against the
  /// recorded head.
  private func chainState(of file: AuditLogFile) throws -> AuditChainState {
    var state = AuditChainState(sequence: 0, hash: AuditLog.genesis, identity: nil)
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
      if try adoptUnrecorded(state, recorded: recorded.sequence) { return state }
      throw AuditLogError.extended(url.path, ends: state.sequence, recorded: recorded.sequence)
    }
    if state.hash != recorded.hash {
      throw AuditLogError.replaced(url.path, sequence: state.sequence)
    }
    return state
  }

  /// The head the journal recorded for this log: by identity; for an empty file, that of a log
  /// last written at this path; for a log without identity (written before v3), by path.
  private func recordedHead(_ state: AuditChainState) throws -> (sequence: Int, hash: String)? {
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
}
