import Foundation
import GRDB

/// A completed RunScript or GetFile command's result as data (journal v5, `commandResult`): the
/// script's cleaned output, standard error and exit code, the format its output was parsed as,
/// and when the command finished. The raw transcript stays the saved file (`command.resultPath`).
public struct CommandResultRecord: Codable, Sendable, Equatable, FetchableRecord,
  PersistableRecord
{
  public static let databaseTableName = "commandResult"
  public var actionRow: Int64
  public var commandIndex: Int
  public var runID: String
  /// `RunScript` or `GetFile`.
  public var type: String
  /// The script's standard output without the transcript's noise (nil for GetFile).
  public var output: String?
  /// The script's standard error (nil for GetFile).
  public var errors: String?
  public var exitCode: Int?
  /// `json`, `csv`, `table`, `list` or `text` (nil for GetFile).
  public var format: String?
  /// Why the output fell back to text (declared a format it does not have, or broken JSON).
  public var formatWarning: String?
  public var finishedAt: Date

  public init(
    actionRow: Int64, commandIndex: Int, runID: String, type: String, output: String? = nil,
    errors: String? = nil, exitCode: Int? = nil, format: String? = nil,
    formatWarning: String? = nil, finishedAt: Date
  ) {
    self.actionRow = actionRow
    self.commandIndex = commandIndex
    self.runID = runID
    self.type = type
    self.output = output
    self.errors = errors
    self.exitCode = exitCode
    self.format = format
    self.formatWarning = formatWarning
    self.finishedAt = finishedAt
  }
}

/// One parsed row of a command's result (journal v5, `resultRow`): `data` is the row as a JSON
/// object, so SQLite's JSON functions work on it; `n` counts a command's rows from 0.
public struct ResultRowRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
  public static let databaseTableName = "resultRow"
  public var runID: String
  public var actionRow: Int64
  public var machineID: String
  public var computerName: String
  public var commandIndex: Int
  public var n: Int
  public var data: String

  public init(
    runID: String, actionRow: Int64, machineID: String, computerName: String, commandIndex: Int,
    n: Int, data: String
  ) {
    self.runID = runID
    self.actionRow = actionRow
    self.machineID = machineID
    self.computerName = computerName
    self.commandIndex = commandIndex
    self.n = n
    self.data = data
  }
}

extension Journal {
  /// Records a command's result and its rows in one transaction, replacing what was recorded
  /// for the same command before (`lr resume` may record a result again). The rows go through
  /// one prepared statement.
  public func record(result: CommandResultRecord, rows: [ResultRowRecord]) throws {
    try pool.write { db in
      try db.execute(
        sql: "DELETE FROM resultRow WHERE actionRow = ? AND commandIndex = ?",
        arguments: [result.actionRow, result.commandIndex])
      try result.save(db)
      let insert = try db.cachedStatement(
        sql: """
          INSERT INTO resultRow (runID, actionRow, machineID, computerName, commandIndex, n, data)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """)
      for row in rows {
        try insert.execute(arguments: [
          row.runID, row.actionRow, row.machineID, row.computerName, row.commandIndex, row.n,
          row.data,
        ])
      }
    }
  }

  /// A run's recorded command results, by action row and command.
  public func results(run id: String) throws -> [CommandResultRecord] {
    try pool.read { db in
      try CommandResultRecord.filter(Column("runID") == id)
        .order(Column("actionRow"), Column("commandIndex")).fetchAll(db)
    }
  }

  /// A run's parsed rows, by action row, command and `n`.
  public func resultRows(run id: String) throws -> [ResultRowRecord] {
    try pool.read { db in
      try ResultRowRecord.filter(Column("runID") == id)
        .order(Column("actionRow"), Column("commandIndex"), Column("n")).fetchAll(db)
    }
  }
}
