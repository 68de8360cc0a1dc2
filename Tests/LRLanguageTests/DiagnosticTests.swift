import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

@Suite struct DiagnosticTests {
  @Test func cleanSeedHasNoDiagnostics() {
    let output = compile(
      #"on machine WS-0142 < run minidump.ps1 "OfficeClickToRun"; get 'C:\windows\TEMP\x.zip' >"#)
    #expect(output.diagnostics.isEmpty)
  }

  @Test func unterminatedDoubleQuotedString() {
    assertDiagnostics(
      "on machine X 2️⃣< run a.ps1 1️⃣\"abc >\non machine Y < get 'z' >",
      [("unterminatedBlock", "2️⃣"), ("unterminatedString", "1️⃣")])
  }

  @Test func unterminatedRawString() {
    assertDiagnostics("let p = 1️⃣'C:\\x\nlet q = 1", [("unterminatedString", "1️⃣")])
  }

  @Test func unterminatedBlockAtEndOfFile() {
    assertDiagnostics("on machine X 1️⃣< run a.ps1", [("unterminatedBlock", "1️⃣")])
  }

  @Test func unterminatedBlockBeforeNextStatementRecovers() {
    assertDiagnostics(
      "on machine X 1️⃣< run a.ps1\non machine Y < 2️⃣gte 'x' >",
      [("unterminatedBlock", "1️⃣"), ("unknownCommand", "2️⃣")])
  }

  @Test func aBareNameAfterOnIsReadAsAMachine() {
    // A newcomer's `on WS-0142 < … >`: one error with the fix, not a second one about `<`.
    assertDiagnostics("on 1️⃣WS-0142 < run a.ps1 >", [("expected", "1️⃣")])
    let output = compile("on WS-0142 < run a.ps1 >")
    let fixIts = output.diagnostics.flatMap(\.fixIts)
    #expect(fixIts.map(\.message) == ["insert `machine`"])
    #expect(fixIts.first?.edits.first?.replacement == "machine ")
  }

  @Test func aMistypedTargetKeywordGetsASuggestion() {
    assertDiagnostics("on 1️⃣machin WS-0142 < run a.ps1 >", [("expected", "1️⃣")])
    let output = compile("on machin WS-0142 < run a.ps1 >")
    let fixIts = output.diagnostics.flatMap(\.fixIts)
    #expect(fixIts.map(\.message) == ["did you mean `machine`?"])
    #expect(fixIts.first?.edits.first?.replacement == "machine")
  }

  @Test func strayCloseBlock() {
    assertDiagnostics("on machine X < get 'a' >\n1️⃣>\nlet a = 1", [("strayCloseBlock", "1️⃣")])
  }

  @Test(arguments: [
    "on machine X < get 'a' > 1️⃣>\nlet a = 1",
    "let a = 1 1️⃣>",
    "let r = on machine X < get 'a' >\nif r.ok < on machine X < get 'b' > > 1️⃣>",
    "use \"m\" 1️⃣>",
  ])
  func strayCloseBlockOnAStatementsLineIsReportedOnce(_ text: String) {
    assertDiagnostics(text, [("strayCloseBlock", "1️⃣")], modules: ["m": ""])
  }

  @Test func unknownCommandSuggestsTheClosest() {
    let source = MarkedSource("on machine X < 1️⃣gte 'x' >")
    let output = compile(source.text)
    #expect(output.diagnostics.map(\.id) == ["unknownCommand"])
    #expect(output.diagnostics[0].range.lowerBound == source["1️⃣"])
    #expect(output.diagnostics[0].fixIts.first?.edits.first?.replacement == "get")
  }

  @Test(arguments: [
    ("on machine X < 1️⃣get >", "wrongArity"),
    ("on machine X < 1️⃣get 'a' 'b' >", "wrongArity"),
    ("on machine X < 1️⃣put >", "wrongArity"),
    ("on machine X < 1️⃣run >", "wrongArity"),
    ("def p(a) < get $a >\non machine X < 1️⃣p >", "wrongArity"),
    ("def p() < get 'x' >\non machine X < 1️⃣p y >", "wrongArity"),
  ])
  func wrongArity(_ text: String, _ id: String) {
    assertDiagnostics(text, [(id, "1️⃣")])
  }

  @Test func undefinedNames() {
    assertDiagnostics(
      "let proc = \"x\"\non machine $1️⃣host < run a.ps1 $2️⃣prc; get \"${3️⃣nope}\" >\nif 4️⃣q == 1 < >",
      [
        ("undefinedName", "1️⃣"), ("undefinedName", "2️⃣"), ("undefinedName", "3️⃣"),
        ("undefinedName", "4️⃣"),
      ])
  }

  @Test func undefinedNameSuggestsAVariable() {
    let output = compile("let proc = \"x\"\non machine X < run a.ps1 $prc >")
    #expect(output.diagnostics.first?.fixIts.first?.edits.first?.replacement == "proc")
  }

  @Test func duplicateDefinitions() {
    let source = MarkedSource(
      "def 3️⃣p() < get 'a' >\ndef 1️⃣p() < get 'b' >\nlet x = 1\nlet 2️⃣x = 2")
    let output = compile(source.text)
    #expect(
      diagnosticPositions(output) == [
        "duplicateDefinition@\(source["1️⃣"])", "duplicateDefinition@\(source["2️⃣"])",
      ])
    #expect(output.diagnostics[0].notes.first?.range?.lowerBound == source["3️⃣"])
  }

