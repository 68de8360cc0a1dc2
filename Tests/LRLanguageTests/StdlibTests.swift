import Foundation
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// The shipped stdlib: every procedure compiles when called, every script a module runs is in
/// `stdlib/scripts`, and every script there is run by a module and is valid for its shell.
@Suite struct StdlibTests {
  static let scriptsFolder = repository.appendingPathComponent("stdlib/scripts")

  static func modules() throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: repository.appendingPathComponent("stdlib").path
    ).filter { $0.hasSuffix(".lr") }.map { String($0.dropLast(3)) }.sorted()
  }

  static func scripts() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: scriptsFolder.path)
      .filter { $0.hasSuffix(".ps1") || $0.hasSuffix(".sh") }.sorted()
  }

  /// A call of every procedure each module defines (made-up arguments), compiled: the module's
  /// procedures, and what each call sends.
  static func calls() throws -> [(module: String, procedure: String, output: Compiler.Output)] {
    var out: [(String, String, Compiler.Output)] = []
    for module in try modules() {
      let definitions = Compiler.compile(
        SourceFile(name: "t.lr", text: "use \"\(module)\""), modules: stdlibModules)
      let procedures = definitions.symbols.filter {
        $0.kind == .procedure && $0.file.hasSuffix("stdlib/\(module).lr")
      }
      for procedure in procedures {
        let arguments = procedure.parameters.indices.map { " a\($0 + 1)" }.joined()
        let text = "use \"\(module)\"\non machine WS-1 < \(procedure.name)\(arguments) >\n"
        out.append(
          (
            module, procedure.name,
            Compiler.compile(SourceFile(name: "t.lr", text: text), modules: stdlibModules)
          ))
      }
    }
    return out
  }

  @Test func everyProcedureCompilesWhenCalled() throws {
    let calls = try StdlibTests.calls()
    #expect(try Set(calls.map(\.module)) == Set(StdlibTests.modules()))
    #expect(calls.count >= 20)
    for call in calls {
      #expect(
        call.output.diagnostics.isEmpty,
        "\(call.module).lr \(call.procedure): \(call.output.diagnostics.map(\.message))")
      let requests = call.output.plan.allStatements.flatMap(\.requests)
      #expect(!requests.isEmpty, "\(call.module).lr \(call.procedure) sends nothing")
    }
  }

  @Test func modulesRunOnlyShippedScriptsAndEveryScriptIsRun() throws {
    var run = Set<String>()
    for call in try StdlibTests.calls() {
      for request in call.output.plan.allStatements.flatMap(\.requests) {
        for command in request.commands where command.type == .runScript {
          let name = try #require(command.param("ScriptName")?.literal)
          run.insert(name)
        }
      }
    }
    let shipped = Set(try StdlibTests.scripts())
    #expect(
      run.subtracting(shipped).isEmpty,
      "run by a module, not in stdlib/scripts: \(run.subtracting(shipped).sorted())")
    #expect(
      shipped.subtracting(run).isEmpty,
      "in stdlib/scripts, run by no module: \(shipped.subtracting(run).sorted())")
    #expect(shipped.contains { $0.hasSuffix(".ps1") } && shipped.contains { $0.hasSuffix(".sh") })
  }

  @Test func shellScriptsParse() async throws {
    let scripts = try StdlibTests.scripts().filter { $0.hasSuffix(".sh") }
    #expect(scripts.count >= 5)
    for script in scripts {
      let path = StdlibTests.scriptsFolder.appendingPathComponent(script).path
      let result = try await LRTestSupport.run(URL(fileURLWithPath: "/bin/bash"), ["-n", path])
      #expect(result.status == 0, "bash -n \(script): \(result.stderr)")
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(text.hasPrefix("#!"), "\(script) has no #! line")
    }
  }

  /// PowerShell's own parser when `pwsh` is installed (it is not on every build machine; the
  /// reference check above runs everywhere).
  @Test func powerShellScriptsParseWhenPwshIsInstalled() async throws {
    let pwsh = ["/usr/bin/pwsh", "/usr/local/bin/pwsh", "/opt/microsoft/powershell/7/pwsh"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    let scripts = try StdlibTests.scripts().filter { $0.hasSuffix(".ps1") }
    #expect(scripts.count >= 5)
    guard let pwsh else { return }
    for script in scripts {
      let path = StdlibTests.scriptsFolder.appendingPathComponent(script).path
      let command =
        "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('\(path)', [ref]$null, [ref]$e); if ($e.Count) { $e | ForEach-Object { $_.Message }; exit 1 }"
      let result = try await LRTestSupport.run(
        URL(fileURLWithPath: pwsh), ["-NoProfile", "-NonInteractive", "-Command", command])
      #expect(result.status == 0, "\(script): \(result.stdout)\(result.stderr)")
    }
  }
}
