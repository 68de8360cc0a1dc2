import LRLanguage
import Testing

/// What a compilation means, without positions: the whole plan (targets, bodies, bindings, and
/// every branch's condition with its `then` and `else` steps), and the diagnostics' ids.
func meaning(_ text: String) -> [String] {
  let output = compile(text)
  return planShape(output.plan) + output.diagnostics.map { "diagnostic \($0.id)" }
}

@Suite struct FormatterTests {
  func format(_ text: String) -> String? {
    Formatter.format(SourceFile(name: "test.lr", text: text))
  }

  @Test(arguments: [
    (
      "on   machine WS-1<run a.ps1;get 'x'>",
      "on machine WS-1 < run a.ps1; get 'x' >\n"
    ),
    (
      "on machine WS-1 <\nrun a.ps1   x\n\n\n   get 'x'\n>",
      "on machine WS-1 <\n  run a.ps1 x\n\n  get 'x'\n>\n"
    ),
    (
      "# lead\nlet   a=1 # trailing\n\n\n\nlet b = tag 'x'+machine Y",
      "# lead\nlet a = 1 # trailing\n\nlet b = tag 'x' + machine Y\n"
    ),
    (
      "def  f ( a,b ) < get $a ; get $b >",
      "def f(a, b) < get $a; get $b >\n"
    ),
    (
      "let r = on machine X < run a.ps1 >\nif r.exit_code==0 and(not r.ok)<\non machine X<get 'a'>\n>else<\n# c\non machine Y < get 'b' >\n>",
      "let r = on machine X < run a.ps1 >\nif r.exit_code == 0 and (not r.ok) <\n  on machine X < get 'a' >\n> else <\n  # c\n  on machine Y < get 'b' >\n>\n"
    ),
    (
      "on machines [ a,b ,c ] comment \"x\" < # why\n  get 'a' # after\n  # before put\n  put t.exe\n>",
      "on machines [a, b, c] comment \"x\" < # why\n  get 'a' # after\n  # before put\n  put t.exe\n>\n"
    ),
    (
      "use \"windows\"\ncomment 'c'\nrun a.ps1 ; get b",
      "use \"windows\"\ncomment 'c'\nrun a.ps1; get b\n"
    ),
    ("", ""),
    ("# only a comment", "# only a comment\n"),
  ])
  func formats(_ input: String, _ expected: String) {
    #expect(format(input) == expected)
    if let once = format(input) {
      #expect(format(once) == once)
    }
  }

  @Test func longBlocksBreakAcrossLines() throws {
    let input =
      "on machine WS-0142 < run a-very-long-script-name.ps1 first-argument second-argument; get 'C:\\some\\long\\path\\file.zip' >"
    let once = try #require(format(input))
    #expect(once.split(separator: "\n").count == 4)
    #expect(format(once) == once)
  }

  @Test func syntaxErrorsAreNotFormatted() {
    #expect(format("on machine X < get 'a'") == nil)
  }

  /// `use` (or another statement word) inside a block of commands is a syntax error, so it is
  /// not formatted onto a line of its own, where it would begin a statement (make fuzz).
  @Test(arguments: [
    "on machine 2<use\"\"\n>", "on machine 1 comment\"\"<use\"\"\"\"''\n>",
    "on machine X < get 'a'; def p >",
  ])
  func statementWordInBlockIsNotFormatted(_ input: String) {
    #expect(format(input) == nil)
  }

  @Test func formattingNeverChangesMeaning() throws {
    let input = """
      use "m"
      let fleet = tag "a"+name 'WS-*'
      def p(x) < get $x ; run s.ps1 "${x}" >
      let r = on $fleet comment "c" < p 'C:\\a' ; put tool.exe >
      if r.ok < on machine B < p "b" > > else < on machine C < run x.ps1 > >
      if (r.exit_code == 0 and not r.ok) or r.output contains "x${r.machine}" <
        if r.ok < on machine D < get 'd' > >
      > else if r.status == "Failed" < on machine E < get 'e' > > else < comment "c" >
      """
    let formatted = try #require(format(input))
    #expect(meaning(formatted) == meaning(input))
    // The meaning has the branches, their conditions and their nesting.
    let lines = meaning(input)
    #expect(lines.filter { $0.hasPrefix("if ") }.count == 2)
    #expect(lines.contains { $0.hasPrefix("  if r.ok") })
    #expect(lines.contains { $0.contains(#"r.output contains "x${r.machine}""#) })
    #expect(lines.contains { $0.hasPrefix("  if r.status == \"Failed\"") })
  }

  @Test func meaningSeesConditionsAndBranches() {
    let head = "let r = on machine X < run a.ps1 >\n"
    // Same bodies and targets, different conditions or branches: different meanings.
    #expect(
      meaning(head + "if r.ok < on machine B < get 'b' > >")
        != meaning(head + "if not r.ok < on machine B < get 'b' > >"))
    #expect(
      meaning(head + "if r.ok < on machine B < get 'b' > >")
        != meaning(head + "if r.ok < > else < on machine B < get 'b' > >"))
    #expect(
      meaning(head + "if r.ok < on machine B < get 'b' > >")
        == meaning(head + "if r.ok <\n  on machine B < get 'b' >\n>"))
  }
}
