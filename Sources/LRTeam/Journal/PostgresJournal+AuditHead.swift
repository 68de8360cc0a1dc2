import Foundation
import LREngine
import PostgresNIO

extension PostgresJournal {
  /// Records a log's head (the audit log does this on every append, under its lock).
  public func recordAuditHead(_ head: AuditHead) throws {
    try database.query(
      """
      INSERT INTO lr_audit_chain (tenant, log, path, sequence, hash)
      VALUES (\(tenant), \(head.log), \(head.path), \(head.sequence), \(head.hash))
      ON CONFLICT (tenant, log) DO UPDATE
        SET path = excluded.path, sequence = excluded.sequence, hash = excluded.hash
      """)
  }

  public func auditHead(log: String) throws -> AuditHead? {
    let rows = try database.query(
      """
      SELECT log, path, sequence, hash FROM lr_audit_chain
      WHERE tenant = \(tenant) AND log = \(log)
      """)
    return try rows.first.map(Self.auditHead(from:))
  }

  /// The logs last written at a path, longest first.
  public func auditHeads(path: String) throws -> [AuditHead] {
    let rows = try database.query(
      """
      SELECT log, path, sequence, hash FROM lr_audit_chain
      WHERE tenant = \(tenant) AND path = \(path) ORDER BY sequence DESC
      """)
    return try rows.map(Self.auditHead(from:))
  }

  public func moveAuditHead(log: String, to path: String) throws {
    try database.query(
      "UPDATE lr_audit_chain SET path = \(path) WHERE tenant = \(tenant) AND log = \(log)")
  }

  /// Remembers the head of a log without an identity, by path; never moves it backwards.
  public func setAuditHead(path: String, sequence: Int, hash: String) throws {
    try database.query(
      """
      INSERT INTO lr_audit_head (tenant, path, sequence, hash)
      VALUES (\(tenant), \(path), \(sequence), \(hash))
      ON CONFLICT (tenant, path) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
      WHERE excluded.sequence >= lr_audit_head.sequence
      """)
  }

  public func auditHead(path: String) throws -> (sequence: Int, hash: String)? {
    let rows = try database.query(
      """
      SELECT sequence, hash FROM lr_audit_head WHERE tenant = \(tenant) AND path = \(path)
      """)
    guard let row = rows.first else { return nil }
    let (sequence, hash) = try row.decode((Int, String).self)
    return (sequence, hash)
  }
}