  @Test func redefinitionIsAllowedWhenAsked() {
    let output = compile("let x = 1\nlet x = 2", options: .init(allowRedefinition: true))
    #expect(output.diagnostics.isEmpty)
  }

  @Test func duplicateParameter() {
    assertDiagnostics("def p(a, 1️⃣a) < get $a >", [("duplicateParameter", "1️⃣")])
  }

  @Test func importCycle() throws {
    // The cycle closes at b.lr's `use "a"`: reported there, once; the main file is clean.
    let b = MarkedSource("use 1️⃣\"a\"\ndef fb() < get 'b' >")
    let output = compile(
      "use \"a\"\non machine X < fa >",
      modules: ["a": "use \"b\"\ndef fa() < get 'a' >", "b": b.text])
    #expect(output.diagnostics.map(\.id) == ["importCycle"])
    let cycle = try #require(output.diagnostics.first)
    #expect(cycle.message.contains("a.lr → b.lr → a.lr"))
    #expect(cycle.file == "b.lr")
    #expect(cycle.range == b["1️⃣"]..<(b["1️⃣"] + 3))
  }

  @Test func selfImportIsACycle() {
    let output = compile("use \"a\"", modules: ["a": "use \"a\""])
    #expect(output.diagnostics.map(\.id) == ["importCycle"])
  }

  @Test func moduleNotFound() {
    assertDiagnostics("use 1️⃣\"nowhere\"", [("moduleNotFound", "1️⃣")])
  }

  @Test func moduleNotFoundSuggests() {
    let output = compile("use \"windwos\"", modules: ["windows": "def x() < get 'a' >"])
    #expect(output.diagnostics.first?.fixIts.first?.edits.first?.replacement == "\"windows\"")
  }

  @Test func modulesCannotRunActions() {
    let output = compile("use \"m\"", modules: ["m": "on machine X < get 'a' >"])
    #expect(output.diagnostics.map(\.id) == ["moduleStatement"])
    #expect(output.diagnostics.first?.file == "m.lr")
  }

  @Test func nonUTF8File() {
    let output = Compiler.compile(
      SourceFile(
        name: "test.lr",
        bytes: Array("on machine X < get '".utf8) + [0xFF, 0xFE] + Array("' >".utf8)))
    #expect(output.diagnostics.map(\.id) == ["invalidUTF8"])
    #expect(output.diagnostics.first?.range.lowerBound == 20)
  }

