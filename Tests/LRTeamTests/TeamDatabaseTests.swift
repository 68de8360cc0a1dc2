import Foundation
import LRTestSupport
import PostgresNIO
import Testing

@testable import LRTeam

/// The team database's connection, schema and errors, against a real PostgreSQL started here.
@Suite struct TeamDatabaseTests {
  @Test func opensAndMigratesAnEmptyDatabase() throws {
    let server = try PostgresServer.shared()
    let database = try TeamDatabase.open(TeamURL(try server.makeDatabase()))
    #expect(try TeamSchema.version(of: database) == TeamSchema.currentVersion)
    // A second open (another process starting) finds it migrated and changes nothing.
    let again = try TeamDatabase.open(database.url)
    #expect(try TeamSchema.version(of: again) == TeamSchema.currentVersion)
    let count = try again.query("SELECT count(*) FROM lr_schema").first?.decode(Int.self)
    #expect(count == TeamSchema.migrations.count)
  }

  @Test func aNewerSchemaIsRefused() throws {
    let server = try PostgresServer.shared()
    let url = try TeamURL(try server.makeDatabase())
    let database = try TeamDatabase.open(url)
    try database.query("INSERT INTO lr_schema (version, name) VALUES (999, 'from the future')")
    #expect(throws: TeamError.newerSchema(found: 999, known: TeamSchema.currentVersion)) {
      try TeamDatabase.open(url)
    }
  }

  @Test func aWrongPasswordIsAnAuthenticationError() throws {
    let server = try PostgresServer.shared()
    let good = try server.makeDatabase()
    let url = try TeamURL(good.replacingOccurrences(of: PostgresServer.password, with: "wrong"))
    do {
      _ = try TeamDatabase.open(url)
      Issue.record("opened with a wrong password")
    } catch {
      guard case .authentication(let why) = error else {
        Issue.record("expected an authentication error, got \(error)")
        return
      }
      #expect(!why.contains("wrong"))
      #expect(error.exitStatus == 3)
    }
  }

  @Test func aClosedPortIsUnreachable() throws {
    let (fd, port) = try LoopbackSocket.listen()
    close(fd)
    let url = try TeamURL("postgres://lr:x@127.0.0.1:\(port)/lr")
    do {
      _ = try TeamDatabase.open(url)
      Issue.record("opened a closed port")
    } catch {
      #expect(error.isTransient, "\(error)")
    }
  }

  @Test func badURLsAreExplained() {
    for text in [
      "mysql://u@h/db", "postgres://h/db", "postgres://u@h", "postgres://u@h:70000/db", "nonsense",
      "postgres://u@h/db?sslmode=sometimes",
    ] {
      #expect(throws: TeamError.self) { try TeamURL(text, environment: [:]) }
    }
    let url = try? TeamURL("postgres://ana:s3cret@db.example:6543/soc", environment: [:])
    #expect(url?.description == "postgres://ana:•••@db.example:6543/soc")
    #expect(url?.password == "s3cret")
    let fromEnvironment = try? TeamURL(
      "postgres://ana@db.example/soc", environment: ["PGPASSWORD": "p"])
    #expect(fromEnvironment?.password == "p")
    #expect(fromEnvironment?.port == 5432)
  }

  @Test func aRestartedServerIsReconnectedTo() throws {
    let server = try PostgresServer()
    try server.start()
    defer { server.stop() }
    let database = try TeamDatabase.open(
      TeamURL(try server.makeDatabase()), retryWindow: .seconds(2))
    try server.restart()
    // The first statement after the restart finds the old connection gone and reconnects.
    #expect(try database.query("SELECT 1").first?.decode(Int.self) == 1)
    server.kill9()
    // Away for longer than the retry window: the statement fails, as transient.
    #expect(throws: TeamError.self) { try database.query("SELECT 1") }
    try server.start()
    #expect(try database.query("SELECT 2").first?.decode(Int.self) == 2)
  }

  /// A connection that dies inside a transaction (the server killed or restarted) fails the
  /// transaction's ROLLBACK at once, not never, and the transaction runs again on a new
  /// connection within the retry window (the hang and the exit 3 of issue 14 item 7).
  @Test func aTransactionWhoseConnectionDiesRunsAgain() async throws {
    let server = try PostgresServer.shared()
    let database = try TeamDatabase.open(TeamURL(try server.makeDatabase()))
    let outcome = TransactionOutcome()
    Thread.detachNewThread {
      let result = Result {
        try database.transaction { transaction -> Int in
          if outcome.attempt() == 1 {
            do {
              try transaction.query("SELECT pg_terminate_backend(pg_backend_pid())")
            } catch {
              // Time for the connection to close: the ROLLBACK is written to a closed channel.
              Thread.sleep(forTimeInterval: 0.5)
              throw error
            }
          }
          return try transaction.query("SELECT 7").first?.decode(Int.self) ?? 0
        }
      }
      outcome.finish(result)
    }
    let deadline = ContinuousClock.now + .seconds(20)
    while outcome.result == nil, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    guard let result = outcome.result else {
      Issue.record("the transaction never returned")
      return
    }
    #expect(try result.get() == 7)
    #expect(outcome.attempts == 2)
  }
}

/// What the transaction of ``TeamDatabaseTests/aTransactionWhoseConnectionDiesRunsAgain()`` did.
private final class TransactionOutcome: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  private var ended: Result<Int, any Error>?

  /// Counts an attempt; returns its number.
  func attempt() -> Int {
    lock.withLock {
      count += 1; return count
    }
  }
  var attempts: Int { lock.withLock { count } }
  var result: Result<Int, any Error>? { lock.withLock { ended } }
  func finish(_ result: Result<Int, any Error>) { lock.withLock { ended = result } }
}
