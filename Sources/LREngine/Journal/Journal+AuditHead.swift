import Foundation
import GRDB

/// The audit log's recorded head: what the log must end with, kept apart from the log so that
/// truncating, extending or replacing its end is detectable.
public struct AuditHead: Sendable, Equatable {
  /// The log's identity (the random id in its first entry).
  public var log: String
  /// Where the log was last written.
  public var path: String
  public var sequence: Int
  public var hash: String

  public init(log: String, path: String, sequence: Int, hash: String) {
    self.log = log
    self.path = path
    self.sequence = sequence
    self.hash = hash
  }
}

extension Journal {
  /// Records a log's head (the audit log does this on every append, under its file lock).
  public func recordAuditHead(_ head: AuditHead) throws {
    try pool.write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO auditChain (log, path, sequence, hash) VALUES (?, ?, ?, ?)",
        arguments: [head.log, head.path, head.sequence, head.hash])
    }
  }

  /// The recorded head of the log with this identity, wherever it now lies (a copy included).
  public func auditHead(log: String) throws -> AuditHead? {
    try pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT log, path, sequence, hash FROM auditChain WHERE log = ?",
        arguments: [log]
      ).map(Journal.head(from:))
    }
  }

  /// The logs last written at a path, longest first (finds a log that was emptied or removed).
  public func auditHeads(path: String) throws -> [AuditHead] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT log, path, sequence, hash FROM auditChain WHERE path = ? ORDER BY sequence DESC",
        arguments: [path]
      ).map(Journal.head(from:))
    }
  }

  /// Moves a log's record to the path it now lies at (`lr audit rotate`).
  public func moveAuditHead(log: String, to path: String) throws {
    try pool.write { db in
      try db.execute(sql: "UPDATE auditChain SET path = ? WHERE log = ?", arguments: [path, log])
    }
  }

  static func head(from row: Row) -> AuditHead {
    AuditHead(log: row["log"], path: row["path"], sequence: row["sequence"], hash: row["hash"])
  }

  // MARK: - Logs without an identity (written before v3)

  /// Remembers the head of a log without an identity, by path; never moves it backwards, so a
  /// process that recorded an older head last cannot undo a newer one.
  public func setAuditHead(path: String, sequence: Int, hash: String) throws {
    try pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO auditHead (path, sequence, hash) VALUES (?, ?, ?)
          ON CONFLICT(path) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
          WHERE excluded.sequence >= auditHead.sequence
          """,
        arguments: [path, sequence, hash])
    }
  }

  /// The head recorded by path for a log without an identity.
  public func auditHead(path: String) throws -> (sequence: Int, hash: String)? {
    try pool.read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT sequence, hash FROM auditHead WHERE path = ?", arguments: [path])
      else { return nil }
      return (row["sequence"], row["hash"])
    }
  }
}
