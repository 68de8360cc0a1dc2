import Foundation
import LRTestSupport
import Testing

/// `lr watch --team`: a real watcher process follows a real `lr run --team` on the emulator,
/// redrawn by the database's notifications (LISTEN lr_runs), never by a timer.
@Suite(.serialized) struct WatchCommandTests {
  typealias Workspace = ResumeCommandTests.Workspace

  /// The boards a live `lr watch --output json` printed so far.
  final class Boards: @unchecked Sendable {
    private var lines: [[String: Any]] = []
    private let lock = NSLock()
    var all: [[String: Any]] { lock.withLock { lines } }
    func append(_ line: [String: Any]) { lock.withLock { lines.append(line) } }

    /// Waits (up to `timeout`) for a board matching `condition`.
    func wait(_ timeout: Duration = .seconds(60), for condition: ([String: Any]) -> Bool)
      async throws -> Bool
    {
      let deadline = ContinuousClock.now + timeout
      while ContinuousClock.now < deadline {
        if all.contains(where: condition) { return true }
        try await Task.sleep(for: .milliseconds(100))
      }
      return false
    }
  }

  static func runs(_ board: [String: Any]) -> [[String: Any]] {
    board["runs"] as? [[String: Any]] ?? []
  }

  @Test(.timeLimit(.minutes(4))) func theBoardFollowsARunByNotification() async throws {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 60) { ws in
      let watcher = try LiveLR(
        ["watch", "--team", team, "--output", "json"], environment: ws.environment(),
        signal: SIGINT)
      let boards = Boards()
      let reader = Task { for await event in watcher.events { boards.append(event.fields) } }
      // The first board, empty; then nothing changes, so nothing is printed.
      #expect(try await boards.wait { $0["event"] as? String == "board" })
      try await Task.sleep(for: .seconds(4))
      #expect(boards.all.count == 1, "a board without a change: \(boards.all)")
      #expect(Self.runs(boards.all[0]).isEmpty)

      let script = try ws.script(
        "on machines [ws-0142, srv-legacy03, ws-broken-09] < run Get-Processes.ps1 >\n")
      let ran = try await ws.lr(["run", script, "--team", team, "--output", "json", "--yes"])
      #expect([0, 1].contains(ran.status), "\(ran.stdout)\(ran.stderr)")
      let run = try #require(try jsonLines(ran.stdout).first?["run"] as? String)
      // The run appeared, its finished actions rose, and it left the board when it ended.
      let seen = boards.all.flatMap { Self.runs($0) }.filter { $0["run"] as? String == run }
      #expect(!seen.isEmpty, "\(boards.all)")
      let finished = seen.compactMap { $0["finished"] as? Int }
      #expect(finished == finished.sorted(), "\(finished)")
      #expect(Set(finished).count > 1, "the counts rose: \(finished)")
      #expect(seen.allSatisfy { ($0["who"] as? String ?? "").isEmpty == false })
      #expect(seen.compactMap { $0["actions"] as? Int }.max() == 3)
      #expect(
        try await boards.wait { Self.runs($0).isEmpty } && Self.runs(boards.all.last ?? [:]).isEmpty
      )
      let settled = boards.all.count
      #expect(Self.runs(boards.all[settled - 1]).isEmpty)
      try await Task.sleep(for: .seconds(4))
      #expect(boards.all.count == settled, "no board while nothing changes")

