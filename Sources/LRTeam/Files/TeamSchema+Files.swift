extension TeamSchema.Migration {
  /// Version 8: saved files (GetFile evidence, script transcripts) in the database, so that
  /// `lr results fetch` gets them back on any host (docs/team.md, "Saved files").
  ///
  /// One `lr_saved_file` row per journaled command that saved a file (its run, machine, name,
  /// the host and path that saved it, size, SHA-256, and whether it is stored or why not), and
  /// its content as 1 MiB `bytea` rows in `lr_saved_file_chunk`, written in the same transaction
  /// as the file row, so a file is seen whole or not at all. Chunks are kept `EXTERNAL` (not
  /// compressed again: evidence is often a zip already); a row removed takes its chunks with it.
  static let savedFiles = TeamSchema.Migration(
    version: 8, name: "saved files",
    sql: """
      CREATE TABLE lr_saved_file (
        tenant text NOT NULL,
        action_row bigint NOT NULL REFERENCES lr_action (id) ON DELETE CASCADE,
        command_index bigint NOT NULL,
        run_id text NOT NULL,
        machine_id text NOT NULL,
        computer_name text NOT NULL,
        name text NOT NULL,
        path text NOT NULL,
        host text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        stored boolean NOT NULL,
        note text,
        chunks bigint NOT NULL DEFAULT 0,
        saved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (action_row, command_index));
      CREATE INDEX lr_saved_file_run ON lr_saved_file (tenant, run_id);
      CREATE TABLE lr_saved_file_chunk (
        tenant text NOT NULL,
        action_row bigint NOT NULL,
        command_index bigint NOT NULL,
        n bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (action_row, command_index, n),
        FOREIGN KEY (action_row, command_index)
          REFERENCES lr_saved_file (action_row, command_index) ON DELETE CASCADE);
      ALTER TABLE lr_saved_file_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
      """)
}
