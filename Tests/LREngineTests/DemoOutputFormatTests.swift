import DefenderEmulator
import Foundation
import LRResults
import LRTestSupport
import Testing

/// The lab prints what each stdlib script prints, in the format the script declares.
@Suite struct DemoOutputFormatTests {
  static let scripts = LRTestSupport.packageRoot.appendingPathComponent("stdlib/scripts")

  @Test func everyStdlibScriptDeclaresAFormatItsLabOutputHas() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.scripts.path)
    var checked = 0
    for name in names.sorted() {
      let text = try String(
        contentsOf: Self.scripts.appendingPathComponent(name), encoding: .utf8)
      let declared = try #require(OutputDeclaration.format(inScript: text), "\(name) declares none")
      // Every behaviour of the script but the hostile and broken machines' (those are data).
      let behaviours = Scenario.demo.scripts.filter {
        $0.script == name
          && !($0.machines ?? []).contains {
            $0.hasPrefix("ws-hostile") || $0.hasPrefix("ws-broken")
          }
      }
      #expect(!behaviours.isEmpty, "the lab has no behaviour for \(name)")
      for behaviour in behaviours {
        let parsed = OutputParser.parse(
          TranscriptCleaner.clean(behaviour.outputWithDemoTables), declared: declared)
        #expect(parsed.warning == nil, "\(name) on \(behaviour.machines ?? ["*"])")
        #expect(parsed.format == declared)
        #expect(declared == .text || !parsed.rows.isEmpty, "\(name): no rows")
        checked += 1
      }
    }
    #expect(checked >= 16)
  }
}
