import PostgresNIO

extension TeamSchema.Migration {
  /// Version 4: the work queue of detached runs, the claims workers hold on them (leases renewed
  /// by heartbeats), and the `lr_runs` notifications `lr watch` listens to.
  ///
  /// A run is claimable when it is `queued`, or `claimed` with a lease that ran out (its worker
  /// died). The functions do a whole step in one statement, so no transaction is held across an
  /// await; `FOR UPDATE SKIP LOCKED` lets any number of workers claim at once, each a different
  /// run.
  static let workers = TeamSchema.Migration(
    version: 4, name: "workers",
    sql: """
      CREATE TABLE lr_work (
        tenant text NOT NULL,
        run text NOT NULL,
        state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'claimed', 'done')),
        queued_by text NOT NULL DEFAULT '',
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        source text NOT NULL DEFAULT '',
        actions integer NOT NULL DEFAULT 0,
        worker text,
        lease_until timestamptz,
        heartbeat_at timestamptz,
        claims integer NOT NULL DEFAULT 0,
        outcome text,
        PRIMARY KEY (tenant, run));
      CREATE INDEX lr_work_ready ON lr_work (tenant, state, queued_at);

      CREATE FUNCTION lr_claim_run(p_tenant text, p_worker text, p_lease double precision)
      RETURNS TABLE (claimed_run text, claim_count integer) LANGUAGE sql AS $$
        UPDATE lr_work w
           SET state = 'claimed', worker = p_worker, claims = w.claims + 1,
               lease_until = clock_timestamp() + p_lease * interval '1 second',
               heartbeat_at = clock_timestamp()
         WHERE (w.tenant, w.run) = (
           SELECT q.tenant, q.run FROM lr_work q
            WHERE q.tenant = p_tenant
              AND (q.state = 'queued'
                   OR (q.state = 'claimed' AND q.lease_until < clock_timestamp()))
            ORDER BY q.queued_at, q.run
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING w.run, w.claims
      $$;

      CREATE FUNCTION lr_renew_claim(
        p_tenant text, p_run text, p_worker text, p_lease double precision)
      RETURNS boolean LANGUAGE sql AS $$
        WITH renewed AS (
          UPDATE lr_work
             SET lease_until = clock_timestamp() + p_lease * interval '1 second',
                 heartbeat_at = clock_timestamp()
           WHERE tenant = p_tenant AND run = p_run AND worker = p_worker AND state = 'claimed'
          RETURNING 1)
        SELECT count(*) > 0 FROM renewed
      $$;

      CREATE FUNCTION lr_release_claim(
        p_tenant text, p_run text, p_worker text, p_outcome text)
      RETURNS boolean LANGUAGE sql AS $$
        WITH released AS (
          UPDATE lr_work
             SET state = CASE WHEN p_outcome IS NULL THEN 'queued' ELSE 'done' END,
                 worker = CASE WHEN p_outcome IS NULL THEN NULL ELSE worker END,
                 lease_until = NULL, outcome = p_outcome
           WHERE tenant = p_tenant AND run = p_run AND worker = p_worker AND state = 'claimed'
          RETURNING 1)
        SELECT count(*) > 0 FROM released
      $$;

      CREATE FUNCTION lr_notify_run() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed jsonb := to_jsonb(coalesce(NEW, OLD));
      BEGIN
        PERFORM pg_notify('lr_runs', (changed->>'tenant') || ':' || (changed->>TG_ARGV[0]));
        RETURN NULL;
      END
      $$;

      CREATE TRIGGER lr_work_notify AFTER INSERT OR UPDATE OR DELETE ON lr_work
        FOR EACH ROW EXECUTE FUNCTION lr_notify_run('run');

      -- The journal's runs and actions (migration v2), when this database has them.
      DO $$
      BEGIN
        IF to_regclass('lr_run') IS NOT NULL THEN
          CREATE TRIGGER lr_run_notify AFTER INSERT OR UPDATE ON lr_run
            FOR EACH ROW EXECUTE FUNCTION lr_notify_run('id');
        END IF;
        IF to_regclass('lr_action') IS NOT NULL THEN
          CREATE TRIGGER lr_action_notify AFTER INSERT OR UPDATE ON lr_action
            FOR EACH ROW EXECUTE FUNCTION lr_notify_run('run_id');
        END IF;
      END
      $$;
      """)
}
