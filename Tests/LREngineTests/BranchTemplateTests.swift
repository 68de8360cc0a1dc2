import Foundation
import LREngine
import LRLanguage
import LRTestSupport
import Testing

/// A condition with text built from results (`"host:${r.machine}"`) is filled in by the engine
/// when it decides the branch, on the lab emulator.
@Suite(.serialized) struct BranchTemplateTests {
  @Test func interpolatedTextInAConditionIsFilledIn() async throws {
    let lab = try await EngineFixture.start()
    defer { Task { await lab.stop() } }
    let plan = try lab.compile(
      """
      let r = on machine mymachine1 < run Get-Processes.ps1 >
      if "host:${r.machine}" == "host:mymachine1.contoso.com" and r.ok <
        on machine mymachine1 < run Get-Services.ps1 >
      > else <
        on machine mymachine1 < run Get-Autoruns.ps1 >
      >
      """)
    let summary = try await lab.engine().run(plan, sourcePath: "t.lr", sourceText: "")
    #expect(summary.succeeded == 2)
    let run = try #require(try lab.journal.runs().first?.id)
    let bodies = try lab.journal.actions(run: run).map(\.body)
    #expect(bodies.count == 2)
    #expect(bodies.last?.contains("Get-Services.ps1") == true, "\(bodies)")
  }
}
