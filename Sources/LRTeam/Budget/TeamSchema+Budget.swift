extension TeamSchema.Migration {
  /// Version 3: one API budget for every process on the tenant (``TeamBudget``).
  ///
  /// Each step is one statement calling a function here, so it is atomic without a transaction
  /// held across an await: the sliding windows per (tenant, app, bucket) counted at answer time
  /// (`lr_budget_acquire`, `lr_budget_answer`), a `Retry-After` pause per bucket
  /// (`lr_budget_pause`), the session semaphore and one action per device as UNIQUE constraints
  /// (`lr_budget_take_sessions`), and holders with leases and heartbeats (`lr_budget_heartbeat`,
  /// `lr_budget_expire`). Times are the database server's clock, so hosts agree.
  static let budget = TeamSchema.Migration(
    version: 3, name: "budget",
    sql: tables + expire + acquire + sessions)

  private static let tables = """
    CREATE TABLE lr_budget_holder (
      tenant text NOT NULL, holder text NOT NULL, host text NOT NULL, pid bigint NOT NULL,
      lease_seconds double precision NOT NULL,
      heartbeat timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (tenant, holder));
    CREATE TABLE lr_budget_call (
      id bigserial PRIMARY KEY,
      tenant text NOT NULL, app text NOT NULL, bucket text NOT NULL, holder text NOT NULL,
      slot timestamptz NOT NULL, answered timestamptz);
    CREATE INDEX lr_budget_call_window ON lr_budget_call (tenant, app, bucket, slot);
    CREATE TABLE lr_budget_pause (
      tenant text NOT NULL, app text NOT NULL, bucket text NOT NULL,
      blocked_until timestamptz NOT NULL,
      PRIMARY KEY (tenant, app, bucket));
    CREATE TABLE lr_budget_session (
      tenant text NOT NULL, holder text NOT NULL, machine text NOT NULL,
      session_no integer NOT NULL, device_no integer NOT NULL,
      taken_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      UNIQUE (tenant, session_no),
      UNIQUE (tenant, machine, device_no));
    CREATE FUNCTION lr_budget_heartbeat(p_tenant text, p_holder text, p_host text,
        p_pid bigint, p_lease double precision)
      RETURNS boolean LANGUAGE sql AS $$
      INSERT INTO lr_budget_holder AS h (tenant, holder, host, pid, lease_seconds)
        VALUES (p_tenant, p_holder, p_host, p_pid, p_lease)
      ON CONFLICT (tenant, holder) DO UPDATE
        SET heartbeat = clock_timestamp(), lease_seconds = EXCLUDED.lease_seconds
      RETURNING (xmax = 0)
    $$;

    """

  /// Holders whose lease ran out: their unanswered calls count as answered when the lease ended,
  /// their sessions are freed.
  private static let expire = """
    CREATE FUNCTION lr_budget_expire(p_tenant text) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
      v_now timestamptz := clock_timestamp();
    BEGIN
      UPDATE lr_budget_call c
        SET answered = h.heartbeat + make_interval(secs => h.lease_seconds)
        FROM lr_budget_holder h
        WHERE c.tenant = p_tenant AND h.tenant = p_tenant AND c.holder = h.holder
          AND c.answered IS NULL
          AND h.heartbeat + make_interval(secs => h.lease_seconds) < v_now;
      DELETE FROM lr_budget_holder h
        WHERE h.tenant = p_tenant
          AND h.heartbeat + make_interval(secs => h.lease_seconds) < v_now;
      DELETE FROM lr_budget_session s
        WHERE s.tenant = p_tenant AND NOT EXISTS (
          SELECT 1 FROM lr_budget_holder h WHERE h.tenant = p_tenant AND h.holder = s.holder);
    END $$;

    """

  /// One call's budget: a wait (seconds, real) and why, or the call's id counted from now.
  private static let acquire = """
    CREATE FUNCTION lr_budget_acquire(p_tenant text, p_app text, p_bucket text, p_holder text,
        p_per_minute bigint, p_per_hour bigint, p_minute double precision,
        p_hour double precision, p_answered boolean)
      RETURNS TABLE (o_id bigint, o_wait double precision, o_reason text, o_pending boolean)
      LANGUAGE plpgsql AS $$
    DECLARE
      v_now timestamptz;
      v_until timestamptz;
      v_time timestamptz;
      v_pending boolean;
    BEGIN
      PERFORM pg_advisory_xact_lock(
        hashtextextended('lr-budget/' || p_tenant || '/' || p_app || '/' || p_bucket, 0));
      PERFORM lr_budget_expire(p_tenant);
      v_now := clock_timestamp();
      DELETE FROM lr_budget_call c
        WHERE c.tenant = p_tenant AND c.app = p_app AND c.bucket = p_bucket
          AND c.answered < v_now - make_interval(secs => greatest(p_minute, p_hour));
      SELECT p.blocked_until INTO v_until FROM lr_budget_pause p
        WHERE p.tenant = p_tenant AND p.app = p_app AND p.bucket = p_bucket;
      IF v_until > v_now THEN
        RETURN QUERY SELECT NULL::bigint, extract(epoch FROM v_until - v_now)::float8,
          'retry-after'::text, false;
        RETURN;
      END IF;
      SELECT w.t, w.pending INTO v_time, v_pending FROM (
        SELECT coalesce(c.answered, v_now) AS t, c.answered IS NULL AS pending
        FROM lr_budget_call c
        WHERE c.tenant = p_tenant AND c.app = p_app AND c.bucket = p_bucket
          AND coalesce(c.answered, v_now) > v_now - make_interval(secs => p_minute)
        ORDER BY 1 DESC OFFSET p_per_minute - 1 LIMIT 1) w;
      IF v_time IS NOT NULL THEN
        RETURN QUERY SELECT NULL::bigint,
          extract(epoch FROM v_time + make_interval(secs => p_minute) - v_now)::float8,
          'minute'::text, v_pending;
        RETURN;
      END IF;
      IF p_per_hour > 0 THEN
        SELECT w.t, w.pending INTO v_time, v_pending FROM (
          SELECT coalesce(c.answered, v_now) AS t, c.answered IS NULL AS pending
          FROM lr_budget_call c
          WHERE c.tenant = p_tenant AND c.app = p_app AND c.bucket = p_bucket
            AND coalesce(c.answered, v_now) > v_now - make_interval(secs => p_hour)
          ORDER BY 1 DESC OFFSET p_per_hour - 1 LIMIT 1) w;
        IF v_time IS NOT NULL THEN
          RETURN QUERY SELECT NULL::bigint,
            extract(epoch FROM v_time + make_interval(secs => p_hour) - v_now)::float8,
            'hour'::text, v_pending;
          RETURN;
        END IF;
      END IF;
      RETURN QUERY INSERT INTO lr_budget_call (tenant, app, bucket, holder, slot, answered)
        VALUES (p_tenant, p_app, p_bucket, p_holder, v_now,
          CASE WHEN p_answered THEN v_now END)
        RETURNING id, 0::float8, NULL::text, false;
    END $$;

    """

  /// Sessions for the machines in order: each granted (a row under both UNIQUE constraints) or
  /// refused with why (`sessions`: all in use tenant-wide; `device`: the device runs one).
  private static let sessions = """
    CREATE FUNCTION lr_budget_take_sessions(p_tenant text, p_holder text, p_machines text[],
        p_sessions bigint, p_per_device bigint)
      RETURNS TABLE (o_index bigint, o_granted boolean, o_reason text)
      LANGUAGE plpgsql AS $$
    DECLARE
      v_machine text;
      v_index bigint := 0;
      v_session bigint;
      v_device bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('lr-sessions/' || p_tenant, 0));
      PERFORM lr_budget_expire(p_tenant);
      FOREACH v_machine IN ARRAY p_machines LOOP
        v_index := v_index + 1;
        SELECT n INTO v_session FROM generate_series(1, p_sessions) n
          WHERE NOT EXISTS (SELECT 1 FROM lr_budget_session s
            WHERE s.tenant = p_tenant AND s.session_no = n)
          ORDER BY n LIMIT 1;
        SELECT n INTO v_device FROM generate_series(1, p_per_device) n
          WHERE NOT EXISTS (SELECT 1 FROM lr_budget_session s
            WHERE s.tenant = p_tenant AND s.machine = v_machine AND s.device_no = n)
          ORDER BY n LIMIT 1;
        o_index := v_index;
        IF v_device IS NULL THEN
          o_granted := false; o_reason := 'device';
        ELSIF v_session IS NULL THEN
          o_granted := false; o_reason := 'sessions';
        ELSE
          INSERT INTO lr_budget_session (tenant, holder, machine, session_no, device_no)
            VALUES (p_tenant, p_holder, v_machine, v_session, v_device)
            ON CONFLICT DO NOTHING;
          o_granted := FOUND;
          o_reason := CASE WHEN FOUND THEN NULL ELSE 'device' END;
        END IF;
        RETURN NEXT;
      END LOOP;
    END $$;
    """
}
