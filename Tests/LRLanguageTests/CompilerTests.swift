import Foundation
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// The request body documented in run-live-response.md, compact.
let documentedSeedBody =
  #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}]}],"Comment":"Testing Live Response API"}"#

@Suite struct CompilerTests {
  @Test func seedExampleCompilesToTheDocumentedBody() throws {
    let url = LRTestSupport.packageRoot.appendingPathComponent("examples/seed.lr")
    let output = Compiler.compile(
      SourceFile(name: "examples/seed.lr", bytes: Array(try Data(contentsOf: url))))
    #expect(output.diagnostics.isEmpty)
    #expect(bodies(output) == [documentedSeedBody])
    let statement = try #require(output.plan.allStatements.first)
    #expect(
      statement.target.json.serialized()
        == #"[{"machine":"1e5bc9d7e413ddd7902c2932e418702b84d0cc07"}]"#)
  }

  @Test(arguments: [
    #"on machine 1e5bc9d7e413ddd7902c2932e418702b84d0cc07 comment "Testing Live Response API" < run minidump.ps1 "OfficeClickToRun"; get "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip" >"#,
    #"on machine 1e5bc9d7e413ddd7902c2932e418702b84d0cc07 comment 'Testing Live Response API' < run minidump.ps1 OfficeClickToRun; get 'C:\windows\TEMP\OfficeClickToRun.dmp.zip' >"#,
    """
    comment "Testing Live Response API"
    let id = "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"
    def dump(p) <
      run minidump.ps1 $p
      get "C:\\\\windows\\\\TEMP\\\\${p}.dmp.zip"
    >
    on machine $id < dump OfficeClickToRun >
    """,
  ])
  func seedSpellings(_ text: String) {
    let output = compile(text)
    #expect(output.diagnostics.isEmpty)
    #expect(bodies(output) == [documentedSeedBody])
  }

