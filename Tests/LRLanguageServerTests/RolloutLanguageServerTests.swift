import Foundation
import LRLanguage
import LRTestSupport
import Testing

@testable import LRLanguageServer

/// The language server knows a statement's rollout options (`with canary 10, waves 10%,
/// stop-if-failed 5%`): their names complete after `with` and `,`, each has hover text, and the
/// checker's problems with them arrive as diagnostics with their fix-its as code actions.
@Suite("Language server: rollout options")
struct RolloutLanguageServerTests {
  let uri = "file:///tmp/lr-lsp-tests/rollout.lr"

  func labels(_ client: TestClient, line: Int, character: Int) async throws -> [String] {
    try await client.request(
      CompletionRequest(
        textDocument: .init(uri: uri), position: .init(line: line, character: character))
    ).items.map(\.label)
  }

  @Test func optionNamesCompleteAfterWithAndComma() async throws {
    let client = try await TestClient.started()
    await client.open(uri, "on tag \"Lab\" with \non tag \"Lab\" with canary 10, w")
    #expect(
      try await labels(client, line: 0, character: 18) == ["canary", "waves", "stop-if-failed"])
    #expect(try await labels(client, line: 1, character: 30) == ["waves"])
  }

  @Test func hoverAndDiagnostics() async throws {
    let client = try await TestClient.started()
    await client.open(
      uri,
      """
      on tag "Lab" with canary 10, waves 10%, stop-if-failed 5% < run Get-Processes.ps1 >
      on tag "Lab" with canary 10, wave 10% < run Get-Processes.ps1 >
      """)
    let diagnostics = try await client.diagnostics(uri, version: 1)
    #expect(diagnostics.map(\.code) == ["unknownRolloutOption"])
    #expect(diagnostics.first?.range.start == Position(line: 1, character: 29))
    let hover = try #require(
      try await client.request(
        HoverRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 42))))
    #expect(hover.contents.value.contains("stop-if-failed"))
    #expect(hover.contents.value.contains("pause"))
    let waves = try #require(
      try await client.request(
        HoverRequest(textDocument: .init(uri: uri), position: .init(line: 0, character: 30))))
    #expect(waves.contents.value.contains("waves"))
  }
}
