extension TeamSchema.Migration {
  /// Version 2: the journal (runs, targets, actions, commands, results and their rows), the
  /// audit heads the journal protocol records (`lr_audit_chain`, `lr_audit_head`) and the team's
  /// own audit chain (`lr_audit_entry`, its head per tenant in `lr_audit_tip`), every row under
  /// its tenant.
  ///
  /// Action rows are numbered across tenants (`bigserial`) and tokens are unique across the
  /// database: a plan inserted again after a lost answer finds its row by token
  /// (`ON CONFLICT (token)`) instead of being inserted twice.
  static let journal = TeamSchema.Migration(
    version: 2, name: "journal and audit chain",
    sql: """
      CREATE TABLE lr_run (
        tenant text NOT NULL REFERENCES lr_tenant (tenant),
        id text NOT NULL,
        created_at timestamptz NOT NULL,
        source_path text NOT NULL,
        source_text text NOT NULL,
        modules text NOT NULL DEFAULT '{}',
        profile text NOT NULL,
        results_directory text NOT NULL,
        state text NOT NULL,
        finished_at timestamptz,
        resumes bigint NOT NULL DEFAULT 0,
        parent_run text,
        who text,
        rollout text,
        pause_reason text,
        PRIMARY KEY (tenant, id));
      CREATE INDEX lr_run_created ON lr_run (tenant, created_at DESC);
      CREATE TABLE lr_target (
        tenant text NOT NULL,
        run_id text NOT NULL,
        statement bigint NOT NULL,
        machine_id text NOT NULL,
        computer_name text NOT NULL,
        position bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant, run_id, statement, machine_id),
        FOREIGN KEY (tenant, run_id) REFERENCES lr_run (tenant, id) ON DELETE CASCADE);
      CREATE TABLE lr_action (
        id bigserial PRIMARY KEY,
        tenant text NOT NULL,
        run_id text NOT NULL,
        statement bigint NOT NULL,
        request_index bigint NOT NULL,
        machine_id text NOT NULL,
        computer_name text NOT NULL,
        token text NOT NULL UNIQUE,
        body text NOT NULL,
        state text NOT NULL,
        action_id text,
        status text,
        error text,
        reconciliation text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        submitted_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        FOREIGN KEY (tenant, run_id) REFERENCES lr_run (tenant, id) ON DELETE CASCADE);
      CREATE INDEX lr_action_run ON lr_action (tenant, run_id);
      CREATE TABLE lr_command (
        tenant text NOT NULL,
        action_row bigint NOT NULL REFERENCES lr_action (id) ON DELETE CASCADE,
        command_index bigint NOT NULL,
        type text NOT NULL,
        status text NOT NULL,
        exit_code bigint,
        result_path text,
        result_size bigint,
        result_sha256 text,
        errors text,
        PRIMARY KEY (action_row, command_index));
      CREATE TABLE lr_command_result (
        tenant text NOT NULL,
        action_row bigint NOT NULL REFERENCES lr_action (id) ON DELETE CASCADE,
        command_index bigint NOT NULL,
        run_id text NOT NULL,
        type text NOT NULL,
        output text,
        errors text,
        exit_code bigint,
        format text,
        format_warning text,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (action_row, command_index));
      CREATE INDEX lr_command_result_run ON lr_command_result (tenant, run_id);
      CREATE TABLE lr_result_row (
        tenant text NOT NULL,
        run_id text NOT NULL,
        action_row bigint NOT NULL REFERENCES lr_action (id) ON DELETE CASCADE,
        machine_id text NOT NULL,
        computer_name text NOT NULL,
        command_index bigint NOT NULL,
        n bigint NOT NULL,
        data text NOT NULL,
        PRIMARY KEY (action_row, command_index, n));
      CREATE INDEX lr_result_row_run ON lr_result_row (tenant, run_id);
      CREATE TABLE lr_audit_chain (
        tenant text NOT NULL,
        log text NOT NULL,
        path text NOT NULL,
        sequence bigint NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (tenant, log));
      CREATE TABLE lr_audit_head (
        tenant text NOT NULL,
        path text NOT NULL,
        sequence bigint NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (tenant, path));
      CREATE TABLE lr_audit_entry (
        tenant text NOT NULL,
        log text NOT NULL,
        sequence bigint NOT NULL,
        line text NOT NULL,
        PRIMARY KEY (tenant, log, sequence));
      CREATE TABLE lr_audit_tip (
        tenant text PRIMARY KEY,
        log text NOT NULL,
        sequence bigint NOT NULL,
        hash text NOT NULL);
      """)
}
