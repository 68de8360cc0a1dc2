import LRLanguage
import LRTestSupport
import Testing

/// `let NAME = target` where the target starts with a `$variable` (the grammar's `let_stmt`):
/// `let b = $a` and `let b = $a + machine X` bind target expressions, like `machine X + $a`.
@Suite struct LetTargetTests {
  @Test func aTargetVariableAloneBindsTheTarget() {
    let output = compile("let a = machine A + tag t\nlet b = $a\non $b < get x >")
    #expect(output.diagnostics.isEmpty)
    #expect(targets(output) == [#"[{"machine":"A"},{"tag":"t"}]"#])
    #expect(output.symbols.first { $0.name == "b" }?.kind == .target)
    #expect(output.environment.variableNames == ["a", "b"])
  }

  @Test func aTargetVariableFirstInAUnion() {
    let output = compile(
      "let a = tag t\nlet b = $a + machine X\nlet c = $b +\n  $a + name 'WS-*'\non $c < get x >")
    #expect(output.diagnostics.isEmpty)
    #expect(
      targets(output) == [
        #"[{"tag":"t"},{"machine":"X"},{"tag":"t"},{"name":"WS-*"}]"#
      ])
    #expect(output.symbols.first { $0.name == "c" }?.kind == .target)
  }

  @Test func aTextVariableInAUnionIsAMachineName() {
    // As in `machine X + $host`: a variable holding text names a machine.
    let output = compile("let host = 'WS-1'\nlet b = $host + tag t\non $b < get x >")
    #expect(output.diagnostics.isEmpty)
    #expect(targets(output) == [#"[{"machine":"WS-1"},{"tag":"t"}]"#])
  }

  @Test func aTextVariableAloneStaysText() {
    let output = compile("let host = 'WS-1'\nlet h = $host\non machine $h < get \"${h}\" >")
    #expect(output.diagnostics.isEmpty)
    #expect(output.symbols.first { $0.name == "h" }?.kind == .variable)
    #expect(targets(output) == [#"[{"machine":"WS-1"}]"#])
  }

  @Test func aResultIsNotATargetInAUnion() {
    assertDiagnostics(
      "let r = on machine A < get x >\nlet b = 1️⃣$r + machine X", [("notATarget", "1️⃣")])
  }

  @Test func theBoundTargetIsThePlansTarget() {
    // The plan: the statement's symbolic target, its request, and the same as the written union.
    let bound = compile("let a = tag t\nlet b = $a + machine X\non $b < run a.ps1 >")
    let written = compile("let a = tag t\non $a + machine X < run a.ps1 >")
    #expect(bound.diagnostics.isEmpty)
    #expect(bound.plan.allStatements.map(\.target) == written.plan.allStatements.map(\.target))
    #expect(bodies(bound) == bodies(written))
    #expect(targets(bound) == [#"[{"tag":"t"},{"machine":"X"}]"#])
  }

  @Test func theFormatterKeepsIt() {
    let text = "let a = tag t\nlet b = $a + machine X\nlet c = $a\n"
    #expect(Formatter.format(SourceFile(name: "test.lr", text: text)) == text)
  }
}
