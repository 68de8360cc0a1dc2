import LREngine
import LRSystem
import LRTeam

extension ResumeCommand {
  /// A team run held for four eyes resumes only once approved, for the plan it still has:
  /// `lr resume` is no way around the second person (exit 2, nothing sent).
  static func requireApproval(_ record: RunRecord, journal: any RunJournal) throws {
    guard let journal = journal as? PostgresJournal else { return }
    let approvals = TeamApprovals(database: journal.database, tenant: journal.tenant)
    guard let status = try approvals.status(run: record.id), !status.isApproved else { return }
    if status.isVoid {
      throw UsageError(
        "run \(record.id)'s plan changed since it was approved: the approval is void")
    }
    throw UsageError(
      "run \(record.id) waits for approval by a second person: lr approve \(record.id) "
        + "--reason \"…\" (lr approve --list)")
  }
}
