-- table_fingerprint's direct scan reads each heap tuple's columns straight from its
-- stored bytes (pg_extension/src/stored_row.cpp); fingerprint_agg(t) deforms the row as
-- a record. Every tuple layout the walk can meet must give the same fingerprint both ways:
-- NULLs before and after fixed-width columns, short (1-byte header) and long varlenas,
-- compressed and out-of-line (TOASTed) values, dropped columns, columns added after the
-- rows were written (their values live in the catalog), and a subset of the columns.
\set VERBOSITY terse
CREATE TYPE layout_mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE layouts (
    a smallint, b integer, c bigint, d boolean, e real, f double precision, g numeric,
    h text, i varchar(300), j char(7), k bytea, l date, m timestamp, n timestamptz,
    o time, p uuid, q json, r jsonb, s "char", t name, u layout_mood, v bit(12), w oid
);
INSERT INTO layouts
SELECT CASE WHEN x % 11 = 0 THEN NULL ELSE (x % 30000)::smallint END,
       CASE WHEN x % 13 = 0 THEN NULL ELSE x * 7 END,
       x::bigint * 1000003,
       CASE WHEN x % 5 = 0 THEN NULL ELSE x % 2 = 0 END,
       x / 3.0, x / 7.0,
       CASE WHEN x % 17 = 0 THEN NULL WHEN x % 3 = 0 THEN (x * 12345.6789)::numeric
            WHEN x % 3 = 1 THEN -x / 1000.0 ELSE 10::numeric ^ (x % 40) END,
       -- short values, long inline values (4-byte header), compressible long values
       -- (compressed inline) and incompressible long values (out of line)
       CASE x % 4 WHEN 0 THEN 'short ' || x WHEN 1 THEN repeat('long ', 40) || x
                  WHEN 2 THEN repeat('compressible ', 400) || x
                  ELSE (SELECT string_agg(md5((x * 1000 + y)::text), '') FROM generate_series(1, 90) y) END,
       CASE WHEN x % 7 = 0 THEN NULL ELSE repeat('v', x % 300) END,
       CASE WHEN x % 9 = 0 THEN NULL ELSE 'c' || (x % 100) END,
       CASE WHEN x % 6 = 0 THEN NULL ELSE decode(repeat(to_hex(x), 1 + x % 50), 'escape') END,
       date '2000-01-01' + x,
       CASE WHEN x % 8 = 0 THEN NULL ELSE timestamp '2020-01-01' + x * interval '37 seconds 1 microsecond' END,
       timestamptz '2021-06-01 00:00+00' + x * interval '1 hour',
       time '00:00' + x * interval '1 second',
       md5(x::text)::uuid,
       CASE WHEN x % 10 = 0 THEN NULL ELSE json_build_object('x', x, 'b', 'z') END,
       jsonb_build_object('x', x, 'a', array[x, x + 1]),
       chr(65 + x % 26)::"char",
       ('name ' || x)::name,
       (ARRAY['sad', 'ok', 'happy'])[1 + x % 3]::layout_mood,
       (x % 4096)::bit(12),
       (x * 3)::oid
FROM generate_series(1, 3000) x;
-- A row of NULLs and a row of empty values.
INSERT INTO layouts (a) VALUES (NULL);
INSERT INTO layouts (h, i, j, k, t) VALUES ('', '', '', '', '');
SELECT count(*) FILTER (WHERE pg_column_size(h) < octet_length(h)) > 0 AS "compressed values present"
FROM layouts;
SELECT pg_relation_size(reltoastrelid) > 0 AS "out-of-line values present" FROM pg_class WHERE relname = 'layouts';
SET max_parallel_workers_per_gather = 0;
SELECT table_fingerprint('layouts') = fingerprint_agg(lay) AS "every type and layout" FROM layouts lay;
SELECT table_fingerprint('layouts', include_columns => '{b,g,h,r}') = fingerprint_agg(ROW(lay.b, lay.g, lay.h, lay.r))
       AS "some columns" FROM layouts lay;
SELECT table_fingerprint('layouts', algorithm => 'sha256') = fingerprint_agg(lay, 'sha256') AS "sha256"
FROM layouts lay;

-- A dropped column is stepped over, wherever it was.
ALTER TABLE layouts DROP COLUMN c, DROP COLUMN i;
SELECT table_fingerprint('layouts') = fingerprint_agg(lay) AS "dropped columns" FROM layouts lay;

-- Columns added later: the rows written before store fewer attributes.
ALTER TABLE layouts ADD COLUMN added_default integer DEFAULT 42, ADD COLUMN added_null text;
INSERT INTO layouts (a, h, added_default, added_null) VALUES (1, 'after', 7, 'new');
SELECT table_fingerprint('layouts') = fingerprint_agg(lay) AS "added columns" FROM layouts lay;
SELECT table_fingerprint('layouts', include_columns => '{a,b}') = fingerprint_agg(ROW(lay.a, lay.b))
       AS "added columns not read" FROM layouts lay;

-- The same through parallel workers.
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
SET parallel_setup_cost = 0;
SELECT table_fingerprint('layouts') = fingerprint_agg(lay) AS "parallel" FROM layouts lay;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_setup_cost;
DROP TABLE layouts;
DROP TYPE layout_mood;
