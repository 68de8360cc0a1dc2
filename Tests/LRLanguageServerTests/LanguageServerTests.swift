import Foundation
import LRLanguage
import LRTestSupport
import Testing

@testable import LRLanguageServer

@Suite("Language server requests (in process)")
struct LanguageServerTests {
  let uri = "file:///tmp/lr-lsp-tests/a.lr"

  @Test func initializeAnswersCapabilities() async throws {
    let client = TestClient()
    let result = try await client.request(InitializeRequest(processId: nil, rootUri: nil))
    #expect(
      result.capabilities.textDocumentSync == TextDocumentSyncOptions(openClose: true, change: 2))
    #expect(
      result.capabilities.semanticTokensProvider?.legend.tokenTypes.contains("keyword") == true)
    #expect(result.serverInfo?.name == "lr")
  }

  @Test func requestsBeforeInitializeAndAfterShutdown() async throws {
    let client = TestClient()
    let (before, _) = try await client.send(
      HoverRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 0)))
    #expect(before.error?.code == .serverNotInitialized)
    _ = try await client.request(InitializeRequest())
    let (shutdown, data) = try await client.send(ShutdownRequest())
    #expect(shutdown.error == nil && shutdown.hasResult)
    #expect(String(decoding: data, as: UTF8.self).contains("\"result\":null"))
    let (after, _) = try await client.send(
      HoverRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 0)))
    #expect(after.error?.code == .invalidRequest)
    await client.notify(ExitNotification())
    #expect(await client.server.exitStatus == 0)
  }

  @Test func exitWithoutShutdownIsStatusOne() async throws {
    let client = try await TestClient.started()
    await client.notify(ExitNotification())
    #expect(await client.server.exitStatus == 1)
  }

  @Test func malformedJSONAndUnknownMethods() async throws {
    let client = try await TestClient.started()
    await client.sendRaw("{not json")
    let (parse, _) = try await client.waitForMessage { $0.error?.code == .parseError }
    #expect(parse.id == nil)
    await client.sendRaw("[1,2]")
    _ = try await client.waitForMessage { $0.error?.code == .invalidRequest }
    await client.sendRaw(
      #"{"jsonrpc":"2.0","id":77,"method":"textDocument/unknownThing","params":{}}"#)
    let (unknown, _) = try await client.waitForMessage { $0.id == .number(77) }
    #expect(unknown.error?.code == .methodNotFound)
    await client.sendRaw(#"{"jsonrpc":"2.0","method":"$/unknownNotification","params":{}}"#)
    await client.sendRaw(
      #"{"jsonrpc":"2.0","id":"s","method":"textDocument/hover","params":{"textDocument":5}}"#)
    let (invalid, _) = try await client.waitForMessage { $0.id == .string("s") }
    #expect(invalid.error?.code == .invalidParams)
    // Still serving.
    let (ok, _) = try await client.send(DocumentSymbolRequest(textDocument: .init(uri: uri)))
    #expect(ok.error?.message.contains("not open") == true)
  }

  @Test func diagnosticsOnOpenAndChange() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "on machine X < gte 'C:\\a.txt' >\n", version: 1)
    let first = try await client.diagnostics(uri, version: 1)
    let unknown = try #require(first.first { $0.code == "unknownCommand" })
    #expect(
      unknown.range
        == LSPRange(start: .init(line: 0, character: 15), end: .init(line: 0, character: 18)))
    #expect(unknown.severity == .error)
    await client.notify(
      DidChangeTextDocumentNotification(
        textDocument: .init(uri: uri, version: 2),
        contentChanges: [
          .init(
            range: LSPRange(
              start: .init(line: 0, character: 15), end: .init(line: 0, character: 18)), text: "get"
          )
        ]))
    #expect(try await client.diagnostics(uri, version: 2).isEmpty)
  }

  @Test func diagnosticsAfterNonASCIIUseUTF16Columns() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "# 😀 é\non machine X comment \"😀é\" < gte a >\n", version: 1)
    let d = try #require(
      try await client.diagnostics(uri, version: 1).first { $0.code == "unknownCommand" })
    // `on machine X comment "😀é" < ` = 22 + 4 units ("😀é" is 3 UTF-16 units + quotes… counted below).
    let line = "on machine X comment \"😀é\" < "
    #expect(d.range.start == Position(line: 1, character: line.utf16.count))
  }

  @Test func debounceCoalescesRapidChanges() async throws {
    let client = try await TestClient.started(
      options: LanguageServerOptions(debounce: .milliseconds(300)))
    await client.open(uri, "on machine X < get a >\n", version: 1)
    _ = try await client.diagnostics(uri, version: 1)
    try await Task.sleep(for: .milliseconds(350))
    for v in 2...11 {
      await client.notify(
        DidChangeTextDocumentNotification(
          textDocument: .init(uri: uri, version: v),
          contentChanges: [.init(range: LSPRange(at: .init(line: 1, character: 0)), text: "#")]))
    }
    let last = try await client.diagnostics(uri, version: 11)
    #expect(last.isEmpty)
    let versions = client.published(uri).compactMap(\.version)
    // The first change after a quiet period is analysed at once; the rest are coalesced.
    // The first change after a quiet period is analysed at once (but not published once stale);
    // the rest are coalesced into one analysis when the changes pause.
    #expect(versions.filter { $0 > 1 }.count <= 2, "\(versions)")
  }

  @Test func incrementalSyncWithSeveralChanges() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "let a = \"é😀\"\n", version: 1)
    await client.notify(
      DidChangeTextDocumentNotification(
        textDocument: .init(uri: uri, version: 2),
        contentChanges: [
          .init(
            range: LSPRange(
              start: .init(line: 0, character: 9), end: .init(line: 0, character: 12)), text: "x"),
          .init(
            range: LSPRange(at: .init(line: 1, character: 0)), text: "on machine $a < gte b >\n"),
        ]))
    let d = try await client.diagnostics(uri, version: 2)
    #expect(
      d.first { $0.code == "unknownCommand" }?.range.start == Position(line: 1, character: 16))
  }

  @Test func completionReplacesThePartialWord() async throws {
    let client = try await TestClient.started()
    let text = """
      # Dump a process.
      def memdump(process) <
        run minidump.ps1 $process
      >
      on machine X < me
      """
    await client.open(uri, text)
    let list = try await client.request(
      CompletionRequest(textDocument: .init(uri: uri), position: .init(line: 4, character: 17)))
    let item = try #require(list.items.first { $0.label == "memdump" })
    #expect(item.kind == .function)
    #expect(item.documentation?.value.contains("Dump a process") == true)
    #expect(
      item.textEdit?.range
        == LSPRange(start: .init(line: 4, character: 15), end: .init(line: 4, character: 17)))
    await client.open("file:///tmp/lr-lsp-tests/k.lr", "o")
    let keywords = try await client.request(
      CompletionRequest(
        textDocument: .init(uri: "file:///tmp/lr-lsp-tests/k.lr"),
        position: .init(line: 0, character: 1)))
    #expect(keywords.items.contains { $0.label == "on" && $0.kind == .keyword })
  }

  @Test func completionUsesTheNamesProviderAndCachesIt() async throws {
    let calls = Counter()
    let options = LanguageServerOptions(
      debounce: .milliseconds(20),
      completionNames: {
        _ = calls.next()
        return CompletionNames(machines: ["WS-0142", "WS-0143"], scripts: ["minidump.ps1"])
      })
    let client = try await TestClient.started(options: options)
    await client.open(uri, "on machine WS\non machine X < run mi")
    let machines = try await client.request(
      CompletionRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 13)))
    #expect(machines.items.map(\.label).contains("WS-0142"))
    let scripts = try await client.request(
      CompletionRequest(textDocument: .init(uri: uri), position: .init(line: 1, character: 21)))
    #expect(scripts.items.map(\.label) == ["minidump.ps1"])
    #expect(scripts.items.first?.kind == .file)
    #expect(calls.next() == 2)  // the provider ran once
  }

  @Test func hoverDefinitionSymbolsAcrossFiles() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let module = dir.appendingPathComponent("tools.lr")
    try "# Collect triage.\ndef triage <\n  run Collect-Triage.ps1\n>\n".write(
      to: module, atomically: true, encoding: .utf8)
    let main = dir.appendingPathComponent("main.lr")
    let mainURI = main.absoluteString
    let client = try await TestClient.started()
    await client.open(mainURI, "use \"tools\"\non machine X < triage >\n")
    #expect(try await client.diagnostics(mainURI, version: 1).isEmpty)
    let hover = try #require(
      try await client.request(
        HoverRequest(textDocument: .init(uri: mainURI), position: .init(line: 1, character: 17))))
    #expect(hover.contents.kind == "markdown")
    #expect(hover.contents.value.contains("Collect triage"))
    let definition = try #require(
      try await client.request(
        DefinitionRequest(
          textDocument: .init(uri: mainURI), position: .init(line: 1, character: 16))))
    #expect(definition.uri == DocumentURI.uri(ofPath: module.standardizedFileURL.path))
    #expect(definition.range.start == Position(line: 1, character: 4))
    let moduleDefinition = try #require(
      try await client.request(
        DefinitionRequest(textDocument: .init(uri: mainURI), position: .init(line: 0, character: 6))
      ))
    #expect(moduleDefinition.uri.hasSuffix("tools.lr"))
    // An open buffer wins over the file on disk.
    await client.open(module.absoluteString, "def other <\n  run x.ps1\n>\n")
    let updated = try await client.waitForDiagnostics(mainURI) {
      $0.contains { $0.code == "unknownCommand" }
    }
    #expect(updated.version == 1)
    let none = try await client.request(
      HoverRequest(textDocument: .init(uri: mainURI), position: .init(line: 5, character: 0)))
    #expect(none == nil)
  }

  @Test func documentSymbols() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "let proc = \"lsass\"\ndef dump(p) <\n  run minidump.ps1 $p\n>\n")
    let symbols = try await client.request(DocumentSymbolRequest(textDocument: .init(uri: uri)))
    #expect(symbols.map(\.name) == ["proc", "dump"])
    let dump = try #require(symbols.last)
    #expect(dump.kind == .function)
    #expect(
      dump.selectionRange
        == LSPRange(start: .init(line: 1, character: 4), end: .init(line: 1, character: 8)))
    #expect(
      dump.range.start <= dump.selectionRange.start && dump.selectionRange.end <= dump.range.end)
  }

  @Test func semanticTokensAreDeltaEncodedInUTF16() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "# é😀\non machine X < get \"a\nb\" >\n")
    let tokens = try await client.request(
      DocumentSemanticTokensRequest(textDocument: .init(uri: uri)))
    #expect(tokens.data.count % 5 == 0)
    let legend = LanguageServer.legend.tokenTypes
    var decoded: [(Int, Int, Int, String)] = []
    var line = 0
    var start = 0
    for i in stride(from: 0, to: tokens.data.count, by: 5) {
      let d = Array(tokens.data[i..<i + 5])
      if d[0] > 0 { start = 0 }
      line += d[0]
      start += d[1]
      decoded.append((line, start, d[2], legend[d[3]]))
    }
    // The comment is 5 UTF-16 units ("# é😀"); the two-line string is split per line.
    #expect(decoded.first! == (0, 0, 5, "comment"))
    #expect(decoded.contains { $0 == (1, 0, 2, "keyword") })
    #expect(decoded.contains { $0 == (1, 19, 2, "string") })
    #expect(decoded.contains { $0 == (2, 0, 2, "string") })
  }

  @Test func formattingAndNoneWithSyntaxErrors() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "on   machine X <get a>\n")
    let edits = try #require(
      try await client.request(DocumentFormattingRequest(textDocument: .init(uri: uri))))
    #expect(edits.count == 1)
    #expect(edits.first?.range.start == Position(line: 0, character: 0))
    #expect(edits.first?.range.end == Position(line: 1, character: 0))
    #expect(
      edits.first?.newText
        == Formatter.format(SourceFile(name: "x", text: "on   machine X <get a>\n")))
    await client.open("file:///tmp/lr-lsp-tests/b.lr", "on machine X < get \"a >\n")
    let none = try await client.request(
      DocumentFormattingRequest(textDocument: .init(uri: "file:///tmp/lr-lsp-tests/b.lr")))
    #expect(none == nil)
  }

  @Test func codeActionsFromFixIts() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "on machine X < gte a >\n")
    let actions = try await client.request(
      CodeActionRequest(
        textDocument: .init(uri: uri), range: LSPRange(at: .init(line: 0, character: 16))))
    let fix = try #require(actions.first)
    #expect(fix.kind == "quickfix")
    #expect(fix.title.contains("get"))
    #expect(fix.diagnostics?.first?.code == "unknownCommand")
    #expect(
      fix.edit?.changes[uri] == [
        LSPTextEdit(
          range: LSPRange(start: .init(line: 0, character: 15), end: .init(line: 0, character: 18)),
          newText: "get")
      ])
    let elsewhere = try await client.request(
      CodeActionRequest(
        textDocument: .init(uri: uri), range: LSPRange(at: .init(line: 3, character: 0))))
    #expect(elsewhere.isEmpty)
  }

  @Test func closeClearsDiagnosticsAndForgetsTheDocument() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "on machine X < gte a >\n")
    _ = try await client.diagnostics(uri, version: 1)
    await client.notify(DidCloseTextDocumentNotification(textDocument: .init(uri: uri)))
    #expect(client.published(uri).last?.diagnostics.isEmpty == true)
    let (r, _) = try await client.send(
      HoverRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 0)))
    #expect(r.error?.code == .invalidParams)
  }

  @Test func hugeDocument() async throws {
    let client = try await TestClient.started()
    let line = "on machine WS-0142 < run Get-Processes.ps1; get 'C:\\Users\\Public\\é😀.txt' >\n"
    let text = String(repeating: line, count: 20_000) + "on machine X < gte a >\n"
    await client.open(uri, text)
    let d = try await client.diagnostics(uri, version: 1, timeout: .seconds(60))
    #expect(d.map(\.range.start.line) == [20_000])
  }

  @Test func aSlowAnalysisDoesNotBlockOtherRequests() async throws {
    let client = try await TestClient.started()
    let big = "file:///tmp/lr-lsp-tests/big.lr"
    let line = "let r = on machine WS-0142 < run Get-Processes.ps1 >\n"
    // Large enough that its analysis outlasts the small document's answer on any machine.
    await client.open(big, String(repeating: line, count: 60_000) + "on machine X < gte a >\n")
    await client.open(uri, "def dump(p) <\n  run minidump.ps1 $p\n>\n")
    let symbols = try await client.request(DocumentSymbolRequest(textDocument: .init(uri: uri)))
    #expect(symbols.map(\.name) == ["dump"])
    // The small document was answered while the big one was still being analysed.
    #expect(client.published(big).isEmpty)
    _ = try await client.diagnostics(big, version: 1, timeout: .seconds(120))
  }

  @Test func problemsInAnImportedModuleShowOnItsUse() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let module = dir.appendingPathComponent("broken.lr")
    try "def b <\n  gte x\n>\n".write(to: module, atomically: true, encoding: .utf8)
    let main = dir.appendingPathComponent("main.lr").absoluteString
    let client = try await TestClient.started()
    await client.open(main, "# header\nuse \"broken\"\nuse \"missing-module\"\n")
    let d = try await client.diagnostics(main, version: 1)
    let inModule = try #require(d.first { $0.code == "unknownCommand" })
    #expect(inModule.range.start == Position(line: 1, character: 4))
    #expect(inModule.message.hasPrefix("in module `broken`"))
    let related = try #require(inModule.relatedInformation?.first)
    #expect(related.location.uri.hasSuffix("broken.lr"))
    #expect(related.location.range.start == Position(line: 1, character: 2))
    #expect(d.contains { $0.code == "moduleNotFound" && $0.range.start.line == 2 })
  }
}
