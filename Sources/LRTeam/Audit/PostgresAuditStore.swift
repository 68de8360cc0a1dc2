import Foundation
import LREngine
import PostgresNIO

/// The audit chain in the team database: one chain per tenant, its entries in `lr_audit_entry`
/// and its head in `lr_audit_tip`. Each append locks the tenant's head row (`FOR UPDATE`) in one
/// transaction, so processes on any host extend the chain one after another, never forking it.
public final class PostgresAuditStore: AuditStore, Sendable {
  let database: TeamDatabase
  let tenant: String

  public init(database: TeamDatabase, tenant: String) {
    self.database = database
    self.tenant = tenant
  }

  public var location: String { "\(database.url) (tenant \(tenant), table lr_audit_entry)" }

  /// A URL naming the chain (the database's, without its password).
  public var url: URL {
    URL(string: "\(database.url)#audit") ?? URL(fileURLWithPath: "/")
  }

  public func tail() throws -> AuditChainState {
    let rows = try database.query(
      "SELECT log, sequence, hash FROM lr_audit_tip WHERE tenant = \(tenant)")
    guard let row = rows.first else {
      return AuditChainState(sequence: 0, hash: AuditLog.genesis, identity: nil)
    }
    let (log, sequence, hash) = try row.decode((String, Int, String).self)
    return AuditChainState(sequence: sequence, hash: hash, identity: log)
  }

  public func checkTail() throws {
    try database.transaction { transaction in _ = try Self.lockedHead(transaction, tenant) }
  }

  /// The transaction is sent again on a new connection if its connection dies, even after the
  /// server committed it (the answer to COMMIT lost): the append's id, chosen once, finds the
  /// entry already there, and nothing is added a second time.
  public func append(_ entry: (AuditChainState) throws -> AuditEntryLine) throws {
    let id = UUID()
    try database.transaction { transaction in
      let state = try Self.lockedHead(transaction, tenant)
      let done = try transaction.query(
        "SELECT 1 FROM lr_audit_entry WHERE tenant = \(tenant) AND append_id = \(id)")
      guard done.isEmpty else { return }
      let line = try entry(state)
      try transaction.query(
        """
        INSERT INTO lr_audit_entry (tenant, log, sequence, line, append_id)
        VALUES (\(tenant), \(line.identity ?? state.identity ?? ""), \(line.sequence), \(line.text),
          \(id))
        """)
      try transaction.query(
        """
        UPDATE lr_audit_tip SET sequence = \(line.sequence), hash = \(line.hash)
        WHERE tenant = \(tenant)
        """)
    }
  }

  /// Every entry of the tenant's chain, one per line, in order (`lr audit verify --team`).
  public func text() throws -> String {
    let rows = try database.query(
      """
      SELECT e.line FROM lr_audit_entry e JOIN lr_audit_tip t ON t.tenant = e.tenant AND t.log = e.log
      WHERE e.tenant = \(tenant) ORDER BY e.sequence
      """)
    return try rows.map { try $0.decode(String.self) + "\n" }.joined()
  }

  /// The tenant's head row, created at the genesis when missing, locked until the transaction
  /// ends; the last stored entry must be that head.
  static func lockedHead(_ transaction: TeamDatabase.Transaction, _ tenant: String) throws
    -> AuditChainState
  {
    try transaction.query(
      """
      INSERT INTO lr_audit_tip (tenant, log, sequence, hash)
      VALUES (\(tenant), \(UUID().uuidString.lowercased()), 0, \(AuditLog.genesis))
      ON CONFLICT (tenant) DO NOTHING
      """)
    let head = try transaction.query(
      "SELECT log, sequence, hash FROM lr_audit_tip WHERE tenant = \(tenant) FOR UPDATE")
    guard let row = head.first else { throw TeamError.statement("no audit head for \(tenant)") }
    let (log, sequence, hash) = try row.decode((String, Int, String).self)
    let last = try transaction.query(
      """
      SELECT sequence, line FROM lr_audit_entry WHERE tenant = \(tenant) AND log = \(log)
      ORDER BY sequence DESC LIMIT 1
      """)
    let stored = try last.first.map { try $0.decode((Int, String).self) }
    let chain = "the team audit chain (tenant \(tenant))"
    let storedSequence = stored?.0 ?? 0
    if storedSequence < sequence {
      throw AuditLogError.truncated(chain, ends: storedSequence, recorded: sequence)
    }
    if storedSequence > sequence {
      throw AuditLogError.extended(chain, ends: storedSequence, recorded: sequence)
    }
    if let line = stored?.1, !line.hasSuffix("\"hash\":\"\(hash)\"}") {
      throw AuditLogError.replaced(chain, sequence: sequence)
    }
    return AuditChainState(sequence: sequence, hash: hash, identity: log)
  }
}