  @Test func invalidEscapeOffersARawString() {
    let source = MarkedSource(#"on machine X < get "C:1️⃣\windows" >"#)
    let output = compile(source.text)
    #expect(diagnosticPositions(output) == ["invalidEscape@\(source["1️⃣"])"])
    #expect(output.diagnostics[0].fixIts.first?.edits.first?.replacement == #"'C:\windows'"#)
  }

  @Test func recursionIsReported() {
    assertDiagnostics(
      "def a() < 1️⃣b >\ndef b() < 2️⃣a >\ndef c() < 3️⃣c >\non machine X < a >",
      [("recursiveProcedure", "1️⃣"), ("recursiveProcedure", "2️⃣"), ("recursiveProcedure", "3️⃣")])
  }

  @Test func reservedNames() {
    assertDiagnostics(
      "let 1️⃣run = 1\ndef 2️⃣get() < put x >", [("reservedName", "1️⃣"), ("reservedName", "2️⃣")])
  }

  @Test func commandsNeedATarget() {
    assertDiagnostics("1️⃣run a.ps1", [("commandOutsideBlock", "1️⃣")])
  }

  @Test func commandsUseTheDefaultTarget() {
    let output = compile(
      "run a.ps1; get 'x'",
      options: .init(defaultTarget: TargetSelector(terms: [.machine(PlanString(literal: "WS-1"))])))
    #expect(output.diagnostics.isEmpty)
    #expect(output.plan.allStatements.first?.requests.count == 1)
  }

  @Test func unknownResultField() {
    let source = MarkedSource("let r = on machine X < run a.ps1 >\nif r.1️⃣exitcode == 0 < >")
    let output = compile(source.text)
    #expect(diagnosticPositions(output) == ["unknownField@\(source["1️⃣"])"])
    #expect(output.diagnostics[0].fixIts.first?.edits.first?.replacement == "exit_code")
  }

  /// The transcript's names (`script_output`, `script_errors`) lead to the language's fields.
  @Test func transcriptFieldNamesSuggestTheLanguageFields() {
    for (typed, expected) in [
      ("script_output", "output"), ("script_errors", "errors"), ("script_error", "errors"),
    ] {
      let source = MarkedSource("let r = on machine X < run a.ps1 >\nif r.1️⃣\(typed) == \"\" < >")
      let output = compile(source.text)
      #expect(diagnosticPositions(output) == ["unknownField@\(source["1️⃣"])"])
      let replacement = output.diagnostics.first?.fixIts.first?.edits.first?.replacement
      #expect(replacement == expected, "\(typed)")
    }
  }

  @Test func fieldsOnlyOnResults() {
    assertDiagnostics("let a = 1\non machine X < get \"${a.1️⃣x}\" >", [("notAResult", "1️⃣")])
  }

  @Test func emptyBlockWarns() {
    let output = compile("on machine X < >")
    #expect(output.diagnostics.map(\.severity) == [.warning])
    #expect(output.diagnostics.map(\.id) == ["emptyBlock"])
  }

  @Test func suspiciousMachineID() {
    assertDiagnostics(
      "on machine 1️⃣1e5bc9d7e413ddd7902c2932e418702b84d0cc0 < get 'x' >",
      [("suspiciousMachineID", "1️⃣")])
  }

  @Test func forbiddenScriptCharacters() {
    assertDiagnostics("on machine X < run a.ps1 1️⃣\"a;b\" >", [("forbiddenScriptCharacter", "1️⃣")])
  }

  @Test func invalidLibraryName() {
    assertDiagnostics("on machine X < put 1️⃣'my tool.exe' >", [("invalidLibraryName", "1️⃣")])
  }

  @Test func knownFleetAndLibraryGiveSuggestions() {
    let source = MarkedSource("on machine 1️⃣ws-0124 < run 2️⃣minidum.ps1 x >")
    let output = compile(
      source.text,
      options: .init(knownMachines: ["ws-0142.contoso.com"], knownLibraryFiles: ["minidump.ps1"]))
    #expect(
      diagnosticPositions(output) == [
        "unknownMachine@\(source["1️⃣"])", "unknownScript@\(source["2️⃣"])",
      ])
    #expect(output.diagnostics[1].fixIts.first?.edits.first?.replacement == "minidump.ps1")
    #expect(output.diagnostics.allSatisfy { $0.severity == .warning })
  }

  @Test func shortNamesMatchFQDNs() {
    let output = compile(
      "on machine WS-0142 < get 'x' >", options: .init(knownMachines: ["ws-0142.contoso.com"]))
    #expect(output.diagnostics.isEmpty)
  }

