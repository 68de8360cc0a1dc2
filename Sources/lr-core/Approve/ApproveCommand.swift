import ArgumentParser
import Foundation
import LREngine
import LRTeam
import LiveResponse

/// `lr approve RUN --reason "…"`: the second person's approval of a run that waits for one
/// (team mode, four eyes; docs/team.md, "Approvals"). `lr approve --list` shows the runs waiting.
struct ApproveCommand: AsyncParsableCommand, CancelsOnInterrupt {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Approve a team run that waits for a second person (four eyes).",
    discussion: """
      The approval is bound to the run's plan hash (its source, modules and target machines): \
      a changed plan voids it. The run's requester cannot approve it, and a reason is required; \
      both are recorded in the audit chain. Exit status: 0 approved, 2 refused (own run, no \
      reason, changed plan, no such waiting run), 3 team database or configuration error.
      """)

  @Argument(help: "The run to approve.")
  var run: String?

  @Option(help: "Why the run may go ahead (recorded in the audit chain).")
  var reason: String?

  @Flag(help: "List the runs waiting for approval.")
  var list = false

  @Option(
    help: "Output format: human or json (one line per approval, or per waiting run with --list).")
  var output: OutputFormat?

  @OptionGroup var team: TeamOption

  @OptionGroup var scope: TeamTenantOptions

  func validate() throws {
    if !list && run == nil { throw ValidationError("name the run to approve, or pass --list") }
  }

  func run() async throws {
    try await ErrorReporting.run {
      let opened = try team.require("lr approve", tenant: scope.tenant, profile: scope.profile)
      defer { opened.close() }
      let approvals = TeamApprovals(database: opened.database, tenant: opened.tenant)
      if list { return try showWaiting(try approvals.waiting()) }
      try approve(run ?? "", approvals: approvals, team: opened)
    }
  }

  /// Approves `id` as the current user, or says why not (exit 2).
  private func approve(_ id: String, approvals: TeamApprovals, team: Team) throws {
    let who = RunRecord.currentUser() ?? ""
    let reason = (self.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else {
      throw ValidationError("an approval needs a reason: lr approve \(id) --reason \"…\"")
    }
    switch try approvals.approve(run: id, by: who, reason: reason) {
    case .approved(let hash):
      try team.auditLog().append(
        event: "run.approved",
        fields: [
          ("run", .string(id)), ("approver", .string(who)), ("reason", .string(reason)),
          ("planHash", .string(hash)), ("tenant", .string(team.tenant)),
        ])
      try show(id, hash: hash, approver: who, reason: reason, approvals: approvals)
    case .already:
      throw ValidationError("run \(id) is already approved")
    case .selfApproval:
      throw ValidationError(
        "run \(id) was requested by \(Terminal.sanitize(who)): four eyes means a second person "
          + "approves it")
    case .noReason:
      throw ValidationError("an approval needs a reason: lr approve \(id) --reason \"…\"")
    case .changed(let hash):
      throw ValidationError(
        "run \(id)'s plan changed since approval was requested (its hash is now "
          + "\(hash.prefix(12))): the request is void; run it again to ask for a new approval")
    case .unknown:
      throw ValidationError("no run \(id) waits for approval on this tenant (lr approve --list)")
    }
  }

  /// Says that `id` is approved: a sentence, or one `runApproved` line with the database's time.
  private func show(
    _ id: String, hash: String, approver: String, reason: String, approvals: TeamApprovals
  ) throws {
    switch output ?? (Terminal.stdoutIsTerminal ? .human : .json) {
    case .human:
      Terminal.out(
        "approved run \(id) (plan \(hash.prefix(12))) as \(Terminal.sanitize(approver))\n")
    case .json:
      let time = try approvals.status(run: id)?.approvedAt ?? Date()
      try JSONLines.print(
        ApprovalLine(run: id, planHash: hash, approver: approver, reason: reason, time: time))
    }
  }

  /// The runs waiting: a table, or one `approvalWaiting` line each.
  private func showWaiting(_ requests: [ApprovalRequest]) throws {
    switch output ?? (Terminal.stdoutIsTerminal ? .human : .json) {
    case .human: Terminal.out(Self.waitingTable(requests))
    case .json: for request in requests { try JSONLines.print(ApprovalWaitingLine(request)) }
    }
  }

  /// The runs waiting, as a table.
  static func waitingTable(_ requests: [ApprovalRequest]) -> String {
    guard !requests.isEmpty else { return "no runs wait for approval\n" }
    let rows = requests.map {
      [
        $0.run, Terminal.sanitize($0.requestedBy), Terminal.sanitize($0.sourcePath),
        Terminal.sanitize($0.why),
      ]
    }
    return Table(headers: ["RUN", "REQUESTED BY", "SOURCE", "WHY"], rows: rows).render()
  }
}
