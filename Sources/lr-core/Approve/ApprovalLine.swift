import Foundation
import LRTeam

/// `lr approve --output json`: `{"event":"runApproved","run","planHash","approver","reason",
/// "time"}`, the one line printed for an approval (docs/json.md, `runApproved`).
struct ApprovalLine: Encodable, Equatable {
  var event = "runApproved"
  var run: String
  /// The plan hash the approval is bound to (SHA-256, hex).
  var planHash: String
  /// Who approved (the operating-system user).
  var approver: String
  var reason: String
  /// When the database recorded the approval (ISO 8601, UTC).
  var time: Date
}

/// `lr approve --list --output json`: one `approvalWaiting` line per run that waits for a second
/// person (docs/json.md, `approvalWaiting`).
struct ApprovalWaitingLine: Encodable, Equatable {
  var event = "approvalWaiting"
  var run: String
  /// The plan hash the request was made for (SHA-256, hex).
  var planHash: String
  /// Who asked (the operating-system user) and when the database recorded it (ISO 8601, UTC).
  var requestedBy: String
  var requestedAt: Date
  /// The run's source file, and why it needs approval (the policy's reasons).
  var source: String
  var why: String

  init(_ request: ApprovalRequest) {
    run = request.run
    planHash = request.planHash
    requestedBy = request.requestedBy
    requestedAt = request.requestedAt
    source = request.sourcePath
    why = request.why
  }
}
