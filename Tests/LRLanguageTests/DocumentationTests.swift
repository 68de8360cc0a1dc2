import Foundation
import LRLanguage
import LRTestSupport
import LiveResponse
import Testing

/// Modules from a folder of the repository (the stdlib), for tests that compile real files.
struct DirectoryModules: ModuleProvider {
  var folders: [URL]
  func lookup(module name: String, from importer: String) -> ModuleLookup {
    for folder in folders {
      let url = folder.appendingPathComponent(name + ".lr")
      if let data = FileManager.default.contents(atPath: url.path) {
        return .found(SourceFile(name: url.path, bytes: Array(data)))
      }
    }
    return .notFound(searched: folders.map(\.path))
  }
}

let repository = LRTestSupport.packageRoot
let stdlibModules = DirectoryModules(folders: [
  repository.appendingPathComponent("examples"), repository.appendingPathComponent("stdlib"),
])

@Suite struct DocumentationTests {
  @Test func everyLanguageExampleCompiles() throws {
    let blocks = try fencedBlocks("docs/language.md", language: "lr")
    #expect(blocks.count >= 8)
    for block in blocks {
      let output = Compiler.compile(
        SourceFile(name: "docs/language.md:\(block.line)", text: block.text), modules: stdlibModules
      )
      let errors = output.diagnostics.filter { $0.severity == .error }
      #expect(errors.isEmpty, "docs/language.md:\(block.line): \(errors.map(\.message))")
      #expect(!output.plan.allStatements.isEmpty, "docs/language.md:\(block.line) sends nothing")
    }
  }

