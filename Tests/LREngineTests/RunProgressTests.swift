import Foundation
import LREngine
import LRLanguage
import LiveResponse
import Testing

/// How ``RunProgress`` folds engine events into rows, counts and an ETA.
@Suite struct RunProgressTests {
  static let a = MachineRef(id: "a", computerName: "a.contoso.com")
  static let b = MachineRef(id: "b", computerName: "b.contoso.com")
  static let c = MachineRef(id: "c", computerName: "c.contoso.com")

  static func progress() -> RunProgress {
    let text = "on tag \"x\" < run Get-Processes.ps1; get 'C:\\x.txt' >\n"
    return RunProgress(plan: Compiler.compile(SourceFile(name: "t.lr", text: text)).plan)
  }

  @Test func rowsCommandsAndFailStop() {
    var p = Self.progress()
    let t0 = Date()
    p.apply(
      .machinesResolved(statement: 1, machines: [Self.a, Self.b, Self.c], unknown: []), at: t0)
    #expect(p.total == 3 && p.notStarted == 3)
    #expect(p.rows[0].commands.map(\.label) == ["Get-Processes.ps1", "C:\\x.txt"])
    p.apply(.actionSubmitted(statement: 1, machine: Self.a, request: 0, actionID: "1"), at: t0)
    p.apply(.actionSubmitted(statement: 1, machine: Self.b, request: 0, actionID: "2"), at: t0)
    p.apply(.actionStarted(actionID: "1", machine: Self.a))
    #expect(p.running == 1 && p.queued == 1)
    p.apply(
      .resultReady(
        actionID: "1", machine: Self.a, index: 0,
        result: .script(exitCode: 0, output: "", errors: "", path: "/r")))
    p.apply(
      .resultReady(
        actionID: "1", machine: Self.a, index: 1, result: .file(path: "/f", size: 2048, sha256: ""))
    )
    p.apply(.actionFinished(actionID: "1", machine: Self.a, status: "Succeeded"), at: t0 + 30)
    #expect(p.rows[0].phase == .finished("Succeeded"))
    #expect(p.rows[0].commands.map(\.detail) == ["exit 0", "2.0 KB"])
    p.apply(
      .commandFailed(
        actionID: "2", machine: Self.b, index: 0, type: "RunScript", errors: ["denied"]))
    p.apply(.actionFinished(actionID: "2", machine: Self.b, status: "Failed"), at: t0 + 30)
    #expect(p.rows[1].commands.map(\.state) == [.failed, .notExecuted])
    #expect(p.done == 2 && p.failed == 1)
    // One submission left at 10 a minute, lab time 60x: 0.1 s of budget plus the mean 30 s.
    let eta = p.eta(submissionsPerMinute: 10, timeScale: 60, now: t0 + 30)
    #expect(eta?.lowerBound == false)
    #expect(abs((eta?.seconds ?? 0) - 30.1) < 0.01)
    p.apply(.waitingForBudget(reason: "per-minute budget", until: t0 + 40))
    #expect(p.waiting?.reason == "per-minute budget")
    var summary = RunSummary()
    summary.succeeded = 1
    summary.failed = 1
    p.apply(.runFinished(runID: "r", summary: summary))
    #expect(p.rows[2].phase == .notSent)
    #expect(p.waiting == nil)
    #expect(p.eta(submissionsPerMinute: 10) == nil)
  }

  @Test func etaBeforeAnyActionFinishedIsALowerBound() {
    var p = Self.progress()
    p.apply(.machinesResolved(statement: 1, machines: [Self.a, Self.b, Self.c], unknown: []))
    let eta = p.eta(submissionsPerMinute: 10)
    #expect(eta?.lowerBound == true)
    #expect(eta?.seconds == 18)
  }

  /// An action queued longer than actions take (an offline device) makes the ETA unknown, never
  /// "0s"; with submissions still to make it is a lower bound.
  @Test func etaWithAnOverdueQueuedActionIsUnknown() {
    var p = Self.progress()
    let t0 = Date()
    p.apply(
      .machinesResolved(statement: 1, machines: [Self.a, Self.b, Self.c], unknown: []), at: t0)
    p.apply(.actionSubmitted(statement: 1, machine: Self.a, request: 0, actionID: "1"), at: t0)
    p.apply(.actionSubmitted(statement: 1, machine: Self.b, request: 0, actionID: "2"), at: t0)
    p.apply(.actionQueued(actionID: "2", machine: Self.b), at: t0 + 1)
    p.apply(.actionFinished(actionID: "1", machine: Self.a, status: "Succeeded"), at: t0 + 10)
    // Mean 10 s; c still to submit (6 s at 10 a minute): 16 s, b not overdue yet.
    #expect(p.eta(submissionsPerMinute: 10, now: t0 + 5) == .init(seconds: 16, lowerBound: false))
    // b queued for 30 s: c's 16 s is only a lower bound.
    #expect(
      p.eta(submissionsPerMinute: 10, now: t0 + 30)
        == .init(seconds: 16, lowerBound: true, overdue: 1))
    p.apply(.actionSubmitted(statement: 1, machine: Self.c, request: 0, actionID: "3"), at: t0 + 30)
    p.apply(.actionFinished(actionID: "3", machine: Self.c, status: "Succeeded"), at: t0 + 40)
    // Only b left, queued past the mean: unknown.
    #expect(
      p.eta(submissionsPerMinute: 10, now: t0 + 41)
        == .init(seconds: nil, lowerBound: false, overdue: 1))
    // b runs past the mean: at least a second, never "0s".
    p.apply(.actionStarted(actionID: "2", machine: Self.b), at: t0 + 50)
    #expect(
      p.eta(submissionsPerMinute: 10, now: t0 + 60) == .init(seconds: 1, lowerBound: true))
  }
}
