import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// Rollout options written on a statement (`on tag "t" with canary 10, waves 10%,
/// stop-if-failed 5% < … >`): the syntax, the plan's ``RolloutPolicy``, the checker's
/// diagnostics, the formatter, and what editors see (completion, hover, highlighting).
@Suite struct RolloutOptionTests {
  func analysis(_ text: String) -> Analysis {
    Analysis(source: SourceFile(name: "test.lr", text: text), modules: InMemoryModules([:]))
  }

  @Test func thePlanCarriesThePolicy() throws {
    let output = compile(
      "on tag \"t\" with canary 10, waves 10%, stop-if-failed 2.5% < run a.ps1 >\n"
        + "let r = on name \"WS-*\" comment \"c\"\n  with waves 3,\n    canary 2 < get 'x' >\n"
        + "on tag \"u\" < run b.ps1 >")
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    let statements = output.plan.allStatements
    #expect(statements.count == 3)
    #expect(
      statements[0].rollout
        == RolloutPolicy(canary: 10, waves: .percent(10), stopIfFailed: .percent(2.5)))
    #expect(statements[1].rollout == RolloutPolicy(canary: 2, waves: .count(3)))
    #expect(statements[1].binding == "r")
    #expect(statements[2].rollout == nil)
    // The Comment is still the statement's own; the options send nothing themselves.
    #expect(bodies(output)[1].contains(#""Comment":"c""#))
  }

  @Test func thePlanJSONShowsThePolicy() {
    let output = compile("on tag \"t\" with canary 10, waves 10%, stop-if-failed 5 < run a.ps1 >")
    let json = output.plan.json(sources: output.sources).serialized()
    #expect(json.contains(#""rollout":{"canary":10,"waves":"10%","stopIfFailed":"5"}"#))
  }

  @Test func optionsInsideIfBlocksAndOnResults() {
    let output = compile(
      "let r = on tag \"t\" < run a.ps1 >\nif r.ok <\n  on $r.failed with waves 50% < get 'a' >\n>")
    #expect(output.diagnostics.isEmpty, "\(output.diagnostics.map(\.message))")
    #expect(output.plan.allStatements.last?.rollout == RolloutPolicy(waves: .percent(50)))
  }

  @Test(arguments: [
    ("on machine X + machine Y with canary 1️⃣0 < run a.ps1 >", "rolloutValueZero"),
    ("on tag \"t\" with waves 1️⃣0 < run a.ps1 >", "rolloutValueZero"),
    ("on tag \"t\" with waves 1️⃣0% < run a.ps1 >", "rolloutValueZero"),
    ("on tag \"t\" with stop-if-failed 1️⃣0% < run a.ps1 >", "rolloutValueZero"),
    ("on tag \"t\" with stop-if-failed 1️⃣150% < run a.ps1 >", "percentageOverHundred"),
    ("on tag \"t\" with waves 1️⃣100.5% < run a.ps1 >", "percentageOverHundred"),
    ("on tag \"t\" with canary 2, 1️⃣canary 3 < run a.ps1 >", "duplicateRolloutOption"),
    ("on tag \"t\" with 1️⃣wave 10% < run a.ps1 >", "unknownRolloutOption"),
    ("on tag \"t\" with 1️⃣timeout 10 < run a.ps1 >", "unknownRolloutOption"),
    ("on machine X with 1️⃣canary 1 < run a.ps1 >", "rolloutOnOneMachine"),
    ("on machines [X] with 1️⃣stop-if-failed 1 < run a.ps1 >", "rolloutOnOneMachine"),
    ("let m = machine X\non $m with 1️⃣canary 1 < run a.ps1 >", "rolloutOnOneMachine"),
    ("on tag \"t\" with waves 1️⃣% < run a.ps1 >", "percentageWithoutNumber"),
    ("on tag \"t\" with waves 10 1️⃣% < run a.ps1 >", "percentageWithoutNumber"),
    ("on tag \"t\" with canary 1️⃣ten < run a.ps1 >", "invalidRolloutValue"),
    ("on tag \"t\" with canary 1️⃣10% < run a.ps1 >", "invalidRolloutValue"),
    ("on tag \"t\" with canary 1️⃣-2 < run a.ps1 >", "invalidRolloutValue"),
    ("on tag \"t\" with canary 1️⃣< run a.ps1 >", "expected"),
    ("on tag \"t\" with 1️⃣< run a.ps1 >", "expected"),
  ])
  func badOptionsAreReported(_ marked: String, _ id: String) {
    assertDiagnostics(marked, [(id, "1️⃣")])
  }

  @Test func optionsThatAreFine() {
    for text in [
      "on machine X with waves 1 < run a.ps1 >",
      "on machines [X, Y] with canary 1, stop-if-failed 50% < run a.ps1 >",
      "on tag \"t\" with waves 100%, stop-if-failed 1 < run a.ps1 >",
    ] {
      #expect(compile(text).diagnostics.isEmpty, "\(text): \(compile(text).diagnostics)")
    }
  }

  @Test func fixItsAndNotes() throws {
    func only(_ text: String) throws -> Diagnostic {
      let output = compile(text)
      #expect(output.diagnostics.count == 1, "\(output.diagnostics)")
      return try #require(output.diagnostics.first)
    }
    func applied(_ text: String, _ d: Diagnostic) throws -> String {
      let edit = try #require(d.fixIts.first?.edits.first)
      var bytes = Array(text.utf8)
      bytes.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
      return String(decoding: bytes, as: UTF8.self)
    }
    let typo = "on tag \"t\" with canary 2, wave 10% < run a.ps1 >"
    let unknown = try only(typo)
    #expect(unknown.fixIts.first?.message.contains("waves") == true)
    #expect(try applied(typo, unknown) == "on tag \"t\" with canary 2, waves 10% < run a.ps1 >")
    #expect(unknown.notes.contains { $0.message.contains("stop-if-failed") })

    let duplicate = "on tag \"t\" with canary 2, waves 3, canary 3 < run a.ps1 >"
    let twice = try only(duplicate)
    #expect(twice.notes.first?.range?.lowerBound == 16)
    #expect(try applied(duplicate, twice) == "on tag \"t\" with canary 2, waves 3 < run a.ps1 >")

    let zero = "on tag \"t\" with canary 0, waves 3 < run a.ps1 >"
    #expect(try applied(zero, try only(zero)) == "on tag \"t\" with waves 3 < run a.ps1 >")

    let over = "on tag \"t\" with waves 150% < run a.ps1 >"
    #expect(try applied(over, try only(over)) == "on tag \"t\" with waves 100% < run a.ps1 >")

    let single = "on machine X with canary 1 < run a.ps1 >"
    let one = try only(single)
    #expect(one.notes.first?.range == 3..<12)
    #expect(try applied(single, one) == "on machine X < run a.ps1 >")

    let spaced = "on tag \"t\" with waves 10 % < run a.ps1 >"
    #expect(try applied(spaced, try only(spaced)) == "on tag \"t\" with waves 10% < run a.ps1 >")
  }

  @Test func aPercentIsPartOfANumberWord() {
    let tokens = Lexer(source: SourceFile(name: "t", text: "10% 2.5% % a%")).tokenize()
    let kinds = tokens.map(\.kind)
    #expect(kinds == [.word, .word, .unknown, .word, .unknown, .endOfFile])
    #expect(tokens[0].range == 0..<3)
    #expect(tokens[1].range == 4..<8)
  }

  @Test(arguments: [
    (
      "on tag 't'   with canary 10 ,waves 10%,stop-if-failed   5%<run a.ps1>",
      "on tag 't' with canary 10, waves 10%, stop-if-failed 5% < run a.ps1 >\n"
    ),
    (
      "on tag 't' comment \"c\"\n  with canary 1,\n  waves 2 <\nrun a.ps1\n>",
      "on tag 't' comment \"c\" with canary 1, waves 2 <\n  run a.ps1\n>\n"
    ),
    (
      "let r = on tag 't'\nwith waves 5 < get 'a' >",
      "let r = on tag 't' with waves 5 < get 'a' >\n"
    ),
  ])
  func formats(_ input: String, _ expected: String) {
    let once = Formatter.format(SourceFile(name: "test.lr", text: input))
    #expect(once == expected)
    if let once {
      #expect(Formatter.format(SourceFile(name: "test.lr", text: once)) == once)
      #expect(meaning(once) == meaning(input))
    }
  }

  @Test func aTrailingCommaAsksForMoreInput() {
    #expect(Analysis.needsMoreInput("on tag 't' with canary 1,"))
    #expect(!Analysis.needsMoreInput("on tag 't' with canary 1 < run a.ps1 >"))
  }

  @Test func completionOffersTheOptionNames() {
    func labels(_ marked: String) -> [String] {
      let source = MarkedSource(marked)
      return analysis(source.text).completions(at: source["1️⃣"]).map(\.label)
    }
    #expect(labels("on tag \"t\" with 1️⃣") == ["canary", "waves", "stop-if-failed"])
    #expect(labels("on tag \"t\" with st1️⃣") == ["stop-if-failed"])
    #expect(labels("on tag \"t\" with canary 10, 1️⃣") == ["waves", "stop-if-failed"])
    #expect(labels("on tag \"t\" with canary 10,\n  w1️⃣ < run a.ps1 >") == ["waves"])
    #expect(labels("on machines [a, 1️⃣") == [])
  }

  @Test func hoverExplainsEachOption() throws {
    let text = "on tag \"t\" with canary 10, waves 10%, stop-if-failed 5% < run a.ps1 >"
    let a = analysis(text)
    func hover(_ word: String) throws -> String {
      let offset = try #require(text.utf8.firstRange(of: word.utf8)).lowerBound
      return try #require(
        a.hover(at: text.utf8.distance(from: text.utf8.startIndex, to: offset) + 1)
      )
      .markdown
    }
    #expect(try hover("with").contains("staged rollout"))
    #expect(try hover("canary").contains("first"))
    #expect(try hover("waves").contains("wave"))
    #expect(try hover("stop-if-failed").contains("pause"))
  }

  @Test func highlighting() {
    let text = "on tag \"t\" with canary 10, waves 10% < run a.ps1 >"
    let tokens = analysis(text).semanticTokens()
    func kind(at offset: Int) -> SemanticToken.Kind? {
      tokens.first { $0.range.contains(offset) }?.kind
    }
    #expect(kind(at: 11) == .keyword)  // with
    #expect(kind(at: 16) == .keyword)  // canary
    #expect(kind(at: 23) == .number)  // 10
    #expect(kind(at: 33) == .number)  // 10%
  }
}

extension DocumentationTests {
  /// The staged-rollout example of docs/language.md: one statement, one request, its policy.
  static let rolloutOutcome: (key: String, check: @Sendable (Compiler.Output) throws -> Void) = (
    "with canary 10, waves 25%",
    { output in
      let statements = output.plan.allStatements
      #expect(statements.count == 1)
      #expect(statements.first?.requests.count == 1)
      #expect(targets(output) == [#"[{"tag":"finance"}]"#])
      #expect(
        statements.first?.rollout
          == RolloutPolicy(canary: 10, waves: .percent(25), stopIfFailed: .percent(5)))
    }
  )
}
