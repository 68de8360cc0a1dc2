import LiveResponse

/// `lr results`: a run's results as flat records for tickets and SIEMs, one per parsed row (with
/// its `n` and `data`), and one for a command with no parsed rows (with its `output` and
/// `errors`). Every record carries the run, machine name and id, action id, command and times
/// (ISO 8601 UTC); a field without a value is left out, never null, so each field has one type.
public enum ResultExport {
  /// The fields in the order records carry them (`data` is an object; the rest are scalars).
  public static let fields = [
    "run", "run_started", "machine", "machine_id", "action_id", "statement", "command_index",
    "command", "type", "status", "exit_code", "finished", "n", "data", "output", "errors", "path",
    "size", "sha256",
  ]

  /// The run's records, by machine, command and row (the same statement for either journal).
  public static func records(run: String, in reader: any ResultsReader) async throws
    -> [JSONValue]
  {
    let rows = try await reader.select(
      """
      SELECT r.run, u.started AS run_started, r.machine, r.machine_id, r.action_id,
        r.statement, r.command_index, r.command, r.type, r.status, r.exit_code, r.finished,
        w.n, w.data,
        CASE WHEN w.n IS NULL THEN r.output END AS output,
        CASE WHEN w.n IS NULL THEN r.errors END AS errors,
        r.path, r.size, r.sha256
      FROM results r JOIN runs u ON u.run = r.run
      LEFT JOIN rows w ON w.action_id = r.action_id AND w.command_index = r.command_index
        AND w.machine_id = r.machine_id
      WHERE r.run = $1
      ORDER BY r.machine, r.machine_id, r.statement, r.command_index, w.n
      """, [run])
    return rows.map { record(Dictionary(uniqueKeysWithValues: zip(fields, $0))) }
  }

  /// One database row as a record: absent values left out, `data` parsed into an object.
  static func record(_ row: [String: JSONValue]) -> JSONValue {
    var members: [(String, JSONValue)] = []
    for field in fields {
      let value = row[field] ?? .null
      if value == .null { continue }
      if field == "data", let text = value.stringValue, let object = JSONValue.parse(text) {
        members.append((field, object))
      } else {
        members.append((field, value))
      }
    }
    return .object(members)
  }
}
