import DefenderClient
import Foundation
import LREngine
import LRLanguage
import Testing

/// What a run leaves in the journal when it stops waiting, for `lr resume` to settle.
@Suite(.serialized) struct InterruptedRunTests {
  /// A timeout while submissions wait for budget leaves them planned (never sent, not Failed) and
  /// counted as pending; the ones the service accepted stay submitted.
  @Test func timeoutWhileWaitingForBudgetLeavesActionsPlanned() async throws {
    // At time scale 4 the budget minute lasts 15 s: the eleventh submission waits that long.
    let lab = try await EngineFixture.start(timeScale: 4)
    defer { Task { await lab.stop() } }
    let machines = [
      "mymachine1.contoso.com", "ws-0142", "ws-0143", "ws-0150", "srv-dc01", "srv-file01",
      "srv-app02", "ws-hostile-13", "web-01", "db-02", "mac-design-01", "laptop-travel-07",
      "kiosk-lobby-02",
    ]
    let plan = try lab.compile(
      "on machines [\(machines.joined(separator: ", "))] < run Get-Processes.ps1 >\n")
    // Service time: 5 s here, ample for the first ten submissions on a loaded machine (each
    // journals and audits, and the audit log records its head in the journal), far short of the
    // 15 s the eleventh waits.
    let engine = lab.engine { $0.timeout = .seconds(20) }
    let summary = try await engine.run(plan, sourcePath: "t.lr", sourceText: "")
    let run = try #require(try lab.journal.runs().first)
    #expect(run.state == .interrupted)
    #expect(run.isUnfinished)
    let actions = try lab.journal.actions(run: run.id)
    #expect(actions.count == machines.count)
    let planned = actions.filter { $0.state == .planned }
    #expect(planned.count == 3)
    #expect(planned.allSatisfy { $0.actionID == nil && $0.error == nil })
    #expect(!actions.contains { $0.state == .terminal && $0.actionID == nil })
    let unfinished = actions.filter { $0.state != .terminal }.count
    #expect(summary.pending == unfinished)
    #expect(summary.failed == 0)
    #expect(summary.exitStatus == 1)
  }

  /// A timeout that stops a run between statements, with nothing in flight, still exits 1: a later
  /// statement never ran (here the run waits on a fan-out confirmation when the timeout fires).
  @Test func timeoutWithNothingInFlightStillFailsTheRun() async throws {
    let lab = try await EngineFixture.start(timeScale: 4)
    defer { Task { await lab.stop() } }
    let plan = try lab.compile(
      """
      on machine ws-0142 < run Get-Processes.ps1 >
      on machines [ws-0143, ws-0150] < run Get-Services.ps1 >
      """)
    let engine = lab.engine {
      $0.timeout = .seconds(60)  // service time: 15 s here
      $0.confirmAbove = 1
      $0.confirm = { _, _ in
        try? await Task.sleep(for: .seconds(30))
        return true
      }
    }
    let summary = try await engine.run(plan, sourcePath: "t.lr", sourceText: "")
    let run = try #require(try lab.journal.runs().first)
    #expect(run.state == .interrupted)
    #expect(summary.succeeded == 1)
    #expect(summary.stoppedEarly)
    #expect(summary.exitStatus == 1)
  }
}

/// A run that stopped on an error of its own (sign-in, configuration, the journal) is recorded
/// `failed` and can still be resumed: what is pending is collected, and the run finishes.
@Suite(.serialized) struct FailedRunResumeTests {
  @Test func aFailedRunWithPendingActionsIsResumedToTheEnd() async throws {
    let lab = try await EngineFixture.start(timeScale: 600)
    defer { Task { await lab.stop() } }
    let text = "on machines [ws-0142, ws-0143] < run Get-Processes.ps1 >\n"
    let plan = try lab.compile(text)
    // Stop following at once (the actions are accepted), then record the run as failed the way
    // a sign-in error mid-run leaves it.
    let first = lab.engine { $0.timeout = .milliseconds(1) }
    _ = try await first.run(plan, sourcePath: "t.lr", sourceText: text)
    let stopped = try #require(try lab.journal.runs().first)
    try lab.journal.finish(run: stopped.id, state: .failed)
    let failed = try #require(try lab.journal.run(stopped.id))
    #expect(failed.state == .failed)
    #expect(failed.isUnfinished)
    let summary = try await lab.engine { _ in }.resume(plan, run: failed, settle: .zero)
    #expect(summary.succeeded == 2, "\(summary)")
    #expect(summary.pending == 0)
    #expect(summary.exitStatus == 0)
    #expect(try lab.journal.run(stopped.id)?.state == .finished)
  }

  /// The failure a run stopped on decides its exit status, whatever the counts say.
  @Test func aRunFailureDecidesTheExitStatus() {
    var summary = RunSummary()
    summary.failed = 1
    #expect(summary.exitStatus == 1)
    summary.failure = RunFailure(DefenderClientError.signIn("wrong secret"))
    #expect(summary.exitStatus == 3)
    summary.failure = RunFailure(
      DefenderClientError(
        .permissionDenied, "no automation level", serviceCode: "DisallowedOperation"))
    #expect(summary.exitStatus == 1)
    summary.failure = RunFailure(
      DefenderClientError(.permissionDenied, "the app lacks Machine.LiveResponse"))
    #expect(summary.exitStatus == 3)
  }
}
