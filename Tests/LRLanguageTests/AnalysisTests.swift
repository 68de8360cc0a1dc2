import LRLanguage
import LRTestSupport
import Testing

@Suite struct AnalysisTests {
  func analysis(_ text: String, modules: [String: String] = [:]) -> Analysis {
    Analysis(source: SourceFile(name: "test.lr", text: text), modules: InMemoryModules(modules))
  }

  let names = CompletionNames(
    machines: ["mymachine1.contoso.com", "ws-0142.contoso.com"],
    scripts: ["minidump.ps1", "Get-Processes.ps1"], files: ["tool.exe"], tags: ["finance"])

  func labels(_ marked: String, modules: [String: String] = [:]) -> [String] {
    let source = MarkedSource(marked)
    return analysis(source.text, modules: modules).completions(at: source["1️⃣"], names: names).map(
      \.label)
  }

  @Test func statementStartOffersKeywords() {
    #expect(labels("1️⃣") == ["on", "let", "def", "use", "if", "comment", "run", "get", "put"])
    #expect(labels("le1️⃣") == ["let"])
  }

  @Test func commandPositionOffersCommandsAndProcedures() {
    #expect(labels("def dump(p) < get $p >\non machine X < 1️⃣ >") == ["run", "get", "put", "dump"])
    #expect(labels("def dump(p) < get $p >\non machine X < get 'a'; d1️⃣") == ["dump"])
  }

  @Test func scriptsAfterRun() {
    #expect(labels("on machine X < run m1️⃣") == ["minidump.ps1"])
    #expect(labels("on machine X < put 1️⃣") == ["tool.exe"])
  }

  @Test func machinesAfterMachine() {
    #expect(labels("on machine my1️⃣") == ["mymachine1.contoso.com"])
    #expect(labels("on machines [ws-0142.contoso.com, my1️⃣") == ["mymachine1.contoso.com"])
  }

  @Test func tagsAfterTag() {
    // The fleet's tags (from `names`), quoted, since a tag may contain spaces.
    #expect(labels("on tag 1️⃣") == ["\"finance\""])
    #expect(labels("on machine X + tag 1️⃣") == ["\"finance\""])
    #expect(labels("let t = tag 1️⃣") == ["\"finance\""])
    let source = MarkedSource("on tag 1️⃣")
    let completion = analysis(source.text).completions(at: source["1️⃣"], names: names).first
    #expect(completion?.kind == .tag)
  }

  @Test func targetsAfterOn() {
    #expect(labels("on 1️⃣") == ["file", "filter", "machine", "machines", "name", "tag"])
  }

  @Test func variablesAndParameters() {
    #expect(labels("let host = \"a\"\nlet hash = 1\non machine X < get $h1️⃣") == ["host", "hash"])
    #expect(labels("def f(path) < get $pa1️⃣ >") == ["path"])
    #expect(labels("let dir = 'x'\non machine X < get \"${d1️⃣") == ["dir"])
  }

  @Test func resultFields() {
    #expect(labels("let r = on machine X < run a.ps1 >\nif r.ex1️⃣") == ["exit_code"])
    #expect(
      labels("let r = on machine X < run a.ps1 >\non machine X < get \"${r.o1️⃣") == ["ok", "output"])
  }

  @Test func modulesAfterUse() {
    #expect(
      labels("use 1️⃣", modules: ["windows": "", "linux": ""]) == ["\"linux\"", "\"windows\""])
  }

  @Test func hoverShowsProcedureDocs() throws {
    let source = MarkedSource(
      "# Dumps a process.\ndef dump(p) < get $p >\non machine X < du1️⃣mp a >")
    let hover = try #require(analysis(source.text).hover(at: source["1️⃣"]))
    #expect(hover.markdown.contains("def dump(p)"))
    #expect(hover.markdown.contains("Dumps a process."))
  }

  @Test func hoverShowsCommandMapping() throws {
    let source = MarkedSource("on machine X < r1️⃣un a.ps1 >")
    let hover = try #require(analysis(source.text).hover(at: source["1️⃣"]))
    #expect(hover.markdown.contains("RunScript"))
    #expect(hover.markdown.contains("ScriptName"))
  }

  @Test func hoverOnOnShowsTheBodies() throws {
    let source = MarkedSource("o1️⃣n machine X comment 'c' < get 'a'; run b.ps1 >")
    let hover = try #require(analysis(source.text).hover(at: source["1️⃣"]))
    #expect(hover.markdown.contains("2 requests in sequence"))
    #expect(hover.markdown.contains("\"GetFile\""))
  }

  @Test func hoverOnTheOnOfABoundStatement() throws {
    // The plan places `let r = on …` at the `let`; hover on its `on` still finds the statement.
    let source = MarkedSource("let r = o1️⃣n machine X < get 'a'; run b.ps1 >")
    let a = analysis(source.text)
    #expect(a.output.plan.allStatements.first?.range.lowerBound == 0)
    let hover = try #require(a.hover(at: source["1️⃣"]))
    #expect(hover.markdown.contains("2 requests in sequence"))
  }

  @Test func definitionOfProcedureInModule() throws {
    let source = MarkedSource("use \"m\"\non machine X < f1️⃣ 'a' >")
    let definition = try #require(
      analysis(source.text, modules: ["m": "\ndef f(a) < get $a >"]).definition(at: source["1️⃣"]))
    #expect(definition.file == "m.lr")
    #expect(definition.range == 5..<6)
  }

  @Test func semanticTokensClassify() {
    let text = "# c\ndef f(p) < get $p >\non machine X < f \"s\" >\nlet n = 3"
    let a = analysis(text)
    let classes = a.semanticTokens().map {
      "\(text.utf8Slice($0.range)):\($0.kind.rawValue)\($0.isDeclaration ? "*" : "")"
    }
    #expect(
      classes == [
        "# c:comment", "def:keyword", "f:function*", "p:parameter*", "get:keyword", "$p:parameter",
        "on:keyword", "machine:keyword", "f:function", "\"s\":string", "let:keyword", "n:variable*",
        "=:operator", "3:number",
      ])
  }

  @Test func documentSymbols() {
    let a = analysis("def f(p) < get $p >\nlet x = 1\nlet r = on machine X < get 'a' >")
    #expect(
      a.documentSymbols().map { "\($0.kind.rawValue):\($0.name)" } == [
        "procedure:f", "variable:x", "result:r",
      ])
  }

  @Test(arguments: [
    ("on machine X <", true), ("on machine X < get 'a' >", false), ("let a = \"x", true),
    ("on machines [a,", true), ("let t = tag 'a' +", true),
    ("let r = on machine X < get 'a' >\nif r.ok and", true),
    ("# just a comment", false), ("", false), ("get 'a'", false),
  ])
  func needsMoreInput(_ text: String, _ expected: Bool) {
    #expect(Analysis.needsMoreInput(text) == expected)
  }
}

extension String {
  func utf8Slice(_ range: Range<Int>) -> String {
    String(decoding: Array(utf8)[range], as: UTF8.self)
  }
}
