-- Reading a consumer's batch (1.5, docs/capture.md "Reading a batch"): fingerprint.batch_changes
-- is inlined into the caller's query and gives the rows and the order of the 1.4 PL/pgSQL
-- function, with its checks (NULLs, unknown consumer, a batch that is not the open one,
-- also on an empty log), the caller's privileges, and immune to the caller's search_path.
\set VERBOSITY terse
CREATE SCHEMA br;
CREATE TABLE br.t (id int PRIMARY KEY, v text);
SELECT fingerprint_capture_enable('br.t') AS version;
SELECT fingerprint.register_consumer('br_a') IS NOT NULL AS a, fingerprint.register_consumer('br_b') IS NOT NULL AS b;
INSERT INTO br.t SELECT g, 'v' || g FROM generate_series(1, 40) g;
UPDATE br.t SET v = v || '!' WHERE id % 3 = 0;
DELETE FROM br.t WHERE id % 7 = 0;
-- The log's physical order is capture order; reverse the seq of this table's rows, so that
-- only an ORDER BY seq (not the scan order) gives the expected order.
UPDATE fingerprint.change_log SET seq = -seq WHERE table_name = 'br.t';
SELECT fingerprint.next_batch('br_a') AS a_batch, fingerprint.next_batch('br_b') AS b_batch;

-- The 1.4 function's query, written out: what the batch must hold, in its order.
CREATE FUNCTION br.expected(consumer text) RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT array_agg(l.seq ORDER BY l.seq) FROM fingerprint.change_log l, fingerprint.consumers c
    WHERE c.consumer = expected.consumer
      AND l.txid >= pg_snapshot_xmin(c.last_snapshot) AND l.txid < pg_snapshot_xmax(c.batch_snapshot)
      AND pg_visible_in_snapshot(l.txid, c.batch_snapshot) AND NOT pg_visible_in_snapshot(l.txid, c.last_snapshot)
