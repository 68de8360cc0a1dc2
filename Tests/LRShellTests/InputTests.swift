import LRLanguage
import Testing

@testable import LRShell

/// Grouping lines into inputs, meta-command parsing and completion.
@Suite struct InputTests {
  @Test func readerJoinsMultiLineStatements() {
    var reader = StatementReader()
    #expect(reader.add("on machine WS-1 <") == nil)
    #expect(reader.isContinuing)
    #expect(reader.add("  run x.ps1") == nil)
    #expect(reader.add(">") == "on machine WS-1 <\n  run x.ps1\n>")
    #expect(reader.add(".connect WS-1") == ".connect WS-1")
    #expect(reader.add("let a = \"x") == nil)
    #expect(reader.add("y\"") == "let a = \"x\ny\"")
    #expect(reader.add("on machine A <") == nil)
    #expect(reader.finish() == "on machine A <")
    #expect(reader.finish() == nil)
  }

  @Test func metaCommandsParse() throws {
    #expect(try MetaCommand.parse(".show 3 2").get() == .show(JobID(3), index: 2, machine: nil))
    #expect(
      try MetaCommand.parse(".show 3 2 WS-1").get() == .show(JobID(3), index: 2, machine: "WS-1"))
    #expect(try MetaCommand.parse("  .connect 'WS 1'").get() == .connect(machine: "WS 1"))
    #expect(try MetaCommand.parse(".output json").get() == .output(.json))
    #expect(try MetaCommand.parse(".output").get() == .output(nil))
    #expect(try MetaCommand.parse(".cancel").get() == .cancel(nil))
    #expect(try MetaCommand.parse(".cancel 4").get() == .cancel(JobID(4)))
    #expect(try MetaCommand.parse(".help .connect").get() == .help(topic: "connect"))
    #expect(try MetaCommand.parse(".machines WS-*").get() == .machines(filter: "WS-*"))
    #expect(
      try MetaCommand.parse(".machines  healthStatus eq 'Inactive' ").get()
        == .machines(filter: "healthStatus eq 'Inactive'"))
    #expect(try MetaCommand.parse(".machines").get() == .machines(filter: nil))
    #expect(
      try MetaCommand.parse(".echo-later 50 hello there").get()
        == .echoLater(milliseconds: 50, text: "hello there"))
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(".show 1 0").get() }
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(".show x 1").get() }
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(".jobs extra").get() }
    #expect(throws: MetaCommandError.self) { try MetaCommand.parse(".connect 'open").get() }
  }

  let completer = Completer(modules: testModules)

  @Test func completesMetaCommandsAndTheirArguments() {
    let answer = completer.complete(line: ".con", cursor: 4, context: CompletionContext())
    #expect(answer == Completer.Answer(start: 0, candidates: [".connect"]))
    var context = CompletionContext()
    context.names.machines = ["WS-0142", "WS-0143", "srv-1"]
    let machines = completer.complete(line: ".connect ws", cursor: 11, context: context)
    #expect(machines == Completer.Answer(start: 9, candidates: ["WS-0142", "WS-0143"]))
    let output = completer.complete(line: ".output j", cursor: 9, context: context)
    #expect(output.candidates == ["json"])
  }

  @Test func completesKeywordsCommandsAndProcedures() {
    let keyword = completer.complete(line: "us", cursor: 2, context: CompletionContext())
    #expect(keyword.candidates.contains("use"))
    #expect(keyword.start == 0)
    let target = completer.complete(line: "on mach", cursor: 7, context: CompletionContext())
    #expect(target.candidates.contains("machine"))
    #expect(target.start == 3)
    let module = completer.complete(line: "use \"wi", cursor: 7, context: CompletionContext())
    #expect(module == Completer.Answer(start: 5, candidates: ["windows\""]))
    // A procedure from a module imported by an earlier input.
    let compiled = Compiler.compile(
      SourceFile(name: "<repl>", text: "use \"windows\""), options: .init(allowRedefinition: true),
      modules: testModules)
    let context = CompletionContext(environment: compiled.environment)
    let line = "on machine WS-1 < win-m"
    let procedure = completer.complete(line: line, cursor: line.utf8.count, context: context)
    #expect(procedure.candidates == ["win-memdump"])
    #expect(procedure.start == 18)
  }

  @Test func completesScriptsAndContinuationLines() {
    var context = CompletionContext()
    context.names.scripts = ["minidump.ps1", "Get-Processes.ps1"]
    let line = "  run mini"
    let answer = completer.complete(
      line: line, cursor: line.utf8.count, pending: "on machine X <", context: context)
    #expect(answer.candidates == ["minidump.ps1"])
    #expect(answer.start == 6)
  }

  @Test func libeditMatchArrayHasTheCommonPrefixFirst() {
    #expect(LineEditor.commonPrefix(["WS-0142", "WS-0143"]) == "WS-014")
    #expect(LineEditor.commonPrefix(["a", "b"]) == "")
  }
}
