import Foundation
import LRLanguage
import PropertyBased
import Testing

/// Incremental diagnostics must be exactly those of a full compilation, after every edit.
@Suite struct IncrementalDiagnosticsTests {
  static let modules = InMemoryModules([
    "m": "# helper\ndef fetch(path) < get $path >\nlet shared = 'C:\\\\tools'",
    "bad": "on machine X < run a.ps1 >",
  ])

  /// Statements and pieces of statements (valid and broken) that documents and edits are made of.
  static let fragments = [
    "on machine WS-1 < run a.ps1 >\n", "let x = 1\n", "let x = \"${y}\"\n", "let y = 'v'\n",
    "def p(a) < get $a >\n", "def q() < p 1; q >\n", "# doc\ndef r(a, b) < p $a; run $b >\n",
    "p 2\n", "use \"m\"\n", "use \"bad\"\n", "use \"missing\"\n",
    "if x == 1 < let z = on machine A < get 'c:\\\\a' > >\n",
    "if z.exit_code == 0 < on tag t < put f.exe > > else < comment \"c\" >\n",
    "let t = machine A + tag \"g\"\n", "on $t < fetch x; r 1 2 >\n",
    "comment \"c ${x}\"\n", "on machines [A, B] < p $x; fetch 2 >\n",
    "let w = on machine B < rnu b.ps1 >\n", "on machine C < p >\n",
    // Arguments checked at calls (they depend on the procedure's body), and continuations.
    "def u(f) < put $f >\n", "def v(g) < u $g; run $g >\n", "on machine D < u 'a b'; v ok.ps1 >\n",
    "put", "get", "let k =\n", "not\n", "if (x\n== 1) < >\n", "else\n", "!",
    "<", ">", "\"", "'", "#",
    "\n", " ", ";", "run", "rnu", "def", "let", "$x", "x", "y", "$z.exit_code", "else < >", "é",
    "\u{1B}", "(", ")", "[", "]", "=", "+", "on",
  ]

  /// Applies one edit, encoded as a number, to a document.
  static func apply(_ code: Int, to doc: inout [UInt8]) {
    let at = code % (doc.count + 1)
    let fragment = Array(fragments[(code / 104_729) % fragments.count].utf8)
    let length = (code / 31) % 9
    switch (code / 7_919) % 3 {
    case 0: doc.insert(contentsOf: fragment, at: at)
    case 1: doc.removeSubrange(at..<min(doc.count, at + length))
    default: doc.replaceSubrange(at..<min(doc.count, at + length % 4), with: fragment)
    }
  }

  static func full(_ bytes: [UInt8]) -> [Diagnostic] {
    Compiler.compile(SourceFile(name: "doc.lr", bytes: bytes), modules: modules).diagnostics
  }

