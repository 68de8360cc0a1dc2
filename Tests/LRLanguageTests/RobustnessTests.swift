import Foundation
import LRLanguage
import LRTestSupport
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
