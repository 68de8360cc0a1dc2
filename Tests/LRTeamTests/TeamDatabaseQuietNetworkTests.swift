import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// The journal's synchronous statements and transactions when the network to the database goes
/// quiet (nothing answers, nothing closes): each ends within its deadline (the statement timeout
/// and a grace), is sent again on a new connection while the retry window lasts, and then fails
/// naming the database; a transaction cut in the middle leaves nothing half-written.
@Suite(.serialized) struct TeamDatabaseQuietNetworkTests {
  /// A database behind a `TCPProxy`, migrated, with a table `quiet_rows (id int primary key)`.
  struct Quiet: Sendable {
    let server: PostgresServer
    let proxy: TCPProxy
    /// The database as the journal sees it: through the proxy, 1 s + 1 s per statement.
    let database: TeamDatabase
    let name: String

    init(retryWindow: Duration) throws {
      server = try PostgresServer.shared()
      let direct = try TeamURL(try server.makeDatabase())
      name = direct.database
      _ = try TeamDatabase.open(direct)
      try server.sql("CREATE TABLE quiet_rows (id int PRIMARY KEY)", database: name)
      proxy = try TCPProxy(to: server.port)
      let url = try TeamURL(
        server.url(database: name, through: proxy))
      database = TeamDatabase(
        url: url, retryWindow: retryWindow,
        statementTimeout: StatementTimeout(.seconds(1), grace: .seconds(1)))
    }

    /// The rows committed, read directly (not through the proxy).
    func rows() throws -> String {
      try server.sql(
        "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM quiet_rows",
        database: name)
    }

    /// Waits until no session of the database is left inside a transaction.
    func noOpenTransaction() async throws -> Bool {
      for _ in 0..<100 {
        let open = try server.sql(
          """
          SELECT count(*) FROM pg_stat_activity
          WHERE datname = '\(name)' AND state LIKE 'idle in transaction%'
          """)
        if open == "0" { return true }
        try await Task.sleep(for: .milliseconds(100))
      }
      return false
    }
  }

