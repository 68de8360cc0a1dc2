import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// Where docs/language.md says a newline does not end a statement ("inside `( )`, `[ ]`, after
/// `+`, `=`, `and`, `or`, `not`, and between a target and its `<`"), and the REPL's
/// ``Analysis/needsMoreInput(_:)`` agrees: lines it joins compile as one statement.
@Suite struct ContinuationTests {
  /// The plan of a text that must compile without diagnostics, as one line per statement and
  /// branch (condition, target, bodies), so that a broken-up text can be compared with its
  /// one-line form.
  func shape(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    -> [String]
  {
    let output = compile(text)
    #expect(
      output.diagnostics.isEmpty, "\(text.debugDescription): \(output.diagnostics.map(\.message))",
      sourceLocation: sourceLocation)
    return planShape(output.plan)
  }

  @Test(arguments: [
    ("let x =\n  \"a\"\non machine $x < get 'p' >", "let x = \"a\"\non machine $x < get 'p' >"),
    (
      "let x =\n\n  3\nif x == 3 < on machine A < get 'p' > >",
      "let x = 3\nif x == 3 < on machine A < get 'p' > >"
    ),
    ("let r =\n  on machine A < get 'p' >", "let r = on machine A < get 'p' >"),
    (
      "let t =\n  tag \"a\" +\n  machine B\non $t < get 'p' >",
      "let t = tag \"a\" + machine B\non $t < get 'p' >"
    ),
  ])
  func newlineAfterEquals(_ broken: String, _ oneLine: String) {
    #expect(shape(broken) == shape(oneLine))
  }

