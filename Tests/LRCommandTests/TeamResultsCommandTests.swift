import DefenderEmulator
import Foundation
import LRTestSupport
import Testing

/// `lr results`, `lr stack`, `lr query` and `lr report` with `--team`: the same script run once
/// into the SQLite journal and once into a real PostgreSQL (real `lr run` processes against one
/// emulator) reads back the same, byte for byte once run ids, action ids and times are masked;
/// `lr query` sees only the caller's tenant and changes nothing.
@Suite(.serialized) struct TeamResultsCommandTests {
  typealias Workspace = ResumeCommandTests.Workspace

  static let script = """
    on machines [ws-0142, ws-0143, ws-broken-09] < run Get-Processes.ps1; get 'C:\\Windows\\System32\\drivers\\etc\\hosts' >

    """

  /// Run ids, GUIDs, times and hashes replaced by fixed words.
  static func masked(_ text: String, runs: [String]) -> String {
    var text = text
    for run in runs { text = text.replacingOccurrences(of: run, with: "RUN") }
    let patterns = [
      ("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "GUID"),
      ("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z?", "TIME"),
      // A transcript's hash (it holds the action's id and times); a fetched file's is the same.
      ("[0-9a-f]{64}", "SHA256"),
    ]
    for (pattern, word) in patterns {
      text = text.replacingOccurrences(of: pattern, with: word, options: .regularExpression)
    }
    return text
  }

  /// Runs the script into the journal `extra` names (the team's with `LR_TEAM`) and returns the
  /// run's id.
  static func run(_ ws: Workspace, _ path: String, _ extra: [String: String]) async throws
    -> String
  {
    let result = try await ws.lr(["run", path, "--output", "json", "--yes"], extra)
    #expect(result.status == 1, "ws-broken-09 fails: \(result.stdout)\(result.stderr)")
    let events = try jsonLines(result.stdout)
    return try #require(events.compactMap { $0["run"] as? String }.first)
  }

  @Test(.timeLimit(.minutes(5))) func resultsStackQueryAndReportReadTheTeamJournalAsSQLite()
    async throws
  {
    let team = try PostgresServer.shared().makeDatabase()
    try await Workspace.with(timeScale: 60) { ws in
      let path = try ws.script(Self.script)
      let local = try await Self.run(ws, path, [:])
      let shared = try await Self.run(ws, path, ["LR_TEAM": team])
      let portable = [
        "SELECT version FROM schema_version",
        """
        SELECT machine, command_index, command, status, exit_code, type, action_status, format,
          size, sha256 FROM results
        WHERE run = (SELECT run FROM runs ORDER BY started DESC LIMIT 1)
        ORDER BY machine, command_index
        """,
        """
        SELECT machine, json_extract(data, '$.Path') AS path FROM rows
        WHERE json_extract(data, '$.ProcessName') = 'lsass.exe' ORDER BY path, machine
        """,
        "SELECT run, statement, machine, position FROM targets ORDER BY position",
        "SELECT machine, count(*) AS n FROM rows GROUP BY machine ORDER BY n DESC, machine",
      ]
      var commands: [(local: [String], shared: [String])] = [
        (["results", local, "--format", "csv"], ["results", shared, "--format", "csv"]),
        (["results", local, "--format", "jsonl"], ["results", shared, "--format", "jsonl"]),
        (["results", local, "--format", "table"], ["results", shared, "--format", "table"]),
        (["stack", local, "ProcessName"], ["stack", shared, "ProcessName"]),
        (
          ["stack", local, "exit_code", "--format", "csv"],
          ["stack", shared, "exit_code", "--format", "csv"]
        ),
        (["stack", "Path", "--format", "table"], ["stack", "Path", "--format", "table"]),
      ]
      for sql in portable {
        for format in ["json", "csv", "table"] {
          commands.append(
            (["query", sql, "--format", format], ["query", sql, "--format", format]))
        }
      }
      for (a, b) in commands {
        let sqlite = try await ws.lr(a)
        let postgres = try await ws.lr(b, ["LR_TEAM": team])
        #expect(sqlite.status == 0, "\(a): \(sqlite.stderr)")
        #expect(postgres.status == 0, "\(b): \(postgres.stderr)")
        #expect(!sqlite.stdout.isEmpty, "\(a)")
        #expect(
          Self.masked(sqlite.stdout, runs: [local, shared])
            == Self.masked(postgres.stdout, runs: [local, shared]), "\(b)")
      }
      // The report's stacked columns come from the team journal too.
      var pages: [String] = []
      for (run, extra) in [(local, [String: String]()), (shared, ["LR_TEAM": team])] {
        let file = ws.dir.appendingPathComponent("\(run).html")
        let report = try await ws.lr(["report", run, "-o", file.path], extra)
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: file, encoding: .utf8)
        let stacks = try #require(html.range(of: "<h2>Stacked values</h2>"))
        pages.append(Self.masked(String(html[stacks.lowerBound...]), runs: [local, shared]))
      }
      #expect(pages[0].contains("lsass.exe"))
      #expect(pages[0] == pages[1])
    }
  }

  @Test(.timeLimit(.minutes(4))) func queryOnTheTeamSeesOnlyItsTenantAndChangesNothing()
    async throws
  {
    let server = try PostgresServer.shared()
    let team = try server.makeDatabase()
    let database = String(team.split(separator: "/").last ?? "")
    try await Workspace.with(timeScale: 60) { ws in
      let path = try ws.script(Self.script)
      let run = try await Self.run(ws, path, ["LR_TEAM": team])
      // Another tenant's run in the same database.
      try server.sql(
        """
        INSERT INTO lr_tenant (tenant) VALUES ('other');
        INSERT INTO lr_run (tenant, id, created_at, source_path, source_text, profile,
          results_directory, state) VALUES ('other', 'other-run', now() + interval '1 hour',
          'x.lr', '', 'p', '/tmp', 'finished');
        INSERT INTO lr_target (tenant, run_id, statement, machine_id, computer_name)
          VALUES ('other', 'other-run', 0, 'm1', 'secret-host');
        INSERT INTO lr_action (tenant, run_id, statement, request_index, machine_id,
          computer_name, token, body, state, created_at, updated_at) VALUES ('other',
          'other-run', 0, 0, 'm1', 'secret-host', 'tok-other',
          '{"Commands":[{"type":"RunScript","params":[{"key":"ScriptName","value":"x.ps1"}]}]}',
          'terminal', now(), now());
        INSERT INTO lr_command (tenant, action_row, command_index, type, status)
          VALUES ('other', currval('lr_action_id_seq'), 0, 'RunScript', 'Completed');
        INSERT INTO lr_result_row (tenant, run_id, action_row, machine_id, computer_name,
          command_index, n, data) VALUES ('other', 'other-run', currval('lr_action_id_seq'),
          'm1', 'secret-host', 0, 0, '{"ProcessName":"secret.exe"}');
        """, database: database)
      let env = ["LR_TEAM": team]
      let mine = try await ws.lr(
        [
          "query",
          "SELECT run FROM runs UNION ALL SELECT machine FROM results UNION ALL "
            + "SELECT machine FROM rows UNION ALL SELECT machine FROM targets", "--format", "csv",
        ], env)
      #expect(mine.status == 0, "\(mine.stderr)")
      #expect(mine.stdout.contains(run))
      #expect(!mine.stdout.contains("other"))
      #expect(!mine.stdout.contains("secret"))
      let newest = try await ws.lr(["stack", "ProcessName", "--format", "csv"], env)
      #expect(newest.stdout.contains("lsass.exe") && !newest.stdout.contains("secret"))
      let theirs = try await ws.lr(
        [
          "query", "SELECT run, machine, command FROM results", "--format", "csv", "--tenant",
          "other",
        ],
        env)
      #expect(theirs.stdout == "run,machine,command\r\nother-run,secret-host,RunScript x.ps1\r\n")
      let stacked = try await ws.lr(
        ["stack", "ProcessName", "--tenant", "other", "--format", "csv"], env)
      #expect(stacked.stdout.contains("secret.exe"), "\(stacked.stderr)")

      let before = try server.sql("SELECT count(*) FROM lr_run", database: database)
      for sql in [
        "DELETE FROM runs", "WITH x AS (SELECT 1) DELETE FROM public.lr_run",
        "SELECT set_config('lr.tenant', 'other', true)", "CREATE TABLE t (x int)",
        "SELECT nextval('public.lr_action_id_seq')", "SET lr.tenant = 'other'",
        "UPDATE public.lr_run SET state = 'x'",
      ] {
        let refused = try await ws.lr(["query", sql], env)
        #expect(refused.status == 2, "\(sql): \(refused.stdout)\(refused.stderr)")
        #expect(
          refused.stderr.contains("the journal is read-only here"), "\(sql): \(refused.stderr)")
      }
      #expect(try server.sql("SELECT count(*) FROM lr_run", database: database) == before)
      let several = try await ws.lr(["query", "SELECT 1; SELECT 2"], env)
      #expect(several.status == 2 && several.stderr.contains("one statement at a time"))
      let bad = try await ws.lr(
        ["query", "SELECT machine FROM results WHERE status = = 'Failed'"], env)
      #expect(bad.status == 2)
      #expect(bad.stderr.contains("syntax error"), "\(bad.stderr)")
      #expect(
        bad.stderr.hasSuffix("                                           ^\n"), "\(bad.stderr)")
    }
  }

  /// `lr query --team` whose connection is cut during the read (the backend ended by the
  /// server) exits 3 at once, naming the database and not its password.
  @Test(.timeLimit(.minutes(2))) func aQueryWhoseConnectionIsCutExitsThree() async throws {
    let server = try PostgresServer.shared()
    let team = try server.makeDatabase()
    let database = String(team.split(separator: "/").last ?? "")
    try await Workspace.with(timeScale: 60) { ws in
      Thread.detachNewThread {
        Thread.sleep(forTimeInterval: 3)
        _ = try? server.sql(
          """
          SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = '\(database)' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()
          """)
      }
      let started = ContinuousClock.now
      let cut = try await ws.lr(
        ["query", "SELECT pg_sleep(0.1), g FROM generate_series(1, 300) g"], ["LR_TEAM": team])
      #expect(cut.status == 3, "\(cut.stdout)\(cut.stderr)")
      #expect(cut.stderr.contains("the team database is unreachable"), "\(cut.stderr)")
      #expect(cut.stderr.contains(database), "\(cut.stderr)")
      #expect(!cut.stderr.contains(PostgresServer.password))
      #expect(ContinuousClock.now - started < .seconds(20))
    }
  }
}