  @Test(.timeLimit(.minutes(1))) func aStatementOnANetworkGoneQuietEndsWithTheError() async throws {
    let quiet = try Quiet(retryWindow: .seconds(2))
    defer { quiet.proxy.stop() }
    try await quiet.database.query("SELECT 1")
    let proxy = quiet.proxy
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 0.3)
      proxy.blackhole()
    }
    let started = ContinuousClock.now
    let outcome = await Self.outcome(within: .seconds(25)) {
      _ = try quiet.database.query("SELECT pg_sleep(0.5)")
    }
    guard let outcome else {
      Issue.record("the statement never returned")
      return
    }
    // 2 s for the statement, 2 s for a new connection that gets no answer, the window's end.
    #expect(ContinuousClock.now - started < .seconds(12))
    Self.expectUnreachable(outcome, quiet.database.url)
  }

  @Test(.timeLimit(.minutes(1))) func aStatementIsSentAgainWhenTheNetworkComesBack() async throws {
    let quiet = try Quiet(retryWindow: .seconds(15))
    defer { quiet.proxy.stop() }
    try await quiet.database.query("SELECT 1")
    let proxy = quiet.proxy
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: 0.3)
      proxy.blackhole()
      Thread.sleep(forTimeInterval: 3)
      proxy.relayAgain()
    }
    let outcome = await Self.outcome(within: .seconds(25)) {
      // Committed on the first connection, whose answer is lost; sent again, it adds nothing.
      _ = try quiet.database.query(
        "INSERT INTO quiet_rows (id) SELECT 1 FROM pg_sleep(0.5) ON CONFLICT DO NOTHING")
    }
    guard let outcome else {
      Issue.record("the statement never returned")
      return
    }
    #expect(throws: Never.self) { try outcome.get() }
    #expect(try quiet.rows() == "1")
  }

  @Test(.timeLimit(.minutes(1))) func aTransactionCutByAQuietNetworkWritesNothing() async throws {
    let quiet = try Quiet(retryWindow: .seconds(2))
    defer { quiet.proxy.stop() }
    let outcome = await Self.outcome(within: .seconds(25)) {
      try quiet.database.transaction { transaction in
        try transaction.query("INSERT INTO quiet_rows (id) VALUES (1)")
        quiet.proxy.blackhole()
        try transaction.query("INSERT INTO quiet_rows (id) VALUES (2)")
      }
    }
    guard let outcome else {
      Issue.record("the transaction never returned")
      return
    }
    Self.expectUnreachable(outcome, quiet.database.url)
    #expect(try await quiet.noOpenTransaction())
    #expect(try quiet.rows() == "")
  }

  @Test(.timeLimit(.minutes(1))) func aTransactionCutByAQuietNetworkRunsAgainWhole() async throws {
    let quiet = try Quiet(retryWindow: .seconds(15))
    defer { quiet.proxy.stop() }
    let attempts = Attempts()
    let outcome = await Self.outcome(within: .seconds(25)) {
      try quiet.database.transaction { transaction in
        try transaction.query("INSERT INTO quiet_rows (id) VALUES (1)")
        if attempts.next() == 1 {
          quiet.proxy.blackhole()
          let proxy = quiet.proxy
          Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 3)
            proxy.relayAgain()
          }
        }
        try transaction.query("INSERT INTO quiet_rows (id) VALUES (2)")
      }
    }
    guard let outcome else {
      Issue.record("the transaction never returned")
      return
    }
    // A first attempt half-committed would make the second's INSERT of 1 fail.
    #expect(throws: Never.self) { try outcome.get() }
    #expect(attempts.count == 2)
    #expect(try quiet.rows() == "1,2")
  }

  /// A statement's timeout on the server is its own error, not the database gone away: it is
  /// not sent again.
  @Test(.timeLimit(.minutes(1))) func aStatementPastTheServersTimeoutIsRefusedOnce() async throws {
    let quiet = try Quiet(retryWindow: .seconds(15))
    defer { quiet.proxy.stop() }
    let started = ContinuousClock.now
    let outcome = await Self.outcome(within: .seconds(25)) {
      _ = try quiet.database.query("SELECT pg_sleep(30)")
    }
    guard case .failure(let error as TeamError)? = outcome, case .statement = error else {
      Issue.record("expected the server's refusal, got \(String(describing: outcome))")
      return
    }
    #expect(!error.isTransient)
    #expect(ContinuousClock.now - started < .seconds(5))
  }

  /// 60 s and 5 s unless `LR_TEAM_STATEMENT_TIMEOUT` says otherwise; the server gets both.
  @Test func theStatementTimeoutComesFromTheEnvironment() {
    #expect(StatementTimeout.standard(environment: [:]).deadline == .seconds(65))
    let short = StatementTimeout.standard(environment: ["LR_TEAM_STATEMENT_TIMEOUT": "1.5"])
    #expect(short == StatementTimeout(.milliseconds(1500)))
    #expect(short.description == "1.5 s (answer within 6.5 s)")
    for bad in ["", "0", "-3", "soon"] {
      let timeout = StatementTimeout.standard(environment: ["LR_TEAM_STATEMENT_TIMEOUT": bad])
      #expect(timeout.limit == .seconds(60), "\(bad)")
    }
    let settings = short.serverSettings.map { "\($0.0)=\($0.1)" }
    #expect(settings == ["statement_timeout=1500", "idle_in_transaction_session_timeout=6500"])
  }

  /// `body` run on a thread of its own: its outcome, or nil if it did not return within `limit`.
  static func outcome(
    within limit: Duration, _ body: @escaping @Sendable () throws -> Void
  ) async -> Result<Void, any Error>? {
    let box = Box()
    Thread.detachNewThread { box.set(Result { try body() }) }
    let deadline = ContinuousClock.now + limit
    while box.get() == nil, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(50))
    }
    return box.get()
  }

  /// The outcome is the usual unreachable error: transient, exit 3, the database and its server
  /// named, no password.
  static func expectUnreachable(_ outcome: Result<Void, any Error>, _ url: TeamURL) {
    guard case .failure(let error as TeamError) = outcome else {
      Issue.record("expected the team database unreachable, got \(outcome)")
      return
    }
    let text = error.description
    #expect(error.isTransient, "\(text)")
    #expect(error.exitStatus == 3)
    #expect(text.hasPrefix("the team database is unreachable: "), "\(text)")
    #expect(text.contains("database \(url.database)"), "\(text)")
    #expect(text.contains("\(url.host):\(url.port)"), "\(text)")
    #expect(!text.contains(PostgresServer.password), "\(text)")
  }

  private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<Void, any Error>?
    func set(_ result: Result<Void, any Error>) { lock.withLock { value = result } }
    func get() -> Result<Void, any Error>? { lock.withLock { value } }
  }

  private final class Attempts: @unchecked Sendable {
    private let lock = NSLock()
    private var counted = 0
    func next() -> Int {
      lock.withLock {
        counted += 1
        return counted
      }
    }
    var count: Int { lock.withLock { counted } }
  }
}
