import Foundation
import LRLanguage
import LRTestSupport
import Testing

/// Procedure expansion is linear in the text and bounded: limits per statement and per file,
/// reported at the call that passes them; no recursion deep enough to overflow a stack.
@Suite struct ExpansionTests {
  /// `count` procedures, each calling the next twice; the last runs one script.
  static func doubling(_ count: Int) -> String {
    (0..<count).map { "def p\($0)() < p\($0 + 1); p\($0 + 1) >\n" }.joined()
      + "def p\(count)() < run a.ps1 >\n"
  }

  /// `count` procedures, each calling the next, passing its parameter on; the last runs it.
  static func chain(_ count: Int) -> String {
    (0..<count).map { "def p\($0)(x) < p\($0 + 1) $x >\n" }.joined()
      + "def p\(count)(x) < run s.ps1 $x >\n"
  }

  /// A procedure `d` that expands to exactly 10,000 commands (10 × 10 × 10 × 10).
  static let tenThousand = """
    def a() < run a.ps1; run a.ps1; run a.ps1; run a.ps1; run a.ps1; run a.ps1; run a.ps1; run a.ps1; run a.ps1; run a.ps1 >
    def b() < a; a; a; a; a; a; a; a; a; a >
    def c() < b; b; b; b; b; b; b; b; b; b >
    def d() < c; c; c; c; c; c; c; c; c; c >

    """

  static func commandCount(_ output: Compiler.Output) -> Int {
    output.plan.allStatements.reduce(0) { $0 + $1.requests.reduce(0) { $0 + $1.commands.count } }
  }

