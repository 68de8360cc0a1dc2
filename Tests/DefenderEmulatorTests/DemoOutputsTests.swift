import Foundation
import Testing

@testable import DefenderEmulator

/// The demo fleet's scripted outputs are built when a command first needs them, not when the
/// scenario is made or the lab starts (start-up, issue 16.3), and they read as before.
@Suite struct DemoOutputsTests {
  static let tabled = [
    "Get-Processes.ps1", "Get-Services.ps1", "Get-Autoruns.ps1", "Get-FileHash.ps1",
  ]

  @Test func theDemoScenarioHoldsNamesNotTables() throws {
    let demo = try #require(Scenario.builtIn("demo"))
    let rules = demo.scripts.filter {
      Self.tabled.contains($0.script) && $0.output.hasPrefix("Transcript started")
    }
    #expect(rules.count == 7)
    for rule in rules {
      #expect(rule.output.contains("{demo:"), "\(rule.script) \(rule.machines ?? [])")
      #expect(!rule.output.contains("---"), "a built table in \(rule.script)")
    }
  }

  @Test func aTranscriptExpandsTheNamedOutput() throws {
    let demo = try #require(Scenario.builtIn("demo"))
    let machine = try #require(demo.machines.first { $0.computerDnsName == "ws-0142.contoso.com" })
    let rule = try #require(
      demo.scripts.first { $0.matches(script: "Get-Processes.ps1", args: "", machine: machine) })
    let substitute = { (text: String) in
      ScriptArguments.substitute(
        text, args: "", script: "Get-Processes.ps1", machine: machine, transcriptId: "t")
    }
    let expected = substitute(Scenario.transcriptHeader + Scenario.DemoOutputs.oddLsassProcesses)
    #expect(substitute(rule.output) == expected)
    #expect(expected.contains("C:\\Users\\Public\\lsass.exe -k netsvcs"))
    #expect(expected.contains("processes on ws-0142.contoso.com"))
    let hash = try #require(demo.scripts.first { $0.script == "Get-FileHash.ps1" })
    let file = ScriptArguments.substitute(
      hash.output, args: "C:\\x.exe", script: "Get-FileHash.ps1", machine: machine,
      transcriptId: "t")
    #expect(file.contains("C:\\x.exe") && !file.contains("{argsHash}") && !file.contains("{demo:"))
  }
}
