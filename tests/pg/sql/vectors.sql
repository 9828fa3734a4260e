-- Known answers: every vector of tests/core/vectors/encoding.tsv that PostgreSQL can hold,
-- as a typed literal in each PostgreSQL type that holds it, must give the file's row
-- fingerprints (hashed there with xxhsum/sha256sum, independent of our code) in both
-- algorithms. tests/pg/vectors_sql.py turns the file into SQL at build time, so no answer
-- is copied by hand; CTest passes its path in FINGERPRINT_PG_VECTORS.
\set VERBOSITY terse
SET TimeZone = 'UTC';
\getenv vectors_sql FINGERPRINT_PG_VECTORS
\if :{?vectors_sql}
\set ECHO none
\i :vectors_sql
\set ECHO all
\else
\echo FINGERPRINT_PG_VECTORS is not set: run this test through ctest, which generates the vectors
\endif
-- Mismatches: none.
SELECT name, pg_type, expression, algorithm, fp, expected
FROM vector_results WHERE fp IS DISTINCT FROM expected ORDER BY name, pg_type, algorithm;
-- The types the vectors were checked in.
SELECT string_agg(DISTINCT pg_type, ', ' ORDER BY pg_type) AS checked_types FROM vector_results;
-- Every vector is either checked in both algorithms or left out with its reason.
SELECT bool_and(checks % 2 = 0) AS both_algorithms
FROM (SELECT name, count(*) AS checks FROM vector_results GROUP BY name) c;
SELECT name, reason FROM vector_skipped ORDER BY name;
