import LRLanguage

extension Engine {
  /// Refuses a run that would do nothing: every statement of the plan is resolved before sending
  /// (static targets, no `if`) and none matches a machine. A statement matching no machine beside
  /// others that do is only warned about (`lr run` names it on stderr).
  func refuseIfNothingMatches(_ plan: Plan) throws {
    guard !plan.steps.isEmpty, unmatched.count == plan.steps.count else { return }
    let targets = unmatched.map { "statement \($0.number): \($0.target.summary)" }
    throw RunError(
      description: "no statement matches a machine (" + targets.joined(separator: ", ")
        + "); nothing was sent",
      unknown: [])
  }
}