  /// What the text says each example does, keyed by a piece of the example.
  static let statedOutcomes: [(key: String, check: @Sendable (Compiler.Output) throws -> Void)] = [
    (
      "comment \"Testing Live Response API\"",
      { output in
        #expect(bodies(output) == [documentedSeedBody])
        #expect(targets(output) == [#"[{"machine":"1e5bc9d7e413ddd7902c2932e418702b84d0cc07"}]"#])
      }
    ),
    (
      "run Get-Processes.ps1 >\non machine WS-0142 < run Get-FileHash.ps1",
      { output in
        let statements = output.plan.allStatements
        #expect(
          statements.map(types) == [
            [["RunScript"]], [["RunScript"]], [["PutFile", "RunScript", "GetFile"]],
          ])
        #expect(statements.first?.requests[0].commands[0].param("Args") == nil)
        #expect(
          statements.dropFirst().first?.requests[0].commands[0].param("Args")?.literal
            == #"C:\Users\Public\invoice.exe"#)
      }
    ),
    (
      "dropper.log",
      { output in
        #expect(output.plan.allStatements.map(types) == [[["GetFile"], ["RunScript", "GetFile"]]])
      }
    ),
    (
      "# union",
      { output in
        #expect(
          targets(output) == [
            #"[{"machine":"WS-0142"}]"#, #"[{"machine":"mymachine1.contoso.com"}]"#,
            #"[{"machine":"1e5bc9d7e413ddd7902c2932e418702b84d0cc07"}]"#,
            #"[{"machine":"WS-0142"},{"machine":"ws-0143.contoso.com"}]"#, #"[{"tag":"finance"}]"#,
            #"[{"name":"WS-*"}]"#, #"[{"name":"srv-"}]"#, #"[{"file":"hosts.txt"}]"#,
            #"[{"filter":"osPlatform eq 'Linux'"}]"#, #"[{"tag":"vip"},{"machine":"WS-0142"}]"#,
          ])
        #expect(output.plan.allStatements.allSatisfy { $0.requests.count == 1 })
      }
    ),
    (
      "Case 4711",
      { output in
        #expect(
          targets(output) == [#"[{"tag":"finance"},{"name":"WS-*"}]"#, #"[{"machine":"WS-0142"}]"#])
        #expect(
          bodies(output).first
            == #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"lsass"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\windows\\TEMP\\lsass.dmp.zip"}]}],"Comment":"Case 4711: suspected credential theft"}"#
        )
        #expect(output.plan.allStatements.last?.requests.first?.comment.literal == "one-off check")
      }
    ),
    (
      "def memdump(process)",
      { output in
        let statements = output.plan.allStatements
        #expect(
          statements.map(types) == [
            [["RunScript", "GetFile"]], [["RunScript", "GetFile"], ["RunScript"]],
          ])
        #expect(
          targets(output) == [
            #"[{"machine":"WS-0142"}]"#,
            #"[{"machine":"WS-0142"},{"machine":"ws-0143.contoso.com"}]"#,
          ])
        #expect(
          statements.first.map { $0.requests[0].json(comment: "").serialized() }
            == memdumpOfficeClickToRun)
      }
    ),
    (
      "use \"windows\"",
      { output in
        let statements = output.plan.allStatements
        #expect(statements.count == 1)
        #expect(
          statements.first.map { $0.requests[0].json(comment: "").serialized() }
            == memdumpOfficeClickToRun)
      }
    ),
    (
      "let hash = on machine",
      { output in
        #expect(
          planShape(output.plan).map {
            $0.replacing(#/\[\{"machine":"WS-0142"\}\] /#, with: "").replacing(
              #/"Comment":"lr language\.md:\d+"/#, with: #""Comment":"(default)""#)
          } == [
            #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Get-FileHash.ps1"},{"key":"Args","value":"C:\\Users\\Public\\invoice.exe"}]}],"Comment":"(default)"} bind=hash"#,
            #"if (hash.exit_code == 0) and (hash.output contains "NotSigned")"#,
            #"  {"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"C:\\Users\\Public\\invoice.exe"}]}],"Comment":"(default)"} bind="#,
            "else",
            "  if not hash.ok",
            #"    {"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Collect-Triage.ps1"}]}],"Comment":"hash failed: collect triage"} bind="#,
            "  else",
            #"    {"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"Get-Autoruns.ps1"}]}],"Comment":"(default)"} bind="#,
            "  end",
            "end",
          ])
      }
    ),
  ]

  /// `run minidump.ps1 OfficeClickToRun; get …OfficeClickToRun.dmp.zip` without its Comment.
  /// Every stated outcome.
  static var allOutcomes: [(key: String, check: @Sendable (Compiler.Output) throws -> Void)] {
    statedOutcomes + [resultTargetOutcome, rolloutOutcome]
  }

  static let resultTargetOutcome: (key: String, check: @Sendable (Compiler.Output) throws -> Void) =
    (
      "on $r.failed < run Get-Services.ps1 >",
      { output in
        #expect(
          targets(output) == [
            #"[{"tag":"Lab"}]"#, #"[{"result":"r","machines":"failed"}]"#,
            #"[{"result":"r","machines":"machines","where":"(output contains \"mimikatz\") or (row.ProcessName == \"lsass.exe\")"}]"#,
          ])
      }
    )

  static let memdumpOfficeClickToRun =
    #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}]}],"Comment":""}"#

  @Test func everyLanguageExampleDoesWhatTheTextSays() throws {
    let blocks = try fencedBlocks("docs/language.md", language: "lr")
    for block in blocks {
      let matching = DocumentationTests.allOutcomes.filter { block.text.contains($0.key) }
      #expect(
        matching.count == 1,
        "docs/language.md:\(block.line): \(matching.count) stated outcomes match; give each example one"
      )
      let name = "docs/language.md:\(block.line)"
      let output = Compiler.compile(
        SourceFile(name: name, text: block.text), modules: stdlibModules)
      #expect(output.diagnostics.isEmpty, "\(name): \(output.diagnostics.map(\.message))")
      for outcome in matching { try outcome.check(output) }
    }
    // Every stated outcome is one of the document's examples.
    for outcome in DocumentationTests.allOutcomes {
      #expect(
        blocks.contains { $0.text.contains(outcome.key) }, "no example contains \(outcome.key)")
    }
  }

  /// The diagnostic shown under "Diagnostics" is what lr prints for that line.
  @Test func theDiagnosticExampleIsWhatLrPrints() throws {
    let block = try #require(try fencedBlocks("docs/language.md", language: "text").first)
    let lines = block.text.split(separator: "\n", omittingEmptySubsequences: false)
    // `FILE:LINE:COL: …` and ` LINE | SOURCE`.
    let header = try #require(lines.first?.split(separator: ":"))
    let file = String(header[0])
    let line = try #require(Int(header[1]))
    let sourceLine = try #require(
      lines.dropFirst().first?.split(separator: "| ", maxSplits: 1).last)
    let text = String(repeating: "# line\n", count: line - 1) + sourceLine + "\n"
    let output = Compiler.compile(SourceFile(name: file, text: text))
    #expect(
      DiagnosticFormatter(sources: output.sources).render(output.diagnostics) == block.text + "\n")
  }

  /// The grammar is well formed, and its keywords and punctuation are the parser's and lexer's.
  @Test func theGrammarMatchesTheParser() throws {
    let block = try #require(try fencedBlocks("docs/language.md", language: "ebnf").first)
    let text = block.text.replacing(#/\(\*.*?\*\)/#, with: "")
    var tokens: [String] = []
    var rest = Substring(text)
    while let first = rest.first {
      if first.isWhitespace {
        rest = rest.dropFirst()
      } else if first == "\"" {
        let body = rest.dropFirst()
        let end = try #require(body.firstIndex(of: "\""))
        tokens.append("\"" + body[..<end] + "\"")
        rest = body[body.index(after: end)...]
      } else if first.isLetter || first == "_" {
        let word = rest.prefix { $0.isLetter || $0 == "_" }
        tokens.append(String(word))
        rest = rest.dropFirst(word.count)
      } else {
        tokens.append(String(first))
        rest = rest.dropFirst()
      }
    }
    // Productions: NAME = … ;
    var defined: [String] = []
    var used = Set<String>()
    var terminals = Set<String>()
    var i = 0
    while i < tokens.count {
      #expect(tokens.count > i + 1 && tokens[i + 1] == "=", "a production starts at \(tokens[i])")
      defined.append(tokens[i])
      i += 2
      while i < tokens.count, tokens[i] != ";" {
        let token = tokens[i]
        if token.hasPrefix("\"") {
          terminals.insert(String(token.dropFirst().dropLast()))
        } else if token.first?.isLetter == true {
          used.insert(token)
        } else {
          #expect("|{}[]()".contains(token), "unexpected \(token) in the grammar")
        }
        i += 1
      }
      i += 1
    }
    let rules = Set(defined)
    #expect(rules.count == defined.count, "a production is defined twice")
    let lexical = used.filter { $0.uppercased() == $0 }
    #expect(
      used.subtracting(lexical).subtracting(rules).isEmpty,
      "undefined: \(used.subtracting(lexical).subtracting(rules))")
    #expect(rules.subtracting(used) == ["program"], "unused productions")
    // Lexical classes are the ones the lexical rules describe.
    let doc = try String(
      contentsOf: repository.appendingPathComponent("docs/language.md"), encoding: .utf8)
    let lexicalRules = try #require(doc.firstRange(of: "Lexical rules:")).upperBound
    for name in lexical where name != "NEWLINE" {
      #expect(doc[lexicalRules...].contains("`\(name)`"), "\(name) is not described")
    }
    // Keywords: exactly the parser's reserved and target words.
    let words = terminals.filter { $0.first?.isLetter == true }
    #expect(
      words
        == Parser.reservedWords.union(Parser.targetWords).union(Parser.contextualWords)
        .union(RolloutClause.optionNames))
    // Punctuation: each lexes as one known token.
    for symbol in terminals.subtracting(words) {
      let lexed = Lexer(source: SourceFile(name: "s", text: symbol)).tokenize()
      #expect(lexed.count == 2 && lexed[0].kind != .unknown && lexed[0].kind != .word, "\(symbol)")
    }
    // The reserved words listed under the lexical rules are the parser's.
    let reservedList = try #require(doc.firstMatch(of: #/Reserved everywhere: `([^`]*)`/#)).1
    #expect(
      Set(reservedList.split(whereSeparator: \.isWhitespace).map(String.init))
        == Parser.reservedWords)
    let contextual = try #require(
      doc.firstMatch(
        of: #/reserved only where the grammar expects them: (.*?) are/#.dotMatchesNewlines())
    ).1
    #expect(
      Set(contextual.matches(of: #/`([\w-]+)`/#).map { String($0.1) })
        == Parser.targetWords.union(Parser.contextualWords).union(RolloutClause.optionNames))
  }

  /// docs/language.md lists every diagnostic the catalogue has, under its severity, and each is
  /// reported somewhere.
  @Test func documentedDiagnosticsAreTheCatalogue() throws {
    let catalogue = try String(
      contentsOf: repository.appendingPathComponent(
        "Sources/LRLanguage/Diagnostics/DiagnosticMessage+Catalogue.swift"), encoding: .utf8)
    var severities: [String: String] = [:]
    let members = catalogue.split(separator: "  static ").dropFirst()
    for member in members {
      let name = try #require(member.firstMatch(of: #/^(?:func|var) (\w+)/#)).1
      severities[String(name)] = member.contains(".warning") ? "warning" : "error"
    }
    #expect(severities.count >= 30)
    let doc = try String(
      contentsOf: repository.appendingPathComponent("docs/language.md"), encoding: .utf8)
    let list = try #require(
      doc.firstMatch(
        of: #/Errors: (.*?)\. Warnings: (.*?)\. This is the whole/#.dotMatchesNewlines()))
    func ids(_ text: Substring) -> Set<String> {
      Set(text.matches(of: #/`(\w+)`/#).map { String($0.1) })
    }
    let errors = ids(list.1)
    let warnings = ids(list.2)
    #expect(errors.intersection(warnings).isEmpty)
    #expect(errors == Set(severities.filter { $0.value == "error" }.keys))
    #expect(warnings == Set(severities.filter { $0.value == "warning" }.keys))
    // Each id is reported by the language (not only declared).
    let folder = repository.appendingPathComponent("Sources/LRLanguage")
    var sources = ""
    for case let path as String in FileManager.default.enumerator(atPath: folder.path) ?? .init()
    where path.hasSuffix(".swift") && !path.hasSuffix("Catalogue.swift") {
      sources += try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }
    for id in severities.keys {
      #expect(
        sources.contains(".\(id)(") || sources.contains(".\(id),") || sources.contains(".\(id) "),
        "\(id) is never reported")
    }
  }

  @Test func documentedBodyMatchesTheFirstExample() throws {
    let lr = try #require(try fencedBlocks("docs/language.md", language: "lr").first)
    let json = try #require(try fencedBlocks("docs/language.md", language: "json").first)
    #expect(bodies(compile(lr.text)) == [json.text])
    #expect(json.text == documentedSeedBody)
  }

  @Test(arguments: ["examples", "stdlib"])
  func shippedFilesCompileClean(_ folder: String) throws {
    let urls = try FileManager.default.contentsOfDirectory(
      at: repository.appendingPathComponent(folder), includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "lr" }
    #expect(!urls.isEmpty)
    for url in urls {
      let source = SourceFile(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
      let output = Compiler.compile(source, modules: stdlibModules)
      #expect(
        output.diagnostics.isEmpty,
        "\(url.lastPathComponent): \(output.diagnostics.map { "\($0.id) \($0.message)" })")
      #expect(Formatter.format(source) != nil)
    }
  }
}

/// The targets of every statement, as JSON.
func targets(_ output: Compiler.Output) -> [String] {
  output.plan.allStatements.map { $0.target.json.serialized() }
}

/// The command types of each request of a statement.
func types(_ statement: PlannedStatement) -> [[String]] {
  statement.requests.map { $0.commands.map(\.type.rawValue) }
}
