import DefenderClient
import Foundation
import LREngine
import LRLanguage
import LRModules
import LRTeam
import LiveResponse

extension RunCommand {
  /// Four eyes (docs/team.md, "Approvals"): with a team database whose policy is set, the run is
  /// journaled `queued` with its targets resolved; when the policy asks for approval, it waits
  /// (nothing sent) until a second person runs `lr approve`. Returns the journaled run for the
  /// engine to resume, or nil when no policy applies (the run goes ahead as usual).
  func approvedRun(
    _ output: Compiler.Output, source: SourceFile, workspace: RunWorkspace, api: DefenderAPI,
    options: Engine.Options
  ) async throws -> RunRecord? {
    guard !dryRun, let journal = workspace.journal as? PostgresJournal else { return nil }
    let policy = try approvalPolicy(tenant: api.settings.tenantID)
    guard policy.isActive else { return nil }
    let record = try await journalQueued(
      output, source: source, workspace: workspace, api: api, options: options)
    guard
      let why = try Self.holdIfNeeded(
        record, plan: output.plan, policy: policy, journal: journal, audit: workspace.audit)
    else { return record }
    let approvals = TeamApprovals(database: journal.database, tenant: journal.tenant)
    Terminal.err(
      "run \(record.id) waits for approval: \(Terminal.sanitize(why))\n"
        + "  a second person approves it with: lr approve \(record.id) --reason \"…\"\n"
        + "  waiting (Ctrl-C leaves it waiting: once approved, an `lr worker` of the team runs it)\n"
    )
    let approved: ApprovalRequest
    do {
      approved = try await Self.waitForApproval(run: record.id, approvals: approvals)
    } catch is CancellationError {
      try Self.leaveForWorkers(record, journal: journal)
      throw CancellationError()
    }
    try checkUnchanged(record, output: output, source: source, journal: journal)
    Terminal.err(
      "run \(record.id) approved by \(Terminal.sanitize(approved.approvedBy ?? "?")): "
        + "\(Terminal.sanitize(approved.reason ?? ""))\n")
    return record
  }

  /// The team profile's four-eyes policy (its keys, then `LR_TEAM_APPROVAL_ABOVE`,
  /// `LR_TEAM_HIGH_IMPACT`).
  func approvalPolicy(tenant: String?) throws -> ApprovalPolicy {
    let setting = try team.setting(profile: connection.profile, tenant: tenant)
    return ApprovalPolicy.resolve(
      above: setting.approvalAbove, highImpact: setting.highImpact,
      environment: ProcessInfo.processInfo.environment)
  }

  /// Asks `policy` about a journaled run; a run it holds gets its approval request (bound to the
  /// plan hash) and a `run.approvalRequested` audit entry. Returns why it is held (nil: it is
  /// not). `--detach` calls this before putting the run in `lr_work`, so the v5 trigger queues a
  /// held run `awaiting`.
  static func holdIfNeeded(
    _ record: RunRecord, plan: Plan, policy: ApprovalPolicy, journal: PostgresJournal,
    audit: AuditLog
  ) throws -> String? {
    let machines = Set(try journal.targets(run: record.id).map(\.machineID)).count
    let reasons = policy.reasons(for: plan, machines: machines)
    guard !reasons.isEmpty else { return nil }
    let approvals = TeamApprovals(database: journal.database, tenant: journal.tenant)
    let why = reasons.joined(separator: "; ")
    let hash = try approvals.request(run: record.id, by: record.who ?? "", why: why)
    try audit.append(
      event: "run.approvalRequested",
      fields: [
        ("run", .string(record.id)), ("who", .string(record.who ?? "")), ("why", .string(why)),
        ("planHash", .string(hash)),
      ])
    return why
  }

  /// Ctrl-C while waiting: the run stays held, in the workers' queue (`awaiting` until the
  /// approval moves it to `queued`), so that once approved an `lr worker` runs it. Written with
  /// the journal's blocking connection: the cancelled task cannot await.
  static func leaveForWorkers(_ record: RunRecord, journal: PostgresJournal) throws {
    let approvals = TeamApprovals(database: journal.database, tenant: journal.tenant)
    try approvals.holdForWorkers(
      run: record.id, by: record.who ?? "", source: record.sourcePath,
      actions: try journal.targets(run: record.id).count)
    Terminal.err(
      "run \(record.id) still waits for approval; once approved, an `lr worker` of the team runs it\n"
    )
  }

  /// Journals the run `queued` (targets resolved, large statements confirmed), sending nothing.
  private func journalQueued(
    _ output: Compiler.Output, source: SourceFile, workspace: RunWorkspace, api: DefenderAPI,
    options: Engine.Options
  ) async throws -> RunRecord {
    var options = options
    let assumeYes = yes
    options.confirm = { statement, count in
      assumeYes
        || RunCommand.ask("statement \(statement) will run on \(count) machines. Continue? [y/N] ")
    }
    let engine = workspace.engine(api: api, options: options) { _ in }
    do {
      return try await engine.enqueue(
        output.plan, sourcePath: source.name,
        sourceText: String(decoding: source.bytes, as: UTF8.self),
        modules: JournaledModules.texts(of: output.sources, except: source.name)
      ).record
    } catch let error as Engine.RunError {
      Terminal.printError("lr: error: " + Terminal.sanitize(error.description))
      throw ExitStatus.usage
    }
  }

  /// Polls the approval every second until it is given; a void one (the plan changed) ends it.
  static func waitForApproval(run: String, approvals: TeamApprovals) async throws
    -> ApprovalRequest
  {
    while true {
      if let status = try approvals.status(run: run) {
        if status.isApproved { return status }
        if status.isVoid {
          Terminal.printError(
            "lr: error: run \(run)'s plan changed since it was approved: the approval is void")
          throw ExitStatus.failure
        }
      }
      try await Task.sleep(for: .seconds(1))
    }
  }

  /// The script as it is on disk now must be the one approved: an edit made while the run
  /// waited voids the approval (the run is abandoned, nothing sent).
  private func checkUnchanged(
    _ record: RunRecord, output: Compiler.Output, source: SourceFile, journal: PostgresJournal
  ) throws {
    let now = try SourceLoader.load(file)
    let compiled = Compiler.compile(now, modules: FileModules())
    let text = String(decoding: now.bytes, as: UTF8.self)
    let modules = JournaledModules.texts(of: compiled.sources, except: now.name)
    guard text != record.sourceText || modules != record.modules else { return }
    try journal.finish(run: record.id, state: .abandoned)
    Terminal.printError(
      "lr: error: \(Terminal.sanitize(file)) changed while run \(record.id) waited for approval; "
        + "the approval covers the plan as requested, not this one: nothing was sent (run it "
        + "again to ask for a new approval)")
    throw ExitStatus.failure
  }
}
