import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One connection to the team database: opened on first use, reopened after the server went away.
///
/// The journal calls it synchronously (``query(_:)``, ``transaction(_:)``: the calling thread
/// waits for the answer, as it waits for SQLite's disk); the budget and `lr watch` call it
/// asynchronously. Statements go out in the order they were given: a transaction holds the
/// connection until it commits, so no other caller's statement lands inside it. Every statement
/// waits ``statementTimeout``'s deadline at most for its answer (a network gone quiet), then its
/// connection is closed and counts as lost. Once the server was reached, a synchronous statement
/// or transaction that finds it away (killed, restarting, quiet) is tried again on a new
/// connection for ``retryWindow`` after the first failure; every write is idempotent. An error
/// of an unreachable server names the database and its server.
public final class TeamDatabase: @unchecked Sendable {
  /// Where the database is.
  public let url: TeamURL
  /// How long a statement is tried again, from its first failure, while the server, once
  /// reached, is away.
  public let retryWindow: Duration
  /// How long one statement may take before its connection counts as lost.
  public let statementTimeout: StatementTimeout
  private let lock = NSLock()
  private var connection: WatchedConnection?
  private var nextID = 1
  private var reached = false
  private let logger = Logger(label: "lr.team", factory: { _ in SwiftLogNoOpLogHandler() })

  /// A handle on the database; nothing is opened until the first statement.
  public init(
    url: TeamURL, retryWindow: Duration = .seconds(30),
    statementTimeout: StatementTimeout = .standard()
  ) {
    self.url = url
    self.retryWindow = retryWindow
    self.statementTimeout = statementTimeout
  }

  /// Connects now and brings the schema up to date: a wrong password, an unreachable server or a
  /// newer schema is reported here, before anything is sent to the service.
  public static func open(
    _ url: TeamURL, retryWindow: Duration = .seconds(30),
    statementTimeout: StatementTimeout = .standard()
  ) throws(TeamError) -> TeamDatabase {
    let database = TeamDatabase(
      url: url, retryWindow: retryWindow, statementTimeout: statementTimeout)
    try TeamSchema.migrate(database)
    return database
  }

  /// Runs one statement and returns its rows.
  @discardableResult
  public func query(_ statement: PostgresQuery) throws(TeamError) -> [PostgresRow] {
    try retrying { () throws(TeamError) -> [PostgresRow] in try queryOnce(statement) }
  }

  /// Runs one statement once, not again on a lost connection (a write that is not idempotent).
  @discardableResult
  public func queryOnce(_ statement: PostgresQuery) throws(TeamError) -> [PostgresRow] {
    lock.lock()
    defer { lock.unlock() }
    return try run(statement, on: try openConnection())
  }

  /// Runs one statement without blocking the calling task.
  @discardableResult
  public func query(_ statement: PostgresQuery) async throws(TeamError) -> [PostgresRow] {
    let future = try send(statement)
    do {
      return Array(try await future.get().rows)
    } catch {
      throw lost(error)
    }
  }

  /// Sends a statement in turn (after any transaction in progress) without waiting for it.
  private func send(_ statement: PostgresQuery) throws(TeamError) -> EventLoopFuture<
    PostgresQueryResult
  > {
    lock.lock()
    defer { lock.unlock() }
    return try openConnection().query(statement, logger: logger)
  }

  /// Runs `body` in one transaction (BEGIN … COMMIT; ROLLBACK if it throws), again while the
  /// server is away (``retryWindow``).
  public func transaction<T>(_ body: (Transaction) throws -> T) throws -> T {
    try retrying { try transactionOnce(body) }
  }

  /// Runs `body` in one transaction, once.
  private func transactionOnce<T>(_ body: (Transaction) throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    let connection = try openConnection()
    try run("BEGIN", on: connection)
    do {
      let result = try body(Transaction(database: self, connection: connection))
      try run("COMMIT", on: connection)
      return result
    } catch {
      _ = try? run("ROLLBACK", on: connection)
      throw error
    }
  }

  /// Statements inside ``TeamDatabase/transaction(_:)``.
  public struct Transaction {
    fileprivate let database: TeamDatabase
    fileprivate let connection: WatchedConnection

    /// Runs one statement of the transaction.
    @discardableResult
    public func query(_ statement: PostgresQuery) throws(TeamError) -> [PostgresRow] {
      try database.run(statement, on: connection)
    }

    /// Runs several statements (a migration), one after the other.
    public func script(_ sql: String) throws(TeamError) {
      for statement in SQLScript.statements(sql) {
        try database.run(PostgresQuery(unsafeSQL: statement), on: connection)
      }
    }
  }

  /// Closes the connection (the next statement opens a new one).
  public func close() {
    lock.lock()
    let open = connection
    connection = nil
    lock.unlock()
    _ = try? open?.close().wait()
  }

  deinit {
    _ = try? connection?.close().wait()
  }

  /// Runs `body`, again while it fails because the server is away, if the server was reached
  /// before and ``retryWindow`` has not passed since the first failure (which may have waited a
  /// statement's whole deadline); other errors pass at once.
  private func retrying<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    let clock = ContinuousClock()
    var deadline: ContinuousClock.Instant?
    var pause: TimeInterval = 0.2
    while true {
      do {
        return try body()
      } catch {
        let transient = (error as? TeamError)?.isTransient == true
        guard transient, lock.withLock({ reached }) else { throw error }
        let end = deadline ?? clock.now + retryWindow
        deadline = end
        guard clock.now < end else { throw error }
        Thread.sleep(forTimeInterval: pause)
        pause = min(pause * 2, 2)
      }
    }
  }

  /// The open connection, or a new one (the lock is held).
  private func openConnection() throws(TeamError) -> WatchedConnection {
    if let connection, !connection.isClosed { return connection }
    connection = nil
    do {
      let watched = try WatchedConnection.open(
        url, id: nextID, logger: logger, timeout: statementTimeout
      ).wait()
      nextID += 1
      reached = true
      connection = watched
      return watched
    } catch {
      throw TeamError(answering: error).naming(url)
    }
  }

  /// Runs a statement on `connection` (the lock is held), forgetting the connection if it was
  /// lost.
  @discardableResult
  fileprivate func run(_ statement: PostgresQuery, on connection: WatchedConnection)
    throws(TeamError) -> [PostgresRow]
  {
    do {
      return Array(try connection.query(statement, logger: logger).wait().rows)
    } catch {
      throw lost(error, locked: true)
    }
  }

  /// Maps a statement's error; a lost connection is dropped so the next statement reconnects.
  /// `locked`: the caller holds the lock already (NSLock is not recursive).
  private func lost(_ error: any Error, locked: Bool = false) -> TeamError {
    let mapped = TeamError(answering: error).naming(url)
    guard mapped.isTransient else { return mapped }
    if locked {
      if connection?.isClosed != false { connection = nil }
    } else {
      lock.withLock { if connection?.isClosed != false { connection = nil } }
    }
    return mapped
  }
}
