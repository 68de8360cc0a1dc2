import Foundation
import LRLanguage
import Testing

@testable import LRShell

/// The session with the offline preview runner: compile, diagnostics, environment, meta-commands.
@Suite struct SessionTests {
  @Test func documentedExampleShowsTheBody() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(Banner.example)
    await session.waitForJobs()
    #expect(c.err.isEmpty)
    #expect(c.out.contains("[1] on machine mymachine1.contoso.com: 1 request"))
    #expect(c.out.contains(seedBody))
    #expect(c.out.contains("offline preview, not sent"))
  }

  @Test func compileErrorsShowTheCaretAndSendNothing() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate("on machine X < gte 'C:\\a.txt' >")
    await session.waitForJobs()
    #expect(c.err.contains("<repl>:1:16: error: unknown command `gte`"))
    #expect(c.err.contains(" 1 | on machine X < gte 'C:\\a.txt' >"))
    #expect(c.err.contains("^~~"))
    #expect(c.err.contains("did you mean `get`?"))
    #expect(c.out.isEmpty)
    #expect(await session.jobs.isEmpty)
    #expect(await session.errorCount == 1)
  }

  @Test func environmentPersistsAcrossInputs() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(#"let proc = "lsass""#)
    _ = await session.evaluate("def dump(p) < run minidump.ps1 $p >")
    _ = await session.evaluate(#"use "windows""#)
    _ = await session.evaluate("on machine WS-1 < dump $proc; win-memdump x >")
    await session.waitForJobs()
    #expect(c.err.isEmpty)
    #expect(c.out.contains(#"{"key":"Args","value":"lsass"}"#))
    #expect(c.out.contains(#"C:\\windows\\TEMP\\x.dmp.zip"#))
    // Redefinition is allowed in the REPL.
    _ = await session.evaluate(#"let proc = "svchost""#)
    #expect(c.err.isEmpty)
  }

  @Test func connectLetsBareCommandsCompile() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate("run Get-Processes.ps1")
    #expect(c.err.contains("error"))
    #expect(c.err.contains("hint: `.connect MACHINE` first"))
    c.reset()
    #expect(await session.prompt == "lr(offline)> ")
    _ = await session.evaluate(".connect WS-0142")
    #expect(await session.prompt == "lr(offline:WS-0142)> ")
    _ = await session.evaluate(
      #"run minidump.ps1 "OfficeClickToRun"; get 'C:\windows\TEMP\OfficeClickToRun.dmp.zip'"#)
    await session.waitForJobs()
    #expect(c.err.isEmpty)
    #expect(c.out.contains("on machine WS-0142: 1 request"))
    #expect(c.out.contains(seedBody))
    _ = await session.evaluate(".disconnect")
    #expect(await session.prompt == "lr(offline)> ")
    #expect(session.completionContext().names.machines.contains("WS-0142"))
  }

  @Test func jsonOutputIsOneObjectPerLine() async throws {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(".output json")
    c.reset()
    _ = await session.evaluate(Banner.example)
    await session.waitForJobs()
    let lines = c.out.split(separator: "\n")
    #expect(lines.count == 3)
    var events: [String] = []
    for line in lines {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(object["job"] as? Int == 1)
      events.append(object["event"] as? String ?? "")
    }
    #expect(events == ["submitted", "preview", "finished"])
    #expect(c.out.contains(#""body":"# + seedBody))
  }

  @Test func serviceMetaCommandsSayNoServiceIsConnected() async {
    let c = Collector()
    let session = previewSession(c)
    for command in [".machines", ".library", ".actions", ".machines WS-*"] {
      c.reset()
      _ = await session.evaluate(command)
      #expect(c.err.contains("no service connected"))
      #expect(c.err.contains("`lr --lab`"), "how to connect one: \(c.err)")
    }
  }

  @Test func metaCommandErrorsAreReported() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(".conect WS-1")
    #expect(c.err.contains("unknown meta-command `.conect`; did you mean `.connect`?"))
    c.reset()
    _ = await session.evaluate(".output xml")
    #expect(c.err.contains("error:"))
    #expect(c.err.contains("xml"))
    c.reset()
    _ = await session.evaluate(".connect")
    #expect(c.err.contains("machine"))
    c.reset()
    _ = await session.evaluate(".show 9 1")
    #expect(c.err.contains("no job [9]"))
    #expect(await session.evaluate(".quit") == .quit)
    #expect(await session.evaluate(".exit") == .quit)
  }

  @Test func helpHasTopicsAndTheExample() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(".help")
    #expect(c.out.contains(Banner.example))
    #expect(c.out.contains(".connect MACHINE"))
    #expect(!c.out.contains("echo-later"))
    c.reset()
    _ = await session.evaluate(".help connect")
    #expect(c.out.contains("<machine>"))
    c.reset()
    _ = await session.evaluate(".help keys")
    #expect(c.out.contains("Ctrl-R"))
    c.reset()
    _ = await session.evaluate(".help run")
    #expect(c.out.contains("RunScript"))
    c.reset()
    _ = await session.evaluate(".help nonsense")
    #expect(c.err.contains("no help on `nonsense`"))
  }

  @Test func helpListsEachMetaCommandAtTheStartOfALine() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(".help")
    let table = c.out.components(separatedBy: "Meta-commands:\n").last ?? ""
    // The table's rows: the indented lines after the heading.
    let rows = table.split(separator: "\n").prefix { $0.hasPrefix(" ") }
    #expect(rows.count >= 10)
    for row in rows {
      #expect(row.hasPrefix("  ."), "a meta-command row that does not start with one: \(row)")
    }
  }

  @Test func jobsAndResultsAfterAPreview() async {
    let c = Collector()
    let session = previewSession(c)
    _ = await session.evaluate(Banner.example)
    await session.waitForJobs()
    c.reset()
    _ = await session.evaluate(".jobs")
    #expect(c.out.contains("[1]"))
    #expect(c.out.contains("previewed"))
    c.reset()
    _ = await session.evaluate(".cancel")
    #expect(c.out.contains("nothing is running"))
  }
}
