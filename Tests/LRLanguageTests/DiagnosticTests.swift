import LRLanguage
import LRTestSupport
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

  @Test func strayCloseBlock() {
    assertDiagnostics("on machine X < get 'a' >\n1️⃣>\nlet a = 1", [("strayCloseBlock", "1️⃣")])
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

  @Test func importCycle() {
    let source = MarkedSource("use 1️⃣\"a\"\non machine X < fa >")
    let output = compile(
      source.text,
      modules: ["a": "use \"b\"\ndef fa() < get 'a' >", "b": "use \"a\"\ndef fb() < get 'b' >"])
    let cycle = output.diagnostics.filter { $0.id == "importCycle" }
    #expect(cycle.count == 1)
    #expect(cycle.first?.message.contains("a.lr → b.lr → a.lr") == true)
    #expect(cycle.first?.file == "b.lr")
    #expect(!output.diagnostics.contains { $0.id == "unknownCommand" })
    _ = source
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
