import DefenderClient
import DefenderEmulator
import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import LiveResponse
import NIOHTTP1
import Testing

/// `on $r.failed < … >` and `on $r where … < … >` reach exactly the machines of a bound result
/// that failed or match, on the lab emulator (its accepted submissions are the proof), within
/// one run and across runs (the REPL's later inputs).
@Suite(.serialized) struct ResultTargetTests {
  /// The machine ids the emulator accepted submissions for whose body runs `script`.
  static func submitted(_ lab: EngineFixture, script: String) async throws -> [String] {
    let reply = try await lab.emulator.admin(.GET, "submissions")
    guard case .array(let list)? = JSONValue.parse(reply.body) else { return [] }
    return list.compactMap { item in
      guard case .string(let body)? = item["body"], body.contains(script),
        case .string(let id)? = item["machineId"]
      else { return nil }
      return id
    }.sorted()
  }

  /// The ids of the demo fleet's machines, by short name.
  static func ids(_ lab: EngineFixture, _ names: [String]) async throws -> [String] {
    let fleet = try await lab.api.machines(top: 100)
    return names.compactMap { name in
      fleet.first { $0.computerDnsName?.hasPrefix(name + ".") == true }?.id
    }.sorted()
  }

  @Test func failedAndWhereTargetExactlyTheirMachines() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    // Tag "Lab": ws-broken-09 fails every script; ws-hostile-13 prints an "ALERT".
    let first = Compiler.compile(
      SourceFile(
        name: "t.lr",
        text: """
          let r = on tag "Lab" < run Get-Processes.ps1 >
          on $r.failed < run Get-Services.ps1 >
          on $r where output contains "alert" and exit_code == 0 < run Get-Autoruns.ps1 >
          if r.failed.count == 1 and r.count == 2 < on $r.succeeded < run Collect-Triage.ps1 > >
          """))
    #expect(first.diagnostics.isEmpty, "\(first.diagnostics.map(\.message))")
    let engine = lab.engine()
    _ = try await engine.run(first.plan, sourcePath: "t.lr", sourceText: "")
    let broken = try await Self.ids(lab, ["ws-broken-09"])
    let hostile = try await Self.ids(lab, ["ws-hostile-13"])
    #expect(broken.count == 1 && hostile.count == 1)
    #expect(
      try await Self.submitted(lab, script: "Get-Processes.ps1") == (broken + hostile).sorted())
    #expect(try await Self.submitted(lab, script: "Get-Services.ps1") == broken)
    #expect(try await Self.submitted(lab, script: "Get-Autoruns.ps1") == hostile)
    #expect(try await Self.submitted(lab, script: "Collect-Triage.ps1") == hostile)
    let bound = try #require(await engine.boundResults["r"])
    #expect(bound.machines.map(\.machineID).sorted() == (broken + hostile).sorted())
    #expect(bound.failed.map(\.machineID) == broken)

    // A later input (the REPL's): the binding and its machines come from the earlier run.
    let second = Compiler.compile(
      SourceFile(
        name: "<repl>", text: "on $r.failed + machine mymachine1 < run Get-FileHash.ps1 x >"),
      options: Compiler.Options(allowRedefinition: true, environment: first.environment))
    #expect(second.diagnostics.isEmpty, "\(second.diagnostics.map(\.message))")
    _ = try await lab.engine().run(
      second.plan, sourcePath: "<repl>", sourceText: "", results: await engine.boundResults)
    #expect(
      try await Self.submitted(lab, script: "Get-FileHash.ps1")
        == (broken + [Scenario.exampleMachineId]).sorted())
  }

  /// A condition on row columns: true on a machine when one of its rows matches all of them
  /// (ws-0142 runs a second lsass.exe from C:\Users\Public; ws-0143 only the system's).
  @Test func whereOnRowColumnsTargetsTheMachineWithTheMatchingRow() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let plan = try lab.compile(
      #"""
      let f = on tag "Finance" < run Get-Processes.ps1 >
      on $f where ProcessName == "lsass.exe" and Path contains 'Users\Public' < run Get-Services.ps1 >
      on $f where ProcessName == "lsass.exe" < run Get-Autoruns.ps1 >
      """#)
    let engine = lab.engine()
    _ = try await engine.run(plan, sourcePath: "t.lr", sourceText: "")
    let finance = try await Self.ids(lab, ["ws-0142", "ws-0143"])
    let odd = try await Self.ids(lab, ["ws-0142"])
    #expect(try await Self.submitted(lab, script: "Get-Services.ps1") == odd)
    #expect(try await Self.submitted(lab, script: "Get-Autoruns.ps1") == finance)
  }
}
