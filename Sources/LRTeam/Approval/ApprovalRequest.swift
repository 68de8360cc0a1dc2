import Foundation
import PostgresNIO

/// One run's approval request as the database holds it.
public struct ApprovalRequest: Sendable, Equatable {
  public var run: String
  /// The plan hash the request was made for.
  public var planHash: String
  public var requestedBy: String
  public var requestedAt: Date
  /// Why the run needs approval (the policy's reasons, joined).
  public var why: String
  public var approvedBy: String?
  public var reason: String?
  public var approvedAt: Date?
  /// The plan hash the approval was given for.
  public var approvedHash: String?
  /// The run's plan hash now (from the journaled source, modules and targets).
  public var currentHash: String
  public var sourcePath: String

  /// Whether the run may go ahead: approved, for the plan it still has.
  public var isApproved: Bool {
    approvedBy != nil && approvedHash == currentHash && planHash == currentHash
  }

  /// Whether an approval was given but the plan changed since, so it no longer counts.
  public var isVoid: Bool { approvedBy != nil && !isApproved }

  init?(row: PostgresRow) {
    guard
      let (run, planHash, requestedBy, requestedAt, why, approvedBy, reason) = try? row.decode(
        (String, String, String, Date, String, String?, String?).self)
    else { return nil }
    let columns = row.makeRandomAccess()
    self.run = run
    self.planHash = planHash
    self.requestedBy = requestedBy
    self.requestedAt = requestedAt
    self.why = why
    self.approvedBy = approvedBy
    self.reason = reason
    self.approvedAt = try? columns[7].decode(Date?.self)
    self.approvedHash = try? columns[8].decode(String?.self)
    self.currentHash = (try? columns[9].decode(String?.self)) ?? nil ?? ""
    self.sourcePath = (try? columns[10].decode(String.self)) ?? ""
  }
}
