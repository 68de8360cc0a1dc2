import Foundation
import LREngine
import LiveResponse
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// `lr query`, `lr stack`, `lr results` and `lr report` over the team database: the documented
/// views of migration v6 (schema `lr_query`), for one tenant, read-only. Each read is one
/// `READ ONLY` transaction on a watched connection of its own, with `lr.tenant` set (the views
/// show only that tenant's rows), a statement timeout, and `lr_query` first on the search path,
/// so the same query text as on SQLite reads the same views. A read whose database goes away
/// ends as ``TeamError/unreachable(_:)`` naming the database, by the timeout's deadline.
public struct PostgresResultsReader: ResultsReader {
  /// Where the database is.
  public let url: TeamURL
  /// The tenant whose runs the views show.
  public let tenant: String
  /// How long a read may run (the server's `statement_timeout`), and how long lr waits for its
  /// answer (the deadline): the journal's ``StatementTimeout``, 60 s unless
  /// `LR_TEAM_STATEMENT_TIMEOUT` says otherwise.
  public let timeout: StatementTimeout

  public init(url: TeamURL, tenant: String, timeout: StatementTimeout = .standard()) {
    self.url = url
    self.tenant = tenant
    self.timeout = timeout
  }

  /// The first words a caller's statement may start with; anything else is refused before it
  /// is sent (the read-only transaction refuses the rest).
  static let queries: Set<String> = ["SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", ""]

  public func query(
    _ sql: String, columns: ([String]) throws -> Void, row: ([JSONValue]) throws -> Void
  ) async throws {
    try JournalReader.refuseNonQueries(sql)
    let keyword = JournalReader.leadingKeyword(sql)
    guard Self.queries.contains(keyword) else { throw JournalQueryError.notReadOnly(keyword) }
    // The tenant is the transaction's setting: a statement may not choose another one.
    if sql.range(of: "set_config", options: .caseInsensitive) != nil {
      throw JournalQueryError.notReadOnly("set_config")
    }
    try await readOnly(sql: sql) { connection in
      let rows = try await connection.stream(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
      try columns(rows.columns.map(\.name))
      for try await next in rows { try row(next.map(\.json)) }
    }
  }

  public func select(_ sql: String, _ arguments: [String]) async throws -> [[JSONValue]] {
    var binds = PostgresBindings()
    for argument in arguments { binds.append(argument) }
    let query = PostgresQuery(unsafeSQL: sql, binds: binds)
    return try await readOnly(sql: sql) { connection in
      try await connection.query(query, logger: Self.logger).get().rows.map { $0.map(\.json) }
    }
  }

  static let logger = Logger(label: "lr.team.query", factory: { _ in SwiftLogNoOpLogHandler() })

  /// Runs `body` in a read-only transaction for the tenant on a new watched connection, then
  /// rolls it back and closes the connection; the connection is closed anyway at the
  /// ``timeout``'s deadline (the server's own timeout cannot be heard over a network gone
  /// quiet). The server's refusals become ``JournalQueryError``s.
  func readOnly<T>(sql: String, _ body: (WatchedConnection) async throws -> T) async throws -> T {
    let connection: WatchedConnection
    do {
      connection = try await WatchedConnection.open(
        url, id: 1, logger: Self.logger, timeout: timeout
      ).get()
    } catch {
      throw TeamError(answering: error).naming(url)
    }
    let expired = NIOLockedValueBox(false)
    let watch = connection.connection.eventLoop.scheduleTask(in: .init(timeout.deadline)) {
      expired.withLockedValue { $0 = true }
      _ = connection.close()
    }
    defer { watch.cancel() }
    do {
      try await begin(on: connection)
      let result = try await body(connection)
      _ = try await connection.query("ROLLBACK", logger: Self.logger).get()
      try await connection.close().get()
      return result
    } catch {
      try? await connection.close().get()
      if expired.withLockedValue({ $0 }) {
        throw TeamError.unreachable("no answer within \(StatementTimeout.text(timeout.deadline))")
          .naming(url)
      }
      throw Self.mapped(error, sql: sql, url: url)
    }
  }

  /// Opens the read-only transaction: the tenant and the search path (the statement timeout is
  /// the connection's, set when it opened).
  private func begin(on connection: WatchedConnection) async throws {
    _ = try await connection.query("BEGIN TRANSACTION READ ONLY", logger: Self.logger).get()
    _ = try await connection.query(
      """
      SELECT set_config('lr.tenant', \(tenant), true),
        set_config('search_path', 'lr_query, pg_catalog', true)
      """, logger: Self.logger
    ).get()
  }

  /// Whether `error` came from the connection (PostgresNIO, NIO, lr's watch), not the caller.
  static func isConnections(_ error: any Error) -> Bool {
    error is PSQLError || error is TeamError || error is ChannelError || error is IOError
      || error is EventLoopError
  }

  /// A server's refusal as the SQLite reader words it: a write in the read-only transaction, a
  /// second statement, an error with its position; a lost connection as a ``TeamError`` naming
  /// the database.
  static func mapped(_ error: any Error, sql: String, url: TeamURL) -> any Error {
    guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else {
      // The caller's own error (its row handler's) is not the database's.
      guard isConnections(error) else { return error }
      return TeamError(answering: error).naming(url)
    }
    let message = psql.serverInfo?[.message] ?? state
    switch state {
    case "25006": return JournalQueryError.notReadOnly(JournalReader.leadingKeyword(sql))
    case "42601" where message.contains("multiple commands"):
      return JournalQueryError.severalStatements
    default:
      if state.hasPrefix("08") || state.hasPrefix("57P") {
        return TeamError(answering: error).naming(url)
      }
      let offset = psql.serverInfo?[.position].flatMap { Int($0) }.map {
        String(sql.prefix(max($0 - 1, 0))).utf8.count
      }
      return JournalQueryError.invalid(message: message, sql: sql, offset: offset)
    }
  }
}
