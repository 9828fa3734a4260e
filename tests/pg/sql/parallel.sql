-- Parallel aggregation: workers build partial states, which are serialized, combined
-- and finalized; the result equals the serial one.
\set VERBOSITY terse
CREATE TABLE wide (id integer, label text, amount numeric(14,4), at timestamptz, doc jsonb);
INSERT INTO wide
SELECT g, 'row ' || g, g / 7.0, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute',
       jsonb_build_object('g', g, 'odd', g % 2 = 1)
FROM generate_series(1, 20000) g;
ANALYZE wide;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT fingerprint_agg(w) FROM wide w;
SELECT fingerprint_agg(w) AS parallel_fp FROM wide w \gset
SELECT fingerprint_agg(w, 'sha256') AS parallel_sha FROM wide w \gset
SELECT table_fingerprint('wide') AS parallel_table_fp \gset
-- A filter that keeps no row (the planner cannot tell): every partial state is empty,
-- and the finalize step still finds the algorithm in the partial aggregate's call.
EXPLAIN (COSTS OFF) SELECT fingerprint_agg(w, 'sha256') FROM wide w WHERE id + 0 < 0;
SELECT fingerprint_agg(w, 'sha256') FROM wide w WHERE id + 0 < 0;
SELECT fingerprint_agg(w) FROM wide w WHERE id + 0 < 0;
CREATE TABLE nothing (id integer, span interval);
SELECT fingerprint_agg(n) FROM nothing n;
-- Per group, with the parallel plan.
SELECT string_agg(fp, ',' ORDER BY k) AS parallel_groups
FROM (SELECT id % 3 AS k, fingerprint_agg(w) AS fp FROM wide w GROUP BY 1) s \gset

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT fingerprint_agg(w) FROM wide w;
SELECT fingerprint_agg(w) = :'parallel_fp' AS "serial = parallel",
       fingerprint_agg(w, 'sha256') = :'parallel_sha' AS "sha256 serial = parallel",
       table_fingerprint('wide') = :'parallel_table_fp' AS "table serial = parallel",
       fingerprint_agg(w) = :'parallel_table_fp' AS "table = aggregate"
FROM wide w;
SELECT string_agg(fp, ',' ORDER BY k) = :'parallel_groups' AS "groups serial = parallel"
FROM (SELECT id % 3 AS k, fingerprint_agg(w) AS fp FROM wide w GROUP BY 1) s;
SELECT :'parallel_fp' AS fingerprint;
RESET ALL;
