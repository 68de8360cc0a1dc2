import DefenderEmulator
import Foundation
import LRTestSupport
import NIOHTTP1
import Testing

/// The team database restarted or killed in the middle of a run (issue 14, item 7): two
/// `lr run --team` on overlapping machines and one `lr worker` running a detached run, against
/// one time-scaled emulator and a PostgreSQL cluster of the test's own. Every process reconnects
/// and goes on; nothing is lost, nothing is sent twice, nothing is sent while the database is away.
@Suite(.serialized) struct TeamDatabaseFaultTests {
  typealias Workspace = ResumeCommandTests.Workspace

  /// What happens to the server once the runs have started.
  enum Fault {
    /// A fast shutdown and a start on the same port.
    case restart
    /// `kill -9` of the postmaster, started again after `downFor`.
    case kill9(downFor: Duration)
  }

  /// The three runs' scripts: each machine is in two of them, so they take turns on devices.
  static let scripts: [String: (machines: [String], statements: Int)] = [
    "a": (["mymachine1.contoso.com", "ws-0142.contoso.com", "srv-file01.contoso.com"], 3),
    "b": (["ws-0142.contoso.com", "srv-file01.contoso.com", "srv-app02.contoso.com"], 3),
    "c": (["mymachine1.contoso.com", "srv-app02.contoso.com"], 2),
  ]

  static func source(_ name: String) -> String {
    guard let script = scripts[name] else { return "" }
    let statement =
      "on machines [\(script.machines.joined(separator: ", "))] < run sleep.ps1 \"45\" >"
    return Array(repeating: statement, count: script.statements).joined(separator: "\n") + "\n"
  }

  /// Actions planned in all: one per (statement, machine).
  static var planned: Int { scripts.values.map { $0.machines.count * $0.statements }.reduce(0, +) }

  @Test(.timeLimit(.minutes(3))) func aRestartedDatabaseIsWaitedOutByEveryProcess() async throws {
    try await Self.survive(.restart)
  }

  @Test(.timeLimit(.minutes(3))) func aKilledDatabaseIsWaitedOutByEveryProcess() async throws {
    try await Self.survive(.kill9(downFor: .seconds(4)))
  }

  /// Starts the three runs, applies `fault` once the service accepted actions, and checks the end.
  static func survive(_ fault: Fault) async throws {
    // A cluster of its own: the shared one serves the other suites' tests meanwhile.
    let server = try PostgresServer(durable: true)
    try server.start()
    defer {
      server.stop()
      try? FileManager.default.removeItem(at: server.folder)
    }
    let team = try server.makeDatabase()
    let database = String(team.split(separator: "/").last ?? "")
    try await Workspace.with(timeScale: 30) { ws in
      var paths: [String: String] = [:]
      for name in scripts.keys {
        let url = ws.dir.appendingPathComponent("\(name).lr")
        try Data(source(name).utf8).write(to: url)
        paths[name] = url.path
      }
      let queued = try await LRTestSupport.runLR(
        ["run", paths["c"] ?? "", "--detach", "--yes", "--output", "json"],
        environment: WatchCommandTests.env(ws, team, "c"))
      #expect(queued.status == 0, "\(queued.stdout)\(queued.stderr)")
      let processes = [
        try LiveLR(
          ["worker", "--output", "json", "--exit-when-idle"],
          environment: WatchCommandTests.env(ws, team, "w")),
        try LiveLR(
          ["run", paths["a"] ?? "", "--output", "json", "--yes"],
          environment: WatchCommandTests.env(ws, team, "a")),
        try LiveLR(
          ["run", paths["b"] ?? "", "--output", "json", "--yes"],
          environment: WatchCommandTests.env(ws, team, "b")),
      ]
      let logs = processes.map { _ in WatchCommandTests.Boards() }
      let readers = zip(processes, logs).map { process, log in
        Task { for await event in process.events { log.append(event.fields) } }
      }

      // The fault once the service accepted a few actions, while others are still to come.
      var accepted = 0
      for _ in 0..<600 where accepted < 3 {
        try await Task.sleep(for: .milliseconds(50))
        accepted = try await submissions(ws).count
      }
      #expect(accepted >= 3)
      // The outage, as the test can know it: from the server's exit (a budget step may commit
      // while a fast shutdown is under way) to the call that starts it again (once started it
      // may serve lr before pg_isready reports it ready).
      let down: ContinuousClock.Instant
      let up: ContinuousClock.Instant
      switch fault {
      case .restart:
        server.stop()
        down = ContinuousClock.now
        up = ContinuousClock.now
        try server.start()
      case .kill9(let duration):
        server.kill9()
        down = ContinuousClock.now
        try await Task.sleep(for: duration)
        up = ContinuousClock.now
        try server.start()
      }

      for (index, process) in processes.enumerated() {
        let status = await finish(process, within: .seconds(60))
        _ = await readers[index].value
        let events = logs[index].all.map { $0["event"] as? String ?? "?" }
        #expect(
          status == 0,
          "\(process.process.arguments ?? []): \(events)\n\(process.stderr)\n\(server.log.suffix(1500))"
        )
      }
      try await check(ws, server: server, database: database, outage: down..<up)
    }
  }

  /// The process's exit status, or nil (and killed) if it is still running after `within`.
  static func finish(_ process: LiveLR, within: Duration) async -> Int32? {
    let deadline = ContinuousClock.now + within
    while process.process.isRunning, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(100))
    }
    guard !process.process.isRunning else {
      await process.kill()
      return nil
    }
    return await process.status()
  }

  /// The accepted submissions' `[lr:token]`s, one per accepted `runliveresponse`.
  static func submissions(_ ws: Workspace) async throws -> [String] {
    let reply = try await ws.emulator.admin(.GET, "submissions")
    let list = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [[String: Any]] ?? []
    return list.compactMap { $0["body"] as? String }.map { body in
      guard let start = body.range(of: "[lr:"),
        let end = body[start.upperBound...].firstIndex(of: "]")
      else { return body }
      return String(body[start.lowerBound...end])
    }
  }

  /// One action per planned (statement, machine), each sent once and finished with its result
  /// journaled; no client-caused 429; nothing sent while the database was away.
  static func check(
    _ ws: Workspace, server: PostgresServer, database: String,
    outage: Range<ContinuousClock.Instant>
  ) async throws {
    let tokens = try await submissions(ws)
    #expect(tokens.count == planned, "\(tokens)")
    #expect(Set(tokens).count == tokens.count, "a token sent twice: \(tokens)")
    func sql(_ statement: String) throws -> String {
      try server.sql(statement, database: database)
    }
    #expect(try sql("SELECT count(*) FROM lr_action") == "\(planned)")
    #expect(try sql("SELECT count(*) FROM lr_action WHERE status = 'Succeeded'") == "\(planned)")
    #expect(try sql("SELECT count(DISTINCT token) FROM lr_action") == "\(planned)")
    #expect(try sql("SELECT count(*) FROM lr_command_result") == "\(planned)")
    #expect(try sql("SELECT string_agg(DISTINCT state, ',') FROM lr_run") == "finished")
    let stats = try await ws.emulator.stats()
    #expect(stats.throttledByClient == 0)
    // An answer logged just after the stop can come from a call sent before it.
    let grace = Duration.milliseconds(300)
    let during = ws.emulator.requests.matching("POST") { $0.contains("runliveresponse") }
      .filter { $0.time > outage.lowerBound + grace && $0.time < outage.upperBound }
    #expect(during.isEmpty, "\(during.count) submission(s) while the database was away")
  }
}
