import DefenderClient
import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// One statement fanned out to 52 machines on the emulator over loopback HTTP, with an offline
/// machine, a failing script, a timed-out script, injected 5xx answers and connection resets.
@Suite(.serialized) struct FanOutTests {
  static let count = 52
  static let offline = 21
  static let failing = 7
  static let slow = 13

  static func name(_ i: Int) -> String { String(format: "fleet-%02d.fanout.contoso.com", i) }
  static func id(_ i: Int) -> String { "fa" + String(format: "%038d", i) }

  /// 52 Windows machines tagged `Fanout`; `inventory.ps1` fails on fleet-07 and outlives the
  /// (scenario-shortened, 2-minute) RunScript timeout on fleet-13; fleet-21 is never online.
  static var scenario: Scenario {
    get throws {
      let demo = try #require(Scenario.builtIn("demo"))
      let machines = (1...count).map { i in
        ScenarioMachine(
          id: id(i), computerDnsName: name(i), osPlatform: "Windows11",
          machineTags: ["Fanout"], online: i == offline ? .offline : .always,
          checkInLatencySeconds: Double(2 + i % 5),
          files: [FileSpec(path: "C:\\inventory.txt", text: "inventory of \(name(i))\n")])
      }
      var limits = Limits()
      limits.runScriptTimeoutSeconds = 120
      return Scenario(
        name: "fanout", tenant: "lab", apps: demo.apps, users: demo.users, machines: machines,
        library: [ScenarioLibraryFile(fileName: "inventory.ps1")],
        scripts: [
          ScriptBehaviour(
            script: "inventory.ps1", machines: [name(failing)], fail: "Access is denied"),
          ScriptBehaviour(script: "inventory.ps1", machines: [name(slow)], durationSeconds: 900),
          ScriptBehaviour(
            script: "inventory.ps1", output: "inventory taken on {machine}\n", exitCode: 0,
            durationSeconds: 20),
        ],
        limits: limits,
        faults: FaultSettings(serverErrorRate: 0.04, connectionResetRate: 0.04, seed: 5))
    }
  }

  @Test(.timeLimit(.minutes(2))) func fiftyMachinesWithinTheBudget() async throws {
    let scale = 60.0
    let lab = try await EmulatorFixture.start(try Self.scenario, timeScale: scale)
    let api = try lab.client()
    let directory = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let journal = try Journal(url: directory.appendingPathComponent("journal.sqlite"))
    let audit = try AuditLog(
      url: directory.appendingPathComponent("audit.jsonl"), journal: journal)
    var options = Engine.Options(
      resultsRoot: directory.appendingPathComponent("results"), scriptDirectory: directory)
    options.tenant = "lab"
    options.confirm = { _, _ in true }
    // Service time: the last submission leaves about 5 minutes in, the slow script times out
    // 2 minutes after it starts; the offline machine's action is still queued at 12 minutes.
    options.timeout = .seconds(720)
    let events = EventLog()
    let engine = Engine(api: api, journal: journal, audit: audit, options: options) {
      events.append($0)
    }
    let text = "on tag \"Fanout\" < run inventory.ps1; get 'C:\\inventory.txt' >\n"
    let output = Compiler.compile(SourceFile(name: "fanout.lr", text: text))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
    let summary = try await engine.run(output.plan, sourcePath: "fanout.lr", sourceText: text)

    let stats = try await lab.stats()
    let actions = try await api.machineActions(filter: nil, followNextLink: true)
    await lab.stop()

    // Statuses and the exit status.
    #expect(summary.succeeded == Self.count - 3, "\(summary)")
    #expect(summary.failed == 2)
    #expect(summary.pending == 1)
    #expect(summary.exitStatus == 1)
    // Every other machine's results are present and correct.
    let all = events.all
    for i in 1...Self.count where ![Self.offline, Self.failing, Self.slow].contains(i) {
      let machine = Self.name(i)
      let scripts = all.compactMap { event -> (Int, String)? in
        guard case .resultReady(_, let m, 0, .script(let code, let out, _, _)) = event,
          m.computerName == machine
        else { return nil }
        return (code, out)
      }
      #expect(scripts.count == 1, "\(machine)")
      #expect(scripts.first?.0 == 0)
      #expect(scripts.first?.1 == "inventory taken on \(machine)\n")
      let files = all.compactMap { event -> String? in
        guard case .resultReady(_, let m, 1, .file(let path, _, _)) = event,
          m.computerName == machine
        else { return nil }
        return path
      }
      #expect(files.count == 1, "\(machine)")
      let saved = try files.first.map { try String(contentsOfFile: $0, encoding: .utf8) }
      #expect(saved == "inventory of \(machine)\n")
    }
    // Fail-stop: the failing and the timed-out script leave the GetFile not executed.
    for (i, error) in [
      (Self.failing, "Access is denied"), (Self.slow, "Script execution timed out after 2 minutes"),
    ] {
      let machine = Self.name(i)
      #expect(
        all.contains {
          guard case .commandFailed(_, let m, 0, "RunScript", let errors) = $0 else { return false }
          return m.computerName == machine && errors.contains(error)
        }, "\(machine)")
      #expect(
        all.contains {
          guard case .commandNotExecuted(_, let m, 1, "GetFile", _) = $0 else { return false }
          return m.computerName == machine
        }, "\(machine)")
      #expect(
        all.contains {
          guard case .actionFinished(_, let m, "Failed") = $0 else { return false }
          return m.computerName == machine
        }, "\(machine)")
    }
    // The offline machine's action is queued, still pending and kept for `lr resume`.
    #expect(
      all.contains {
        guard case .actionQueued(_, let m) = $0 else { return false }
        return m.computerName == Self.name(Self.offline)
      })
    let run = try #require(try journal.runs().first)
    #expect(run.state == .interrupted)
    let records = try journal.actions(run: run.id)
    #expect(
      records.filter { $0.state == .submitted }.map(\.computerName) == [Self.name(Self.offline)])
    // No duplicate submissions: exactly one action per machine on the service.
    #expect(stats.actionsCreated == Self.count)
    #expect(actions.count == Self.count)
    #expect(Set(actions.compactMap(\.machineId)).count == Self.count)
    #expect(Set(records.compactMap(\.actionID)) == Set(actions.map(\.id)))
    // The faults happened, and the client caused no 429.
    #expect(stats.injectedServerErrors > 0)
    #expect(stats.injectedResets > 0)
    #expect(stats.throttledByClient == 0, "\(stats)")
  }
}