  @Test func oneRunReportsEveryError() {
    let output = compile(
      """
      on machine X < gte 'a' >
      let = 3
      on machine Y < get >
      >
      on machine Z < run "unterminated >
      """)
    #expect(
      output.diagnostics.map(\.id) == [
        "unknownCommand", "expected", "wrongArity", "strayCloseBlock", "unterminatedBlock",
        "unterminatedString",
      ])
  }

  @Test func diagnosticsRenderWithCaret() {
    let output = compile("on machine X < gte 'a' >")
    let text = DiagnosticFormatter(sources: output.sources).render(output.diagnostics)
    #expect(
      text == """
        test.lr:1:16: error: unknown command `gte`; commands are `run`, `get`, `put` or a procedure
         1 | on machine X < gte 'a' >
           |                ^~~
          = fix-it: did you mean `get`?

        """)
  }

  @Test func renderingCountsCharactersAndNeutralisesControls() {
    let output = compile("let é = 1\u{1B}[31m")
    let text = DiagnosticFormatter(sources: output.sources).render(output.diagnostics)
    #expect(!text.contains("\u{1B}"))
    #expect(text.hasPrefix("test.lr:1:4:") || text.hasPrefix("test.lr:1:"))
  }

  @Test func jsonDiagnostics() {
    let output = compile("on machine X < gte 'a' >")
    let json = DiagnosticFormatter(sources: output.sources).json(output.diagnostics).serialized()
    #expect(
      json.contains(#""line":1,"column":16,"endLine":1,"endColumn":19,"offset":15,"length":3"#))
    #expect(json.contains(#""severity":"error","id":"unknownCommand""#))
    #expect(json.contains(#""replacement":"get""#))
  }
}

/// Every diagnostic the catalogue has, at the position it is reported (those not tested above).
extension DiagnosticTests {
  @Test func unterminatedInterpolation() {
    assertDiagnostics(
      "on machine X < get \"C:1️⃣${dir\" >", [("unterminatedInterpolation", "1️⃣")])
  }

  @Test(arguments: [
    "on machine X comment \"a1️⃣\\u{110000}\" < get 'a' >",
    "on machine X comment \"1️⃣\\u{zz}\" < get 'a' >",
    "on machine X comment \"1️⃣\\u{D800}\" < get 'a' >",
  ])
  func invalidUnicodeEscape(_ text: String) {
    assertDiagnostics(text, [("invalidUnicodeEscape", "1️⃣")])
  }

  @Test func topLevelOnly() {
    assertDiagnostics(
      "if true <\n  def 1️⃣p() < get 'a' >\n  2️⃣use \"m\"\n>",
      [("topLevelOnly", "1️⃣"), ("topLevelOnly", "2️⃣")], modules: ["m": ""])
  }

  /// A statement word (`on let def use if`) where a block of commands expects a command: a
  /// syntax error, since at the start of a line it would begin a statement instead (make fuzz).
  @Test(arguments: [
    "on machine X < 1️⃣use \"m\" >",
    "on machine 2<1️⃣use\"\"\n>",
    "on machine 1 comment\"\"<1️⃣use\"\"\"\"''\n>",
    "def p < get 'a'; 1️⃣def q >",
    "let r = on machine X < 1️⃣let a >",
    "on machine X < get 'a'; 1️⃣on machine Y >",
    "if true < on machine X < 1️⃣if r.ok > >",
  ])
  func statementInBlock(_ text: String) {
    assertDiagnostics(text, [("statementInBlock", "1️⃣")], modules: ["m": ""])
  }

  @Test func notText() {
    assertDiagnostics(
      "let t = tag \"finance\"\non machine X < get \"C:\\\\1️⃣${t}\"; run a.ps1 2️⃣$t >",
      [("notText", "1️⃣"), ("notText", "2️⃣")])
  }

  @Test func missingField() {
    assertDiagnostics(
      "let r = on machine X < get 'a' >\non machine Y < get 1️⃣$r; run a.ps1 \"2️⃣${r}\" >",
      [("missingField", "1️⃣"), ("missingField", "2️⃣")])
  }

  @Test func computedLibraryName() {
    assertDiagnostics(
      "let r = on machine X < run a.ps1 >\non machine Y < run 1️⃣\"${r.output}\"; put 2️⃣$r.output >",
      [("computedLibraryName", "1️⃣"), ("computedLibraryName", "2️⃣")])
  }

