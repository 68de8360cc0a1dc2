import Foundation
import LRTestSupport
import Testing

/// `lr check` and `lr compile --plan` know results as targets: a clean file checks clean, a
/// misspelt field and a `.failed` of a target are reported with their ids, positions and fix-its.
@Suite struct ResultTargetCheckTests {
  @Test func checkKnowsResultTargets() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = dir.appendingPathComponent("good.lr")
    try """
    let r = on tag "Lab" < run Get-Processes.ps1 >
    on $r.failed + machine WS-0142 < run Get-Services.ps1 >
    on $r where output contains "mimikatz" or ProcessName == "lsass.exe" < get 'C:\\a.txt' >
    if r.failed.count != 0 < on $r.succeeded < run Get-Autoruns.ps1 > >

    """.write(to: good, atomically: true, encoding: .utf8)
    let clean = try await LRTestSupport.runLR(["check", good.path])
    #expect(clean.status == 0, "\(clean.stderr)")
    #expect(clean.stderr.isEmpty)
    let plan = try await LRTestSupport.runLR(["compile", "--plan", good.path])
    #expect(plan.status == 0)
    #expect(plan.stdout.contains(#""result": "r""#) || plan.stdout.contains(#""result":"r""#))

    let bad = dir.appendingPathComponent("bad.lr")
    try """
    let t = tag "x"
    let r = on $t < run Get-Processes.ps1 >
    on $r.faild < get 'a' >
    on $t.failed < get 'a' >
    on $r where outptu contains "x" < get 'a' >

    """.write(to: bad, atomically: true, encoding: .utf8)
    let failed = try await LRTestSupport.runLR(["check", bad.path])
    #expect(failed.status == 2)
    #expect(failed.stderr.contains("bad.lr:3:7: error: results have no field `faild`"))
    #expect(failed.stderr.contains("fix-it: did you mean `failed`?"))
    #expect(failed.stderr.contains("bad.lr:4:4: error: `t` is not a bound result"))
    #expect(failed.stderr.contains("bad.lr:5:13: error: results have no field `outptu`"))
    #expect(failed.stderr.contains("a column of the rows: `row.outptu`"))
  }
}
