import Foundation
import LRTestSupport
import Testing

@testable import LRLanguageServer

/// `lr lsp` as a process: nothing but framed protocol messages on standard output.
@Suite("lr lsp (process)")
struct LSPCommandTests {
  @Test func stdoutCarriesOnlyFramedMessages() async throws {
    let lr = LRTestSupport.lrExecutable
    try #require(FileManager.default.isExecutableFile(atPath: lr.path), "build lr first")
    var input: [UInt8] = []
    input += MessageCoding.frame(MessageCoding.request(InitializeRequest(), id: .number(1)))
    input += MessageCoding.frame(MessageCoding.notification(InitializedNotification()))
    input += MessageCoding.frame(
      MessageCoding.notification(
        DidOpenTextDocumentNotification(
          textDocument: TextDocumentItem(
            uri: "file:///tmp/x.lr", version: 1, text: "on machine X < gte a >\n"))))
    input += Array("garbage\r\n\r\n".utf8)
    input += MessageCoding.frame(MessageCoding.request(ShutdownRequest(), id: .number(2)))
    input += MessageCoding.frame(MessageCoding.notification(ExitNotification()))
    let result = try await LRTestSupport.runLR(
      ["lsp", "--debounce", "0"], stdin: String(decoding: input, as: UTF8.self))
    #expect(result.status == 0, "\(result.stderr)")
    var parser = JSONMessageParser()
    let outputs = parser.feed(Array(result.stdout.utf8))
    #expect(parser.isIdle)
    #expect(!outputs.contains { if case .framingError = $0 { true } else { false } })
    let bodies = outputs.compactMap { out -> String? in
      if case .message(let m) = out { return String(decoding: m, as: UTF8.self) }
      return nil
    }
    #expect(bodies.first?.contains("\"id\":1") == true)
    #expect(bodies.contains { $0.contains("\"id\":2") })
    #expect(bodies.contains { $0.contains("-32700") })  // the garbage header
  }
}

/// `lr lsp --lab`: machine names and library scripts come from the lab's service.
@Suite("lr lsp --lab (process)")
struct LSPLabCompletionTests {
  @Test func machineNamesAndScriptsFromTheLab() async throws {
    let lr = LRTestSupport.lrExecutable
    try #require(FileManager.default.isExecutableFile(atPath: lr.path), "build lr first")
    let text = "on machine mymach\non machine X < run minid\n"
    var input: [UInt8] = []
    input += MessageCoding.frame(MessageCoding.request(InitializeRequest(), id: .number(1)))
    input += MessageCoding.frame(MessageCoding.notification(InitializedNotification()))
    input += MessageCoding.frame(
      MessageCoding.notification(
        DidOpenTextDocumentNotification(
          textDocument: TextDocumentItem(uri: "file:///tmp/lab.lr", version: 1, text: text))))
    input += MessageCoding.frame(
      MessageCoding.request(
        CompletionRequest(
          textDocument: TextDocumentIdentifier(uri: "file:///tmp/lab.lr"),
          position: Position(line: 0, character: 17)), id: .number(2)))
    input += MessageCoding.frame(
      MessageCoding.request(
        CompletionRequest(
          textDocument: TextDocumentIdentifier(uri: "file:///tmp/lab.lr"),
          position: Position(line: 1, character: 25)), id: .number(3)))
    let result = try await LRTestSupport.runLR(
      ["lsp", "--lab", "--debounce", "0"], stdin: String(decoding: input, as: UTF8.self),
      environment: ["LR_LAB_TIME_SCALE": "60"])
    var parser = JSONMessageParser()
    let bodies = parser.feed(Array(result.stdout.utf8)).compactMap { out -> String? in
      if case .message(let m) = out { return String(decoding: m, as: UTF8.self) }
      return nil
    }
    let machine = bodies.first { $0.contains("\"id\":2") } ?? ""
    let script = bodies.first { $0.contains("\"id\":3") } ?? ""
    #expect(machine.contains("mymachine1.contoso.com"), "\(bodies)\n\(result.stderr)")
    #expect(script.contains("minidump.ps1"), "\(bodies)\n\(result.stderr)")
  }
}
