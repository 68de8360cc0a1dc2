import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// A real `lr run --team` whose network to the team database goes quiet in the middle of the run
/// (nothing answers, nothing closes: a VPN drop) and comes back: the journal's statements waiting
/// then end at their deadline and are sent again on new connections, and the run finishes with
/// one action per machine, each sent once, every result journaled.
@Suite(.serialized) struct TeamQuietNetworkRunTests {
  typealias Workspace = ResumeCommandTests.Workspace

  static let machines = ["mymachine1.contoso.com", "ws-0142.contoso.com", "srv-file01.contoso.com"]
  static let statements = 3

  @Test(.timeLimit(.minutes(3))) func aRunWhoseDatabaseGoesQuietAndComesBackFinishes() async throws
  {
    let server = try PostgresServer.shared()
    let direct = try server.makeDatabase()
    let database = String(direct.split(separator: "/").last ?? "")
    let proxy = try TCPProxy(to: server.port)
    defer { proxy.stop() }
    let team = direct.replacingOccurrences(of: ":\(server.port)/", with: ":\(proxy.port)/")
    try await Workspace.with(timeScale: 30) { ws in
      let file = ws.dir.appendingPathComponent("quiet.lr")
      let statement =
        "on machines [\(Self.machines.joined(separator: ", "))] < run sleep.ps1 \"60\" >\n"
      try Data(String(repeating: statement, count: Self.statements).utf8).write(to: file)
      var environment = WatchCommandTests.env(ws, team, "q")
      // 1 s on the server, an answer within 6 s (and a new connection's sign-in too).
      environment["LR_TEAM_STATEMENT_TIMEOUT"] = "1"
      let run = try LiveLR(
        ["run", file.path, "--output", "json", "--yes"], environment: environment)
      let log = WatchCommandTests.Boards()
      let reader = Task { for await event in run.events { log.append(event.fields) } }

      // Quiet once the service accepted a few actions, while others are still to come.
      var accepted = 0
      for _ in 0..<600 where accepted < 2 {
        try await Task.sleep(for: .milliseconds(50))
        accepted = try await TeamDatabaseFaultTests.submissions(ws).count
      }
      #expect(accepted >= 2)
      proxy.blackhole()
      try await Task.sleep(for: .seconds(8))
      proxy.relayAgain()

      let status = await TeamDatabaseFaultTests.finish(run, within: .seconds(90))
      _ = await reader.value
      let events = log.all.map { $0["event"] as? String ?? "?" }
      #expect(status == 0, "\(events)\n\(run.stderr)")
      let planned = Self.machines.count * Self.statements
      let tokens = try await TeamDatabaseFaultTests.submissions(ws)
      #expect(tokens.count == planned, "\(tokens)")
      #expect(Set(tokens).count == tokens.count, "a token sent twice: \(tokens)")
      func sql(_ text: String) throws -> String { try server.sql(text, database: database) }
      #expect(try sql("SELECT count(*) FROM lr_action") == "\(planned)")
      #expect(try sql("SELECT count(*) FROM lr_action WHERE status = 'Succeeded'") == "\(planned)")
      #expect(try sql("SELECT count(*) FROM lr_command_result") == "\(planned)")
      #expect(try sql("SELECT string_agg(DISTINCT state, ',') FROM lr_run") == "finished")
    }
  }
}
