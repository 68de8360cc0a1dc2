import DefenderClient
import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Synchronization
import Testing

/// Issue 18: a result whose download keeps failing (the soak's "runFinished with pending 1",
/// exit 1, evidence not saved) is retried, then reported as a failed download; the run finishes
/// every other action and leaves nothing pending.
@Suite(.serialized) struct DownloadFailureTests {
  /// A lab behind a ``LossyProxy`` that answers the first `failures` result-blob GETs 503.
  struct Setup {
    let lab: EngineFixture
    let proxy: LossyProxy
    let api: DefenderAPI

    init(failures: Int) async throws {
      lab = try await EngineFixture.start()
      let left = LossyProxy.Shared(failures)
      proxy = try LossyProxy(upstreamPort: lab.emulator.server.baseURL.port ?? 0) { request in
        guard request.target.lowercased().hasPrefix("/blob") else { return (.none, 0) }
        return left.value.withLock { count in
          guard count > 0 else { return (.none, 0) }
          count -= 1
          return (.serverErrorBeforeForwarding(status: 503), 0)
        }
      }
      var retry = RetryPolicy()
      retry.baseDelay = .milliseconds(5)
      retry.maxDelay = .milliseconds(20)
      retry.retryWindow = .zero  // exactly maxAttempts attempts
      api = try lab.emulator.client(
        try lab.emulator.settings(apiBase: proxy.baseURL), retry: retry)
    }

    func engine(also observe: @escaping @Sendable (EngineEvent) -> Void = { _ in }) -> Engine {
      var options = Engine.Options(
        resultsRoot: lab.directory.appendingPathComponent("results"),
        scriptDirectory: lab.directory)
      options.tenant = "lab"
      let log = lab.events
      return Engine(api: api, journal: lab.journal, audit: lab.audit, options: options) {
        log.append($0)
        observe($0)
      }
    }

    func stop() async {
      proxy.stop()
      await lab.stop()
    }
  }

  static let text = """
    on machine mymachine1.contoso.com < run Get-Processes.ps1; get 'C:\\Users\\analyst\\Downloads\\invoice.pdf.exe' >

    """

  /// Every download of the run fails: the run still finishes (no throw), its action counts as
  /// failed, none pending, and the manifest and journal say DownloadFailed.
  @Test func aResultThatCannotBeDownloadedIsAFailedDownloadNotPending() async throws {
    let setup = try await Setup(failures: 10_000)
    defer { Task { await setup.stop() } }
    let summary = try await setup.engine().run(
      try setup.lab.compile(Self.text), sourcePath: "t.lr", sourceText: Self.text)
    #expect(summary.pending == 0)
    #expect(summary.failed == 1)
    #expect(summary.failure == nil)
    #expect(summary.exitStatus == 1)
    let failed = setup.lab.events.all.filter {
      if case .commandFailed(_, _, _, _, let errors) = $0 {
        return errors.first?.contains("could not be downloaded") == true
      }
      return false
    }
    #expect(failed.count == 2)
    let runs = try setup.lab.journal.runs(limit: 1)
    #expect(runs.first?.state == .finished)
    let actions = try setup.lab.journal.actions(run: try #require(runs.first?.id))
    #expect(actions.allSatisfy { $0.state == .terminal })
  }

  /// A failed download is journaled (`DownloadFailed`) before a front end is told of it, so what
  /// it shows is already recorded (the engine used to report it first).
  @Test func aFailedDownloadIsJournaledBeforeItIsReported() async throws {
    let setup = try await Setup(failures: 10_000)
    defer { Task { await setup.stop() } }
    let journal = setup.lab.journal
    let unjournaled = LossyProxy.Shared(0)
    let engine = setup.engine { event in
      // One request: the event's index is the command's index in its action.
      guard case .commandFailed(let actionID, _, let index, _, let errors) = event,
        errors.first?.contains("could not be downloaded") == true
      else { return }
      let run = (try? journal.runs(limit: 1))?.first?.id ?? ""
      let action = (try? journal.actions(run: run))?.first { $0.actionID == actionID }
      let commands = action?.id.flatMap { try? journal.commands(action: $0) } ?? []
      if !commands.contains(where: { $0.commandIndex == index && $0.status == "DownloadFailed" }) {
        unjournaled.value.withLock { $0 += 1 }
      }
    }
    _ = try await engine.run(
      try setup.lab.compile(Self.text), sourcePath: "t.lr", sourceText: Self.text)
    #expect(unjournaled.value.withLock { $0 } == 0)
  }

  /// A download that fails through one round of the client's retries is tried again and saved.
  @Test func aDownloadThatFailsOnceIsRetriedAndSaved() async throws {
    let setup = try await Setup(failures: 6)
    defer { Task { await setup.stop() } }
    let summary = try await setup.engine().run(
      try setup.lab.compile(Self.text), sourcePath: "t.lr", sourceText: Self.text)
    #expect(summary.succeeded == 1)
    #expect(summary.pending == 0)
    #expect(summary.exitStatus == 0)
    #expect(setup.proxy.counts.serverErrors == 6)
  }
}