      kill(watcher.process.processIdentifier, SIGINT)
      #expect(await watcher.status() == 0)
      _ = await reader.value
      try await Self.validate(boards.all)
    }
  }

  @Test(.timeLimit(.minutes(2))) func onceShowsOneBoardAndATeamIsRequired() async throws {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 60) { ws in
      let human = try await ws.lr(["watch", "--team", team, "--once", "--output", "human"])
      #expect(human.status == 0, "\(human.stderr)")
      #expect(human.stdout.contains("0 live run(s), 0 session(s) held on the tenant"))
      let json = try await ws.lr(["watch", "--team", team, "--once"])
      #expect(try jsonLines(json.stdout).map { $0["event"] as? String } == ["board"])
      // Every team-only command without a team: one sentence, a usage error (exit 2).
      for command in [
        ["watch", "--once"], ["worker", "--exit-when-idle"], ["approve", "--list"],
      ] {
        let none = try await ws.lr(command)
        #expect(none.status == 2, "\(command): \(none.stdout)\(none.stderr)")
        #expect(
          none.stderr.contains("needs a team database: --team URL, LR_TEAM or a profile's team"),
          "\(command): \(none.stderr)")
      }
    }
  }

  /// The first `run` an `lr run --output json` prints (its later events stay unread).
  static func runID(_ process: LiveLR) async -> String? {
    for await event in process.events {
      if let run = event["run"] as? String { return run }
    }
    return nil
  }

  /// The workspace's environment with the team and a state folder of its own for `name`.
  static func env(_ ws: Workspace, _ team: String, _ name: String) -> [String: String] {
    ws.environment([
      "LR_TEAM": team, "XDG_STATE_HOME": ws.dir.appendingPathComponent("state-\(name)").path,
    ])
  }

  /// `lr run --team` of a long sleep on `machines`, as a live process.
  static func startSleep(_ ws: Workspace, _ team: String, _ name: String, _ machines: String)
    throws -> LiveLR
  {
    let file = ws.dir.appendingPathComponent("\(name).lr")
    try Data("on machines [\(machines)] < run sleep.ps1 \"240\" >\n".utf8).write(to: file)
    return try LiveLR(
      ["run", file.path, "--output", "json", "--yes"], environment: env(ws, team, name))
  }

  /// Two `lr run --team` at once: the board shows each run's own sessions (from the budget
  /// tables, whichever process holds them); `lr watch RUN` ends with that run, `lr watch` goes on.
  @Test(.timeLimit(.minutes(3))) func eachRunsSessionsAndAWatchOfOneRunEndsWithIt() async throws {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 30) { ws in
      let all = try LiveLR(
        ["watch", "--output", "json"], environment: Self.env(ws, team, "w"), signal: SIGINT)
      let boards = Boards()
      let reader = Task { for await event in all.events { boards.append(event.fields) } }
      #expect(try await boards.wait { $0["event"] as? String == "board" })
      let first = try Self.startSleep(ws, team, "a", "mymachine1.contoso.com, ws-0142.contoso.com")
      let second = try Self.startSleep(
        ws, team, "b", "srv-file01.contoso.com, srv-app02.contoso.com")
      let runs = [first, second]
      let firstID = await Self.runID(first)
      let secondID = await Self.runID(second)
      let a = try #require(firstID)
      let b = try #require(secondID)
      let one = try LiveLR(["watch", a, "--output", "json"], environment: Self.env(ws, team, "w1"))
      // Both runs hold their two sessions at once, each counted for its own run.
      let both = try await boards.wait { board in
        let shown = Self.runs(board)
        return [a, b].allSatisfy { id in
          shown.first { $0["run"] as? String == id }?["sessions"] as? Int == 2
        } && board["sessions"] as? Int == 4
      }
      #expect(both, "\(boards.all)")
      for run in runs {
        let status = await run.status()
        #expect(status == 0, "\(run.stderr)")
      }
      let oneStatus = await one.status()
      #expect(oneStatus == 0, "\(one.stderr)")
      // The watch of every run stays once both ended.
      #expect(try await boards.wait { Self.runs($0).isEmpty })
      try await Task.sleep(for: .seconds(1))
      #expect(all.process.isRunning)
      kill(all.process.processIdentifier, SIGINT)
      let allStatus = await all.status()
      #expect(allStatus == 0)
      _ = await reader.value
      try await Self.validate(boards.all)
    }
  }

  /// `lr approve --output json`: one `runApproved` line in the documented schema.
  @Test(.timeLimit(.minutes(2))) func anApprovalAsJSON() async throws {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 60) { ws in
      let script = try ws.script("on machine mymachine1.contoso.com < run Get-Processes.ps1 >\n")
      let held = ["LR_TEAM": team, "LR_TEAM_HIGH_IMPACT": "get-processes*"]
      let queued = try await ws.lr(
        ["run", script, "--detach", "--yes", "--output", "json"],
        held.merging(["USER": "alice"]) { $1 })
      #expect(queued.status == 0, "\(queued.stderr)")
      let run = try #require(try jsonLines(queued.stdout).first?["run"] as? String)
      // The list of waiting runs, as JSON lines too.
      let listed = try await ws.lr(
        ["approve", "--list", "--output", "json"], held.merging(["USER": "bob"]) { $1 })
      #expect(listed.status == 0, "\(listed.stderr)")
      let waiting = try jsonLines(listed.stdout)
      #expect(waiting.count == 1)
      #expect(waiting.first?["event"] as? String == "approvalWaiting")
      #expect(waiting.first?["run"] as? String == run)
      #expect(waiting.first?["requestedBy"] as? String == "alice")
      try await Self.validate(waiting, as: "approvalWaiting")
      let approved = try await ws.lr(
        ["approve", run, "--reason", "ticket 12", "--output", "json"],
        held.merging(["USER": "bob"]) { $1 })
      #expect(approved.status == 0, "\(approved.stderr)")
      let lines = try jsonLines(approved.stdout)
      #expect(lines.count == 1)
      let line = try #require(lines.first)
      #expect(line["event"] as? String == "runApproved")
      #expect(line["run"] as? String == run)
      #expect(line["approver"] as? String == "bob")
      #expect(line["reason"] as? String == "ticket 12")
      #expect((line["planHash"] as? String)?.count == 64)
      let time = try #require(line["time"] as? String)
      let when = try #require(ISO8601DateFormatter().date(from: time), "\(time)")
      #expect(time.hasSuffix("Z") && abs(when.timeIntervalSinceNow) < 120)
      try await Self.validate(lines, as: "runApproved")
    }
  }

  /// The lines match the documented schema (docs/schema/lr-json.schema.json, `definition`).
  static func validate(_ boards: [[String: Any]], as definition: String = "watchBoard")
    async throws
  {
    let root = LRTestSupport.packageRoot
    let dir = try LRTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lines = try boards.map {
      definition + "\t"
        + String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
    }
    let file = dir.appendingPathComponent("lines.tsv")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    let validated = try await LRTestSupport.run(
      URL(fileURLWithPath: "/bin/bash"),
      [
        root.appendingPathComponent("Tests/pty/python.sh").path,
        root.appendingPathComponent("Tests/schema/validate.py").path,
        root.appendingPathComponent("docs/schema/lr-json.schema.json").path, file.path,
      ])
    #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
  }
}