  @Test func unknownFile() throws {
    let source = MarkedSource("on machine X < put 1️⃣toool.exe; put tool.exe >")
    let output = compile(source.text, options: .init(knownLibraryFiles: ["tool.exe"]))
    #expect(diagnosticPositions(output) == ["unknownFile@\(source["1️⃣"])"])
    let diagnostic = try #require(output.diagnostics.first)
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.fixIts.first?.edits.first?.replacement == "tool.exe")
  }

  @Test func notATarget() throws {
    let source = MarkedSource(
      "let r = on machine X < get 'a' >\non 1️⃣$r < get 'b' >\non machine 2️⃣$r < get 'c' >\non machine $r.machine < get 'd' >"
    )
    let output = compile(source.text)
    #expect(
      diagnosticPositions(output) == [
        "notATarget@\(source["1️⃣"])", "notATarget@\(source["2️⃣"])",
      ])
    #expect(output.diagnostics.first?.notes.first?.message.contains("$r.machine") == true)
  }

  @Test func unexpectedCharacter() throws {
    let source = MarkedSource(
      "on machine X < get 'a' 1️⃣& >\nlet r = on machine X < get 'a' >\nif 2️⃣!r.ok < >\n3️⃣\u{7}")
    let output = compile(source.text)
    #expect(
      diagnosticPositions(output) == [
        "unexpectedCharacter@\(source["1️⃣"])", "unexpectedCharacter@\(source["2️⃣"])",
        "unexpectedCharacter@\(source["3️⃣"])",
      ])
    #expect(
      output.diagnostics[0].message == "unexpected character `&`; expected `;`, a new line or `>`")
    #expect(output.diagnostics[1].notes.first?.message.contains("`not`") == true)
    #expect(output.diagnostics[2].message.hasPrefix("unexpected character U+7;"))
  }

  @Test func emptyResult() throws {
    let source = MarkedSource(
      "let 3️⃣r = on machine X 1️⃣< >\nif 2️⃣r.ok < on machine Y < get \"4️⃣${r.output}\" > >")
    let output = compile(source.text)
    #expect(
      diagnosticPositions(output) == [
        "emptyBlock@\(source["1️⃣"])", "emptyResult@\(source["2️⃣"])",
        "emptyResult@\(source["4️⃣"])",
      ])
    #expect(output.diagnostics.allSatisfy { $0.severity == .warning })
    #expect(output.diagnostics[1].notes.first?.range?.lowerBound == source["3️⃣"])
    // The statement sends nothing, so the plan has no statement bound to `r`.
    #expect(!output.plan.allStatements.contains { $0.binding == "r" })
  }

  @Test func namesMustBeIdentifiers() {
    assertDiagnostics(
      "def 1️⃣1() < get 'a' >\ndef 2️⃣x.ps1() < get 'a' >\ndef p(3️⃣a.b) < get 'x' >\nlet 4️⃣x.y = 1\ndef my-proc_2(a_1) < get $a_1 >\non machine X < my-proc_2 'a' >",
      [
        ("invalidName", "1️⃣"), ("invalidName", "2️⃣"), ("invalidName", "3️⃣"),
        ("invalidName", "4️⃣"),
      ])
  }

  @Test func definedNamesAreWrittenWithoutDollar() throws {
    let source = MarkedSource(
      "let 1️⃣$x = 'a'\ndef p(2️⃣$y, 3️⃣${z}) < get $y; get $z >\non machine X < get $x; p 'b' 'c' >")
    let output = compile(source.text)
    #expect(
      diagnosticPositions(output) == [
        "expected@\(source["1️⃣"])", "expected@\(source["2️⃣"])", "expected@\(source["3️⃣"])",
      ])
    #expect(
      output.diagnostics.map { $0.fixIts.first?.edits.first?.replacement } == ["x", "y", "z"])
    // Read as `x`, `y` and `z`, so the rest still checks.
    #expect(!output.diagnostics.contains { $0.id == "undefinedName" })
  }

  @Test func fileNamesAreSanitizedInDiagnostics() {
    let name = "evil\u{1B}]0;owned\u{7}\u{1B}[2J.lr"
    let output = Compiler.compile(SourceFile(name: name, text: "on machine X < gte 'a' >"))
    let formatter = DiagnosticFormatter(sources: output.sources)
    let text = formatter.render(output.diagnostics)
    #expect(output.diagnostics.map(\.id) == ["unknownCommand"])
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(text.hasPrefix(Sanitizer.line(name) + ":1:16: error: unknown command `gte`"))
    #expect(!formatter.position(file: name, offset: 0).contains("\u{1B}"))
  }
}

