import Foundation

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
