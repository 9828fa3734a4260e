-- consumers.sql: consumers read the log in snapshot batches, and cleanup removes what
-- every consumer has passed (docs/capture.md). Each function runs with its caller's
-- rights: a consumer role needs write access to fingerprint.consumers and read access to
-- the log (granted by a DBA; nothing is granted here).

-- Consumers read the log in snapshot batches (PgQ style). last_snapshot is the end of the
-- last finished batch (or the start); an open batch is (batch_id, batch_snapshot).
CREATE TABLE fingerprint.consumers (
    consumer text PRIMARY KEY,
    registered_at timestamptz NOT NULL DEFAULT now(),
    start_snapshot pg_snapshot NOT NULL,
    last_batch bigint NOT NULL DEFAULT 0,
    last_snapshot pg_snapshot NOT NULL,
    batch_id bigint,
    batch_snapshot pg_snapshot,
    batch_opened_at timestamptz,
    last_finished_at timestamptz
);

-- Changes with txid < horizon have been removed by fingerprint.cleanup().
CREATE TABLE fingerprint.cleanup_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    horizon xid8 NOT NULL DEFAULT '0',
    removed bigint NOT NULL DEFAULT 0,
    last_cleanup timestamptz
);
INSERT INTO fingerprint.cleanup_state DEFAULT VALUES;

