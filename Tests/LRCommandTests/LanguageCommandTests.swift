import Foundation
import LRTestSupport
import Testing

/// `lr check`, `lr compile` and `lr fmt` run as a user runs them: the built binary, real files.
@Suite struct LanguageCommandTests {
  let root = LRTestSupport.packageRoot

  func write(_ text: String, name: String = "t.lr", in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func compileSeedPrintsTheDocumentedBody() async throws {
    let result = try await LRTestSupport.runLR(
      ["compile", "examples/seed.lr"], currentDirectory: root)
    #expect(result.status == 0)
    let documented =
      #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"minidump.ps1"},{"key":"Args","value":"OfficeClickToRun"}]},{"type":"GetFile","params":[{"key":"Path","value":"C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip"}]}],"Comment":"Testing Live Response API"}"#
    #expect(result.stdout == documented + "\n")
    // Semantically equal to the reference document's body, too.
    let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? NSDictionary
    let expected = try JSONSerialization.jsonObject(with: Data(documented.utf8)) as? NSDictionary
    #expect(parsed == expected)
  }

  @Test func compilePlanShowsTargetsAndSequence() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write("on tag \"finance\" + machine WS-1 < get 'a'; run b.ps1 >", in: dir)
    let result = try await LRTestSupport.runLR(["compile", "--plan", path])
    #expect(result.status == 0)
    let plan = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let steps = try #require(plan["steps"] as? [[String: Any]])
    #expect((steps.first?["requests"] as? [Any])?.count == 2)
    #expect(
      (steps.first?["targets"] as? [[String: String]]) == [["tag": "finance"], ["machine": "WS-1"]])
  }

  /// Standard output: every body the file might send, one a line (both branches of an `if`);
  /// standard error: the summary, also when not a terminal.
  @Test func compileSummaryGoesToStandardError() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write(
      """
      let r = on machine WS-1 comment "c" < get 'a'; run b.ps1 >
      if r.ok <
        on tag "t" comment "c" < run c.ps1 >
      > else <
        on machine WS-2 comment "c" < run d.ps1 >
      >

      """, in: dir)
    let result = try await LRTestSupport.runLR(["compile", path])
    #expect(result.status == 0, "\(result.stderr)")
    let script = #"{"type":"RunScript","params":[{"key":"ScriptName","value":"X"}]}"#
    func body(_ commands: String...) -> String {
      #"{"Commands":["# + commands.joined(separator: ",") + #"],"Comment":"c"}"#
    }
    let get = #"{"type":"GetFile","params":[{"key":"Path","value":"a"}]}"#
    #expect(
      result.stdout.split(separator: "\n").map(String.init) == [
        body(get), body(script.replacing("X", with: "b.ps1")),
        body(script.replacing("X", with: "c.ps1")), body(script.replacing("X", with: "d.ps1")),
      ])
    #expect(
      result.stderr == """
        # \(path):1:1: on machine WS-1: 2 requests in sequence (API order PutFile → RunScript → GetFile) → r
        # \(path):2:1: if r.ok
        #   # \(path):3:3: on tag "t": 1 request
        # else
        #   # \(path):5:3: on machine WS-2: 1 request
        # 4 requests from 3 statements (including both branches of every `if`)

        """)
    // With JSON diagnostics, standard error is for JSON only: no summary.
    let json = try await LRTestSupport.runLR(["compile", "--format", "json", path])
    #expect(json.status == 0)
    #expect(json.stderr.isEmpty)
    #expect(json.stdout == result.stdout)
  }

  @Test func compilePlanWritesEachBodyOnOneLine() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write(
      "\n  let r = on machine WS-1 comment \"c\" < get 'a'; run b.ps1 >\n", in: dir)
    let result = try await LRTestSupport.runLR(["compile", "--plan", path])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(
      lines.contains(
        #"{"Commands":[{"type":"GetFile","params":[{"key":"Path","value":"a"}]}],"Comment":"c"},"#))
    #expect(
      lines.contains(
        #"{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"b.ps1"}]}],"Comment":"c"}"#
      ))
    // The location of `let r = on …` is the `let`.
    #expect(lines.contains(#""location": "\#(path):2:3","#))
    let plan = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((plan["steps"] as? [[String: Any]])?.first?["bind"] as? String == "r")
  }

  @Test func checkReportsAProcedureArgumentAtTheCall() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write("def p(x) < put $x >\non machine X < p 'my tool.exe' >\n", in: dir)
    let result = try await LRTestSupport.runLR(["check", path])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "t.lr:2:18: error: library file names may contain only letters, digits, `-`, `_` and `.`"))
    #expect(result.stderr.contains("t.lr:1:16: note: passed to parameter `x`, used here"))
  }

  @Test func checkSanitizesAFileNameInDiagnostics() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write("on machine X < gte 'a' >\n", name: "x\u{1B}[2Jy.lr", in: dir)
    let result = try await LRTestSupport.runLR(["check", path])
    #expect(result.status == 2)
    #expect(!result.stderr.contains("\u{1B}"))
    #expect(result.stderr.contains("y.lr:1:16: error: unknown command `gte`"))
  }

  @Test func compileErrorsExitTwoWithDiagnosticsOnStderr() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write("on machine X < gte 'a' >\n", in: dir)
    let result = try await LRTestSupport.runLR(["compile", path])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("t.lr:1:16: error: unknown command `gte`"))
    #expect(result.stderr.contains("^~~"))
  }

  @Test func checkExitCodes() async throws {
    let clean = try await LRTestSupport.runLR(
      ["check", "examples/seed.lr", "examples/memdump.lr"], currentDirectory: root)
    #expect(clean.status == 0)
    #expect(clean.stderr.isEmpty)
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let warning = try write("on machine X < >\n", name: "w.lr", in: dir)
    let warned = try await LRTestSupport.runLR(["check", warning])
    #expect(warned.status == 0)
    #expect(warned.stderr.contains("warning: empty block"))
    let bad = try write("use \"missing\"\non machine X < get >\n", name: "bad.lr", in: dir)
    let failed = try await LRTestSupport.runLR(["check", bad])
    #expect(failed.status == 2)
    #expect(failed.stderr.contains("module `missing` not found"))
    #expect(failed.stderr.contains("2 errors, 0 warnings"))
  }

  @Test func checkJSON() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write("on machine X < gte 'a' >\n", in: dir)
    let result = try await LRTestSupport.runLR(["check", "--format", "json", path])
    #expect(result.status == 2)
    let list = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(list.first?["id"] as? String == "unknownCommand")
    #expect(list.first?["line"] as? Int == 1)
    #expect(list.first?["column"] as? Int == 16)
  }

  @Test func checkImportsFromTheScriptFolderAndStdlib() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try write("def local-fetch(p) < get $p >\n", name: "helpers.lr", in: dir)
    let path = try write(
      "use \"helpers\"\nuse \"windows\"\non machine X < local-fetch 'a'; win-memdump lsass >\n",
      in: dir)
    let result = try await LRTestSupport.runLR(["check", path], currentDirectory: root)
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test func checkMissingFileIsAUsageError() async throws {
    let result = try await LRTestSupport.runLR(["check", "/nonexistent/x.lr"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/x.lr: no such file"))
  }

  @Test func checkNonUTF8File() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("latin1.lr")
    try Data([0x6C, 0x65, 0x74, 0x20, 0x61, 0x20, 0x3D, 0x20, 0x27, 0xE9, 0x27, 0x0A]).write(
      to: url)
    let result = try await LRTestSupport.runLR(["check", url.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("latin1.lr:1:10: error: the file is not valid UTF-8"))
  }

  @Test func checkReadsStandardInput() async throws {
    let result = try await LRTestSupport.runLR(["check", "-"], stdin: "on machine X < put >\n")
    #expect(result.status == 2)
    #expect(result.stderr.contains("<stdin>:1:16: error: `put` takes one library file name, got 0"))
  }

  @Test func fmtRewritesAndChecks() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = try write("on   machine X<get 'a';run b.ps1>\n", in: dir)
    let check = try await LRTestSupport.runLR(["fmt", "--check", path])
    #expect(check.status == 1)
    #expect(check.stdout.contains("t.lr: not formatted"))
    #expect(try await LRTestSupport.runLR(["fmt", path]).status == 0)
    #expect(
      try String(contentsOfFile: path, encoding: .utf8) == "on machine X < get 'a'; run b.ps1 >\n")
    #expect(try await LRTestSupport.runLR(["fmt", "--check", path]).status == 0)
  }

  @Test func fmtLeavesBrokenFilesAlone() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = "on machine X < get 'a'\n"
    let path = try write(text, in: dir)
    let result = try await LRTestSupport.runLR(["fmt", path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("not formatted because of syntax errors"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
  }

  @Test func shippedFilesAreFormatted() async throws {
    let files =
      try FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent("examples").path
      )
      .filter { $0.hasSuffix(".lr") }.map { "examples/" + $0 }
      + FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("stdlib").path)
      .filter { $0.hasSuffix(".lr") }.map { "stdlib/" + $0 }
    let result = try await LRTestSupport.runLR(["fmt", "--check"] + files, currentDirectory: root)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }
}
