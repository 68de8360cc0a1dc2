extension TeamSchema.Migration {
  /// Version 5: four-eyes approvals (docs/team.md, "Approvals").
  ///
  /// A run that needs approval has a row in `lr_approval` bound to its plan's hash
  /// (`lr_plan_hash`: SHA-256 over the journaled source text, modules and resolved targets), so
  /// a changed script or target list voids it. `lr_approve_run` does the whole approval in one
  /// statement (the requester cannot approve, the reason must not be empty, the plan must be the
  /// one requested). A detached run that waits is queued `awaiting`, which `lr_claim_run` never
  /// claims; the approval moves it to `queued`.
  static let approvals = TeamSchema.Migration(
    version: 5, name: "approvals",
    sql: """
      CREATE TABLE lr_approval (
        tenant text NOT NULL,
        run text NOT NULL,
        plan_hash text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        why text NOT NULL,
        approved_by text,
        reason text,
        approved_at timestamptz,
        approved_hash text,
        PRIMARY KEY (tenant, run),
        FOREIGN KEY (tenant, run) REFERENCES lr_run (tenant, id) ON DELETE CASCADE);

      CREATE FUNCTION lr_plan_hash(p_tenant text, p_run text) RETURNS text
      LANGUAGE sql STABLE AS $$
        SELECT encode(sha256(convert_to(
                 r.source_text || E'\\n\\x1f' || r.modules || E'\\n\\x1f' ||
                 coalesce((SELECT string_agg(t.statement || ':' || t.machine_id, E'\\n'
                                             ORDER BY t.statement, t.machine_id)
                             FROM lr_target t
                            WHERE t.tenant = r.tenant AND t.run_id = r.id), ''),
                 'UTF8')), 'hex')
          FROM lr_run r WHERE r.tenant = p_tenant AND r.id = p_run
      $$;

      CREATE FUNCTION lr_request_approval(p_tenant text, p_run text, p_by text, p_why text)
      RETURNS text LANGUAGE sql AS $$
        INSERT INTO lr_approval (tenant, run, plan_hash, requested_by, why)
        VALUES (p_tenant, p_run, lr_plan_hash(p_tenant, p_run), p_by, p_why)
        ON CONFLICT (tenant, run) DO UPDATE SET why = EXCLUDED.why
        RETURNING plan_hash
      $$;

      CREATE FUNCTION lr_approve_run(p_tenant text, p_run text, p_by text, p_reason text)
      RETURNS TABLE (outcome text, plan_hash text) LANGUAGE plpgsql AS $$
      DECLARE
        request lr_approval%ROWTYPE;
        current text;
      BEGIN
        SELECT * INTO request FROM lr_approval a
         WHERE a.tenant = p_tenant AND a.run = p_run FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'unknown'::text, NULL::text; RETURN;
        END IF;
        current := lr_plan_hash(p_tenant, p_run);
        IF request.approved_by IS NOT NULL THEN
          RETURN QUERY SELECT 'already'::text, request.approved_hash; RETURN;
        ELSIF request.requested_by = p_by THEN
          RETURN QUERY SELECT 'self'::text, current; RETURN;
        ELSIF coalesce(btrim(p_reason), '') = '' THEN
          RETURN QUERY SELECT 'noReason'::text, current; RETURN;
        ELSIF current IS DISTINCT FROM request.plan_hash THEN
          RETURN QUERY SELECT 'changed'::text, current; RETURN;
        END IF;
        UPDATE lr_approval a
           SET approved_by = p_by, reason = p_reason, approved_at = clock_timestamp(),
               approved_hash = current
         WHERE a.tenant = p_tenant AND a.run = p_run;
        UPDATE lr_work w SET state = 'queued'
         WHERE w.tenant = p_tenant AND w.run = p_run AND w.state = 'awaiting';
        RETURN QUERY SELECT 'approved'::text, current;
      END
      $$;

      ALTER TABLE lr_work DROP CONSTRAINT lr_work_state_check;
      ALTER TABLE lr_work ADD CONSTRAINT lr_work_state_check
        CHECK (state IN ('awaiting', 'queued', 'claimed', 'done'));

      CREATE FUNCTION lr_work_awaits_approval() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.state = 'queued' AND EXISTS (
             SELECT 1 FROM lr_approval a
              WHERE a.tenant = NEW.tenant AND a.run = NEW.run AND a.approved_by IS NULL) THEN
          NEW.state := 'awaiting';
        END IF;
        RETURN NEW;
      END
      $$;

      CREATE TRIGGER lr_work_approval BEFORE INSERT ON lr_work
        FOR EACH ROW EXECUTE FUNCTION lr_work_awaits_approval();
      """)
}
