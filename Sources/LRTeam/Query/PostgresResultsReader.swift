import Foundation
import LREngine
import LiveResponse
import Logging
import PostgresNIO

/// `lr query`, `lr stack`, `lr results` and `lr report` over the team database: the documented
/// views of migration v6 (schema `lr_query`), for one tenant, read-only. Each read is one
/// `READ ONLY` transaction on a connection of its own, with `lr.tenant` set (the views show only
/// that tenant's rows), a statement timeout, and `lr_query` first on the search path, so the
/// same query text as on SQLite reads the same views.
public struct PostgresResultsReader: ResultsReader {
  /// Where the database is.
  public let url: TeamURL
  /// The tenant whose runs the views show.
  public let tenant: String
  /// How long one statement may run (`statement_timeout`).
  public let timeout: Duration

  public init(url: TeamURL, tenant: String, timeout: Duration = .seconds(60)) {
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
      let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
      try columns(rows.columns.map(\.name))
      for try await next in rows { try row(next.map(\.json)) }
    }
  }

  public func select(_ sql: String, _ arguments: [String]) async throws -> [[JSONValue]] {
    var binds = PostgresBindings()
    for argument in arguments { binds.append(argument) }
    let query = PostgresQuery(unsafeSQL: sql, binds: binds)
    return try await readOnly(sql: sql) { connection in
      try await connection.query(query, logger: Self.logger).collect().map { $0.map(\.json) }
    }
  }

  static let logger = Logger(label: "lr.team.query", factory: { _ in SwiftLogNoOpLogHandler() })

  /// Runs `body` in a read-only transaction for the tenant on a new connection, then rolls it
  /// back and closes the connection; the server's refusals become ``JournalQueryError``s.
  func readOnly<T>(sql: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
    let connection: PostgresConnection
    do {
      connection = try await PostgresConnection.connect(
        configuration: try url.connectionConfiguration(), id: 1, logger: Self.logger)
    } catch {
      throw TeamError(connecting: error, to: url)
    }
    do {
      let milliseconds = String(timeout.components.seconds * 1000)
      _ = try await connection.query("BEGIN TRANSACTION READ ONLY", logger: Self.logger).collect()
      _ = try await connection.query(
        """
        SELECT set_config('lr.tenant', \(tenant), true),
          set_config('statement_timeout', \(milliseconds), true),
          set_config('search_path', 'lr_query, pg_catalog', true)
        """, logger: Self.logger
      ).collect()
      let result = try await body(connection)
      _ = try await connection.query("ROLLBACK", logger: Self.logger).collect()
      try await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw Self.mapped(error, sql: sql)
    }
  }

  /// A server's refusal as the SQLite reader words it: a write in the read-only transaction, a
  /// second statement, an error with its position; a lost connection as a ``TeamError``.
  static func mapped(_ error: any Error, sql: String) -> any Error {
    guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else {
      return TeamError(answering: error)
    }
    let message = psql.serverInfo?[.message] ?? state
    switch state {
    case "25006": return JournalQueryError.notReadOnly(JournalReader.leadingKeyword(sql))
    case "42601" where message.contains("multiple commands"):
      return JournalQueryError.severalStatements
    default:
      if state.hasPrefix("08") || state.hasPrefix("57P") { return TeamError(answering: error) }
      let offset = psql.serverInfo?[.position].flatMap { Int($0) }.map {
        String(sql.prefix(max($0 - 1, 0))).utf8.count
      }
      return JournalQueryError.invalid(message: message, sql: sql, offset: offset)
    }
  }
}
