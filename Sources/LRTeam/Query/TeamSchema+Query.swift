extension TeamSchema.Migration {
  /// Version 6: the journal's documented read-only views (docs/results.md) over the team tables,
  /// in the schema `lr_query`, each showing only the tenant the reading transaction names
  /// (`lr.tenant`, set by ``PostgresResultsReader``; unset, they refuse to read). Text columns
  /// compare bytewise (`COLLATE "C"`) and times are ISO 8601 UTC text, as in SQLite, so the same
  /// query orders and prints alike. `json_extract(data, '$.Name')` is provided for the paths
  /// SQLite scripts use most (`$` and `$.a.b`).
  static let queryViews = TeamSchema.Migration(
    version: 6, name: "documented query views",
    sql: """
      CREATE SCHEMA lr_query;
      CREATE FUNCTION lr_query.iso(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
      CREATE FUNCTION lr_query.command_number(
        tenant text, run text, stmt bigint, machine text, request bigint, command bigint)
      RETURNS bigint LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
        SELECT (command + 1 + COALESCE((SELECT sum(json_array_length(p.body::json -> 'Commands'))
          FROM lr_action p WHERE p.tenant = $1 AND p.run_id = $2 AND p.statement = $3
          AND p.machine_id = $4 AND p.request_index < $5), 0))::bigint $$;
      CREATE FUNCTION lr_query.json_extract(data json, path text) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN path = '$' THEN data::text
          WHEN path LIKE '$.%' THEN data #>> string_to_array(substr(path, 3), '.') END $$;
      CREATE FUNCTION lr_query.json_extract(data text, path text) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$ SELECT lr_query.json_extract(data::json, path) $$;
      CREATE VIEW lr_query.schema_version AS SELECT 1::bigint AS version;
      CREATE VIEW lr_query.runs AS SELECT id COLLATE "C" AS run, source_path COLLATE "C" AS source,
        lr_query.iso(created_at) COLLATE "C" AS started,
        lr_query.iso(finished_at) COLLATE "C" AS finished, state COLLATE "C" AS state,
        who COLLATE "C" AS who, profile COLLATE "C" AS profile, tenant COLLATE "C" AS tenant,
        resumes
      FROM lr_run WHERE tenant = current_setting('lr.tenant');
      CREATE VIEW lr_query.targets AS SELECT run_id COLLATE "C" AS run, statement,
        computer_name COLLATE "C" AS machine, machine_id COLLATE "C" AS machine_id,
        position + 1 AS position
      FROM lr_target WHERE tenant = current_setting('lr.tenant');
      CREATE VIEW lr_query.results AS SELECT a.run_id COLLATE "C" AS run,
        a.computer_name COLLATE "C" AS machine, a.machine_id COLLATE "C" AS machine_id,
        a.action_id COLLATE "C" AS action_id,
        lr_query.command_number(a.tenant, a.run_id, a.statement, a.machine_id, a.request_index,
          c.command_index) AS command_index,
        (c.type || COALESCE(' ' || (SELECT string_agg(p.value ->> 'value', ' ' ORDER BY p.n)
          FROM json_array_elements(a.body::json -> 'Commands' -> c.command_index::int -> 'params')
            WITH ORDINALITY AS p (value, n)), '')) COLLATE "C" AS command,
        c.status COLLATE "C" AS status, COALESCE(c.exit_code, r.exit_code) AS exit_code,
        r.output COLLATE "C" AS output, COALESCE(r.errors, c.errors) COLLATE "C" AS errors,
        c.result_path COLLATE "C" AS path, c.result_size AS size,
        c.result_sha256 COLLATE "C" AS sha256, lr_query.iso(r.finished_at) COLLATE "C" AS finished,
        a.statement, c.type COLLATE "C" AS type, a.status COLLATE "C" AS action_status,
        r.format COLLATE "C" AS format
      FROM lr_command c JOIN lr_action a ON a.id = c.action_row
      LEFT JOIN lr_command_result r ON r.action_row = c.action_row
        AND r.command_index = c.command_index
      WHERE a.tenant = current_setting('lr.tenant');
      CREATE VIEW lr_query.rows AS SELECT w.run_id COLLATE "C" AS run,
        w.computer_name COLLATE "C" AS machine, w.machine_id COLLATE "C" AS machine_id,
        lr_query.command_number(a.tenant, a.run_id, a.statement, a.machine_id, a.request_index,
          w.command_index) AS command_index,
        w.n, w.data::json AS data, a.action_id COLLATE "C" AS action_id, a.statement
      FROM lr_result_row w JOIN lr_action a ON a.id = w.action_row
      WHERE w.tenant = current_setting('lr.tenant');
      """)
}
