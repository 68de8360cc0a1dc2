/// What `lr_approve_run` answered.
public enum ApprovalOutcome: Sendable, Equatable {
  /// Approved now, bound to this plan hash.
  case approved(hash: String)
  /// Approved before (by someone).
  case already
  /// The approver is the run's requester: four eyes means two people.
  case selfApproval
  /// No reason was given.
  case noReason
  /// The plan changed since approval was requested: its hash is now `hash`.
  case changed(hash: String)
  /// The run waits for no approval (or does not exist on this tenant).
  case unknown

  init(_ text: String, hash: String) {
    switch text {
    case "approved": self = .approved(hash: hash)
    case "already": self = .already
    case "self": self = .selfApproval
    case "noReason": self = .noReason
    case "changed": self = .changed(hash: hash)
    default: self = .unknown
    }
  }
}
