import Foundation
import LREngine
import LiveResponse

extension ResumeCommand {
  /// `lr resume RUN --abandon`: marks an unfinished run (a paused one, typically) abandoned, in
  /// the journal and the audit log (`run.abandoned`), with nothing sent; `lr resume` then leaves
  /// it alone. Actions the service still holds for it are not cancelled (`lr actions` lists them).
  func abandon(_ record: RunRecord, journal: any RunJournal) throws {
    let workspace = try team.workspace(
      journal: journal, resultsRoot: URL(fileURLWithPath: resultsDirectory(journaled: record)))
    try workspace.audit.checkTail()
    try journal.finish(run: record.id, state: .abandoned)
    try workspace.audit.append(
      event: "run.abandoned",
      fields: [("run", .string(record.id)), ("was", .string(record.state.rawValue))])
    let held = try journal.actions(run: record.id).filter { $0.state == .submitted }.count
    let note =
      held == 0
      ? "" : "; \(held) action\(held == 1 ? "" : "s") the service holds for it not cancelled"
    Terminal.out("run \(record.id) abandoned (was \(record.state.rawValue))\(note)\n")
  }
}
