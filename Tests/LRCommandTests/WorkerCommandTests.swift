import Foundation
import LRTestSupport
import Testing

/// `lr run --team --detach` and `lr worker`: real `lr` processes, one emulator over loopback
/// HTTP and one real PostgreSQL.
@Suite(.serialized) struct WorkerCommandTests {
  typealias Workspace = ResumeCommandTests.Workspace

  /// A fresh team database's URL.
  static func teamURL() throws -> String {
    try PostgresServer.shared().makeDatabase()
  }

  static let script = """
    on machines [mymachine1.contoso.com, ws-0142] < run sleep.ps1 "60" >

    """

  /// kill -9 of a worker mid-run: after its lease another worker claims the run, adopts the
  /// journaled actions by their token and finishes it, with one action per machine.
  @Test func aKilledWorkersRunIsAdoptedAndFinishedOnce() async throws {
    let team = try Self.teamURL()
    try await Workspace.with(timeScale: 30) { ws in
      let env = ["LR_TEAM": team]
      let path = try ws.script(Self.script)
      let queued = try await ws.lr(["run", path, "--detach", "--yes", "--output", "json"], env)
      #expect(queued.status == 0, "\(queued.stdout)\(queued.stderr)")
      let lines = try jsonLines(queued.stdout)
      #expect(lines.count == 1)
      #expect(lines.first?["event"] as? String == "runQueued")
      #expect(lines.first?["actions"] as? Int == 2)
      let run = try #require(lines.first?["run"] as? String)

      // Worker A claims the run and is killed once the service accepted an action.
      let first = try LiveLR(
        ["worker", "--output", "json", "--lease", "2s", "--settle", "1s"],
        environment: ws.environment(env))
      let server = try PostgresServer.shared()
      let database = String(team.split(separator: "/").last ?? "")
      var submitted = 0
      for _ in 0..<300 where submitted == 0 {
        try await Task.sleep(for: .milliseconds(100))
        submitted =
          Int(
            try server.sql(
              "SELECT count(*) FROM lr_action WHERE action_id IS NOT NULL", database: database))
          ?? 0
      }
      await first.kill()
      #expect(submitted > 0)
      let claimed = try server.sql("SELECT claims FROM lr_work", database: database)
      #expect(claimed == "1")

      // Worker B waits out A's lease, adopts the run and finishes it.
      try await Task.sleep(for: .seconds(2.5))
      let second = try await ws.lr(
        [
          "worker", "--output", "json", "--lease", "2s", "--settle", "1s", "--exit-when-idle",
        ], env)
      #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
      let events = try jsonLines(second.stdout)
      let names = events.compactMap { $0["event"] as? String }
      #expect(names == ["workerStarted", "workerClaimed", "workerFinished", "workerStopped"])
      #expect(events.first { $0["event"] as? String == "workerClaimed" }?["attempt"] as? Int == 2)
      #expect(
        events.first { $0["event"] as? String == "workerFinished" }?["state"] as? String
          == "finished")
      #expect(
        try server.sql("SELECT state FROM lr_run WHERE id = '\(run)'", database: database)
          == "finished")
      for machine in ["mymachine1.contoso.com", "ws-0142"] {
        let tokens = ResumeCommandTests.tokens(try await ws.actions(on: machine), run: run)
        #expect(tokens.count == 1, "\(machine): \(tokens)")
      }
    }
  }

  /// SIGTERM stops a worker cleanly: its run goes back to the queue, the worker exits 0.
  @Test func sigtermPutsTheRunBackInTheQueue() async throws {
    let team = try Self.teamURL()
    try await Workspace.with(timeScale: 30) { ws in
      let env = ["LR_TEAM": team]
      let path = try ws.script(Self.script)
      let queued = try await ws.lr(["run", path, "--detach", "--yes", "--output", "json"], env)
      #expect(queued.status == 0, "\(queued.stdout)\(queued.stderr)")
      let worker = try LiveLR(
        ["worker", "--output", "json"], environment: ws.environment(env),
        killOn: "workerClaimed", signal: SIGTERM)
      var names: [String] = []
      for await event in worker.events { names.append(event["event"] as? String ?? "") }
      #expect(names == ["workerStarted", "workerClaimed", "workerReleased", "workerStopped"])
      #expect(await worker.status() == 0)
      let server = try PostgresServer.shared()
      let database = String(team.split(separator: "/").last ?? "")
      #expect(try server.sql("SELECT state FROM lr_work", database: database) == "queued")
    }
  }
}
