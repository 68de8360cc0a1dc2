import Foundation
import LRLanguage
import LiveResponse
import Testing

@testable import LRShell

/// A runner that behaves like the engine will: resolves, reports statuses and results, and
/// blocks a job until it is cancelled when its script is `block.ps1`.
final class ScriptedRunner: StatementRunner, @unchecked Sendable {
  let kind = RunnerKind.lab
  private let lock = NSLock()
  private var cancelled: Set<JobID> = []
  private(set) var cancelCalls: [JobID] = []

  func run(
    _ plan: Plan, context: RunContext, events: @escaping @Sendable (ShellEvent) -> Void
  ) async throws -> ResultValues {
    let steps = plan.steps
    let machine = ShellEvent.Machine(
      name: "WS-0142", id: "1e5bc9d7e413ddd7902c2932e418702b84d0cc07")
    var values: ResultValues = [:]
    for statement in steps.compactMap({ if case .statement(let s) = $0 { s } else { nil } }) {
      events(.submitted(target: statement.target.summary, requests: statement.requests.count))
      events(.resolved(machines: [machine]))
      // `queued.ps1` stays Pending (the device has not picked it up), `block.ps1` runs; both
      // block until cancelled.
      let queued = statement.requests.flatMap(\.commands).contains {
        $0.param("ScriptName")?.description == "queued.ps1"
      }
      events(
        .actionStatus(
          machine: machine, actionID: "a1", status: queued ? .pending : .inProgress,
          elapsedSeconds: 0.5))
      for (i, command) in statement.requests.flatMap(\.commands).enumerated() {
        let name =
          command.param("ScriptName")?.description ?? command.param("Path")?.description ?? ""
        let c = ShellEvent.Command(
          index: i, type: command.type, summary: "\(command.type.rawValue) \(name)")
        if name == "block.ps1" || name == "queued.ps1" {
          while !isCancelled(context.job) { try await Task.sleep(for: .milliseconds(5)) }
          events(.notExecuted(machine: machine, command: c, reason: "cancelled"))
          events(.finished(.cancelled, elapsedSeconds: 1))
          return [:]
        }
        let output = (1...40).map { "out \($0)" }.joined(separator: "\n") + "\n\u{1B}[2Jevil"
        events(
          .commandCompleted(
            machine: machine, command: c,
            result: command.type == .getFile
              ? .file(path: "results/1/WS-0142/x.zip", size: 3, sha256: "abc")
              : .script(exitCode: 0, output: Array(output.utf8), errors: []),
            elapsedSeconds: 2))
      }
      if let binding = statement.binding {
        values[binding] = ["exit_code": .number(0), "ok": .bool(true)]
      }
    }
    events(.finished(.succeeded, elapsedSeconds: 3))
    return values
  }

  func isCancelled(_ job: JobID) -> Bool { lock.withLock { cancelled.contains(job) } }

  func cancel(job: JobID) async throws {
    lock.withLock {
      cancelled.insert(job)
      cancelCalls.append(job)
    }
  }

  func machines(filter: String?) async throws -> [MachineRecord] {
    [
      MachineRecord(
        id: "1e5b", name: "WS-0142", osPlatform: "Windows11", healthStatus: "Active",
        tags: ["finance"])
    ]
  }
  func library() async throws -> [LibraryRecord] {
    [LibraryRecord(fileName: "minidump.ps1", description: "dump")]
  }
  func actions() async throws -> [ActionRecord] {
    [ActionRecord(id: "a1", machine: "WS-0142", status: "Succeeded")]
  }
}

/// The session driving a runner that reports like the engine.
@Suite struct RunnerProtocolTests {
  func session(_ runner: ScriptedRunner, _ c: Collector) -> Session {
    Session(
      runner: runner, configuration: .init(modules: testModules, maxOutputLines: 10),
      output: c.output)
  }

