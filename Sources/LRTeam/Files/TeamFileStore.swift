import DefenderClient
import Foundation
import LREngine
import NIOCore
import PostgresNIO

/// Saved files in the team database (docs/team.md, "Saved files"): each file a journaled
/// command saved (a GetFile's evidence, a script's transcript) is stored with its size, SHA-256,
/// the host that saved it and the tenant, in 1 MiB chunks read from disk one at a time, so that
/// `lr results fetch` gets it back on any host.
///
/// A file is stored once: the file row and its chunks are written in one transaction (a file is
/// seen whole or not at all), and a file already stored with the same SHA-256 (a retried
/// transaction, an adopted action, a resumed run) is left as it is. Storing never stops a run: a
/// file over the cap, changed on disk or that cannot be stored is recorded (when the database
/// answers) and reported through ``report(to:)``; the file stays where it was saved.
public final class TeamFileStore: @unchecked Sendable {
  /// The size of one chunk row.
  public static let chunkSize = 1 << 20

  let database: TeamDatabase
  let tenant: String
  /// The largest file stored.
  public let cap: TeamFileCap
  /// The host name recorded with each file this process stores.
  public let host: String
  private let lock = NSLock()
  private var reporter: (@Sendable (String) -> Void)?
  private var pendingNotice: String?

  init(
    database: TeamDatabase, tenant: String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.database = database
    self.tenant = tenant
    let (cap, why) = TeamFileCap.resolve(environment)
    self.cap = cap
    self.pendingNotice = why
    self.host = ProcessInfo.processInfo.hostName
  }

  /// Where notices go (a file not stored, and why); told at once of one already waiting.
  public func report(to handler: @escaping @Sendable (String) -> Void) {
    let waiting: String? = lock.withLock {
      reporter = handler
      defer { pendingNotice = nil }
      return pendingNotice
    }
    if let waiting { handler(waiting) }
  }

  func tell(_ text: String) {
    let handler = lock.withLock { reporter }
    handler?(text)
  }

  /// What storing one file did.
  public enum Outcome: Sendable, Equatable {
    /// Stored now.
    case stored
    /// Stored before with the same SHA-256 (by this process or another).
    case alreadyStored
    /// Recorded as not stored, with why.
    case notStored(String)
    /// Not recorded at all: the database could not be written.
    case failed(String)
  }

  /// Stores the file `command` saved, if it saved one; never throws (see the type's comment).
  @discardableResult
  public func store(_ command: CommandRecord) -> Outcome {
    guard let file = SavedFileSource(command) else { return .alreadyStored }
    let outcome: Outcome
    do {
      outcome = try database.transaction { try self.store(file, in: $0) }
    } catch let refusal as StoreRefusal {
      outcome = record(file, notStored: refusal.why)
    } catch {
      outcome = .failed("\(error)")
    }
    switch outcome {
    case .stored, .alreadyStored: break
    case .notStored(let why):
      tell("\(file.path) is not stored in the team database: \(why); it stays on \(host)")
    case .failed(let why):
      tell(
        "\(file.path) could not be stored in the team database (\(why)); it stays on \(host), "
          + "and lr results fetch reports it missing")
    }
    return outcome
  }

  /// One attempt, inside a transaction: the file row, then its chunks.
  private func store(_ file: SavedFileSource, in transaction: TeamDatabase.Transaction) throws
    -> Outcome
  {
    let found = try transaction.query(
      """
      SELECT sha256, stored FROM lr_saved_file
      WHERE tenant = \(tenant) AND action_row = \(file.row) AND command_index = \(file.index)
      FOR UPDATE
      """)
    if let row = found.first {
      let (sha256, stored) = try row.decode((String, Bool).self)
      if sha256 == file.sha256, stored { return .alreadyStored }
      try transaction.query(
        """
        DELETE FROM lr_saved_file
        WHERE tenant = \(tenant) AND action_row = \(file.row) AND command_index = \(file.index)
        """)
    }
    let over = file.size > cap.bytes
    let note = over ? "over the team's cap of \(cap.description)" : nil
    guard try insertRow(file, stored: !over, note: note, in: transaction) else {
      return .alreadyStored
    }
    if let note { return .notStored(note) }
    let chunks = try streamChunks(of: file, in: transaction)
    try transaction.query(
      """
      UPDATE lr_saved_file SET chunks = \(chunks)
      WHERE tenant = \(tenant) AND action_row = \(file.row) AND command_index = \(file.index)
      """)
    return .stored
  }

  /// Inserts the file's row (its run and machine from its action); false when another process
  /// inserted it first (or the action is not the tenant's).
  private func insertRow(
    _ file: SavedFileSource, stored: Bool, note: String?, in transaction: TeamDatabase.Transaction
  ) throws -> Bool {
    let inserted = try transaction.query(
      """
      INSERT INTO lr_saved_file (tenant, action_row, command_index, run_id, machine_id,
        computer_name, name, path, host, size, sha256, stored, note)
      SELECT \(tenant), id, \(file.index), run_id, machine_id, computer_name, \(file.name),
        \(file.path), \(host), \(file.size), \(file.sha256), \(stored), \(note)
      FROM lr_action WHERE tenant = \(tenant) AND id = \(file.row)
      ON CONFLICT (action_row, command_index) DO NOTHING
      RETURNING action_row
      """)
    return !inserted.isEmpty
  }

  /// Reads the file a chunk at a time into chunk rows, checking its size and SHA-256 against
  /// what the journal recorded; returns how many chunks were written.
  private func streamChunks(of file: SavedFileSource, in transaction: TeamDatabase.Transaction)
    throws -> Int
  {
    guard let handle = FileHandle(forReadingAtPath: file.path) else {
      throw StoreRefusal(why: "it can no longer be read on \(host)")
    }
    defer { try? handle.close() }
    var digest = FileDigest()
    var n = 0
    while true {
      let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
      if chunk.isEmpty { break }
      digest.update(chunk)
      guard digest.count <= file.size else { break }
      try transaction.query(
        """
        INSERT INTO lr_saved_file_chunk (tenant, action_row, command_index, n, data)
        VALUES (\(tenant), \(file.row), \(file.index), \(n), \(ByteBuffer(bytes: chunk)))
        """)
      n += 1
    }
    guard digest.count == file.size, digest.hex() == file.sha256 else {
      throw StoreRefusal(why: "it changed on disk since it was saved (its SHA-256 differs)")
    }
    return n
  }

  /// Records that a file is not stored, and why (storing it again later tries again).
  private func record(_ file: SavedFileSource, notStored why: String) -> Outcome {
    do {
      try database.transaction { transaction in
        try transaction.query(
          """
          DELETE FROM lr_saved_file
          WHERE tenant = \(tenant) AND action_row = \(file.row) AND command_index = \(file.index)
          """)
        _ = try insertRow(file, stored: false, note: why, in: transaction)
      }
      return .notStored(why)
    } catch {
      return .failed("\(error)")
    }
  }
}

/// Why a file is not stored (raised inside the transaction, which is then rolled back).
struct StoreRefusal: Error {
  var why: String
}

/// A journaled command's saved file: where it is, and what the journal recorded of it.
struct SavedFileSource {
  var row: Int64
  var index: Int
  var path: String
  var name: String
  var size: Int64
  var sha256: String

  init?(_ command: CommandRecord) {
    guard let path = command.resultPath, let size = command.resultSize,
      let sha256 = command.resultSHA256
    else { return nil }
    self.row = command.actionRow
    self.index = command.commandIndex
    self.path = path
    self.name = URL(fileURLWithPath: path).lastPathComponent
    self.size = size
    self.sha256 = sha256
  }
}