  @Test(.timeLimit(.minutes(1)))
  func doublingProceduresStopAtTheLimit() {
    // 2^24 commands if expanded: the call is refused, quickly, and nothing is planned.
    // p10 is the first to pass the limit (2^14 commands), at its second call of p11 (2^13).
    let text = ExpansionTests.doubling(24) + "on machine X < 2️⃣p0 >"
    let source = MarkedSource(
      text.replacingOccurrences(of: "def p10() < p11; p11 >", with: "def p10() < p11; 1️⃣p11 >"))
    let output = compile(source.text)
    #expect(
      diagnosticPositions(output) == [
        "tooManyCommands@\(source["1️⃣"])", "tooManyCommands@\(source["2️⃣"])",
      ])
    #expect(output.diagnostics.last?.message.contains("more than 10,000 commands") == true)
    #expect(ExpansionTests.commandCount(output) == 0)
  }

  @Test func aStatementMaySendTheLimitButNotOneMore() {
    let exact = compile(ExpansionTests.tenThousand + "on machine X < d >")
    #expect(exact.diagnostics.isEmpty)
    #expect(ExpansionTests.commandCount(exact) == ExpansionLimits.commandsPerStatement)
    let source = MarkedSource(ExpansionTests.tenThousand + "on machine X < get 'y'; 1️⃣d; get 'z' >")
    let over = compile(source.text)
    #expect(diagnosticPositions(over) == ["tooManyCommands@\(source["1️⃣"])"])
    #expect(ExpansionTests.commandCount(over) == 2)
  }

  @Test(.timeLimit(.minutes(1)))
  func aFileMaySendTheLimitButNotMore() {
    let statements = String(repeating: "on machine X < d >\n", count: 10)
    let source = MarkedSource(
      ExpansionTests.tenThousand + statements + "on machine X < get 'y' >\non machine X < 1️⃣d >")
    let output = compile(source.text)
    #expect(diagnosticPositions(output) == ["tooManyCommandsInFile@\(source["1️⃣"])"])
    #expect(ExpansionTests.commandCount(output) == ExpansionLimits.commandsPerFile + 1)
    #expect(output.diagnostics.first?.message.contains("past 100,000 commands") == true)
  }

  @Test(.timeLimit(.minutes(1)))
  func aChainOf10000ProceduresChecksAndCarriesItsArgument() {
    // 10,000 calls deep, each passing its argument on: a problem with the value is still
    // reported where it was written, and the one command points at the call.
    let source = MarkedSource(
      ExpansionTests.chain(10_000) + "on machine X < p0 1️⃣'a;b' >\non machine Y < p0 ok >")
    let output = compile(source.text)
    #expect(diagnosticPositions(output) == ["forbiddenScriptCharacter@\(source["1️⃣"])"])
    #expect(ExpansionTests.commandCount(output) == 2)
    let clean = compile(ExpansionTests.chain(10_000) + "on machine X < p0 ok >")
    #expect(clean.diagnostics.isEmpty)
    #expect(
      bodies(clean) == [
        #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"s.ps1"},{"key":"Args","value":"ok"}]}],"Comment":"lr test.lr"}"#
      ])
  }

  @Test(.timeLimit(.minutes(1)))
  func aLongCycleIsReportedAtEveryCall() {
    let count = 5_000
    let text =
      (0..<count).map { "def p\($0)() < p\(($0 + 1) % count) >\n" }.joined()
      + "on machine X < p0 >"
    let output = compile(text)
    #expect(output.diagnostics.count == count)
    #expect(Set(output.diagnostics.map(\.id)) == ["recursiveProcedure"])
    #expect(output.diagnostics.first?.message == "procedure calls itself: p0 → p1 → … → p0")
  }

  @Test func shortCyclesShowTheWholeChain() {
    let output = compile("def a() < b >\ndef b() < c >\ndef c() < a >\ndef d() < d >")
    #expect(
      output.diagnostics.map(\.message) == [
        "procedure calls itself: a → b → c → a", "procedure calls itself: b → c → a → b",
        "procedure calls itself: c → a → b → c", "procedure calls itself: d → d",
      ])
  }

  @Test func argumentsWrittenInABodyAreCheckedAtTheDefinition() {
    // No call to `p` at all: the value written in its body is still checked against `q`'s use.
    assertDiagnostics(
      "def q(x) < put $x >\ndef p() < q 1️⃣'my tool.exe' >", [("invalidLibraryName", "1️⃣")])
  }

  @Test(.timeLimit(.minutes(1)))
  func incrementalDiagnosticsFollowAChangeDeepInACall() {
    // Growing `a` by one command takes `d` past the limit, two procedures away from the edit.
    let modules = InMemoryModules([:])
    let before = ExpansionTests.tenThousand + "on machine X < d >\n"
    var checker = IncrementalDiagnostics(
      source: SourceFile(name: "doc.lr", text: before), modules: modules)
    #expect(checker.diagnostics.isEmpty)
    let after = before.replacingOccurrences(
      of: "def a() < run a.ps1;", with: "def a() < get x; run a.ps1;")
    checker.update(to: SourceFile(name: "doc.lr", text: after), modules: modules, options: .init())
    let full = Compiler.compile(SourceFile(name: "doc.lr", text: after), modules: modules)
    #expect(checker.diagnostics == full.diagnostics)
    #expect(full.diagnostics.map(\.id) == ["tooManyCommands", "tooManyCommands"])
  }

  @Test(.timeLimit(.minutes(1)))
  func repeatedCallsOfADeepChainExpandOnce() {
    // 5,000 calls of a chain 5,000 deep: 25 million calls if each were expanded again.
    let depth = 5_000
    let text =
      (0..<depth).map { "def p\($0)() < p\($0 + 1) >\n" }.joined()
      + "def p\(depth)() < run a.ps1 >\n"
      + "def wide() < " + Array(repeating: "p0", count: depth).joined(separator: "; ") + " >\n"
      + "on machine X < wide >\non machine Y < "
      + Array(repeating: "p1", count: depth).joined(separator: "; ") + " >"
    let output = compile(text)
    #expect(output.diagnostics.isEmpty)
    #expect(ExpansionTests.commandCount(output) == 2 * depth)
    #expect(output.plan.allStatements.map(\.range.lowerBound).count == 2)
  }
}