  @Test func resultsAreRecordedTruncatedAndShownInFull() async {
    let c = Collector()
    let s = session(ScriptedRunner(), c)
    #expect(await s.prompt == "lr(lab)> ")
    _ = await s.evaluate("let r = " + Banner.example)
    await s.waitForJobs()
    #expect(c.out.contains("[1] WS-0142  action a1  InProgress  500ms"))
    #expect(c.out.contains("… 31 more lines; `.show 1 1` shows all"))
    #expect(c.out.contains("saved results/1/WS-0142/x.zip  3 bytes  sha256 abc"))
    #expect(c.out.contains("[1] done in 3.0s"))
    #expect(!c.out.contains("\u{1B}"))
    #expect(await s.results["r"]?["exit_code"] == .number(0))
    c.reset()
    _ = await s.evaluate(".show 1 1")
    #expect(c.out.contains("out 40\n"))
    #expect(!c.out.contains("\u{1B}"))
    c.reset()
    _ = await s.evaluate(".results")
    #expect(c.out.contains("exit 0, 41 output lines"))
    c.reset()
    _ = await s.evaluate(".show 1 5")
    #expect(c.err.contains("[1] has no result #5"))
    // A later input may branch on the bound result.
    c.reset()
    _ = await s.evaluate("if r.ok < on machine WS-0142 < run Get-Autoruns.ps1 > >")
    await s.waitForJobs()
    #expect(c.err.isEmpty)
  }

  @Test func cancelGoesToTheRunner() async throws {
    let c = Collector()
    let runner = ScriptedRunner()
    let s = session(runner, c)
    _ = await s.evaluate("on machine WS-0142 < run block.ps1 >")
    try await Task.sleep(for: .milliseconds(20))
    #expect(await s.runningJobs.map(\.id) == [JobID(1)])
    _ = await s.evaluate(".jobs")
    #expect(c.out.contains("running"))
    c.reset()
    #expect(await s.evaluate(".quit") == .quit)
    #expect(c.out.contains("still running: [1] on machine WS-0142 < run block.ps1 >"))
    // The action is already running on the device: Ctrl-C asks first; only "y" cancels.
    let question = "[1] is running on WS-0142; cancel it through the API? [y/N] "
    #expect(await s.interrupt() == .confirm(JobID(1), question: question))
    await s.confirmCancel(JobID(1), answer: "n")
    await s.confirmCancel(JobID(1), answer: nil)
    #expect(c.out.contains("[1] keeps running"))
    #expect(runner.cancelCalls.isEmpty)
    await s.confirmCancel(JobID(1), answer: " Y ")
    await s.waitForJobs()
    #expect(runner.cancelCalls == [JobID(1)])
    #expect(c.out.contains("[1] cancelling…"))
    #expect(c.out.contains("not executed: cancelled"))
    #expect(c.out.contains("[1] cancelled after"))
    c.reset()
    #expect(await s.interrupt() == .nothingRunning)
    #expect(c.out.contains("nothing is running"))
    await s.confirmCancel(JobID(1), answer: "y")
    #expect(c.out.contains("[1] has already finished"))
  }

  @Test func ctrlCCancelsAPendingActionWithoutAsking() async throws {
    let c = Collector()
    let runner = ScriptedRunner()
    let s = session(runner, c)
    _ = await s.evaluate("on machine WS-0142 < run queued.ps1 >")
    while await s.jobs[JobID(1)]?.actions.isEmpty ?? true {
      try await Task.sleep(for: .milliseconds(5))
    }
    #expect(await s.jobs[JobID(1)]?.runningOnDevice == [])
    #expect(await s.interrupt() == .cancelled(JobID(1)))
    await s.waitForJobs()
    #expect(runner.cancelCalls == [JobID(1)])
    #expect(c.out.contains("[1] cancelled after"))
  }

  @Test func listingsComeFromTheRunner() async {
    let c = Collector()
    let s = session(ScriptedRunner(), c)
    _ = await s.evaluate(".machines")
    #expect(c.out.contains("WS-0142  Windows11  Active  finance"))
    _ = await s.evaluate(".library")
    #expect(c.out.contains("minidump.ps1"))
    _ = await s.evaluate(".actions")
    #expect(c.out.contains("a1"))
    await s.loadServiceNames()
    #expect(s.completionContext().names.machines == ["WS-0142"])
  }
}