  @Test func defaultCommentNamesTheTool() {
    #expect(
      bodies(compile("on machine X < get 'a' >")) == [
        #"{"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"a"}]}],"Comment":"lr test.lr"}"#
      ])
  }

  @Test func runWithoutArgumentsHasNoArgsParam() {
    #expect(
      bodies(compile("on machine X comment 'c' < run Get-Processes.ps1 >")) == [
        #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Get-Processes.ps1"}]}],"Comment":"c"}"#
      ])
  }

  @Test func severalArgumentsJoinIntoOneArgsString() {
    let output = compile(
      #"on machine X comment 'c' < run x.ps1 -Path 'C:\Program Files\a' -Count 3 >"#)
    #expect(
      output.plan.allStatements[0].requests[0].commands[0].param("Args")?.literal
        == #"-Path "C:\Program Files\a" -Count 3"#)
  }

  @Test(arguments: [
    ("put a; run b.ps1; get c", 1),
    ("get c; run b.ps1", 2),
    ("run a.ps1; put b", 2),
    ("get a; get b; put c; put d; run e.ps1; get f", 2),
    ("get a; run b.ps1; put c", 3),
    ("put a; put b; run c.ps1; run d.ps1; get e; get f", 1),
    ("get a; put b; get c; put d", 3),
    ("get a; run b.ps1; put c; get d", 3),
  ])
  func blocksSplitIntoTheFewestRequestsKeepingOrder(_ commands: String, _ expected: Int) throws {
    let output = compile("on machine X < \(commands) >")
    #expect(output.diagnostics.isEmpty)
    let statement = try #require(output.plan.allStatements.first)
    #expect(statement.requests.count == expected)
    let flattened = statement.requests.flatMap { $0.commands.map(\.type) }
    let written = commands.split(separator: ";").map {
      $0.trimmingCharacters(in: .whitespaces).prefix(3)
    }
    #expect(
      flattened.map { ["PutFile": "put", "RunScript": "run", "GetFile": "get"][$0.rawValue] ?? "" }
        == written.map(String.init))
    for request in statement.requests {
      #expect(request.commands.map(\.type.rank) == request.commands.map(\.type.rank).sorted())
    }
  }

  @Test func targetsStaySymbolic() {
    let output = compile(
      """
      let fleet = tag "finance" + name "WS-*"
      on machines [WS-1, ws-2.contoso.com] + $fleet + file "hosts.txt" + filter "osPlatform eq 'Linux'" < get 'a' >
      """)
    #expect(output.diagnostics.isEmpty)
    #expect(
      output.plan.allStatements[0].target.json.serialized()
        == #"[{"machine":"WS-1"},{"machine":"ws-2.contoso.com"},{"tag":"finance"},{"name":"WS-*"},{"file":"hosts.txt"},{"filter":"osPlatform eq 'Linux'"}]"#
    )
  }

  @Test func stringVariablesAreMachineNames() {
    let output = compile(
      "let host = \"WS-0142\"\non machine $host < get 'a' >\non $host < get 'b' >")
    #expect(output.diagnostics.isEmpty)
    #expect(
      output.plan.allStatements.map { $0.target.json.serialized() } == [
        #"[{"machine":"WS-0142"}]"#, #"[{"machine":"WS-0142"}]"#,
      ])
  }

  @Test func modulesProvideProcedures() {
    let output = compile(
      "use \"win\"\non machine X comment 'c' < dump lsass >",
      modules: [
        "win":
          "let dir = 'C:\\temp'\n# Dumps.\ndef dump(p) < run minidump.ps1 $p; get \"${dir}\\\\${p}.zip\" >"
      ])
    #expect(output.diagnostics.isEmpty)
    #expect(
      bodies(output) == [
        #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"lsass"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\temp\\lsass.zip"}]}],"Comment":"c"}"#
      ])
    #expect(
      output.symbols.contains {
        $0.name == "dump" && $0.documentation == "Dumps." && $0.file == "win.lr"
      })
  }

  @Test func diamondImportsLoadOnce() {
    let output = compile(
      "use \"a\"\nuse \"b\"",
      modules: ["a": "use \"c\"", "b": "use \"c\"", "c": "def x() < get 'a' >"])
    #expect(output.diagnostics.isEmpty)
  }

  @Test func proceduresCallProceduresAndSplit() {
    let output = compile(
      """
      def fetch(p) < get $p >
      def both(p) < fetch $p; run x.ps1 $p >
      on machine X < both 'a' >
      """)
    #expect(output.diagnostics.isEmpty)
    #expect(
      output.plan.allStatements[0].requests.map { $0.commands.map(\.type) } == [
        [.getFile], [.runScript],
      ])
  }

  @Test func resultsFeedBranchesAndLaterCommands() throws {
    let output = compile(
      """
      let r = on machine X < run find.ps1 >
      if r.exit_code == 0 and r.output contains "found" <
        on machine X < get "${r.output}" >
      > else if not r <
        on machine X < run fix.ps1 >
      > else <
        on machine Y < get 'z' >
      >
      """)
    #expect(output.diagnostics.isEmpty)
    guard case .branch(let branch) = output.plan.steps[1] else {
      Issue.record("expected a branch")
      return
    }
    #expect(branch.condition.description == #"(r.exit_code == 0) and (r.output contains "found")"#)
    let get = try #require(output.plan.allStatements.first { $0.number == 2 })
    let path = try #require(get.requests[0].commands[0].param("Path"))
    #expect(path.literal == nil)
    #expect(path.resolve(["r": ["output": .string("C:\\x.txt")]]) == "C:\\x.txt")
    #expect(output.plan.allStatements.count == 4)
    #expect(output.plan.allStatements[0].binding == "r")
  }

  @Test func planJSONShowsTheWholeProgram() {
    let output = compile("let r = on machine X < get 'a' >\nif r.ok < on tag \"t\" < run b.ps1 > >")
    let json = output.plan.json(sources: output.sources).serialized()
    #expect(json.contains(#""bind":"r""#))
    #expect(json.contains(#""if":"r.ok""#))
    #expect(json.contains(#""location":"test.lr:2:1""#))
    #expect(json.contains(#""targets":[{"tag":"t"}]"#))
  }

  @Test func constantsFold() {
    let output = compile(
      "let a = 2\nlet b = a >= 1 and \"x\" == 'x'\nif b < on machine X < get 'a' > >")
    guard case .branch(let branch) = output.plan.steps[0] else {
      Issue.record("expected a branch")
      return
    }
    #expect(branch.condition == .literal(.bool(true)))
  }

  @Test func escapesAndUnicode() {
    let output = compile(#"on machine X comment "tab\there \u{1F600} \"q\" \$x" < get 'a' >"#)
    #expect(output.diagnostics.isEmpty)
    #expect(output.plan.allStatements[0].requests[0].comment.literal == "tab\there 😀 \"q\" $x")
  }

  @Test func rawStringsKeepBackslashes() {
    let output = compile(#"on machine X < get 'C:\Users\it''s\x.txt' >"#)
    #expect(
      output.plan.allStatements[0].requests[0].commands[0].param("Path")?.literal
        == #"C:\Users\it's\x.txt"#)
  }

  @Test func environmentCarriesBetweenCompilations() {
    let first = compile("let host = \"WS-1\"\ndef f() < get 'a' >")
    let second = compile("on machine $host < f >", options: .init(environment: first.environment))
    #expect(second.diagnostics.isEmpty)
    #expect(second.plan.allStatements.count == 1)
  }
}

@Suite struct EvaluationTests {
  @Test(arguments: [
    ("r.exit_code == 0", true),
    ("r.exit_code != 0", false),
    ("r.exit_code <= 1 and r.exit_code >= 0", true),
    ("r.output contains \"WORLD\"", true),
    ("r.machine matches \"ws-*\"", true),
    ("r.machine matches \"srv-*\"", false),
    ("not r.ok or r.status == \"Failed\"", false),
    ("r", true),
    ("missing.output == \"\"", true),
  ])
  func conditions(_ condition: String, _ expected: Bool) throws {
    let output = compile(
      "let r = on machine X < run a.ps1 >\nlet missing = on machine Y < run b.ps1 >\nif \(condition) < >"
    )
    #expect(output.diagnostics.isEmpty)
    guard case .branch(let branch) = try #require(output.plan.steps.last) else {
      Issue.record("expected a branch")
      return
    }
    let results: ResultValues = [
      "r": [
        "exit_code": .number(0), "output": .string("hello world"), "machine": .string("WS-0142"),
        "ok": .bool(true), "status": .string("Succeeded"),
      ]
    ]
    #expect(branch.condition.evaluate(results).isTruthy == expected)
  }

  /// Text with run-time parts in a condition is a template, filled in from the results when the
  /// condition is evaluated (not the fixed text `"x${b.output}"`).
  @Test func interpolatedStringsInConditionsAreFilledIn() throws {
    let output = compile(
      """
      let a = on machine X < run a.ps1 >
      let b = on machine Y < run b.ps1 >
      let expected = "exit ${b.exit_code}: ${b.output}"
      if a.output contains "x${b.output}" and expected == 'exit 0: yz' <
        on machine Z < get 'z' >
      >
      """)
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    guard case .branch(let branch) = try #require(output.plan.steps.last) else {
      Issue.record("expected a branch")
      return
    }
    let template = PlanExpression.template(
      PlanString([.literal("x"), .runtime(.field(binding: "b", field: "output"))]))
    guard case .binary(.and, let contains, _) = branch.condition else {
      Issue.record("unexpected condition \(branch.condition)")
      return
    }
    #expect(contains == .binary(.contains, .field(binding: "a", field: "output"), template))
    #expect(
      branch.condition.description
        == #"(a.output contains "x${b.output}") and ("exit ${b.exit_code}: ${b.output}" == "exit 0: yz")"#
    )
    // Literal text that looks like interpolation is written escaped.
    #expect(
      PlanExpression.template(
        PlanString([.literal("a\"${b}\\"), .runtime(.field(binding: "r", field: "ok"))])
      ).description == #""a\"\${b}\\${r.ok}""#)
    let results: ResultValues = [
      "a": ["output": .string("--xyz--")], "b": ["output": .string("yz"), "exit_code": .number(0)],
    ]
    #expect(template.evaluate(results) == .string("xyz"))
    #expect(branch.condition.evaluate(results) == .bool(true))
    var other = results
    other["b"]?["output"] = .string("q")
    #expect(branch.condition.evaluate(other) == .bool(false))
    // Unknown results read as empty, as fields do.
    #expect(template.evaluate([:]) == .string("x"))
    #expect(!template.isConstant)
    #expect(PlanExpression.template(PlanString(literal: "k")).isConstant)
  }

  @Test(arguments: [
    ("WS-*", "ws-0142", true), ("*.contoso.com", "a.contoso.com", true), ("a?c", "abc", true),
    ("a?c", "ac", false), ("*", "", true), ("a*b*c", "aXbYc", true), ("a*b", "ab", true),
    ("abc", "abcd", false),
  ])
  func globs(_ pattern: String, _ text: String, _ expected: Bool) {
    #expect(Glob.matches(pattern, text) == expected)
  }
}
