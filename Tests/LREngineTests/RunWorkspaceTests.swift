import Foundation
import LREngine
import LRTestSupport
import Testing

/// `RunWorkspace`: the one way every command opens the journal and the audit log, in the state
/// folder an environment names.
@Suite struct RunWorkspaceTests {
  @Test func everyPartLivesInTheStateFolderOfTheEnvironment() throws {
    let home = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: home) }
    let environment = ["HOME": home.path, "XDG_STATE_HOME": home.path + "/state"]
    let folder = home.appendingPathComponent("state/lr")
    #expect(
      RunWorkspace.journalURL(environment: environment)
        == StateFolder.journal(environment: environment))
    #expect(
      RunWorkspace.journalURL(environment: environment).path == folder.path + "/journal.sqlite")
    #expect(RunWorkspace.auditLogURL(environment: environment).path == folder.path + "/audit.jsonl")
    // Naming the audit log does not create it (`lr audit rotate` says "no audit log yet").
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/audit.jsonl"))
    let journal = try RunWorkspace.openJournal(environment: environment)
    #expect(journal.url.path == folder.path + "/journal.sqlite")
    let workspace = try RunWorkspace.open(
      journal: journal, resultsRoot: home.appendingPathComponent("results"),
      environment: environment)
    #expect(workspace.audit.url.path == folder.path + "/audit.jsonl")
    // The audit log records its head in that journal.
    try workspace.audit.append(event: "test", fields: [])
    let text = try String(contentsOf: workspace.audit.url, encoding: .utf8)
    let identity = try #require(AuditLog.identity(in: text))
    #expect(try journal.auditHead(log: identity)?.sequence == 1)
    let opened = try RunWorkspace.open(
      resultsRoot: home.appendingPathComponent("results"), environment: environment)
    #expect(opened.journal.location == journal.url.path)
    #expect(opened.storage.map(\.path).last == home.appendingPathComponent("results").path)
  }
}
