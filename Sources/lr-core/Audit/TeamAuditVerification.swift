import Foundation
import LREngine
import LRTeam

/// `lr audit verify --team`: the tenant's audit chain in the team database, checked entry by
/// entry and against the head the database recorded.
enum TeamAuditVerification {
  static func verify(_ team: Team) throws {
    let text = try team.auditStore.text()
    let tail = try team.auditStore.tail()
    let problems = AuditLog.verify(text: text, expectedHead: (tail.sequence, tail.hash))
    let name = Terminal.sanitize("team audit chain (tenant \(team.tenant))")
    for problem in problems {
      Terminal.out("\(name): entry line \(problem.line): \(problem.reason)\n")
    }
    if !problems.isEmpty { throw ExitStatus.failure }
    let entries = text.split(separator: "\n").count
    Terminal.out("\(name): \(entries) entries, chain intact\n")
  }
}
