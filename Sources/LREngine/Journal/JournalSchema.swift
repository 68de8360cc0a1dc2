import GRDB

/// The documented, versioned, read-only SQL schema of the journal (docs/results.md): views with
/// stable column names over the tables, which may change. Times are ISO 8601 UTC text, statuses
/// the service's values, `command_index` counts from 1 across a statement's requests on a machine
/// (as result files are numbered). Created by journal migration `v6`.
public enum JournalSchema {
  /// The schema's version (`SELECT version FROM schema_version`). It goes up when a view loses a
  /// column or a column changes meaning; adding a column keeps it.
  public static let version = 1

  /// The `results` view's columns, in order.
  public static let resultColumns = [
    "run", "machine", "machine_id", "action_id", "command_index", "command", "status",
    "exit_code", "output", "errors", "path", "size", "sha256", "finished", "statement", "type",
    "action_status", "format",
  ]

  /// An ISO 8601 UTC text of a GRDB date column (`2026-12-06T09:07:59.123Z`).
  static func iso(_ column: String) -> String {
    "strftime('%Y-%m-%dT%H:%M:%fZ', \(column))"
  }

  /// The command's number across its statement's requests on one machine, from 1.
  static func commandNumber(_ index: String) -> String {
    """
    \(index) + 1 + COALESCE((SELECT SUM(json_array_length(p.body, '$.Commands'))
      FROM action p WHERE p.runID = a.runID AND p.statement = a.statement
      AND p.machineID = a.machineID AND p.requestIndex < a.requestIndex), 0)
    """
  }

  /// Migration `v6`: who ran each run (a new `run.who` column) and the views.
  static func migrate(_ db: Database) throws {
    try db.alter(table: "run") { t in t.add(column: "who", .text) }
    try db.execute(sql: "CREATE VIEW schema_version AS SELECT \(version) AS version")
    try db.execute(
      sql: """
        CREATE VIEW runs AS SELECT id AS run, sourcePath AS source, \(iso("createdAt")) AS started,
          \(iso("finishedAt")) AS finished, state, who, profile, tenant, resumes
        FROM run
        """)
    try db.execute(
      sql: """
        CREATE VIEW targets AS SELECT runID AS run, statement, computerName AS machine,
          machineID AS machine_id, position + 1 AS position
        FROM target
        """)
    try db.execute(sql: resultsView)
    try db.execute(sql: rowsView)
  }

  /// `results`: one row per command of every action.
  static let resultsView = """
    CREATE VIEW results AS SELECT a.runID AS run, a.computerName AS machine,
      a.machineID AS machine_id, a.actionID AS action_id, \(commandNumber("c.commandIndex")) AS command_index,
      c.type || COALESCE(' ' || (SELECT group_concat(json_extract(p.value, '$.value'), ' ')
        FROM json_each(a.body, '$.Commands[' || c.commandIndex || '].params') p), '') AS command,
      c.status, COALESCE(c.exitCode, r.exitCode) AS exit_code, r.output,
      COALESCE(r.errors, c.errors) AS errors, c.resultPath AS path, c.resultSize AS size,
      c.resultSHA256 AS sha256, \(iso("r.finishedAt")) AS finished, a.statement, c.type,
      a.status AS action_status, r.format
    FROM command c JOIN action a ON a.id = c.actionRow
    LEFT JOIN commandResult r ON r.actionRow = c.actionRow AND r.commandIndex = c.commandIndex
    """

  /// `rows`: one row per parsed output row (a GetFile result is one row), `data` a JSON object.
  static let rowsView = """
    CREATE VIEW rows AS SELECT w.runID AS run, w.computerName AS machine,
      w.machineID AS machine_id, \(commandNumber("w.commandIndex")) AS command_index, w.n, w.data, a.actionID AS action_id, a.statement
    FROM resultRow w JOIN action a ON a.id = w.actionRow
    """
}
