import DefenderClient
import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// Four-eyes approval (issue 14 item 5) against a real PostgreSQL, the emulator and real `lr`
/// processes: a held run sends nothing until a second person approves it.
@Suite(.serialized) struct ApprovalTests {
  static let script = "on machine mymachine1.contoso.com < run Get-Processes.ps1 >\n"

  static func environment(
    _ emulator: EmulatorFixture, _ dir: URL, user: String, team: String
  ) -> [String: String] {
    emulator.environment().merging(
      [
        "XDG_STATE_HOME": dir.appendingPathComponent("state-\(user)").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path, "LR_TIME_SCALE": "60",
        "USER": user, "LR_TEAM": team, "LR_TEAM_HIGH_IMPACT": "get-processes*",
      ], uniquingKeysWith: { _, new in new })
  }

  /// The id of the first run waiting for approval, polled for up to a minute.
  static func waitingRun(_ database: TeamDatabase) async throws -> String {
    for _ in 0..<600 {
      let rows = try await database.query("SELECT run FROM lr_approval WHERE approved_by IS NULL")
      if let run = try rows.first?.decode(String.self) { return run }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw FixtureError("no run came to wait for approval")
  }

  /// Runs `body` with a team database, an emulator and a folder holding `run.lr`.
  static func withLab<T>(
    _ body: (EmulatorFixture, URL, String, TeamDatabase) async throws -> T
  ) async throws -> T {
    let url = try PostgresServer.shared().makeDatabase()
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data(script.utf8).write(to: dir.appendingPathComponent("run.lr"))
    let database = try TeamDatabase.open(TeamURL(url))
    defer { database.close() }
    return try await EmulatorFixture.with(
      .demo, timeScale: 60,
      libraryDirectory: LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")
    ) { emulator in try await body(emulator, dir, url, database) }
  }

  @Test(.timeLimit(.minutes(3))) func aHeldRunSendsNothingUntilASecondPersonApproves()
    async throws
  {
    try await Self.withLab { emulator, dir, url, database in
      let script = dir.appendingPathComponent("run.lr").path
      let alice = Self.environment(emulator, dir, user: "alice", team: url)
      let bob = Self.environment(emulator, dir, user: "bob", team: url)
      async let run = LRTestSupport.runLR(
        ["run", script, "--output", "json", "--yes", "--no-preflight"], environment: alice)
      let id = try await Self.waitingRun(database)
      try await Task.sleep(for: .seconds(2))
      #expect(try await emulator.stats().actionsCreated == 0)

      let listed = try await LRTestSupport.runLR(["approve", "--list"], environment: bob)
      #expect(listed.status == 0)
      #expect(listed.stdout.contains(id) && listed.stdout.contains("alice"))

      let own = try await LRTestSupport.runLR(
        ["approve", id, "--reason", "mine"], environment: alice)
      #expect(own.status == 2, "\(own.stderr)")
      #expect(own.stderr.contains("second person"))
      let empty = try await LRTestSupport.runLR(["approve", id, "--reason", " "], environment: bob)
      #expect(empty.status == 2, "\(empty.stderr)")
      #expect(empty.stderr.contains("needs a reason"))
      // `lr resume` of the held run (say after a Ctrl-C) is no way around the second person.
      let resumed = try await LRTestSupport.runLR(["resume", id], environment: alice)
      #expect(resumed.status == 2, "\(resumed.stdout)\(resumed.stderr)")
      #expect(resumed.stderr.contains("waits for approval"))
      #expect(try await emulator.stats().actionsCreated == 0)

      let approved = try await LRTestSupport.runLR(
        ["approve", id, "--reason", "ticket 4711: triage"], environment: bob)
      #expect(approved.status == 0, "\(approved.stderr)")
      let finished = try await run
      #expect(finished.status == 0, "\(finished.stderr)")
      #expect(finished.stderr.contains("approved by bob"))
      #expect(try await emulator.stats().actionsCreated == 1)

      let entry = try await database.query(
        "SELECT line FROM lr_audit_entry WHERE line LIKE '%run.approved%'")
      let line = try #require(try entry.first?.decode(String.self))
      #expect(line.contains("ticket 4711") && line.contains("bob"))
      let verified = try await LRTestSupport.runLR(["audit", "verify"], environment: bob)
      #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
  }

  /// `--detach` of a held run: queued `awaiting` (no worker may claim it), `queued` once a
  /// second person approves it.
  @Test(.timeLimit(.minutes(3))) func aHeldDetachedRunWaitsInTheQueueUntilApproved() async throws {
    try await Self.withLab { emulator, dir, url, database in
      let script = dir.appendingPathComponent("run.lr").path
      let alice = Self.environment(emulator, dir, user: "alice", team: url)
      let bob = Self.environment(emulator, dir, user: "bob", team: url)
      let detached = try await LRTestSupport.runLR(
        ["run", script, "--detach", "--output", "json", "--yes", "--no-preflight"],
        environment: alice)
      #expect(detached.status == 0, "\(detached.stderr)")
      #expect(detached.stderr.contains("waits for approval"), "\(detached.stderr)")
      let id = try await Self.waitingRun(database)
      let state = { () async throws -> String? in
        try await database.query("SELECT state FROM lr_work WHERE run = \(id)").first?.decode(
          String.self)
      }
      #expect(try await state() == "awaiting")
      let approved = try await LRTestSupport.runLR(
        ["approve", id, "--reason", "change 88"], environment: bob)
      #expect(approved.status == 0, "\(approved.stderr)")
      #expect(try await state() == "queued")
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }

  @Test(.timeLimit(.minutes(3))) func aScriptChangedWhileWaitingVoidsTheApproval() async throws {
    try await Self.withLab { emulator, dir, url, database in
      let file = dir.appendingPathComponent("run.lr")
      let alice = Self.environment(emulator, dir, user: "alice", team: url)
      let bob = Self.environment(emulator, dir, user: "bob", team: url)
      async let run = LRTestSupport.runLR(
        ["run", file.path, "--output", "json", "--yes", "--no-preflight"], environment: alice)
      let id = try await Self.waitingRun(database)
      try Data(Self.script.replacingOccurrences(of: ".ps1", with: ".ps1 \"-All\"").utf8).write(
        to: file)
      let approved = try await LRTestSupport.runLR(
        ["approve", id, "--reason", "looks fine"], environment: bob)
      #expect(approved.status == 0, "\(approved.stderr)")
      let finished = try await run
      #expect(finished.status == 1)
      #expect(finished.stderr.contains("changed while run \(id) waited for approval"))
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }

  @Test(.timeLimit(.minutes(3))) func ctrlCLeavesTheRunHeldForTheWorkers() async throws {
    try await Self.withLab { emulator, dir, url, database in
      let process = Process()
      process.executableURL = LRTestSupport.lrExecutable
      process.arguments = [
        "run", dir.appendingPathComponent("run.lr").path, "--output", "json", "--yes",
        "--no-preflight",
      ]
      process.environment = Self.environment(emulator, dir, user: "alice", team: url)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let id = try await Self.waitingRun(database)
      process.interrupt()
      while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
      #expect(process.terminationStatus == 4)
      let state = "SELECT state FROM lr_work WHERE run = '\(id)'"
      #expect(
        try await database.query(PostgresQuery(unsafeSQL: state)).first?.decode(String.self)
          == "awaiting")
      let bob = Self.environment(emulator, dir, user: "bob", team: url)
      let approved = try await LRTestSupport.runLR(
        ["approve", id, "--reason", "ok"], environment: bob)
      #expect(approved.status == 0, "\(approved.stderr)")
      #expect(
        try await database.query(PostgresQuery(unsafeSQL: state)).first?.decode(String.self)
          == "queued")
      #expect(try await emulator.stats().actionsCreated == 0)
    }
  }

  @Test func aChangedPlanOrTheRequesterCannotApprove() throws {
    let url = try TeamURL(try PostgresServer.shared().makeDatabase())
    let team = try Team.open(url, tenant: "t1")
    defer { team.close() }
    let record = RunRecord(
      id: "r1", createdAt: Date(), sourcePath: "fix.lr", sourceText: "a", modules: [:],
      profile: "", tenant: "t1", resultsDirectory: "/tmp", state: .queued, who: "alice")
    try team.journal.create(record)
    try team.journal.record([
      TargetRecord(runID: "r1", statement: 1, machineID: "m1", computerName: "m1")
    ])
    let approvals = TeamApprovals(database: team.database, tenant: "t1")
    let hash = try approvals.request(run: "r1", by: "alice", why: "test")
    #expect(hash.count == 64)
    #expect(try approvals.approve(run: "r1", by: "alice", reason: "ok") == .selfApproval)
    #expect(try approvals.approve(run: "r1", by: "bob", reason: "") == .noReason)
    // Another target voids the request: the plan hash covers the resolved machines.
    try team.journal.record([
      TargetRecord(runID: "r1", statement: 1, machineID: "m2", computerName: "m2")
    ])
    guard case .changed(let now) = try approvals.approve(run: "r1", by: "bob", reason: "ok") else {
      Issue.record("a changed plan was approved")
      return
    }
    #expect(now != hash)
    #expect(try approvals.status(run: "r1")?.approvedBy == nil)
    #expect(try approvals.waiting().map(\.run) == ["r1"])
    #expect(try approvals.approve(run: "r2", by: "bob", reason: "ok") == .unknown)
  }

  @Test func theProfileKeysAreTheTeamSettings() throws {
    let file = try ConfigFile.parse(
      """
      default_profile = "soc"
      [profiles.soc]
      team = "postgres://lr@db/lr"
      approval_above = 50
      high_impact = ["fix.ps1", "isolate*"]
      """, path: "config.toml")
    let setting = try TeamSetting.resolve(flag: nil, file: file, environment: [:])
    #expect(setting.approvalAbove == 50)
    #expect(setting.highImpact == ["fix.ps1", "isolate*"])
  }

  @Test func thePolicyHoldsLargeRunsAndHighImpactScripts() throws {
    let output = Compiler.compile(
      SourceFile(name: "x.lr", text: "on machine a < run Fix.ps1 >\n"), modules: NoModules())
    let policy = ApprovalPolicy(above: 2, highImpact: ["fix*"])
    #expect(
      policy.reasons(for: output.plan, machines: 1) == ["it runs Fix.ps1, marked high-impact"])
    #expect(policy.reasons(for: output.plan, machines: 3).count == 2)
    #expect(ApprovalPolicy(above: 5).reasons(for: output.plan, machines: 5).isEmpty)
    let env = ApprovalPolicy.resolve(
      above: 50, highImpact: nil, environment: ["LR_TEAM_APPROVAL_ABOVE": "3"])
    #expect(env == ApprovalPolicy(above: 3))
  }
}
