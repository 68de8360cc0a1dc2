import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Testing

@testable import LRTeam

/// The journal protocol's rules, written once and checked against both journals (SQLite and
/// PostgreSQL), so the two cannot drift.
@Suite struct RunJournalConformanceTests {
  enum Kind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// A fresh, empty journal of this kind.
    func make(tenant: String = "tenant-a") throws -> any RunJournal {
      switch self {
      case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
          "lr-conformance-\(UUID().uuidString)")
        return try Journal(url: folder.appendingPathComponent("journal.sqlite"))
      case .postgres:
        let url = try TeamURL(try PostgresServer.shared().makeDatabase())
        return try Team.open(url, tenant: tenant).journal
      }
    }
  }

  /// Whole seconds, so both stores give back exactly the time they were given.
  static func time(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_800_000_000 + Double(seconds))
  }

  static func run(_ id: String, at seconds: Int, tenant: String = "tenant-a") -> RunRecord {
    RunRecord(
      id: id, createdAt: time(seconds), sourcePath: "sweep.lr",
      sourceText: "on machine A < run x.ps1 >",
      modules: ["m.lr": "proc p < >"], profile: "default", tenant: tenant,
      resultsDirectory: "/tmp/results/\(id)", who: "ana")
  }

  static func action(_ run: String, token: String, machine: String = "m1") -> ActionRecord {
    ActionRecord(
      runID: run, statement: 0, requestIndex: 0, machineID: machine,
      computerName: machine.uppercased(),
      token: token, body: "{\"Commands\":[]}", now: time(5))
  }

  @Test(arguments: Kind.allCases) func runsAreCreatedListedFinishedAndResumed(kind: Kind) throws {
    let journal = try kind.make()
    try journal.create(Self.run("r1", at: 1))
    try journal.create(Self.run("r2", at: 2))
    #expect(try journal.runs(limit: 10).map(\.id) == ["r2", "r1"])
    #expect(try journal.runs(limit: 1).map(\.id) == ["r2"])
    #expect(try journal.run("r1") == Self.run("r1", at: 1))
    #expect(try journal.run("nope") == nil)
    try journal.finish(run: "r1", state: .interrupted, at: Self.time(9))
    var run = try #require(try journal.run("r1"))
    #expect(run.state == .interrupted && run.finishedAt == Self.time(9))
    try journal.pause(run: "r1", reason: "2 of 3 failed", at: Self.time(10))
    run = try #require(try journal.run("r1"))
    #expect(run.state == .paused && run.pauseReason == "2 of 3 failed")
    try journal.resume(run: "r1")
    try journal.resume(run: "r1")
    run = try #require(try journal.run("r1"))
    #expect(run.state == .running && run.finishedAt == nil && run.pauseReason == nil)
    #expect(run.resumes == 2)
    let rollout = RolloutPolicy(canary: 2)
    try journal.record(rollout: rollout, run: "r1")
    #expect(try journal.run("r1")?.rollout == rollout)
    try journal.record(rollout: nil, run: "r1")
    #expect(try journal.run("r1")?.rollout == nil)
  }

  @Test(arguments: Kind.allCases) func targetsKeepTheirOrderAndAreSavedAgain(kind: Kind) throws {
    let journal = try kind.make()
    try journal.create(Self.run("r1", at: 1))
    try journal.record([
      TargetRecord(runID: "r1", statement: 1, machineID: "b", computerName: "B", position: 0),
      TargetRecord(runID: "r1", statement: 0, machineID: "z", computerName: "Z", position: 1),
      TargetRecord(runID: "r1", statement: 0, machineID: "y", computerName: "Y", position: 0),
    ])
    try journal.record([
      TargetRecord(runID: "r1", statement: 1, machineID: "b", computerName: "B2", position: 0)
    ])
    let targets = try journal.targets(run: "r1")
    #expect(targets.map(\.machineID) == ["y", "z", "b"])
    #expect(targets.last?.computerName == "B2")
  }

  @Test(arguments: Kind.allCases) func actionsArePlannedThenUpdatedAndNilKeepsAField(kind: Kind)
    throws
  {
    let journal = try kind.make()
    try journal.create(Self.run("r1", at: 1))
    let first = try journal.plan(Self.action("r1", token: "t-1"))
    let second = try journal.plan(Self.action("r1", token: "t-2", machine: "m2"))
    let row = try #require(first.id)
    #expect(second.id != nil && second.id != first.id)
    try journal.update(
      action: row, state: .submitted, actionID: "act-1", status: "Pending", error: nil,
      reconciliation: nil, at: Self.time(6))
    try journal.update(
      action: row, state: .terminal, actionID: nil, status: "Succeeded", error: nil,
      reconciliation: "adopted", at: Self.time(7))
    let updated = try #require(try journal.action(token: "t-1"))
    #expect(updated.state == .terminal && updated.actionID == "act-1")
    #expect(updated.status == "Succeeded" && updated.reconciliation == "adopted")
    #expect(updated.updatedAt == Self.time(7) && updated.createdAt == Self.time(5))
    #expect(try journal.actions(run: "r1").map(\.token) == ["t-1", "t-2"])
    #expect(try journal.action(token: "none") == nil)
    try journal.record(
      times: ActionTimes(submitted: Self.time(5), started: Self.time(6), finished: Self.time(8)),
      action: row)
    let timed = try #require(try journal.action(token: "t-1"))
    #expect(timed.submittedAt == Self.time(5) && timed.finishedAt == Self.time(8))
    // Tokens are unique: another action with a used token is refused.
    #expect(throws: (any Error).self) {
      try journal.plan(Self.action("r1", token: "t-1", machine: "m3"))
    }
  }

  @Test(arguments: Kind.allCases) func commandsAndResultsAreReplacedWhenRecordedAgain(kind: Kind)
    throws
  {
    let journal = try kind.make()
    try journal.create(Self.run("r1", at: 1))
    let row = try #require(try journal.plan(Self.action("r1", token: "t-1")).id)
    try journal.record(
      CommandRecord(actionRow: row, commandIndex: 1, type: "GetFile", status: "Created"))
    try journal.record(
      CommandRecord(
        actionRow: row, commandIndex: 0, type: "RunScript", status: "Completed", exitCode: 0))
    try journal.record(
      CommandRecord(
        actionRow: row, commandIndex: 1, type: "GetFile", status: "Completed",
        resultPath: "/r/f.zip", resultSize: 12, resultSHA256: "ab"))
    let commands = try journal.commands(action: row)
    #expect(commands.map(\.commandIndex) == [0, 1])
    #expect(commands.last?.resultSize == 12 && commands.last?.status == "Completed")
    let result = CommandResultRecord(
      actionRow: row, commandIndex: 0, runID: "r1", type: "RunScript", output: "a,b",
      exitCode: 0, format: "csv", finishedAt: Self.time(7))
    func rows(_ n: Int) -> [ResultRowRecord] {
      (0..<n).map {
        ResultRowRecord(
          runID: "r1", actionRow: row, machineID: "m1", computerName: "M1", commandIndex: 0,
          n: $0, data: "{\"n\":\($0)}")
      }
    }
    try journal.record(result: result, rows: rows(3))
    var again = result
    again.output = "a"
    try journal.record(result: again, rows: rows(1))
    #expect(try journal.results(run: "r1") == [again])
    #expect(try journal.resultRows(run: "r1") == rows(1))
  }

  @Test(arguments: Kind.allCases) func auditHeadsAreRecordedMovedAndNeverGoBack(kind: Kind) throws {
    let journal = try kind.make()
    try journal.recordAuditHead(AuditHead(log: "L1", path: "/a.jsonl", sequence: 3, hash: "h3"))
    try journal.recordAuditHead(AuditHead(log: "L2", path: "/a.jsonl", sequence: 7, hash: "h7"))
    try journal.recordAuditHead(AuditHead(log: "L1", path: "/a.jsonl", sequence: 4, hash: "h4"))
    #expect(try journal.auditHead(log: "L1")?.sequence == 4)
    #expect(try journal.auditHeads(path: "/a.jsonl").map(\.log) == ["L2", "L1"])
    try journal.moveAuditHead(log: "L2", to: "/b.jsonl")
    #expect(try journal.auditHead(log: "L2")?.path == "/b.jsonl")
    #expect(try journal.auditHead(log: "none") == nil)
    try journal.setAuditHead(path: "/old.jsonl", sequence: 5, hash: "x5")
    try journal.setAuditHead(path: "/old.jsonl", sequence: 4, hash: "x4")
    #expect(try journal.auditHead(path: "/old.jsonl")?.hash == "x5")
    try journal.setAuditHead(path: "/old.jsonl", sequence: 6, hash: "x6")
    #expect(try journal.auditHead(path: "/old.jsonl")?.sequence == 6)
    #expect(try journal.auditHead(path: "/none.jsonl") == nil)
  }
}
