import Foundation
import LREngine
import PostgresNIO

extension PostgresJournal {
  /// Records a command's result and its rows in one transaction, replacing what was recorded
  /// for the same command before.
  public func record(result: CommandResultRecord, rows: [ResultRowRecord]) throws {
    try database.transaction { transaction in
      try transaction.query(
        """
        DELETE FROM lr_result_row
        WHERE action_row = \(result.actionRow) AND command_index = \(result.commandIndex)
        """)
      try transaction.query(
        """
        INSERT INTO lr_command_result (tenant, action_row, command_index, run_id, type, output,
          errors, exit_code, format, format_warning, finished_at)
        VALUES (\(tenant), \(result.actionRow), \(result.commandIndex), \(result.runID),
          \(result.type), \(result.output), \(result.errors), \(result.exitCode),
          \(result.format), \(result.formatWarning), \(result.finishedAt))
        ON CONFLICT (action_row, command_index) DO UPDATE SET run_id = excluded.run_id,
          type = excluded.type, output = excluded.output, errors = excluded.errors,
          exit_code = excluded.exit_code, format = excluded.format,
          format_warning = excluded.format_warning, finished_at = excluded.finished_at
        """)
      for row in rows {
        try transaction.query(
          """
          INSERT INTO lr_result_row (tenant, run_id, action_row, machine_id, computer_name,
            command_index, n, data)
          VALUES (\(tenant), \(row.runID), \(row.actionRow), \(row.machineID),
            \(row.computerName), \(row.commandIndex), \(row.n), \(row.data))
          """)
      }
    }
  }

  /// A run's recorded command results, by action row and command.
  public func results(run id: String) throws -> [CommandResultRecord] {
    let rows = try database.query(
      """
      SELECT action_row, command_index, run_id, type, output, errors, exit_code, format,
        format_warning, finished_at
      FROM lr_command_result WHERE tenant = \(tenant) AND run_id = \(id)
      ORDER BY action_row, command_index
      """)
    return try rows.map(Self.result(from:))
  }

  /// A run's parsed rows, by action row, command and `n`.
  public func resultRows(run id: String) throws -> [ResultRowRecord] {
    let rows = try database.query(
      """
      SELECT run_id, action_row, machine_id, computer_name, command_index, n, data
      FROM lr_result_row WHERE tenant = \(tenant) AND run_id = \(id)
      ORDER BY action_row, command_index, n
      """)
    return try rows.map(Self.resultRow(from:))
  }
}
