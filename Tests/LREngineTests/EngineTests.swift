import DefenderClient
import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Testing

/// A lab emulator on loopback, a client signed in to it, and an engine writing to a temp folder.
struct EngineFixture {
  let emulator: EmulatorFixture
  let api: DefenderAPI
  let directory: URL
  let journal: Journal
  let audit: AuditLog
  let events = EventLog()

  static func start(timeScale: Double = 600) async throws -> EngineFixture {
    let emulator = try await EmulatorFixture.start(
      timeScale: timeScale,
      libraryDirectory: LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts"))
    let directory = try LRTestSupport.temporaryDirectory()
    // As every command opens them: the audit log records its head in the journal.
    let journal = try Journal(url: directory.appendingPathComponent("journal.sqlite"))
    return EngineFixture(
      emulator: emulator, api: try emulator.client(), directory: directory, journal: journal,
      audit: try AuditLog(url: directory.appendingPathComponent("audit.jsonl"), journal: journal))
  }

  func engine(configure: (inout Engine.Options) -> Void = { _ in }) -> Engine {
    var options = Engine.Options(
      resultsRoot: directory.appendingPathComponent("results"), scriptDirectory: directory)
    options.tenant = "lab"
    configure(&options)
    let log = events
    return Engine(api: api, journal: journal, audit: audit, options: options) { log.append($0) }
  }

  func compile(_ text: String) throws -> Plan {
    let output = Compiler.compile(SourceFile(name: "t.lr", text: text))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
    return output.plan
  }

  func stop() async {
    await emulator.stop()
    try? FileManager.default.removeItem(at: directory)
  }
}

/// Collects events from the engine (any thread).
final class EventLog: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [EngineEvent] = []
  func append(_ event: EngineEvent) {
    lock.lock()
    list.append(event)
    lock.unlock()
  }
  var all: [EngineEvent] {
    lock.lock()
    defer { lock.unlock() }
    return list
  }
}

@Suite(.serialized) struct EngineTests {
  @Test func documentedExampleEndToEnd() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let text = try String(
      contentsOf: LRTestSupport.packageRoot.appendingPathComponent("examples/seed.lr"),
      encoding: .utf8)
    let engine = lab.engine()
    let summary = try await engine.run(
      try lab.compile(text), sourcePath: "examples/seed.lr", sourceText: text)
    #expect(summary.succeeded == 1)
    #expect(summary.exitStatus == 0)
    var transcript: String?
    var file: (String, Int64, String)?
    for event in lab.events.all {
      if case .resultReady(_, _, _, let result) = event {
        switch result {
        case .script(let code, let output, _, _):
          #expect(code == 0)
          transcript = output
        case .file(let path, let size, let sha):
          file = (path, size, sha)
        }
      }
    }
    #expect(transcript?.contains("OfficeClickToRun.dmp.zip") == true)
    let (path, size, sha) = try #require(file)
    #expect(size > 50_000_000)
    #expect(path.hasSuffix("/mymachine1.contoso.com/2-OfficeClickToRun.dmp.zip"))
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(sha.count == 64)
    // The journal and the audit log hold the action; the audit chain verifies against the journal.
    let runs = try lab.journal.runs()
    #expect(runs.first?.state == .finished)
    let actions = try lab.journal.actions(run: try #require(runs.first?.id))
    #expect(actions.map(\.state) == [.terminal])
    #expect(actions.first?.body.contains("Testing Live Response API [lr:") == true)
    // The head the audit log recorded in the journal on its last append (the run's end).
    let log = try String(contentsOf: lab.audit.url, encoding: .utf8)
    let identity = try #require(AuditLog.identity(in: log))
    let head = try #require(try lab.journal.auditHead(log: identity))
    #expect(head.sequence == lab.audit.head.sequence)
    // Recorded once, by the log's id: the engine no longer records it again by path.
    #expect(try lab.journal.auditHead(path: lab.audit.url.path) == nil)
    #expect(
      AuditLog.verify(text: log, expectedHead: (sequence: head.sequence, hash: head.hash))
        .isEmpty)
    let manifest = lab.directory.appendingPathComponent("results/\(runs[0].id)/manifest.json")
    #expect(FileManager.default.fileExists(atPath: manifest.path))
  }

  @Test func unknownMachinesStopTheRunBeforeAnythingIsSent() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let plan = try lab.compile(
      "on machine mymachine1 < run Get-Processes.ps1 >\non machine mymachne2.contoso.com < run Get-Processes.ps1 >"
    )
    await #expect(throws: Engine.RunError.self) {
      _ = try await lab.engine().run(plan, sourcePath: "t.lr", sourceText: "")
    }
    #expect(try lab.journal.runs().isEmpty)
    do {
      _ = try await lab.engine().run(plan, sourcePath: "t.lr", sourceText: "")
    } catch let error as Engine.RunError {
      #expect(error.description.contains("mymachne2.contoso.com"))
      #expect(error.unknown.first?.suggestion != nil)
    }
  }

  @Test func resultsFeedBranches() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let plan = try lab.compile(
      """
      let r = on machine mymachine1.contoso.com < run Get-Processes.ps1 >
      if r.ok and r.exit_code == 0 <
        on machine mymachine1.contoso.com < run Get-Services.ps1 >
      > else <
        on machine mymachine1.contoso.com < run Get-Autoruns.ps1 >
      >
      """)
    let summary = try await lab.engine().run(plan, sourcePath: "t.lr", sourceText: "")
    #expect(summary.succeeded == 2)
    let bodies = try lab.journal.actions(run: try #require(try lab.journal.runs().first?.id)).map(
      \.body)
    #expect(bodies.count == 2)
    #expect(bodies.last?.contains("Get-Services.ps1") == true)
  }

  /// The stdlib's `win-sysmon-log` on the lab: the exported channel's `/` is a `-` in the zip's
  /// name, as the real script writes it, so the GetFile finds it.
  @Test func eventLogChannelZipIsNamedAsTheScriptNamesIt() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let plan = try lab.compile(
      """
      on machine ws-0142 <
        run Export-EventLog.ps1 "Microsoft-Windows-Sysmon/Operational"
        get 'C:\\windows\\TEMP\\Microsoft-Windows-Sysmon-Operational.evtx.zip'
      >
      """)
    let summary = try await lab.engine().run(plan, sourcePath: "t.lr", sourceText: "")
    #expect(summary.succeeded == 1, "\(lab.events.all)")
    let saved = lab.events.all.compactMap { event -> Int64? in
      if case .resultReady(_, _, 1, .file(_, let size, _)) = event { return size }
      return nil
    }
    #expect(saved == [4 * 1024 * 1024])
  }

  @Test func dryRunResolvesAndSendsNothing() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let plan = try lab.compile("on machine mymachine1 < get 'C:\\a' >")
    let summary = try await lab.engine { $0.dryRun = true }.run(
      plan, sourcePath: "t.lr", sourceText: "")
    var expected = RunSummary()
    expected.dryRun = true
    #expect(summary == expected)
    #expect(try lab.journal.runs().isEmpty)
    // The stream still ends with runFinished (state dryRun).
    if case .runFinished(_, let finished)? = lab.events.all.last {
      #expect(finished.dryRun)
    } else {
      Issue.record("no runFinished last: \(lab.events.all)")
    }
    #expect(
      lab.events.all.contains {
        if case .machinesResolved(_, let machines, _, _) = $0 {
          return machines.first?.computerName == "mymachine1.contoso.com"
        }
        return false
      })
  }
}