  @Test func newlineAfterNot() {
    let head = "let r = on machine A < run a.ps1 >\n"
    #expect(
      shape(head + "if not\n  r.ok < on machine B < get 'p' > >")
        == shape(head + "if not r.ok < on machine B < get 'p' > >"))
    #expect(
      shape(head + "if not\nnot\n r.ok < on machine B < get 'p' > >")
        == shape(head + "if not not r.ok < on machine B < get 'p' > >"))
  }

  @Test func newlinesInsideParentheses() {
    let head = "let r = on machine A < run a.ps1 >\n"
    let oneLine =
      head + "if (r.exit_code == 0 and r.output contains \"x\") < on machine B < get 'p' > >"
    #expect(!shape(oneLine).isEmpty)
    for broken in [
      "if (\n  r.exit_code == 0\n  and r.output contains \"x\"\n) < on machine B < get 'p' > >",
      "if (r.exit_code\n  ==\n  0 and\n  r.output\n  contains \"x\") < on machine B < get 'p' > >",
      "if (r.exit_code == 0\n\n  and r.output contains \"x\"\n  ) < on machine B < get 'p' > >",
    ] {
      #expect(shape(head + broken) == shape(oneLine), "\(broken.debugDescription)")
    }
    // Nested parentheses, and `or` on the next line.
    #expect(
      shape(head + "if ((r.ok)\n  or (not\n r.ok)) < on machine B < get 'p' > >")
        == shape(head + "if ((r.ok) or (not r.ok)) < on machine B < get 'p' > >"))
  }

  @Test func outsideParenthesesANewlineStillEndsTheCondition() {
    let source = MarkedSource(
      "let r = on machine A < run a.ps1 >\nif r.ok1️⃣\n  and r.exit_code == 0 < on machine B < get 'p' > >"
    )
    let output = compile(source.text)
    #expect(output.diagnostics.first?.id == "expected")
    #expect(output.diagnostics.first?.range.lowerBound == source["1️⃣"])
  }

  @Test func newlineAfterElse() {
    let head = "let r = on machine A < run a.ps1 >\n"
    let oneLine =
      head
      + "if r.ok < on machine B < get 'p' > > else if r.exit_code == 1 < on machine C < get 'q' > >"
    #expect(
      shape(
        head
          + "if r.ok < on machine B < get 'p' > > else\n  if r.exit_code == 1 < on machine C < get 'q' > >"
      )
        == shape(oneLine))
    #expect(
      shape(head + "if r.ok < on machine B < get 'p' > > else\n< on machine C < get 'q' > >")
        == shape(head + "if r.ok < on machine B < get 'p' > > else < on machine C < get 'q' > >"))
  }

  @Test func otherDocumentedContinuations() {
    #expect(
      shape("on machines [\n  A,\n  B\n] < get 'p' >") == shape("on machines [A, B] < get 'p' >"))
    #expect(
      shape("on tag \"a\"\n  + machine B < get 'p' >")
        == shape("on tag \"a\" + machine B < get 'p' >"))
    #expect(shape("on machine A\n<\n  get 'p'\n>") == shape("on machine A < get 'p' >"))
    #expect(
      shape("def f(\n  a,\n  b\n) < get $a; get $b >\non machine A < f 'x' 'y' >")
        == shape("def f(a, b) < get $a; get $b >\non machine A < f 'x' 'y' >"))
    let head = "let r = on machine A < run a.ps1 >\n"
    #expect(
      shape(
        head
          + "if r.ok and\n  r.exit_code == 0 or\n  r.output contains 'x' < on machine B < get 'p' > >"
      )
        == shape(
          head
            + "if r.ok and r.exit_code == 0 or r.output contains 'x' < on machine B < get 'p' > >"))
  }

  /// Lines fed to the REPL one at a time are joined (with "\n") while ``Analysis/needsMoreInput``
  /// says so, as `StatementReader` does; every joined input compiles as the one-line form does.
  @Test(arguments: [
    (["let x =", "  \"a\""], "let x = \"a\""),
    (["let r =", "on machine A < get 'p' >"], "let r = on machine A < get 'p' >"),
    (["let t = tag 'a' +", "machine B"], "let t = tag 'a' + machine B"),
    (["on machines [A,", "B] < get 'p' >"], "on machines [A, B] < get 'p' >"),
    (["on machine A <", "get 'p'", ">"], "on machine A < get 'p' >"),
    (
      ["let r = on machine A < run a.ps1 >", "if not", "r.ok < on machine B < get 'p' > >"],
      "let r = on machine A < run a.ps1 >\nif not r.ok < on machine B < get 'p' > >"
    ),
    (
      [
        "let r = on machine A < run a.ps1 >", "if (r.ok",
        "and r.exit_code == 0) < on machine B < get 'p' > >",
      ],
      "let r = on machine A < run a.ps1 >\nif (r.ok and r.exit_code == 0) < on machine B < get 'p' > >"
    ),
    (
      [
        "let r = on machine A < run a.ps1 >", "if r.ok and",
        "r.exit_code == 0 < on machine B < get 'p' > >",
      ],
      "let r = on machine A < run a.ps1 >\nif r.ok and r.exit_code == 0 < on machine B < get 'p' > >"
    ),
    (
      [
        "let r = on machine A < run a.ps1 >", "if r.ok < on machine B < get 'p' > > else",
        "< on machine C < get 'q' > >",
      ],
      "let r = on machine A < run a.ps1 >\nif r.ok < on machine B < get 'p' > > else < on machine C < get 'q' > >"
    ),
    (
      ["def f(", "a) < get $a >", "on machine A < f 'x' >"],
      "def f(a) < get $a >\non machine A < f 'x' >"
    ),
  ])
  func linesTheREPLJoinsCompile(_ lines: [String], _ oneLine: String) {
    var inputs: [String] = []
    var pending: [String] = []
    for line in lines {
      pending.append(line)
      let text = pending.joined(separator: "\n")
      if !Analysis.needsMoreInput(text) {
        inputs.append(text)
        pending = []
      }
    }
    #expect(pending.isEmpty, "still waiting for input after \(lines)")
    // The REPL compiles each input with the names of the earlier ones.
    var environment = Compiler.Environment()
    var shapes: [String] = []
    for input in inputs {
      let output = compile(input, options: .init(environment: environment))
      #expect(
        output.diagnostics.isEmpty,
        "\(input.debugDescription): \(output.diagnostics.map(\.message))")
      environment = output.environment
      shapes += planShape(output.plan)
    }
    #expect(shapes == shape(oneLine))
  }

  @Test(arguments: [
    ("let x =", true), ("if not", true), ("if (r.ok", true), ("if r.ok < get 'a' > else", true),
    ("def f(", true), ("let x = 1", false), ("if not r.ok < >", false),
  ])
  func needsMoreInputAtEachContinuation(_ text: String, _ expected: Bool) {
    #expect(Analysis.needsMoreInput(text) == expected)
  }
}

/// The plan as text: statements (target, bodies, binding, rollout) and branches (condition, then, else),
/// without positions.
func planShape(_ plan: Plan) -> [String] {
  func walk(_ steps: [PlanStep], _ indent: String) -> [String] {
    steps.flatMap { step -> [String] in
      switch step {
      case .statement(let s):
        return [
          indent + s.target.json.serialized() + " "
            + s.requests.map { $0.json().serialized() }.joined(separator: " ")
            + " bind=\(s.binding ?? "")"
            + (s.rollout.map { " rollout=" + $0.json.serialized() } ?? "")
        ]
      case .branch(let b):
        return [indent + "if \(b.condition)"] + walk(b.thenSteps, indent + "  ") + [indent + "else"]
          + walk(b.elseSteps, indent + "  ") + [indent + "end"]
      }
    }
  }
  return walk(plan.steps, "")
}
