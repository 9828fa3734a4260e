-- fingerprint 1.4 -> 1.5 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.3--1.4.sql are
-- released and never edited; every change since 1.4 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.5.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.5 changes:
--  * fingerprint.version() reports 1.5 (it reads pg_extension.extversion).
--  * fingerprint.batch_changes is one inlinable SQL query (its rows stream to the client
--    instead of being stored whole first); its checks move to the new
--    fingerprint.batch_snapshots. Same rows, order, errors and privileges.

-- consumers.sql: batch_changes reads the open batch in one inlinable query.
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
CREATE OR REPLACE FUNCTION fingerprint.batch_changes(consumer text, batch_id bigint)
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