  @Test func incrementalEqualsFullAfterRandomEdits() async {
    await propertyCheck(
      count: 500, input: Gen.element(of: IncrementalDiagnosticsTests.fragments).array(of: 0...30),
      Gen.int(in: 0...1_000_000_000).array(of: 1...12)
    ) { pieces, edits in
      var doc = Array(pieces.compactMap { $0 }.joined().utf8)
      let modules = IncrementalDiagnosticsTests.modules
      var checker = IncrementalDiagnostics(
        source: SourceFile(name: "doc.lr", bytes: doc), modules: modules)
      #expect(checker.diagnostics == IncrementalDiagnosticsTests.full(doc))
      for code in edits {
        IncrementalDiagnosticsTests.apply(code, to: &doc)
        checker.update(
          to: SourceFile(name: "doc.lr", bytes: doc), modules: modules, options: .init())
        #expect(
          checker.diagnostics == IncrementalDiagnosticsTests.full(doc),
          "after an edit: \(String(decoding: doc, as: UTF8.self).debugDescription)")
      }
    }
  }

  /// A document shaped like the benchmark's (`bench/gen_lr.py`).
  static func generated(groups: Int) -> String {
    var lines = ["let dumps = 'C:\\windows\\TEMP'"]
    for n in 0..<groups {
      lines += [
        "# host group \(n)", "def collect\(n)(process) <", "  run minidump.ps1 $process",
        "  get \"${dumps}\\\\${process}.dmp.zip\"", ">",
        "on machines [WS-\(n), ws-\(n).contoso.com] + tag \"g\" < collect\(n) lsass; run b.ps1 >",
        "let r\(n) = on machine WS-\(n) < get 'C:\\Users\\Public\\file\(n).txt' >",
        "if r\(n).exit_code == 0 < on machine WS-\(n) < put tool.exe; run a.ps1 > >",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func anEditInsideAStatementRechecksOnlyThatStatement() {
    var text = IncrementalDiagnosticsTests.generated(groups: 40)
    let modules = NoModules()
    var checker = IncrementalDiagnostics(
      source: SourceFile(name: "doc.lr", text: text), modules: modules)
    func edit(_ from: String, _ to: String) {
      text = text.replacingOccurrences(of: from, with: to)
      let source = SourceFile(name: "doc.lr", text: text)
      checker.update(to: source, modules: modules, options: .init())
      #expect(checker.diagnostics == Compiler.compile(source, modules: modules).diagnostics)
    }
    // A command in a procedure body (the benchmark's edit), broken and fixed: the two units
    // parsed again, and the one statement that calls the procedure (its arguments are checked
    // against the body).
    edit("def collect20(process) <\n  run", "def collect20(process) <\n  rnu")
    #expect(checker.diagnostics.map(\.id) == ["unknownCommand"])
    #expect(checker.lastUpdate == .incremental(reparsed: 2, rechecked: 3))
    edit("def collect20(process) <\n  rnu", "def collect20(process) <\n  run")
    #expect(checker.diagnostics.isEmpty)
    // Text inserted at the top moves every statement after it.
    edit("let dumps", "# a comment\nlet dumps")
    #expect(checker.lastUpdate == .incremental(reparsed: 0, rechecked: 0))
    // A binding's value changes what later statements see: everything is checked again.
    edit("let dumps = 'C:\\windows\\TEMP'", "let dumps = on machine X < get a >")
    #expect(checker.lastUpdate == .full(reparsed: 1))
    #expect(!checker.diagnostics.isEmpty)
    // So does a procedure's parameter list.
    edit("def collect7(process)", "def collect7()")
    #expect(checker.lastUpdate == .full(reparsed: 2))
  }

  @Test func anEditToAProcedureBodyRechecksItsCallers() {
    var text = "def p(x) < put $x >\nlet a = 1\non machine X < p 'my tool.exe' >\nlet b = 2\n"
    let modules = NoModules()
    var checker = IncrementalDiagnostics(
      source: SourceFile(name: "doc.lr", text: text), modules: modules)
    #expect(checker.diagnostics.map(\.id) == ["invalidLibraryName"])
    func edit(_ from: String, _ to: String) {
      text = text.replacingOccurrences(of: from, with: to)
      let source = SourceFile(name: "doc.lr", text: text)
      checker.update(to: source, modules: modules, options: .init())
      #expect(checker.diagnostics == Compiler.compile(source, modules: modules).diagnostics)
    }
    // `put $x` becomes `get $x`: the call's argument is a path now, and fine. The `def` (the
    // first unit) is parsed again; the caller is checked again though it did not change; `let a`
    // and `let b` are not.
    edit("put $x", "get $x")
    #expect(checker.diagnostics.isEmpty)
    #expect(checker.lastUpdate == .incremental(reparsed: 1, rechecked: 2))
    edit("get $x", "put $x")
    #expect(checker.diagnostics.map(\.id) == ["invalidLibraryName"])
  }

  @Test func aChangedModuleIsCheckedAgain() {
    let text = "use \"m\"\non machine A < fetch 1 >\n"
    let source = SourceFile(name: "doc.lr", text: text)
    var checker = IncrementalDiagnostics(
      source: source, modules: InMemoryModules(["m": "def fetch(path) < get $path >"]))
    #expect(checker.diagnostics.isEmpty)
    let changed = InMemoryModules(["m": "def fetch() < get a >"])
    checker.update(to: source, modules: changed, options: .init())
    #expect(checker.diagnostics == Compiler.compile(source, modules: changed).diagnostics)
    #expect(checker.diagnostics.map(\.id) == ["wrongArity"])
  }
}
