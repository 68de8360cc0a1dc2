import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// `--team`: real `lr` processes against one emulator and one real PostgreSQL share one journal;
/// a bad team database stops a command with exit 3 before anything is sent.
@Suite(.serialized) struct TeamCommandTests {
  typealias Workspace = ResumeCommandTests.Workspace

  @Test(.timeLimit(.minutes(3))) func aBadTeamDatabaseExitsThreeAndSendsNothing() async throws {
    let server = try PostgresServer.shared()
    let good = try server.makeDatabase()
    let newer = try server.makeDatabase()
    // A database another lr of a newer schema migrated.
    try await Workspace.with(timeScale: 60) { ws in
      let path = try ws.script("on machine ws-0142 < run Get-Processes.ps1 >\n")
      _ = try await ws.lr(["runs", "--team", newer])
      let database = String(newer.split(separator: "/").last ?? "")
      try server.sql(
        "INSERT INTO lr_schema (version, name) VALUES (999, 'future')", database: database)
      let (fd, port) = try LoopbackSocket.listen()
      close(fd)
      let cases = [
        "mysql://lr@127.0.0.1/lr",
        good.replacingOccurrences(of: PostgresServer.password, with: "x"),
        "postgres://lr:x@127.0.0.1:\(port)/lr", newer,
      ]
      for url in cases {
        let result = try await ws.lr(["run", path, "--team", url, "--output", "json", "--yes"])
        #expect(result.status == 3, "\(url): \(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("team database"), "\(result.stderr)")
        #expect(!result.stderr.contains(PostgresServer.password), "\(result.stderr)")
      }
      #expect(try await ws.emulator.stats().actionsCreated == 0)
    }
  }

  @Test(.timeLimit(.minutes(4))) func twoProcessesShareOneJournalAndResumeEachOthersRuns()
    async throws
  {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 60) { ws in
      let first = try ws.script("on machine ws-0142 < run Get-Processes.ps1 >\n")
      async let a = ws.lr(["run", first, "--team", team, "--output", "json", "--yes"])
      async let b = ws.lr(
        ["run", first, "--output", "json", "--yes"], ["LR_TEAM": team, "USER": "bea"])
      let (ra, rb) = try await (a, b)
      #expect(ra.status == 0, "\(ra.stdout)\(ra.stderr)")
      #expect(rb.status == 0, "\(rb.stdout)\(rb.stderr)")
      // Another analyst's state folder: the runs come from the team database, not a local file.
      let elsewhere = ["XDG_STATE_HOME": ws.dir.appendingPathComponent("other").path]
      let listed = try await ws.lr(["runs", "--team", team, "--output", "json"], elsewhere)
      #expect(listed.status == 0, "\(listed.stderr)")
      let runs = try jsonLines(listed.stdout)
      #expect(runs.count == 2)
      #expect(runs.allSatisfy { ($0["who"] as? String ?? "").isEmpty == false })
      let local = try await ws.lr(["runs", "--output", "json"], elsewhere)
      #expect(try jsonLines(local.stdout).isEmpty)

      // A run killed -9 by one process is resumed by another, from the team journal.
      let live = try LiveLR(
        ["run", first, "--output", "json", "--yes", "--results-dir", ws.results.path],
        environment: ws.environment(["LR_TEAM": team]), killOn: "actionSubmitted",
        signal: SIGKILL)
      var run = ""
      for await event in live.events where event["event"] as? String == "runStarted" {
        run = event["run"] as? String ?? ""
      }
      await live.kill()
      #expect(!run.isEmpty)
      let resumed = try await ws.lr(["resume", run, "--team", team, "--output", "json"], elsewhere)
      #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
      #expect(try jsonLines(resumed.stdout).first?["run"] as? String == run)
      let machine = try await ws.actions(on: "ws-0142")
      #expect(machine.count == 3, "one action per run, none submitted twice")
      let verified = try await ws.lr(["audit", "verify", "--team", team])
      #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
      #expect(verified.stdout.contains("chain intact"))
    }
  }
}
