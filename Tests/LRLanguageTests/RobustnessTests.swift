import Foundation
import LRLanguage
import LRTestSupport
import LiveResponse
import PropertyBased
import Testing

/// Every front end asks the language for analysis while the user types: no input may crash it.
@Suite struct RobustnessTests {
  /// Runs every stage on text.
  static func exercise(_ source: SourceFile) {
    _ = Lexer(source: source).tokenize()
    let output = Compiler.compile(
      source, modules: InMemoryModules(["m": "def f(a) < get $a >", "c": "use \"c\""]))
    _ = DiagnosticFormatter(sources: output.sources).render(output.diagnostics)
    _ = DiagnosticFormatter(sources: output.sources).json(output.diagnostics).serialized()
    _ = output.plan.json(sources: output.sources).serialized(pretty: true)
    if let formatted = Formatter.format(source) {
      let again = Formatter.format(SourceFile(name: source.name, text: formatted))
      #expect(
        again == formatted,
        "formatting is not idempotent for \(String(decoding: source.bytes, as: UTF8.self).debugDescription)"
      )
      #expect(meaning(formatted) == meaning(String(decoding: source.bytes, as: UTF8.self)))
    }
    let analysis = Analysis(source: source, modules: NoModules())
    for offset in stride(from: 0, through: source.bytes.count, by: max(1, source.bytes.count / 16))
    {
      _ = analysis.completions(at: offset)
      _ = analysis.hover(at: offset)
    }
    _ = analysis.semanticTokens()
    _ = analysis.documentSymbols()
  }

  static let fragments = [
    "on", "machine", "machines", "[", "]", ",", "tag", "name", "file", "filter", "<", ">", ";",
    "\n",
    "run", "get", "put", "let", "=", "def", "(", ")", "use", "comment", "if", "else", "and", "or",
    "not", "==", "!=", "<=", ">=", "+", "$x", "${x}", "x", "r.exit_code", "\"s\"", "'C:\\a'",
    "\"${r.output}\"", "\"\\u{41}\"", "\"\\q\"", "\"", "'", "#c\n", " ", "0", "é", "\u{1B}", "\\",
    "minidump.ps1", "WS-*", "{", "}", "$", "@", "contains", "matches", "true",
  ]

  @Test func randomBytesNeverCrash() async {
    await propertyCheck(count: 300, input: Gen.uint8(in: 0...255).array(of: 0...120)) { bytes in
      RobustnessTests.exercise(SourceFile(name: "fuzz.lr", bytes: bytes))
    }
  }

  @Test func randomTokenSoupNeverCrashes() async {
    await propertyCheck(
      count: 500, input: Gen.element(of: RobustnessTests.fragments).array(of: 0...40)
    ) { pieces in
      RobustnessTests.exercise(
        SourceFile(name: "fuzz.lr", text: pieces.compactMap { $0 }.joined(separator: " ")))
    }
  }

  /// Nesting deep enough to exhaust a stack if every stage recursed without a limit: reported
  /// once (`nestingTooDeep`), and every stage survives.
  @Test(arguments: [
    String(repeating: "not ", count: 100_000) + "r.ok",
    String(repeating: "(", count: 100_000) + "r.ok" + String(repeating: ")", count: 100_000),
    Array(repeating: "r.ok", count: 100_000).joined(separator: " and "),
    Array(repeating: "r.ok", count: 100_000).joined(separator: " or "),
    Array(repeating: "(not r.ok and r.ok", count: 30_000).joined(separator: " or ")
      + String(repeating: ")", count: 30_000),
  ])
  func deepConditionsAreReportedNotFatal(_ condition: String) {
    let text = "let r = on machine X < get 'a' >\nif \(condition) < on machine Y < get 'b' > >\n"
    let source = SourceFile(name: "deep.lr", text: text)
    let output = Compiler.compile(source)
    #expect(output.diagnostics.map(\.id) == ["nestingTooDeep"])
    #expect(output.diagnostics.first.map { source.location(of: $0.range.lowerBound).line } == 2)
    RobustnessTests.exercise(source)
  }

  @Test(arguments: [
    String(repeating: "if r.ok < ", count: 50_000) + String(repeating: ">", count: 50_000),
    String(repeating: "if r.ok <\n", count: 50_000) + String(repeating: ">\n", count: 50_000),
    "if r.ok < > " + String(repeating: "else if r.ok < > ", count: 50_000),
  ])
  func deepIfsAreReportedNotFatal(_ ifs: String) {
    let source = SourceFile(name: "deep.lr", text: "let r = on machine X < get 'a' >\n" + ifs)
    let output = Compiler.compile(source)
    #expect(output.diagnostics.filter { $0.id == "nestingTooDeep" }.count == 1)
    RobustnessTests.exercise(source)
  }

  @Test func nestingUpToTheLimitIsFine() {
    let depth = Parser.maximumNesting - 1
    let text =
      "let r = on machine X < get 'a' >\nif " + String(repeating: "not ", count: depth)
      + "r.ok < on machine Y < get 'b' > >\n"
    let output = compile(text)
    #expect(output.diagnostics.isEmpty)
    #expect(output.plan.allStatements.count == 2)
  }

  @Test func mutatedExamplesNeverCrash() async throws {
    let examples = try FileManager.default.contentsOfDirectory(
      at: LRTestSupport.packageRoot.appendingPathComponent("examples"),
      includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "lr" }
    let texts = try examples.map { try Data(contentsOf: $0) }.map { Array($0) }
    #expect(!texts.isEmpty)
    await propertyCheck(
      count: 400,
      input: Gen.int(in: 0...(texts.count - 1)), Gen.int(in: 0...10_000), Gen.int(in: 0...3),
      Gen.uint8(in: 0...255)
    ) { which, position, operation, byte in
      var bytes = texts[which]
      let at = bytes.isEmpty ? 0 : position % bytes.count
      switch operation {
      case 0 where !bytes.isEmpty: bytes.remove(at: at)
      case 1: bytes.insert(byte, at: at)
      case 2 where !bytes.isEmpty: bytes[at] = byte
      default: bytes = Array(bytes[..<at])
      }
      RobustnessTests.exercise(SourceFile(name: "fuzz.lr", bytes: bytes))
    }
  }
}
