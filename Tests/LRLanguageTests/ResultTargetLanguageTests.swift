import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// Results in the language: `$r.failed`, `$r.succeeded`, `$r.machines` and `$r where …` as
/// targets, `r.count`, `r.failed.count`, `r.rows` as values, and their diagnostics.
@Suite struct ResultTargetLanguageTests {
  static let bound = "let r = on tag \"Lab\" < run Get-Processes.ps1 >\n"

  /// The target terms of the plan's last statement.
  func lastTarget(_ text: String) throws -> [TargetSelector.Term] {
    let output = compile(Self.bound + text)
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    return try #require(output.plan.allStatements.last).target.terms
  }

  @Test func resultSubsetsAreTargets() throws {
    #expect(
      try lastTarget("on $r.failed < get 'a' >")
        == [.results(binding: "r", subset: .failed, condition: nil)])
    #expect(
      try lastTarget("on $r.succeeded + machine WS-1 < get 'a' >")
        == [
          .results(binding: "r", subset: .succeeded, condition: nil),
          .machine(PlanString(literal: "WS-1")),
        ])
    #expect(
      try lastTarget("on $r.machines < get 'a' >")
        == [.results(binding: "r", subset: .machines, condition: nil)])
    // `let f = $r.failed` binds a target (`r.failed` without `$` is text).
    #expect(
      try lastTarget("let f = $r.failed\non $f < get 'a' >")
        == [.results(binding: "r", subset: .failed, condition: nil)])
  }

  @Test func whereConditionsReadEachMachinesResultAndRows() throws {
    let terms = try lastTarget(
      #"on $r where output contains "mimikatz" or ProcessName == "lsass.exe" and row.Path != "" < get 'a' >"#
    )
    guard case .results("r", .machines, let condition?) = terms.first else {
      Issue.record("\(terms)")
      return
    }
    #expect(
      condition.description
        == #"(output contains "mimikatz") or ((row.ProcessName == "lsass.exe") and (row.Path != ""))"#
    )
    #expect(condition.readsRows)
    let failedWhere = try lastTarget("on $r.failed where exit_code != 0 < get 'a' >")
    #expect(failedWhere.first.map { "\($0)" }?.contains("failed") == true)
  }

  @Test func machinesMatchOnTheirOwnResultAndAnyRow() throws {
    let lsass: JSONValue = .object([("ProcessName", .string("lsass.exe")), ("Id", .number(7))])
    let other: JSONValue = .object([("ProcessName", .string("svchost.exe")), ("Id", .number(8))])
    let a = MachineResult(
      machine: "a", machineID: "1", status: .succeeded, exitCode: 0, output: "found MIMIKATZ",
      rows: [other, lsass])
    let b = MachineResult(
      machine: "b", machineID: "2", status: .failed, exitCode: 1, output: "", rows: [other])
    let c = MachineResult(machine: "c", machineID: "3", status: .succeeded, exitCode: 0)
    let set = ResultSet(machines: [a, b, c])
    func names(_ text: String, _ subset: ResultField = .machines) throws -> [String] {
      let compiled = Compiler.compileCondition(text)
      let condition = try #require(compiled.condition, "\(compiled.diagnostics.map(\.message))")
      return set.machines(subset, where: condition).map(\.machine)
    }
    #expect(try names(#"output contains "mimikatz""#) == ["a"])
    #expect(try names("exit_code != 0") == ["b"])
    #expect(try names(#"status == "Failed""#) == ["b"])
    #expect(try names(#"ProcessName == "lsass.exe""#) == ["a"])
    // The columns a condition reads come from one row: no row of `a` is both.
    #expect(try names(#"ProcessName == "lsass.exe" and Id == 8"#) == [])
    // A machine without rows never matches a condition on a column.
    #expect(try names(#"not ProcessName == "x""#) == ["a", "b"])
    #expect(try names("ok", .succeeded) == ["a", "c"])
    #expect(set.failed.map(\.machine) == ["b"])
    #expect(set["count"] == .number(3))
    #expect(set["failed.count"] == .number(1))
    #expect(set["succeeded"] == .string("a, c"))
    #expect(set["rows.count"] == .number(3))
    #expect(set["status"] == .string("Failed"))
    #expect(set["output"] == .string("found MIMIKATZ"))
  }

  @Test func resultSetFieldsInConditionsAndText() throws {
    let output = compile(
      Self.bound
        + #"if r.failed.count == 0 and r.count >= 1 < on machine X < run b.ps1 "${r.machines}" > >"#
    )
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    guard case .branch(let branch) = try #require(output.plan.steps.last) else {
      Issue.record("expected a branch")
      return
    }
    #expect(branch.condition.description == "(r.failed.count == 0) and (r.count >= 1)")
    let results: ResultValues = [
      "r": ResultSet(machines: [
        MachineResult(machine: "ws-1", machineID: "1", status: .succeeded, exitCode: 0),
        MachineResult(machine: "ws-2", machineID: "2", status: .succeeded, exitCode: 0),
      ])
    ]
    #expect(branch.condition.evaluate(results) == .bool(true))
    let args = try #require(
      branch.thenSteps.first.flatMap {
        if case .statement(let s) = $0 {
          s.requests.first?.commands.first?.param("Args")
        } else {
          nil
        }
      })
    #expect(args.resolve(results) == "ws-1, ws-2")
  }

  @Test func checkerDiagnostics() {
    let bound = Self.bound
    // An unknown field of a result: did you mean.
    assertDiagnostics(bound + "on $r.1️⃣faild < get 'a' >", [("unknownField", "1️⃣")])
    let typo = compile(bound + "on $r.faild < get 'a' >")
    #expect(typo.diagnostics.first?.fixIts.first?.edits.first?.replacement == "failed")
    // `.failed` of something that is not a bound result.
    assertDiagnostics(
      "let t = tag \"x\"\non 1️⃣$t.failed < get 'a' >", [("notAResultSet", "1️⃣")])
    assertDiagnostics(
      "let t = \"x\"\non 1️⃣$t where ok < get 'a' >", [("notAResultSet", "1️⃣")])
    // A count is not a target.
    assertDiagnostics(bound + "on 1️⃣$r.failed.count < get 'a' >", [("notATarget", "1️⃣")])
    // A `where` condition on a misspelt field: did you mean, or a column.
    assertDiagnostics(
      bound + "on $r where 1️⃣outptu contains \"x\" < get 'a' >", [("unknownField", "1️⃣")])
    let misspelt = compile(bound + "on $r where outptu contains \"x\" < get 'a' >")
    let replacements = misspelt.diagnostics.first?.fixIts.flatMap(\.edits).map(\.replacement)
    #expect(replacements == ["output", "row.outptu"])
    #expect(misspelt.diagnostics.first?.notes.isEmpty == false)
    // The result's own fields are not a machine's.
    assertDiagnostics(bound + "on $r where 1️⃣count == 1 < get 'a' >", [("unknownField", "1️⃣")])
    // A bare result is still not a target; the note names the forms that are.
    let bare = compile(bound + "on $r < get 'a' >")
    #expect(bare.diagnostics.map(\.id) == ["notATarget"])
    #expect(bare.diagnostics.first?.notes.first?.message.contains("$r.failed") == true)
  }

  @Test func formatterWritesTheNewFormsCanonically() throws {
    let text =
      "let r = on tag \"Lab\"   < run Get-Processes.ps1 >\non   $r.failed+machine X < get 'a' >\non $r   where   output contains   \"x\" and (exit_code==0) < get 'b' >\n"
    let formatted = try #require(Formatter.format(SourceFile(name: "t.lr", text: text)))
    #expect(
      formatted
        == "let r = on tag \"Lab\" < run Get-Processes.ps1 >\non $r.failed + machine X < get 'a' >\non $r where output contains \"x\" and (exit_code == 0) < get 'b' >\n"
    )
    #expect(Formatter.format(SourceFile(name: "t.lr", text: formatted)) == formatted)
  }

  @Test func planJSONNamesTheResultTerm() throws {
    let output = compile(Self.bound + "on $r.failed where exit_code != 0 < get 'a' >")
    let statement = try #require(output.plan.allStatements.last)
    #expect(
      statement.target.json.serialized()
        == #"[{"result":"r","machines":"failed","where":"exit_code != 0"}]"#)
    #expect(statement.target.summary == "$r.failed where exit_code != 0")
  }
}

extension ResultTargetLanguageTests {
  /// `where` after a result is a keyword for editors; elsewhere it is an ordinary word.
  @Test func whereIsAKeywordAfterAResult() {
    let text = "let r = on tag \"x\" < run a.ps1 >\non $r where ok < get where >"
    let source = SourceFile(name: "t.lr", text: text)
    let analysis = Analysis(source: source, modules: NoModules())
    let wheres = analysis.semanticTokens().filter { source.text($0.range) == "where" }
    #expect(wheres.map(\.kind) == [.keyword])
  }
}