$$;
-- EXPLAIN of a query, as one text.
CREATE FUNCTION br.plan(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    out text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        out := out || line || E'\n';
    END LOOP;
    RETURN out;
END;
$$;

-- ---- inlined: no Function Scan of batch_changes, its checks in the plan ------------------------
SELECT br.plan('SELECT * FROM fingerprint.batch_changes(''br_a'', 1)') NOT LIKE '%Function Scan on batch_changes%' AS inlined,
       br.plan('SELECT * FROM fingerprint.batch_changes(''br_a'', 1)') LIKE '%Function Scan on batch_snapshots%' AS checks_in_plan;

-- ---- same rows, same order, each way of calling it --------------------------------------------
SELECT cardinality(br.expected('br_a')) AS changes;
SELECT (SELECT array_agg(x.seq) FROM fingerprint.batch_changes('br_a', 1) x) = br.expected('br_a') AS "FROM, in seq order",
       (SELECT array_agg((x).seq) FROM (SELECT fingerprint.batch_changes('br_a', 1) AS x) s) = br.expected('br_a') AS "select list",
       (SELECT array_agg(x.seq) FROM fingerprint.batch_changes_json('br_a', 1) x) = br.expected('br_a') AS "json rendering";
SELECT (SELECT array_agg(x ORDER BY x.seq) FROM fingerprint.batch_changes('br_a', 1) x)
     = (SELECT array_agg(l ORDER BY l.seq) FROM fingerprint.change_log l WHERE l.seq = ANY (br.expected('br_a'))) AS "whole rows";
SELECT (SELECT array_agg(x.seq) FROM fingerprint.batch_changes('br_b', 1) x) = br.expected('br_b') AS "other consumer, same batch";

-- ---- checks: NULLs, unknown consumer, not the open batch ---------------------------------------
SELECT * FROM fingerprint.batch_changes(NULL, 1);
SELECT * FROM fingerprint.batch_changes('br_a', NULL);
SELECT * FROM fingerprint.batch_changes(NULL, NULL);
SELECT * FROM fingerprint.batch_changes('br_nobody', 1);
SELECT * FROM fingerprint.batch_changes('br_a', 2);
SELECT * FROM fingerprint.batch_snapshots(NULL, 1);
SELECT fingerprint.finish_batch('br_a', 1) AS finished;
SELECT * FROM fingerprint.batch_changes('br_a', 1);
-- br_b's open batch is 1, not br_a's: the consumer named is the one checked.
SELECT count(*) FROM fingerprint.batch_changes('br_b', 1) AS "br_b batch 1";
INSERT INTO br.t VALUES (100, 'late');
SELECT fingerprint.next_batch('br_a') AS a_batch;
SELECT * FROM fingerprint.batch_changes('br_b', 2);
SELECT (SELECT array_agg(x.seq) FROM fingerprint.batch_changes('br_a', 2) x) = br.expected('br_a') AS "next batch";

-- ---- the caller's search_path cannot redirect it -----------------------------------------------
CREATE SCHEMA br_evil;
CREATE FUNCTION br_evil.pg_visible_in_snapshot(xid8, pg_snapshot) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION br_evil.pg_snapshot_xmin(pg_snapshot) RETURNS xid8 LANGUAGE sql AS $$SELECT '0'::xid8$$;
CREATE FUNCTION br_evil.pg_snapshot_xmax(pg_snapshot) RETURNS xid8 LANGUAGE sql AS $$SELECT '999999999'::xid8$$;
CREATE FUNCTION br_evil.ge(xid8, xid8) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION br_evil.lt(xid8, xid8) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR br_evil.>= (LEFTARG = xid8, RIGHTARG = xid8, FUNCTION = br_evil.ge);
CREATE OPERATOR br_evil.< (LEFTARG = xid8, RIGHTARG = xid8, FUNCTION = br_evil.lt);
CREATE FUNCTION br_evil.batch_snapshots(consumer text, batch_id bigint, OUT last_snapshot pg_snapshot,
                                        OUT batch_snapshot pg_snapshot)
    LANGUAGE sql AS $$SELECT '1:1:'::pg_snapshot, pg_current_snapshot()$$;
CREATE TABLE br_evil.change_log (LIKE fingerprint.change_log);
CREATE TABLE br_evil.consumers (LIKE fingerprint.consumers);
SELECT br.expected('br_a') AS expected_a \gset
SET search_path = br_evil, pg_catalog;
SELECT array_agg(x.seq)::text = :'expected_a' AS "same rows under a hostile search_path"
FROM fingerprint.batch_changes('br_a', 2) x;
SELECT * FROM fingerprint.batch_changes('br_a', 1);
RESET search_path;

-- ---- the caller's privileges: SELECT on the consumers and the log ------------------------------
CREATE ROLE regress_br_reader;
GRANT USAGE ON SCHEMA fingerprint TO regress_br_reader;
SET ROLE regress_br_reader;
SELECT count(*) FROM fingerprint.batch_changes('br_a', 2);
RESET ROLE;
GRANT SELECT ON fingerprint.change_log TO regress_br_reader;
SET ROLE regress_br_reader;
SELECT count(*) FROM fingerprint.batch_changes('br_a', 2);
RESET ROLE;
REVOKE SELECT ON fingerprint.change_log FROM regress_br_reader;
GRANT SELECT ON fingerprint.consumers TO regress_br_reader;
SET ROLE regress_br_reader;
SELECT count(*) FROM fingerprint.batch_changes('br_a', 2);
RESET ROLE;
GRANT SELECT ON fingerprint.change_log TO regress_br_reader;
SET ROLE regress_br_reader;
SELECT count(*) > 0 AS "reads with both grants" FROM fingerprint.batch_changes('br_a', 2);
RESET ROLE;
REVOKE ALL ON fingerprint.change_log, fingerprint.consumers FROM regress_br_reader;
REVOKE USAGE ON SCHEMA fingerprint FROM regress_br_reader;
DROP ROLE regress_br_reader;

-- ---- the checks run when the log holds nothing of the batch ------------------------------------
DELETE FROM fingerprint.change_log WHERE table_name = 'br.t';
SELECT count(*) AS "open batch, log emptied" FROM fingerprint.batch_changes('br_a', 2);
SELECT * FROM fingerprint.batch_changes('br_a', 3);
SELECT * FROM fingerprint.batch_changes('br_nobody', 2);

SELECT fingerprint.unregister_consumer('br_a') AS a, fingerprint.unregister_consumer('br_b') AS b;
SELECT fingerprint_capture_disable('br.t') AS disabled;
DROP SCHEMA br_evil CASCADE;
DROP SCHEMA br CASCADE;