/// Problems with a value passed to a procedure are reported at the call's argument, with a note
/// at the use inside the procedure.
@Suite struct ProcedureArgumentTests {
  func check(
    _ text: String, _ expected: [String], notes: [String] = [], modules: [String: String] = [:],
    options: Compiler.Options = .init(), sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Compiler.Output {
    let source = MarkedSource(text)
    let output = compile(source.text, modules: modules, options: options)
    #expect(
      output.diagnostics.map { "\($0.id)@\($0.file):\($0.range.lowerBound)" }
        == expected.map {
          let parts = $0.split(separator: "@")
          return "\(parts[0])@test.lr:\(source[String(parts[1])])"
        }, sourceLocation: sourceLocation)
    let actualNotes = output.diagnostics.flatMap {
      $0.notes.map { "\($0.file ?? ""):\($0.range?.lowerBound ?? -1)" }
    }
    #expect(
      actualNotes == notes.map { "test.lr:\(source[$0])" }, sourceLocation: sourceLocation)
    return output
  }

  @Test func invalidLibraryNameAtTheCall() {
    let output = check(
      "def p(x) < put 2️⃣$x >\non machine X < p 1️⃣'my tool.exe'; p tool.exe >",
      ["invalidLibraryName@1️⃣"], notes: ["2️⃣"])
    #expect(output.diagnostics.first?.notes.first?.message == "passed to parameter `x`, used here")
  }

  @Test func forbiddenScriptCharacterAtTheCall() {
    _ = check(
      "def r(s, a) < run $s 2️⃣$a >\non machine X < r ok.ps1 1️⃣\"a;b\"; r ok.ps1 fine >",
      ["forbiddenScriptCharacter@1️⃣"], notes: ["2️⃣"])
  }

  @Test func computedLibraryNameAtTheCall() {
    _ = check(
      "let res = on machine X < run a.ps1 >\ndef p(x) < put 2️⃣$x >\non machine X < p 1️⃣\"${res.output}\" >",
      ["computedLibraryName@1️⃣"], notes: ["2️⃣"])
  }

  @Test func throughAnotherProcedure() {
    // Passed on: reported where the user wrote the value.
    _ = check(
      "def q(f) < put 2️⃣$f >\ndef p(x) < q $x >\non machine X < p 1️⃣'my tool.exe' >",
      ["invalidLibraryName@1️⃣"], notes: ["2️⃣"])
    // Written inside a procedure: reported there, once, however often it is called.
    _ = check(
      "def q(f) < put 2️⃣$f >\ndef p() < q 1️⃣'my tool.exe' >\non machine X < p; p >\non machine Y < p >",
      ["invalidLibraryName@1️⃣"], notes: ["2️⃣"])
  }

  @Test func insideATextTemplate() {
    _ = check(
      "def p(x) < put 2️⃣\"${x}.exe\" >\non machine X < p 1️⃣'my tool'; p tool >",
      ["invalidLibraryName@1️⃣"], notes: ["2️⃣"])
  }

  @Test func problemsOfTheBodyItselfStayAtTheBody() {
    _ = check(
      "def p(x) < put 1️⃣'my tool.exe'; get $x >\non machine X < p 'a'; p 'b' >",
      ["invalidLibraryName@1️⃣"])
  }

  @Test func unknownScriptSuggestsAtTheCall() throws {
    let output = check(
      "def p(s) < run 2️⃣$s >\non machine X < p 1️⃣minidum.ps1; p minidump.ps1 >",
      ["unknownScript@1️⃣"], notes: ["2️⃣"], options: .init(knownLibraryFiles: ["minidump.ps1"]))
    let fix = try #require(output.diagnostics.first?.fixIts.first?.edits.first)
    #expect(fix.replacement == "minidump.ps1")
    #expect(output.diagnostics.first?.range == fix.range)
  }

  @Test func procedureInAModule() throws {
    let source = MarkedSource("use \"m\"\non machine X < p 1️⃣'my tool.exe' >")
    let output = compile(source.text, modules: ["m": "def p(x) < put $x >"])
    #expect(diagnosticPositions(output) == ["invalidLibraryName@\(source["1️⃣"])"])
    let note = try #require(output.diagnostics.first?.notes.first)
    #expect(note.file == "m.lr")
    #expect(note.range == 15..<17)
  }
}
