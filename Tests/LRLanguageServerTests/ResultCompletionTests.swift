import Foundation
import LRLanguage
import LRTestSupport
import Testing

@testable import LRLanguageServer

/// The language server knows results as data: fields after `r.` and `$r.`, a machine's fields
/// after `where`, hover on `r.failed`, and the checker's diagnostics for the new forms.
@Suite("Language server: results in the language")
struct ResultCompletionTests {
  let uri = "file:///tmp/lr-lsp-tests/results.lr"

  func labels(_ client: TestClient, line: Int, character: Int) async throws -> [String] {
    try await client.request(
      CompletionRequest(
        textDocument: .init(uri: uri), position: .init(line: line, character: character))
    ).items.map(\.label)
  }

  @Test func completionAfterResultNamesAndWhere() async throws {
    let client = try await TestClient.started()
    let text =
      "let r = on tag \"Lab\" < run Get-Processes.ps1 >\nif r.fa\non $r.su\non $r where "
    await client.open(uri, text)
    #expect(try await labels(client, line: 1, character: 7) == ["failed"])
    #expect(try await labels(client, line: 2, character: 8) == ["succeeded"])
    let afterWhere = try await labels(client, line: 3, character: 12)
    #expect(afterWhere.starts(with: ["status", "ok", "exit_code", "output", "errors", "file"]))
    #expect(!afterWhere.contains("failed"))
  }

  @Test func hoverOnResultFieldsAndDiagnostics() async throws {
    let client = try await TestClient.started()
    await client.open(
      uri,
      """
      let r = on tag "Lab" < run Get-Processes.ps1 >
      on $r.failed < run Get-Services.ps1 >
      on $r.faild < run Get-Services.ps1 >
      """)
    let diagnostics = try await client.diagnostics(uri, version: 1)
    #expect(diagnostics.map(\.code) == ["unknownField"])
    #expect(diagnostics.first?.range.start == Position(line: 2, character: 6))
    let hover = try #require(
      try await client.request(
        HoverRequest(textDocument: .init(uri: uri), position: .init(line: 1, character: 8))))
    #expect(hover.contents.value.contains("failed"))
    #expect(hover.contents.value.contains("exited non-zero"))
  }
}
