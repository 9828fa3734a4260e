-- bucket_fingerprints, bucket_rows and table_columns (docs/diff.md).
\set VERBOSITY terse

-- The sum modulo 2^128 of the bucket fingerprints, as a table fingerprint string.
CREATE FUNCTION hex_to_numeric(hex text) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(sum(('x' || lpad(substr(hex, 8 * i + 1, 8), 8, '0'))::bit(32)::bigint
                        * 4294967296::numeric ^ (3 - i)), 0)
    FROM generate_series(0, 3) i $$;
CREATE FUNCTION numeric_to_hex(n numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(lpad(to_hex(trunc(mod(trunc(n / 4294967296::numeric ^ (3 - i)), 4294967296))::bigint), 8, '0'),
                      '' ORDER BY i)
    FROM generate_series(0, 3) i $$;
CREATE FUNCTION sum_of_buckets(fps text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT 'fp1:' || min(split_part(fp, ':', 2)) || ':' || sum(split_part(fp, ':', 3)::bigint) || ':'
           || numeric_to_hex(mod(sum(hex_to_numeric(split_part(fp, ':', 4))), 2::numeric ^ 128))
    FROM unnest(fps) fp $$;

CREATE TABLE bk_orders (id bigint PRIMARY KEY, customer text, amount numeric(12,2), placed date, note text);
INSERT INTO bk_orders
SELECT g, 'customer ' || (g % 17), (g * 7 % 1000) / 4.0, date '2024-01-01' + g % 366,
       CASE WHEN g % 5 = 0 THEN NULL ELSE repeat('n', g % 13) END
FROM generate_series(1, 1000) g;

-- One bucket is the whole table.
SELECT * FROM bucket_fingerprints('bk_orders', 1);
SELECT (SELECT fingerprint FROM bucket_fingerprints('bk_orders', 1)) = table_fingerprint('bk_orders') AS "1 bucket = table";

-- Buckets partition the rows, and their fingerprints add up to the table's.
SELECT count(*) AS buckets, sum(rows) AS rows, min(bucket) >= 0 AND max(bucket) < 64 AS "in range",
       sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_orders') AS "sum = table",
       bool_and(fingerprint LIKE 'fp1:xxh3:' || rows || ':%') AS "printable form"
FROM bucket_fingerprints('bk_orders', 64);
-- Every row is in exactly one bucket, the one bucket_rows lists it in.
SELECT count(*) AS listed, count(DISTINCT key_image) AS keys,
       bool_and(r.fingerprint = row_fingerprint(o)) AS "row fingerprints"
FROM bucket_rows('bk_orders', 64, ARRAY(SELECT generate_series(0, 63))) r
JOIN bk_orders o ON r.key_json = '[' || o.id || ']';
SELECT b.bucket, b.rows = (SELECT count(*) FROM bucket_rows('bk_orders', 64, ARRAY[b.bucket])) AS "rows agree",
       b.fingerprint = (SELECT fingerprint_agg(o) FROM bk_orders o
                        WHERE '[' || o.id || ']' IN (SELECT key_json FROM bucket_rows('bk_orders', 64, ARRAY[b.bucket])))
           AS "fingerprint agrees"
FROM bucket_fingerprints('bk_orders', 64) b ORDER BY b.bucket LIMIT 5;

-- The bucket of a key does not depend on the bucket count's algorithm or the rows.
SELECT (SELECT array_agg(bucket ORDER BY bucket) FROM bucket_fingerprints('bk_orders', 1000))
     = (SELECT array_agg(bucket ORDER BY bucket) FROM bucket_fingerprints('bk_orders', 1000, algorithm => 'sha256'))
       AS "same buckets with sha256";
SELECT sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_orders', algorithm => 'sha256') AS "sha256 sum"
FROM bucket_fingerprints('bk_orders', 16, algorithm => 'sha256');
-- The maximum bucket count.
SELECT count(*) = 1000 AS "1000 buckets", max(rows) = 1 AS "one row each"
FROM bucket_fingerprints('bk_orders', 16777216);

-- Known answers (tests/core/bucket_test.cpp): key 42 is in bucket 600 of 1000.
SELECT bucket, key_image, key_json, fingerprint = (SELECT row_fingerprint(o) FROM bk_orders o WHERE id = 42) AS "fp"
FROM bucket_rows('bk_orders', 1000, '{600}') WHERE key_json = '[42]';

-- Included and excluded columns: as table_fingerprint.
SELECT sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_orders', include_columns => '{id,amount}')
       AS "include"
FROM bucket_fingerprints('bk_orders', 8, include_columns => '{id,amount}');
SELECT sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_orders', exclude_columns => '{note,id}')
       AS "exclude (key excluded too)"
FROM bucket_fingerprints('bk_orders', 8, exclude_columns => '{note,id}');
SELECT (SELECT array_agg(bucket ORDER BY bucket) FROM bucket_fingerprints('bk_orders', 8, exclude_columns => '{id}'))
     = (SELECT array_agg(bucket ORDER BY bucket) FROM bucket_fingerprints('bk_orders', 8)) AS "same buckets";

-- A filter: any boolean expression over the columns.
SELECT sum(rows) AS rows, sum_of_buckets(array_agg(fingerprint))
       = (SELECT fingerprint_agg(o) FROM bk_orders o WHERE placed >= '2024-06-01' AND note IS NOT NULL) AS "filtered"
FROM bucket_fingerprints('bk_orders', 32, filter => $$placed >= '2024-06-01' AND note IS NOT NULL$$);
SELECT count(*) AS rows FROM bucket_rows('bk_orders', 4, '{0,1,2,3}', filter => 'id % 100 = 0');
SELECT * FROM bucket_fingerprints('bk_orders', 4, filter => 'false');
SELECT count(*) FROM bucket_fingerprints('bk_orders', 4, filter => '  ') ;
SELECT * FROM bucket_fingerprints('bk_orders', 4, filter => 'no_such_column > 1');
SELECT * FROM bucket_fingerprints('bk_orders', 4, filter => 'id');
-- An unpopulated materialized view is an error, as for a SELECT (not an empty table).
CREATE MATERIALIZED VIEW bk_unpopulated AS SELECT * FROM bk_orders WITH NO DATA;
SELECT * FROM bucket_fingerprints('bk_unpopulated', 4, key_columns => '{id}');
SELECT * FROM bucket_rows('bk_unpopulated', 4, '{0}', key_columns => '{id}');
SELECT table_fingerprint('bk_unpopulated');
DROP MATERIALIZED VIEW bk_unpopulated;
-- A filter that changes the query's result columns is refused (once read a float8 as numeric).
SELECT * FROM bucket_fingerprints('bk_orders', 4,
    filter => $$true) UNION ALL (SELECT 1, 'c', 2.5::float8, date '2024-01-01', 'n'$$);
SELECT * FROM bucket_rows('bk_orders', 4, '{0}', key_columns => '{placed}', include_columns => '{placed}',
    filter => $$true) UNION ALL (SELECT timestamp '2024-01-01 12:00'$$);

-- bucket_rows with images: the row image hashes to the row fingerprint and holds the
-- included columns; the key image is the key's canonical bytes.
SELECT bucket, key_image, key_json, fingerprint, row_image
FROM bucket_rows('bk_orders', 4, '{0,1,2,3}', include_columns => '{id,amount,note}', filter => 'id IN (5, 7)',
                 with_images => true);
SELECT row_image IS NULL AS "no image by default"
FROM bucket_rows('bk_orders', 4, '{0,1,2,3}', filter => 'id = 7');
-- Ordered by bucket, then key image bytes.
SELECT bool_and(ordered) AS "ordered" FROM (
    SELECT (bucket, key_image) >= lag((bucket, key_image)) OVER (ORDER BY ordinality) IS NOT FALSE AS ordered
    FROM bucket_rows('bk_orders', 3, '{2,0}') WITH ORDINALITY) s;
SELECT count(*) FROM bucket_rows('bk_orders', 4, '{}');

-- A table without a primary key needs key_columns; duplicates share a key and a bucket.
CREATE TABLE bk_events (source text, seq integer, payload jsonb);
INSERT INTO bk_events VALUES ('b', 1, '{"x": 1}'), ('a', 2, NULL), ('a', 1, '[1, 2]'), ('a', 1, '[1, 2]');
SELECT * FROM bucket_fingerprints('bk_events', 4);
SELECT sum(rows) AS rows, sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_events') AS "sum = table"
FROM bucket_fingerprints('bk_events', 4, key_columns => '{source,seq}');
SELECT bucket, key_image, key_json, fingerprint FROM bucket_rows('bk_events', 1, '{0}', key_columns => '{source,seq}');
-- Key order matters: (seq, source) is another key image.
SELECT key_json FROM bucket_rows('bk_events', 1, '{0}', key_columns => '{seq,source}') LIMIT 1;
SELECT * FROM bucket_fingerprints('bk_events', 4, key_columns => '{}');

-- Composite and text keys; an enum, a uuid, a timestamp in a key.
CREATE TYPE bk_color AS ENUM ('red', 'green');
CREATE TABLE bk_keyed (name text COLLATE "C", tag bk_color, uid uuid, at timestamptz, v integer,
                    PRIMARY KEY (name, tag, uid, at));
INSERT INTO bk_keyed VALUES ('Ärger', 'green', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29 12:00:00+05', 1),
                         ('abc', 'red', '00000000-0000-0000-0000-000000000000', '1999-12-31 23:59:59.999999+00', 2);
SELECT bucket, key_json, encode(key_image, 'hex') AS key_image FROM bucket_rows('bk_keyed', 1, '{0}');
SELECT sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_keyed') AS "sum = table"
FROM bucket_fingerprints('bk_keyed', 2);

-- An bk_empty table has no buckets at all.
CREATE TABLE bk_empty (id integer PRIMARY KEY, v text);
SELECT * FROM bucket_fingerprints('bk_empty', 16);
SELECT * FROM bucket_rows('bk_empty', 16, '{0,1,2}');

-- A view has no primary key; with key_columns it is read through SQL like a table.
CREATE VIEW bk_recent AS SELECT * FROM bk_orders WHERE id > 900;
SELECT sum(rows) AS rows, sum_of_buckets(array_agg(fingerprint)) = table_fingerprint('bk_recent') AS "sum = table"
FROM bucket_fingerprints('bk_recent', 8, key_columns => '{id}');
-- The SQL path (a filter) and the direct scan agree bucket by bucket.
SELECT (SELECT array_agg(b ORDER BY b) FROM bucket_fingerprints('bk_orders', 16) b)
     = (SELECT array_agg(b ORDER BY b) FROM bucket_fingerprints('bk_orders', 16, filter => 'true') b) AS "same";

-- Row-level security and column privileges: read through SQL as a SELECT would.
CREATE ROLE fingerprint_bucket_reader;
GRANT SELECT ON bk_orders TO fingerprint_bucket_reader;
ALTER TABLE bk_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY small_ids ON bk_orders FOR SELECT TO fingerprint_bucket_reader USING (id <= 10);
SET ROLE fingerprint_bucket_reader;
SELECT sum(rows) AS "visible rows" FROM bucket_fingerprints('bk_orders', 4);
RESET ROLE;
REVOKE SELECT ON bk_orders FROM fingerprint_bucket_reader;
GRANT SELECT (id, amount) ON bk_orders TO fingerprint_bucket_reader;
SET ROLE fingerprint_bucket_reader;
SELECT sum(rows) AS "visible rows" FROM bucket_fingerprints('bk_orders', 4, include_columns => '{amount}');
SELECT * FROM bucket_fingerprints('bk_orders', 4);
RESET ROLE;
ALTER TABLE bk_orders DISABLE ROW LEVEL SECURITY;
DROP POLICY small_ids ON bk_orders;
REVOKE ALL ON bk_orders FROM fingerprint_bucket_reader;
DROP ROLE fingerprint_bucket_reader;

-- table_columns: value classes and primary-key positions.
CREATE TABLE bk_shapes (b text, a integer, dropped integer, c real, d date, e timestamp, f time, g json,
                     h interval, i bytea, PRIMARY KEY (a, b));
ALTER TABLE bk_shapes DROP COLUMN dropped;
SELECT * FROM table_columns('bk_shapes');
SELECT * FROM table_columns('bk_recent');

-- Errors name what is wrong.
SELECT * FROM bucket_fingerprints('bk_orders', 0);
SELECT * FROM bucket_fingerprints('bk_orders', -5);
SELECT * FROM bucket_fingerprints('bk_orders', 16777217);
SELECT * FROM bucket_fingerprints('bk_orders', NULL);
SELECT * FROM bucket_fingerprints('no_such_table', 4);
SELECT * FROM bucket_fingerprints('bk_orders', 4, key_columns => '{no_such_column}');
SELECT * FROM bucket_fingerprints('bk_orders', 4, key_columns => '{id,NULL}');
SELECT * FROM bucket_fingerprints('bk_orders', 4, include_columns => '{no_such_column}');
SELECT * FROM bucket_fingerprints('bk_orders', 4, exclude_columns => '{id,customer,amount,placed,note}');
SELECT * FROM bucket_fingerprints('bk_orders', 4, algorithm => 'md5');
SELECT * FROM bucket_fingerprints('bk_shapes', 4);
SELECT * FROM bucket_fingerprints('bk_shapes', 4, key_columns => '{h}', include_columns => '{a}');
SELECT * FROM bucket_fingerprints('bk_events', 4, key_columns => '{payload}');
SELECT * FROM bucket_rows('bk_orders', 4, '{4}');
SELECT * FROM bucket_rows('bk_orders', 4, '{-1}');
SELECT * FROM bucket_rows('bk_orders', 4, '{1,NULL}');
SELECT * FROM bucket_rows('bk_orders', 4, NULL);
SELECT * FROM bucket_rows('bk_orders', 4, '{1}', with_images => NULL);
SELECT * FROM table_columns('no_such_table');
SELECT * FROM bucket_fingerprints(NULL, 4);
