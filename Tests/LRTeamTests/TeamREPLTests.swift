import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// The REPL in team mode: its statements are journaled in the team database and take their
/// budget from it, like `lr run --team`.
@Suite struct TeamREPLTests {
  @Test(.timeLimit(.minutes(3))) func theLabREPLUsesTheTeamsJournalAndBudget() async throws {
    let url = try PostgresServer.shared().makeDatabase()
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try await LRTestSupport.runLR(
      ["--lab", "--team", url, "--output", "json"],
      stdin: "on machine WS-0142 < run Get-Processes.ps1 >\n",
      environment: [
        "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "HOME": dir.path,
        "LR_RESULTS_DIR": dir.appendingPathComponent("results").path,
      ])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("\"actionFinished\""), "\(result.stdout)")
    let database = try TeamDatabase.open(TeamURL(url))
    defer { database.close() }
    let runs = try await database.query("SELECT count(*) FROM lr_run").first?.decode(Int.self)
    #expect(runs == 1)
    let calls = try await database.query(
      "SELECT count(*) FROM lr_budget_call WHERE bucket = 'runliveresponse'"
    )
    .first?.decode(Int.self)
    #expect(calls == 1)
  }
}