SELECT pg_catalog.pg_extension_config_dump('fingerprint.consumers', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.cleanup_state', '');
COMMENT ON TABLE fingerprint.consumers IS
    'One row per consumer: where it stands (last finished batch and snapshot) and its open batch. Written by the consumer functions with their caller''s rights; no grants.';
COMMENT ON TABLE fingerprint.cleanup_state IS
    'One row: the horizon below which fingerprint.cleanup() removed changes, and how many. Written by cleanup, read by register_consumer; no grants.';

-- The current snapshot, with this transaction's own xid (when it has one) counted as in
-- progress. pg_current_snapshot() leaves the caller's own xid out of xip, so a snapshot
-- taken in a transaction that has an xid (next_batch's own FOR UPDATE assigns one) would
-- count the caller's captured writes, earlier or later in that transaction, as consumed.
CREATE FUNCTION fingerprint.snapshot_excluding_own() RETURNS pg_snapshot
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN x.own IS NULL OR x.own >= pg_snapshot_xmax(x.s) OR pg_visible_in_snapshot(x.own, x.s) = false
                THEN x.s
                ELSE (least(pg_snapshot_xmin(x.s), x.own)::text || ':' || pg_snapshot_xmax(x.s)::text || ':'
                      || (SELECT string_agg(v::text, ',' ORDER BY v)
                          FROM (SELECT pg_snapshot_xip(x.s) AS v UNION SELECT x.own) u))::pg_snapshot
           END
    FROM (SELECT pg_current_snapshot() AS s, pg_current_xact_id_if_assigned() AS own) x
$$;
COMMENT ON FUNCTION fingerprint.snapshot_excluding_own() IS
    'Any role. pg_current_snapshot() with the caller''s own transaction counted as in progress; writes nothing.';

-- Registers a consumer whose first batch starts after start_snapshot (default: now). For
-- the copy seam, register before the copy, then call again with the copy's snapshot
-- (allowed until the consumer's first batch). Returns the start snapshot.
CREATE FUNCTION fingerprint.register_consumer(consumer text, start_snapshot pg_snapshot DEFAULT NULL)
RETURNS pg_snapshot
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_start pg_snapshot := coalesce(start_snapshot, fingerprint.snapshot_excluding_own());
    v_horizon xid8;
    v_running xid8;
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF consumer = '' THEN
        RAISE EXCEPTION 'consumer name must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- A snapshot from the future would count transactions not yet started as seen: their
    -- changes would be skipped.
    IF pg_snapshot_xmax(v_start) > pg_snapshot_xmax(pg_current_snapshot()) THEN
        RAISE EXCEPTION 'cannot start consumer "%" at snapshot %: it is later than the current snapshot',
            consumer, v_start
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The current snapshot is %s.', pg_current_snapshot()),
                  HINT = 'Pass a snapshot taken on this server (pg_current_snapshot() of the copy''s transaction).';
    END IF;
    -- A snapshot that counts a transaction still in progress as seen (below its xmax, not
    -- in its xip) would skip that transaction's changes when it commits.
    SELECT r INTO v_running FROM pg_snapshot_xip(fingerprint.snapshot_excluding_own()) r
    WHERE r < pg_snapshot_xmax(v_start) AND pg_visible_in_snapshot(r, v_start) ORDER BY r LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot start consumer "%" at snapshot %: transaction % is still in progress', consumer, v_start, v_running
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The snapshot counts that transaction as seen; its changes would never be delivered.',
                  HINT = 'Pass a snapshot taken on this server (pg_current_snapshot() of the copy''s transaction).';
    END IF;
    SELECT s.horizon INTO v_horizon FROM fingerprint.cleanup_state s FOR UPDATE;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = register_consumer.consumer FOR UPDATE;
    IF FOUND AND start_snapshot IS NULL THEN
        RETURN c.start_snapshot;
    END IF;
    IF pg_snapshot_xmin(v_start) < v_horizon THEN
        RAISE EXCEPTION 'cannot start consumer "%" at snapshot %', consumer, v_start
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('fingerprint.cleanup() already removed changes of transactions before %s.', v_horizon),
                  HINT = 'Register the consumer before taking the copy.';
    END IF;
    IF NOT FOUND THEN
        INSERT INTO fingerprint.consumers (consumer, start_snapshot, last_snapshot)
        VALUES (register_consumer.consumer, v_start, v_start);
        RETURN v_start;
    END IF;
    IF c.last_batch <> 0 OR c.batch_id IS NOT NULL THEN
        RAISE EXCEPTION 'consumer "%" has already taken batches; its start cannot move', consumer
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE fingerprint.consumers k SET start_snapshot = v_start, last_snapshot = v_start
    WHERE k.consumer = register_consumer.consumer;
    RETURN v_start;
END;
$$;
COMMENT ON FUNCTION fingerprint.register_consumer(text, pg_snapshot) IS
    'Roles with write access to fingerprint.consumers and fingerprint.cleanup_state. Writes only the named consumer''s row. NULL consumer is an error; NULL start_snapshot means now.';

-- Forgets a consumer (its unconsumed changes become removable). False if unknown.
CREATE FUNCTION fingerprint.unregister_consumer(consumer text) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    DELETE FROM fingerprint.consumers k WHERE k.consumer = unregister_consumer.consumer;
    RETURN FOUND;
END;
$$;
COMMENT ON FUNCTION fingerprint.unregister_consumer(text) IS
    'Roles with DELETE on fingerprint.consumers. Deletes only the named consumer. NULL is an error.';

-- The consumer's open batch, or a new one ending at the current snapshot; NULL when no
-- transaction has committed changes since the last batch. Calling it again before
-- finish_batch returns the same batch.
CREATE FUNCTION fingerprint.next_batch(consumer text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
    v_snapshot pg_snapshot;
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = next_batch.consumer FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object',
            HINT = 'Call fingerprint.register_consumer first.';
    END IF;
    IF c.batch_id IS NOT NULL THEN
        RETURN c.batch_id;
    END IF;
    -- This transaction's own xid (the FOR UPDATE above assigned one) stays in progress in
    -- the batch snapshot: its captured writes belong to a later batch.
    v_snapshot := fingerprint.snapshot_excluding_own();
    IF NOT EXISTS (
        SELECT 1 FROM fingerprint.change_log l
        WHERE l.txid >= pg_snapshot_xmin(c.last_snapshot) AND l.txid < pg_snapshot_xmax(v_snapshot)
          AND pg_visible_in_snapshot(l.txid, v_snapshot) AND NOT pg_visible_in_snapshot(l.txid, c.last_snapshot)) THEN
        -- Nothing new: every change visible now was visible before, so moving the position
        -- loses nothing and keeps the next search short.
        UPDATE fingerprint.consumers k SET last_snapshot = v_snapshot WHERE k.consumer = next_batch.consumer;
        RETURN NULL;
    END IF;
    UPDATE fingerprint.consumers k
    SET batch_id = c.last_batch + 1, batch_snapshot = v_snapshot, batch_opened_at = clock_timestamp()
    WHERE k.consumer = next_batch.consumer;
    RETURN c.last_batch + 1;
END;
$$;
COMMENT ON FUNCTION fingerprint.next_batch(text) IS
    'Roles with write access to fingerprint.consumers and SELECT on the log. Writes only the named consumer''s row. NULL is an error.';

-- The snapshots that bound the consumer's open batch, after the checks batch_changes
-- makes: consumer and batch_id not NULL, the consumer registered, batch_id its open
-- batch. Its own function so that batch_changes can stay one inlinable query.
CREATE FUNCTION fingerprint.batch_snapshots(consumer text, batch_id bigint,
                                            OUT last_snapshot pg_snapshot, OUT batch_snapshot pg_snapshot)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL OR batch_id IS NULL THEN
        RAISE EXCEPTION 'consumer and batch_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = batch_snapshots.consumer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object';
    END IF;
    IF c.batch_id IS DISTINCT FROM batch_snapshots.batch_id THEN
        RAISE EXCEPTION 'batch % is not the open batch of consumer "%"', batch_id, consumer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = CASE WHEN c.batch_id IS NULL THEN 'The consumer has no open batch; its last finished batch is '
                                     || c.last_batch || '.'
                                ELSE 'Its open batch is ' || c.batch_id || '.' END;
    END IF;
    last_snapshot := c.last_snapshot;
    batch_snapshot := c.batch_snapshot;
END;
$$;
COMMENT ON FUNCTION fingerprint.batch_snapshots(text, bigint) IS
    'Roles with SELECT on fingerprint.consumers. The snapshots bounding the named consumer''s open batch (its previous batch''s and this one''s); writes nothing. NULL consumer or batch_id, an unknown consumer or a batch that is not its open one is an error.';

-- The changes of the consumer's open batch: committed after its previous batch's snapshot
-- and by this batch's snapshot, in capture order.
-- 1.5: one SQL query that PostgreSQL inlines into the caller's (LANGUAGE sql, STABLE, no
-- SET, not STRICT, not SECURITY DEFINER), so the rows stream to the client as the sort
-- hands them out; the PL/pgSQL version of 1.0-1.4 stored the whole result (RETURN QUERY)
-- before sending the first row. The body is parsed when it is created (BEGIN ATOMIC):
-- every name is bound then, and the caller's search_path cannot redirect it (names are
-- schema-qualified all the same). The checks run first, whatever the log holds: the
-- constant filter (SELECT true FROM b) is evaluated once before the scan, and raises
-- through batch_snapshots when they fail. It runs with the caller's rights, as before.
CREATE FUNCTION fingerprint.batch_changes(consumer text, batch_id bigint)
RETURNS SETOF fingerprint.change_log
    LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH b AS MATERIALIZED (
        SELECT s.last_snapshot, s.batch_snapshot FROM fingerprint.batch_snapshots(consumer, batch_id) s)
    SELECT l.* FROM fingerprint.change_log l
    WHERE (SELECT true FROM b)
      AND l.txid OPERATOR(pg_catalog.>=) (SELECT pg_catalog.pg_snapshot_xmin(b.last_snapshot) FROM b)
      AND l.txid OPERATOR(pg_catalog.<) (SELECT pg_catalog.pg_snapshot_xmax(b.batch_snapshot) FROM b)
      AND pg_catalog.pg_visible_in_snapshot(l.txid, (SELECT b.batch_snapshot FROM b))
      AND NOT pg_catalog.pg_visible_in_snapshot(l.txid, (SELECT b.last_snapshot FROM b))
    ORDER BY l.seq;
END;
COMMENT ON FUNCTION fingerprint.batch_changes(text, bigint) IS
    'Roles with SELECT on fingerprint.consumers and the log. Writes nothing. NULL consumer or batch_id is an error.';

-- Confirms a batch: the consumer moves past it. True when it was the open batch, false
-- when it was already finished (a retry after a lost reply); an error otherwise.
-- The ownership test is explicit (IS NOT DISTINCT FROM, and NULLs refused first): no
-- NULL makes it pass or fall through to another consumer's batch.
CREATE FUNCTION fingerprint.finish_batch(consumer text, batch_id bigint) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL OR batch_id IS NULL THEN
        RAISE EXCEPTION 'consumer and batch_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = finish_batch.consumer FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object';
    END IF;
    IF c.batch_id IS NOT NULL AND c.batch_id = finish_batch.batch_id THEN
        UPDATE fingerprint.consumers k
        SET last_batch = c.batch_id, last_snapshot = c.batch_snapshot, batch_id = NULL, batch_snapshot = NULL,
            batch_opened_at = NULL, last_finished_at = clock_timestamp()
        WHERE k.consumer = c.consumer;
        RETURN true;
    ELSIF c.batch_id IS NULL AND finish_batch.batch_id <= c.last_batch THEN
        RETURN false;
    END IF;
    RAISE EXCEPTION 'batch % is not the open batch of consumer "%"', batch_id, consumer
        USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;
COMMENT ON FUNCTION fingerprint.finish_batch(text, bigint) IS
    'Roles with write access to fingerprint.consumers. Finishes only the named consumer''s own open batch. NULL consumer or batch_id is an error.';

-- Removes at most max_rows changes that every consumer has passed (committed before the
-- oldest consumer position); returns how many. Nothing is removed while no consumer is
-- registered. Call it in a loop (one short transaction per call) until it returns 0.
CREATE FUNCTION fingerprint.cleanup(max_rows integer DEFAULT 10000) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_horizon xid8;
    v_removed bigint;
BEGIN
    IF max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'max_rows must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM 1 FROM fingerprint.cleanup_state FOR UPDATE;
    SELECT min(pg_snapshot_xmin(k.last_snapshot)) INTO v_horizon FROM fingerprint.consumers k;
    IF v_horizon IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM fingerprint.change_log l
    WHERE l.ctid = ANY (ARRAY(SELECT l2.ctid FROM fingerprint.change_log l2 WHERE l2.txid < v_horizon
                              LIMIT max_rows));
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    UPDATE fingerprint.cleanup_state
    SET horizon = greatest(horizon, v_horizon), removed = removed + v_removed, last_cleanup = clock_timestamp();
    RETURN v_removed;
END;
$$;
COMMENT ON FUNCTION fingerprint.cleanup(integer) IS
    'Roles with DELETE on the log and write access to fingerprint.cleanup_state. Removes only changes every consumer has passed. NULL or non-positive max_rows is an error.';
