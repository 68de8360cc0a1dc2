import Foundation
import LRLanguage
import LiveResponse
import Testing

@testable import LRShell

/// A runner that binds a three-machine result, with parsed rows, to each `let`.
final class BoundResultRunner: StatementRunner, @unchecked Sendable {
  let kind = RunnerKind.lab

  static let hostile = "=cmd|' /C calc'!A0"

  static func row(_ name: String, _ id: Int, _ path: String) -> JSONValue {
    .object([("ProcessName", .string(name)), ("Id", .number(id)), ("Path", .string(path))])
  }

  static let set = ResultSet(machines: [
    MachineResult(
      machine: "ws-0142.contoso.com", machineID: String(repeating: "a", count: 40),
      status: .succeeded, exitCode: 0, output: "Handles  ProcessName\n-------  -----------\n",
      rows: [
        row("lsass", 640, #"C:\Windows\System32\lsass.exe"#),
        row("svchost", 812, #"C:\Windows\System32\svchost.exe"#),
      ]),
    MachineResult(
      machine: "ws-0143.contoso.com", machineID: String(repeating: "b", count: 40),
      status: .succeeded, exitCode: 0, output: "\u{1B}[2Jevil first line\nsecond",
      rows: [
        row("lsass", 652, #"C:\Users\Public\lsass.exe"#),
        row("svchost", 800, #"C:\Windows\System32\svchost.exe"#),
        .object([("ProcessName", .string(hostile)), ("Extra", .string("x"))]),
      ]),
    MachineResult(
      machine: "ws-0150.contoso.com", machineID: String(repeating: "c", count: 40),
      status: .failed, errors: "access denied"),
  ])

  func run(
    _ plan: Plan, context: RunContext, events: @escaping @Sendable (ShellEvent) -> Void
  ) async throws -> ResultValues {
    var values: ResultValues = [:]
    for statement in plan.allStatements {
      if let binding = statement.binding { values[binding] = Self.set }
    }
    events(.finished(.succeeded, elapsedSeconds: 1))
    return values
  }

  func cancel(job: JobID) async throws {}
  func machines(filter: String?) async throws -> [MachineRecord] { [] }
  func library() async throws -> [LibraryRecord] { [] }
  func actions() async throws -> [ActionRecord] { [] }
}

/// Bound results at the prompt: `r`, `r.rows`, `.export`, `.stack`, completion.
@Suite struct BoundResultTests {
  func bound(_ c: Collector, mode: OutputMode = .human, width: Int? = nil) async -> Session {
    var configuration = Session.Configuration(modules: testModules, outputMode: mode)
    if let width { configuration.width = { width } }
    let s = Session(runner: BoundResultRunner(), configuration: configuration, output: c.output)
    _ = await s.evaluate(#"let r = on tag "Finance" < run Get-Processes.ps1 >"#)
    await s.waitForJobs()
    c.reset()
    return s
  }

  @Test func aBoundNameShowsItsMachines() async {
    let c = Collector()
    let s = await bound(c)
    for typed in ["r", "$r", "  r  "] {
      c.reset()
      _ = await s.evaluate(typed)
      #expect(c.err.isEmpty, "\(typed): \(c.err)")
      let lines = c.out.split(separator: "\n").map(String.init)
      #expect(lines.first?.hasPrefix("MACHINE") == true)
      #expect(lines.contains { $0.hasPrefix("ws-0142.contoso.com") && $0.contains("Succeeded") })
      #expect(lines.contains { $0.contains("ws-0150.contoso.com") && $0.contains("access denied") })
      // The first line of output, sanitized: no escape reaches the terminal.
      #expect(c.out.contains(#"\u{1b}[2Jevil first line"#))
      #expect(!c.out.contains("second"))
      #expect(!c.out.contains("\u{1B}"))
      #expect(c.out.contains("3 machines, 1 failed"))
    }
    #expect(await s.errorCount == 0)
  }

  @Test func fieldsAndSubsets() async {
    let c = Collector()
    let s = await bound(c)
    _ = await s.evaluate("r.count")
    #expect(c.out == "3\n")
    c.reset()
    _ = await s.evaluate("r.failed.machines")
    #expect(c.out == "ws-0150.contoso.com\n")
    c.reset()
    _ = await s.evaluate("$r.succeeded")
    #expect(c.out.contains("ws-0143.contoso.com") && !c.out.contains("ws-0150"))
    c.reset()
    _ = await s.evaluate("r.exit_code")
    #expect(c.out.contains("EXIT_CODE"))
    c.reset()
    _ = await s.evaluate("r.failed.errors")
    #expect(c.out == "access denied\n")
    c.reset()
    _ = await s.evaluate("r.rows")
    let lines = c.out.split(separator: "\n").map(String.init)
    // Columns: machine first, then the union of the rows' columns in first-seen order.
    #expect(
      lines.first?.split(separator: " ").map(String.init) == [
        "MACHINE", "ProcessName", "Id", "Path", "Extra",
      ])
    #expect(lines.filter { $0.hasPrefix("ws-0143.contoso.com") }.count == 3)
    #expect(c.out.contains("(5 rows from 2 machines)"))
  }

  @Test func whereConditionsReadEachMachinesResult() async {
    let c = Collector()
    let s = await bound(c)
    _ = await s.evaluate(#"r where output contains "evil""#)
    #expect(c.err.isEmpty, "\(c.err)")
    #expect(c.out.contains("ws-0143.contoso.com"))
    #expect(!c.out.contains("ws-0142.contoso.com") && !c.out.contains("ws-0150.contoso.com"))
    c.reset()
    // A row column: true when one of the machine's rows matches.
    _ = await s.evaluate(#"$r where Path contains "Public""#)
    #expect(c.out.contains("ws-0143.contoso.com") && !c.out.contains("ws-0142.contoso.com"))
    c.reset()
    _ = await s.evaluate(#"r where exit_code =="#)
    #expect(c.err.contains("the `where` condition does not compile"))
  }

  @Test func setsTakeCountAsInTheLanguage() async {
    let c = Collector()
    let s = await bound(c)
    _ = await s.evaluate("r.rows.count")
    #expect(c.err.isEmpty, "\(c.err)")
    #expect(c.out == "5\n")
    c.reset()
    _ = await s.evaluate("r.failed.machines.count")
    #expect(c.out == "1\n")
    c.reset()
    _ = await s.evaluate("r.output.count")
    #expect(c.err.contains("`output` is a value"))
  }

  @Test func aWhereResultHasNoHintThatDoesNotParse() async {
    let c = Collector()
    let s = await bound(c)
    _ = await s.evaluate(#"r where output contains "evil""#)
    #expect(c.out.contains("(1 machine, 0 failed)"), "\(c.out)")
    #expect(!c.out.contains(#""evil".rows"#), "\(c.out)")
  }

  @Test func mistakesAreSentences() async {
    let c = Collector()
    let s = await bound(c)
    _ = await s.evaluate("r.faild")
    #expect(c.err.contains("a result has no field `faild`; did you mean `failed`?"))
    c.reset()
    _ = await s.evaluate("$x")
    #expect(c.err.contains("no result is bound to `x`"))
    #expect(c.err.contains("(bound: `r`)"))
    c.reset()
    _ = await s.evaluate("r.count.rows")
    #expect(c.err.contains("`count` is a value"))
    #expect(await s.errorCount == 3)
  }

  @Test func aResultStillRunningIsNotBoundYet() async throws {
    let c = Collector()
    let s = Session(
      runner: ScriptedRunner(), configuration: .init(modules: testModules), output: c.output)
    _ = await s.evaluate("let b = on machine WS-0142 < run block.ps1 >")
    try await Task.sleep(for: .milliseconds(20))
    _ = await s.evaluate("$b")
    #expect(c.err.contains("no result is bound to `b`"))
    #expect(c.err.contains("[1] still running: a result is bound when it ends"))
    _ = await s.evaluate(".cancel")
    await s.waitForJobs()
  }

  @Test func wideTablesAreCutToTheTerminal() async {
    let c = Collector()
    let s = await bound(c, width: 40)
    _ = await s.evaluate("r.rows")
    let lines = c.out.split(separator: "\n").map(String.init)
    #expect(!lines.isEmpty)
    #expect(lines.allSatisfy { DisplayWidth.of($0) <= 40 }, "\(lines)")
    #expect(lines.contains { $0.hasSuffix("…") })
  }

  @Test func jsonModePrintsAValueEvent() async throws {
    let c = Collector()
    let s = await bound(c, mode: .json)
    _ = await s.evaluate("r.rows")
    let line = try #require(c.out.split(separator: "\n").first.map(String.init))
    let event = try #require(JSONValue.parse(line))
    #expect(event["event"] == .string("value"))
    #expect(event["expression"] == .string("r.rows"))
    let rows = try #require(event["value"]?.arrayValue)
    #expect(rows.count == 5)
    #expect(rows.first?.objectValue?.first?.0 == "machine")
    c.reset()
    _ = await s.evaluate("r.count")
    #expect(c.out == #"{"event":"value","expression":"r.count","value":3}"# + "\n")
  }

  @Test func exportWritesCSVAndJSONWhole() async throws {
    let c = Collector()
    let s = await bound(c)
    let folder = try LRTestFolder()
    let csv = folder.path("rows.csv")
    _ = await s.evaluate(".export r.rows \(csv)")
    #expect(c.err.isEmpty, "\(c.err)")
    #expect(c.out.contains("wrote 5 records of `r.rows` to"))
    let text = try String(contentsOfFile: csv, encoding: .utf8)
    let lines = text.components(separatedBy: "\r\n")
    #expect(lines.first == "machine,ProcessName,Id,Path,Extra")
    // The hostile cell is defused as spreadsheets expect.
    #expect(text.contains(#""'=cmd|' /C calc'!A0""#))
    #expect(lines.filter { $0.hasPrefix("ws-0143.contoso.com,") }.count == 3)
    let json = folder.path("failed.json")
    _ = await s.evaluate(".export $r.failed \(json)")
    let written = try String(contentsOfFile: json, encoding: .utf8)
    let value = try #require(JSONValue.parse(written))
    let records = try #require(value.arrayValue)
    #expect(records.count == 1)
    #expect(records.first?.objectValue?.first?.0 == "machine")
    #expect(records.first?["machine"] == .string("ws-0150.contoso.com"))
    #expect(records.first?["status"] == .string("Failed"))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == [
        "failed.json", "rows.csv",
      ])
  }

  @Test func exportErrorsAreSentencesAndWriteNothing() async throws {
    let c = Collector()
    let s = await bound(c)
    let folder = try LRTestFolder()
    _ = await s.evaluate(".export r \(folder.path("missing/out.csv"))")
    #expect(c.err.contains("cannot write"))
    #expect(c.err.contains("there is no folder"))
    c.reset()
    _ = await s.evaluate(".export nope \(folder.path("out.csv"))")
    #expect(c.err.contains("no result is bound to `nope`"))
    c.reset()
    _ = await s.evaluate(".export r \(folder.path("out.txt"))")
    #expect(c.err.contains("`.export` writes FILE.csv or FILE.json"))
    c.reset()
    _ = await s.evaluate(".export r")
    #expect(c.err.contains("`.export` needs a bound result and a file"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
  }

  @Test func stackCountsLeastFrequentFirst() async {
    let c = Collector()
    let s = await bound(c)
    _ = await s.evaluate(".stack r Path")
    #expect(c.err.isEmpty, "\(c.err)")
    let lines = c.out.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("PATH") == true)
    // The odd lsass path is on one machine: it comes before the paths two machines share.
    let odd = lines.firstIndex { $0.contains(#"C:\Users\Public\lsass.exe"#) }
    let common = lines.firstIndex { $0.contains("svchost.exe") }
    #expect(odd != nil && common != nil && odd! < common!)
    #expect(
      lines.contains {
        $0.contains("svchost.exe") && $0.contains("ws-0142.contoso.com, ws-0143.contoso.com")
      })
    c.reset()
    _ = await s.evaluate(".stack r processname")
    #expect(c.out.contains("lsass  "))
    c.reset()
    _ = await s.evaluate(".stack r status")
    #expect(c.out.contains("Failed"))
    c.reset()
    _ = await s.evaluate(".stack r Nope")
    #expect(c.err.contains("`Nope` is not a column of `r`; columns: ProcessName, Id, Path, Extra"))
  }

  @Test func completionKnowsBoundNamesFieldsAndColumns() async throws {
    let c = Collector()
    let s = await bound(c)
    let context = s.completionContext()
    let completer = Completer(modules: testModules)
    #expect(completer.complete(line: "r", cursor: 1, context: context).candidates.contains("r"))
    let dollar = completer.complete(line: "$", cursor: 1, context: context)
    #expect(dollar.candidates.map { String("$".utf8.prefix(dollar.start))! + $0 } == ["$r"])
    let fields = completer.complete(line: "r.fa", cursor: 4, context: context)
    #expect(fields.candidates == ["failed"])
    #expect(fields.start == 2)
    #expect(
      completer.complete(line: "r.", cursor: 2, context: context).candidates.contains("rows"))
    let stack = completer.complete(line: ".stack r Pro", cursor: 12, context: context)
    #expect(stack.candidates == ["ProcessName"])
    #expect(stack.start == 9)
    #expect(completer.complete(line: ".export ", cursor: 8, context: context).candidates == ["r"])
    let sub = completer.complete(line: ".export r.ro", cursor: 12, context: context)
    #expect(sub.candidates == ["r.rows"])
    let folder = try LRTestFolder()
    try Data().write(to: folder.url.appendingPathComponent("old.csv"))
    try FileManager.default.createDirectory(
      at: folder.url.appendingPathComponent("sub"), withIntermediateDirectories: false)
    let typed = ".export r \(folder.url.path)/"
    let paths = completer.complete(line: typed, cursor: typed.utf8.count, context: context)
    #expect(paths.candidates == ["\(folder.url.path)/old.csv", "\(folder.url.path)/sub/"])
  }
}

/// A temporary folder removed when the value goes away.
final class LRTestFolder {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lr-bound-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  deinit { try? FileManager.default.removeItem(at: url) }
}
