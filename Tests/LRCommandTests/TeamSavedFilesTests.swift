import Foundation
import LRTestSupport
import Testing

/// Saved files shared through the team database: a worker runs a detached run that saves a
/// GetFile and a transcript, and `lr results fetch` from another home and results folder gets
/// the same bytes; real `lr` processes, one emulator over loopback HTTP, one real PostgreSQL.
@Suite(.serialized) struct TeamSavedFilesTests {
  typealias Workspace = ResumeCommandTests.Workspace

  static let script = """
    on machine ws-0142 < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >

    """

  /// Queues the script, lets one worker run it (with `extra` in its environment) and returns
  /// the run's id and the worker's result.
  static func runByAWorker(_ ws: Workspace, team: String, _ extra: [String: String] = [:])
    async throws -> (run: String, worker: LRTestSupport.ProcessResult)
  {
    let env = ["LR_TEAM": team].merging(extra) { $1 }
    let queued = try await ws.lr(
      ["run", try ws.script(Self.script), "--detach", "--yes", "--output", "json"], env)
    #expect(queued.status == 0, "\(queued.stdout)\(queued.stderr)")
    let run = try #require(try jsonLines(queued.stdout).first?["run"] as? String)
    let worker = try await ws.lr(["worker", "--output", "json", "--exit-when-idle"], env)
    #expect(worker.status == 0, "\(worker.stdout)\(worker.stderr)")
    return (run, worker)
  }

  /// `lr results fetch` as someone else: another home, state folder and results folder.
  static func fetch(
    _ ws: Workspace, team: String, _ arguments: [String], out: URL
  ) async throws -> LRTestSupport.ProcessResult {
    let home = try LRTestSupport.temporaryDirectory()
    return try await LRTestSupport.runLR(
      ["results", "fetch"] + arguments + ["--out", out.path],
      environment: ws.environment([
        "LR_TEAM": team, "HOME": home.path,
        "XDG_STATE_HOME": home.appendingPathComponent("state").path, "LR_RESULTS_DIR": "",
      ]))
  }

  /// Every regular file under `folder`, by path.
  static func files(under folder: URL) -> [String] {
    let walker = FileManager.default.enumerator(atPath: folder.path)
    var found: [String] = []
    while let next = walker?.nextObject() as? String {
      var isFolder: ObjCBool = false
      let path = folder.appendingPathComponent(next).path
      if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
        found.append(next)
      }
    }
    return found.sorted()
  }

  @Test func aWorkersFilesAreFetchedElsewhereWithTheSameBytes() async throws {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 30) { ws in
      let (run, _) = try await Self.runByAWorker(ws, team: team)
      let saved = Self.files(under: ws.results.appendingPathComponent(run))
        .filter { $0 != "manifest.json" }
      #expect(saved.count == 2, "\(saved)")
      let out = try LRTestSupport.temporaryDirectory().appendingPathComponent("fetched")
      let first = try await Self.fetch(ws, team: team, [run, "--output", "json"], out: out)
      #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
      let lines = try jsonLines(first.stdout)
      try await WatchCommandTests.validate(lines, as: "fileFetched")
      #expect(lines.map { $0["outcome"] as? String } == ["written", "written"], "\(first.stdout)")
      #expect(Self.files(under: out) == saved.map { "\(run)/\($0)" })
      for name in saved {
        let original = try Data(contentsOf: ws.results.appendingPathComponent(run + "/" + name))
        let fetched = try Data(contentsOf: out.appendingPathComponent(run + "/" + name))
        #expect(original == fetched, "\(name)")
      }
      // Again: the same files are kept and said so; a different file is never replaced.
      let again = try await Self.fetch(ws, team: team, [run, "--output", "json"], out: out)
      #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
      #expect(try jsonLines(again.stdout).map { $0["outcome"] as? String } == ["same", "same"])
      let hosts = try #require(saved.first { $0.hasSuffix("hosts") })
      let tampered = out.appendingPathComponent(run + "/" + hosts)
      try Data("someone else's file\n".utf8).write(to: tampered)
      let conflict = try await Self.fetch(
        ws, team: team, [run, "--machine", "WS-0142", "--output", "json"], out: out)
      #expect(conflict.status == 1)
      #expect(
        try jsonLines(conflict.stdout).compactMap { $0["outcome"] as? String }.sorted()
          == ["conflict", "same"])
      #expect(try Data(contentsOf: tampered) == Data("someone else's file\n".utf8))
    }
  }

  @Test func aFileOverTheCapIsReportedByTheWorkerAndByFetch() async throws {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 30) { ws in
      let (run, worker) = try await Self.runByAWorker(ws, team: team, ["LR_TEAM_FILE_CAP": "10"])
      #expect(worker.stderr.contains("over the team's cap of 10 bytes"), "\(worker.stderr)")
      let out = try LRTestSupport.temporaryDirectory()
      let fetched = try await Self.fetch(ws, team: team, [run, "--output", "json"], out: out)
      #expect(fetched.status == 1)
      let lines = try jsonLines(fetched.stdout)
      #expect(lines.map { $0["outcome"] as? String } == ["notStored", "notStored"])
      #expect((lines.first?["detail"] as? String)?.contains("over the team's cap") == true)
      try await WatchCommandTests.validate(lines, as: "fileFetched")
      #expect(Self.files(under: out).isEmpty)
    }
  }

  /// Names from the database (a host's file name, a machine's name) are made safe: nothing is
  /// written outside the output folder, and no escape sequence reaches the terminal.
  @Test func hostileNamesAreSanitised() async throws {
    let server = try PostgresServer.shared()
    let team = try server.makeDatabase()
    let database = String(team.split(separator: "/").last ?? "")
    try await Workspace.with(timeScale: 30) { ws in
      let (run, _) = try await Self.runByAWorker(ws, team: team)
      try server.sql(
        "UPDATE lr_saved_file SET name = E'../../\\x1b[31mevil\\x07' WHERE name LIKE '%hosts'",
        database: database)
      try server.sql(
        "UPDATE lr_action SET computer_name = E'/../\\x1b]0;pwned\\x07..' WHERE run_id = '\(run)'",
        database: database)
      let parent = try LRTestSupport.temporaryDirectory()
      let out = parent.appendingPathComponent("out")
      let fetched = try await Self.fetch(ws, team: team, [run, "--output", "human"], out: out)
      #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
      #expect(!fetched.stdout.contains("\u{1b}") && !fetched.stdout.contains("\u{07}"))
      #expect(!fetched.stderr.contains("\u{1b}"))
      #expect(fetched.stdout.contains("written"))
      #expect(Self.files(under: parent).allSatisfy { $0.hasPrefix("out/\(run)/") })
      let written = Self.files(under: out)
      #expect(written.count == 2, "\(written)")
      #expect(
        written.allSatisfy { !$0.contains("\u{1b}") && !$0.split(separator: "/").contains("..") },
        "\(written)")
    }
  }
}
