import Foundation
import GRDB
import GRDBSQLite
import LiveResponse

/// The journal opened read-only for `lr query`, `lr stack`, `lr results` and `lr report`: SQLite's
/// read-only open, `PRAGMA query_only`, and only statements SQLite itself calls read-only. The
/// schema scripts read is ``JournalSchema`` (views `runs`, `results`, `rows`, …).
public final class JournalReader: ResultsReader {
  let queue: DatabaseQueue
  /// The database file.
  public let url: URL

  /// Opens the journal at `url` read-only. A journal of an older schema is first migrated (the
  /// one write, once); a missing one is created empty. A current journal is never opened for
  /// writing, so reading it changes no byte of the file.
  public init(url: URL) throws {
    self.url = url
    if FileManager.default.fileExists(atPath: url.path) {
      let queue = try JournalReader.openReadOnly(url)
      if try queue.read({ db in try Journal.migrator.hasCompletedMigrations(db) }) {
        self.queue = queue
        return
      }
    }
    _ = try Journal(url: url)
    queue = try JournalReader.openReadOnly(url)
  }

  /// SQLite's read-only open, with `PRAGMA query_only` on the connection.
  static func openReadOnly(_ url: URL) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
    return try DatabaseQueue(path: url.path, configuration: configuration)
  }

  /// Runs one read-only SQL statement, handing over its column names, then each row as it is
  /// read (so a large result is never held in memory).
  public func query(
    _ sql: String, columns: ([String]) throws -> Void, row: ([JSONValue]) throws -> Void
  ) throws {
    try JournalReader.refuseNonQueries(sql)
    try queue.read { db in
      let statement = try JournalReader.prepare(sql, in: db)
      guard statement.isReadonly else {
        throw JournalQueryError.notReadOnly(JournalReader.leadingKeyword(sql))
      }
      let names = statement.columnNames
      try columns(names)
      let cursor = try Row.fetchCursor(statement)
      while let next = try cursor.next() {
        try row((0..<names.count).map { JournalReader.cell(next[$0] as DatabaseValue) })
      }
    }
  }

  /// Runs one of lr's own statements with text arguments (`$1`, `$2`, …) and returns its rows.
  public func select(_ sql: String, _ arguments: [String]) throws -> [[JSONValue]] {
    try queue.read { db in
      let statement = try db.makeStatement(sql: sql)
      let rows = try Row.fetchAll(statement, arguments: StatementArguments(arguments))
      return rows.map { row in
        (0..<row.count).map { JournalReader.cell(row[$0] as DatabaseValue) }
      }
    }
  }

  /// Prepares one statement; SQLite's message and the byte offset of the error when it fails.
  static func prepare(_ sql: String, in db: Database) throws -> Statement {
    do {
      return try db.makeStatement(sql: sql)
    } catch let error as DatabaseError {
      if error.resultCode == .SQLITE_MISUSE {
        throw JournalQueryError.severalStatements
      }
      let offset = db.sqliteConnection.map { Int(sqlite3_error_offset($0)) } ?? -1
      throw JournalQueryError.invalid(
        message: error.message ?? "\(error)", sql: sql, offset: offset >= 0 ? offset : nil)
    }
  }

  /// Refuses what SQLite counts as read-only but is not a query: `ATTACH`, `DETACH`,
  /// transactions and savepoints, and `PRAGMA` assignments.
  public static func refuseNonQueries(_ sql: String) throws {
    let keyword = leadingKeyword(sql)
    let refused = [
      "ATTACH", "DETACH", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE",
    ]
    if refused.contains(keyword) { throw JournalQueryError.notReadOnly(keyword) }
    if keyword == "PRAGMA", sql.contains("=") || !readPragmas.contains(pragmaName(sql)) {
      throw JournalQueryError.notReadOnly(keyword)
    }
    if keyword == "VACUUM" || keyword == "REINDEX" || keyword == "ANALYZE" {
      throw JournalQueryError.notReadOnly(keyword)
    }
  }

  /// The pragmas that only read (`PRAGMA user_version`, `PRAGMA table_info(results)`, …).
  static let readPragmas: Set<String> = [
    "user_version", "schema_version", "table_info", "table_xinfo", "table_list", "index_list",
    "index_info", "index_xinfo", "foreign_key_list", "database_list", "collation_list",
    "function_list", "pragma_list", "compile_options", "encoding", "page_count", "page_size",
    "freelist_count", "data_version", "application_id", "journal_mode", "integrity_check",
    "quick_check", "foreign_key_check",
  ]

  /// The name after `PRAGMA` (lower-cased, without a `main.` schema).
  static func pragmaName(_ sql: String) -> String {
    guard let range = sql.range(of: "pragma", options: .caseInsensitive) else { return "" }
    var name = sql[range.upperBound...].drop { $0.isWhitespace }
      .prefix { $0.isLetter || $0 == "_" || $0 == "." }.lowercased()
    if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
    return name
  }

  /// The statement's first word, upper-cased (comments and blanks skipped).
  public static func leadingKeyword(_ sql: String) -> String {
    var rest = Substring(sql)
    while true {
      rest = rest.drop { $0.isWhitespace }
      if rest.hasPrefix("--") {
        rest = rest.drop { $0 != "\n" }
      } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
        rest = rest[end.upperBound...]
      } else {
        break
      }
    }
    return String(rest.prefix { $0.isLetter }).uppercased()
  }

  /// A database value as a JSON scalar.
  static func cell(_ value: DatabaseValue) -> JSONValue {
    switch value.storage {
    case .null: .null
    case .int64(let number): .number(Int(number))
    case .double(let number): .double(number)
    case .string(let text): .string(text)
    case .blob(let data): .string(data.base64EncodedString())
    }
  }
}

/// What a query returned: its column names and rows of JSON scalars.
public struct QueryResult: Sendable, Equatable {
  public var columns: [String]
  public var rows: [[JSONValue]]

  public init(columns: [String], rows: [[JSONValue]]) {
    self.columns = columns
    self.rows = rows
  }
}
