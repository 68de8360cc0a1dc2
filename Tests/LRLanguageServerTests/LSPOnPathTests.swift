import Foundation
import LRTestSupport
import Testing

@testable import LRLanguageServer

/// `lr lsp` started by bare name through `PATH` (as editors start it) still finds the stdlib.
@Suite("lr lsp through PATH")
struct LSPOnPathTests {
  @Test func stdlibModulesResolveWhenStartedFromPath() async throws {
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bin = dir.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("lr"), withDestinationURL: LRTestSupport.lrExecutable)
    let uri = "file://\(dir.path)/t.lr"
    let text = "use \"windows\"\non machine X < win-autor\n"
    var input: [UInt8] = []
    input += MessageCoding.frame(MessageCoding.request(InitializeRequest(), id: .number(1)))
    input += MessageCoding.frame(MessageCoding.notification(InitializedNotification()))
    input += MessageCoding.frame(
      MessageCoding.notification(
        DidOpenTextDocumentNotification(
          textDocument: TextDocumentItem(uri: uri, version: 1, text: text))))
    input += MessageCoding.frame(
      MessageCoding.request(
        CompletionRequest(
          textDocument: TextDocumentIdentifier(uri: uri),
          position: Position(line: 1, character: 25)), id: .number(2)))
    let result = try await LRTestSupport.run(
      URL(fileURLWithPath: "/usr/bin/env"), ["lr", "lsp", "--debounce", "0"],
      stdin: String(decoding: input, as: UTF8.self),
      environment: ["PATH": bin.path + ":/usr/bin:/bin", "LR_STDLIB": ""],
      currentDirectory: dir)
    var parser = JSONMessageParser()
    let bodies = parser.feed(Array(result.stdout.utf8)).compactMap { out -> String? in
      if case .message(let m) = out { return String(decoding: m, as: UTF8.self) }
      return nil
    }
    let completion = bodies.first { $0.contains("\"id\":2") } ?? ""
    #expect(completion.contains("win-autoruns-nonms"), "\(bodies)\n\(result.stderr)")
  }
}
