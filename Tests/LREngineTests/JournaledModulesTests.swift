import Foundation
import LREngine
import LRLanguage
import Testing

/// `lr resume` recompiles a run with the module texts the journal kept, whatever the files say now.
struct JournaledModulesTests {
  /// Modules from a dictionary, standing in for the files as they are now.
  struct Files: ModuleProvider {
    var files: [String: String]
    func lookup(module name: String, from importer: String) -> ModuleLookup {
      let fileName = "lib/" + name + ".lr"
      guard let text = files[fileName] else { return .notFound(searched: ["lib/"]) }
      return .found(SourceFile(name: fileName, text: text))
    }
  }

  static let main = "use \"tools\"\non machine ws-0142 < listing >\n"

  static func scripts(_ output: Compiler.Output) -> [String] {
    output.plan.allStatements.flatMap(\.requests).flatMap(\.commands).compactMap {
      $0.param("ScriptName")?.description
    }
  }

  @Test func aChangedModuleIsCompiledAsJournaled() {
    let journaled = ["lib/tools.lr": "def listing() <\n  run Get-Processes.ps1\n>\n"]
    let now = Files(files: ["lib/tools.lr": "def listing() <\n  run Get-Services.ps1\n>\n"])
    let output = Compiler.compile(
      SourceFile(name: "main.lr", text: Self.main),
      modules: JournaledModules(journaled, fallback: now))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
    #expect(Self.scripts(output) == ["Get-Processes.ps1"])
  }

  @Test func aModuleThatWentAwayIsStillFound() {
    let journaled = ["lib/tools.lr": "def listing() <\n  run Get-Processes.ps1\n>\n"]
    let output = Compiler.compile(
      SourceFile(name: "main.lr", text: Self.main),
      modules: JournaledModules(journaled, fallback: Files(files: [:])))
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics)")
    #expect(Self.scripts(output) == ["Get-Processes.ps1"])
  }

  @Test func textsLeaveOutTheMainSource() {
    let sources = [
      "main.lr": SourceFile(name: "main.lr", text: "x"),
      "lib/tools.lr": SourceFile(name: "lib/tools.lr", text: "y"),
    ]
    #expect(JournaledModules.texts(of: sources, except: "main.lr") == ["lib/tools.lr": "y"])
  }
}
