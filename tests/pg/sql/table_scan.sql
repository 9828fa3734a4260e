-- table_fingerprint reads plain tables with its own heap scan (serial or with parallel
-- workers) and everything else through SQL; both must give fingerprint_agg's result,
-- and the direct scan must never bypass privileges or row-level security.
\set VERBOSITY terse
CREATE TABLE scanned (id integer PRIMARY KEY, label text, amount numeric(14,4), at timestamptz, doc jsonb);
INSERT INTO scanned
SELECT g, 'row ' || g, g / 7.0, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute',
       jsonb_build_object('g', g)
FROM generate_series(1, 20000) g;
ANALYZE scanned;
SELECT fingerprint_agg(s) AS whole, fingerprint_agg(ROW(s.id, s.amount)) AS some_columns,
       fingerprint_agg(s, 'sha256') AS sha FROM scanned s \gset

-- Serial direct scan.
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = debug1;
SELECT table_fingerprint('scanned') = :'whole' AS "serial scan = aggregate";
RESET client_min_messages;

-- Parallel direct scan: workers share the heap scan and their sums are merged.
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
SET client_min_messages = debug1;
SELECT table_fingerprint('scanned') = :'whole' AS "parallel scan = aggregate";
RESET client_min_messages;
SELECT table_fingerprint('scanned', include_columns => '{id,amount}') = :'some_columns' AS "parallel, included columns",
       table_fingerprint('scanned', exclude_columns => '{label,at,doc}') = :'some_columns' AS "parallel, excluded columns",
       table_fingerprint('scanned', algorithm => 'sha256') = :'sha' AS "parallel, sha256";
-- Inside a transaction that changed the table, workers see the same rows the leader does.
BEGIN;
DELETE FROM scanned WHERE id % 1000 = 0;
SELECT table_fingerprint('scanned') = fingerprint_agg(s) AS "parallel scan sees own changes",
       table_fingerprint('scanned') <> :'whole' AS "and they count"
FROM scanned s;
ROLLBACK;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;

-- A materialized view is scanned directly too.
CREATE MATERIALIZED VIEW scanned_view AS SELECT id, label FROM scanned WHERE id <= 100;
SELECT table_fingerprint('scanned_view') = fingerprint_agg(v) AS "matview = aggregate" FROM scanned_view v;

-- An inheritance parent goes through SQL, so its children's rows are included.
CREATE TABLE scan_parent (id integer, note text);
CREATE TABLE scan_child () INHERITS (scan_parent);
INSERT INTO scan_parent VALUES (1, 'in scan_parent');
INSERT INTO scan_child VALUES (2, 'in scan_child');
SELECT table_fingerprint('scan_parent') = fingerprint_agg(p) AS "parent includes child",
       table_fingerprint('scan_parent') LIKE 'fp1:xxh3:2:%' AS "two rows"
FROM scan_parent p;

-- Row-level security: a user under a policy gets the fingerprint of the rows it may see.
CREATE ROLE fingerprint_reader;
CREATE TABLE guarded (id integer, secret text);
INSERT INTO guarded SELECT g, 'secret ' || g FROM generate_series(1, 10) g;
ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_small ON guarded FOR SELECT TO fingerprint_reader USING (id <= 3);
GRANT SELECT ON guarded TO fingerprint_reader;
SELECT fingerprint_agg(g) AS all_rows FROM guarded g \gset
SELECT fingerprint_agg(g) AS visible_rows FROM guarded g WHERE id <= 3 \gset
SET ROLE fingerprint_reader;
SELECT table_fingerprint('guarded') = :'visible_rows' AS "policy applies",
       table_fingerprint('guarded') <> :'all_rows' AS "hidden rows are not counted";
RESET ROLE;
SELECT table_fingerprint('guarded') = :'all_rows' AS "owner sees every row";

-- Column privileges: only the granted columns can be fingerprinted.
CREATE TABLE partly (id integer, hidden text);
INSERT INTO partly VALUES (1, 'x');
GRANT SELECT (id) ON partly TO fingerprint_reader;
SET ROLE fingerprint_reader;
SELECT table_fingerprint('partly', include_columns => '{id}') = fingerprint_agg(ROW(p.id)) AS "granted column"
FROM partly p;
SELECT table_fingerprint('partly');
SELECT table_fingerprint('scanned');
RESET ROLE;
DROP TABLE partly, guarded;
DROP ROLE fingerprint_reader;
