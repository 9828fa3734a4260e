-- Bucketed fingerprints: table_columns, bucket_fingerprints(_with), bucket_rows(_with) and
-- the UDFs behind them. The orders and events tables hold the rows of
-- tests/pg/sql/buckets.sql, so the fingerprints, buckets and key images printed here are
-- the ones PostgreSQL prints.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
CREATE DATABASE t_buckets;
USE t_buckets;

-- 128-bit hex as a number, to add bucket sums modulo 2^128 in SQL.
CREATE FUNCTION hex128(h VARCHAR(32)) RETURNS DECIMAL(65,0) DETERMINISTIC
RETURN CAST(CONV(SUBSTR(h, 1, 8), 16, 10) AS DECIMAL(65,0)) * 79228162514264337593543950336
     + CAST(CONV(SUBSTR(h, 9, 8), 16, 10) AS DECIMAL(65,0)) * 18446744073709551616
     + CAST(CONV(SUBSTR(h, 17, 8), 16, 10) AS DECIMAL(65,0)) * 4294967296
     + CAST(CONV(SUBSTR(h, 25, 8), 16, 10) AS DECIMAL(65,0));

CREATE TABLE orders (id BIGINT PRIMARY KEY, customer TEXT, amount DECIMAL(12,2), placed DATE, note TEXT);
INSERT INTO orders
SELECT seq, CONCAT('customer ', seq % 17), (seq * 7 % 1000) / 4.0, DATE '2024-01-01' + INTERVAL seq % 366 DAY,
       IF(seq % 5 = 0, NULL, REPEAT('n', seq % 13))
FROM seq_1_to_1000;

-- One bucket is the whole table (the same string as PostgreSQL's for these rows).
CALL fingerprint.bucket_fingerprints('t_buckets.orders', 1);
CALL fingerprint.table_fingerprint('t_buckets.orders');

-- The UDF behind bucket_fingerprints: 64 buckets whose rows and sums add up to the table.
SET @buckets = (SELECT fingerprint_buckets('xxh3:isdDs', '64:i', id, id, customer, amount, placed, note) FROM orders);
SELECT COUNT(*) AS buckets, SUM(b.`rows`) AS `rows`, MIN(b.bucket) >= 0 AND MAX(b.bucket) < 64 AS in_range,
       MOD(SUM(hex128(SUBSTRING_INDEX(b.fp, ':', -1))), CAST(340282366920938463463374607431768211456 AS DECIMAL(65,0)))
         = (SELECT hex128(SUBSTRING_INDEX(fingerprint_agg('isdDs', id, customer, amount, placed, note), ':', -1))
            FROM orders) AS sum_is_table
FROM JSON_TABLE(@buckets, '$[*]' COLUMNS (bucket INT PATH '$[0]', `rows` BIGINT PATH '$[1]',
                                          fp VARCHAR(80) PATH '$[2]')) AS b;
-- Every row lands in the bucket fingerprint_bucket_of gives its key.
SELECT COUNT(*) AS rows_checked FROM (
    SELECT fingerprint_bucket_of('64:i', id) AS bucket, COUNT(*) AS n FROM orders GROUP BY 1) AS per_bucket
JOIN JSON_TABLE(@buckets, '$[*]' COLUMNS (bucket INT PATH '$[0]', `rows` BIGINT PATH '$[1]')) AS b
  ON b.bucket = per_bucket.bucket AND b.`rows` = per_bucket.n;

-- Known answer (tests/core/bucket_test.cpp): key 42 is in bucket 600 of 1000.
SELECT fingerprint_bucket_of('1000:i', 42) AS bucket, HEX(fingerprint_image('i', 42)) AS key_image,
       fingerprint_key_json('i', 42) AS key_json;
CALL fingerprint.bucket_rows_with('t_buckets.orders', 1000, '600', NULL, NULL, NULL, 'id = 42', NULL, NULL);
SELECT row_fingerprint('isdDs', id, customer, amount, placed, note) AS row_42 FROM orders WHERE id = 42;

-- bucket_fingerprints_json: the buckets of bucket_fingerprints_with as one JSON array.
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, 'note', 'id > 10', 'sha256');
CALL fingerprint.bucket_fingerprints_json('t_buckets.orders', 4, NULL, NULL, 'note', 'id > 10', 'sha256');
CALL fingerprint.bucket_fingerprints_json('t_buckets.orders', 4, NULL, NULL, NULL, 'FALSE', NULL);
CALL fingerprint.bucket_fingerprints_json('t_buckets.orders', 0, NULL, NULL, NULL, NULL, NULL);

-- The same bucket for a key whatever the algorithm; sha256 buckets add up to sha256.
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, NULL, NULL, 'sha256');
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 1, NULL, NULL, NULL, NULL, 'sha256');
CALL fingerprint.table_fingerprint_with('t_buckets.orders', NULL, NULL, 'sha256');

-- Included and excluded columns (the key may be excluded: it still picks the bucket).
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 1, NULL, 'id,amount', NULL, NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_buckets.orders', 'id,amount', NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 1, NULL, NULL, 'note,id', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_buckets.orders', NULL, 'note,id', NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, 'id', NULL, NULL);

-- A filter: any boolean expression over the columns.
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 1, NULL, NULL, NULL,
                                          'placed >= ''2024-06-01'' AND note IS NOT NULL', NULL);
SELECT fingerprint_agg('isdDs', id, customer, amount, placed, note) AS filtered
FROM orders WHERE placed >= '2024-06-01' AND note IS NOT NULL;
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, NULL, 'FALSE', NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, NULL, '  ', NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, NULL, 'no_such_column > 1', NULL);

-- bucket_rows with images, in the order the scan meets the rows (no ORDER BY); without
-- images, row_image is NULL.
CALL fingerprint.bucket_rows_with('t_buckets.orders', 4, '0,1,2,3', NULL, 'id,amount,note', NULL,
                                  'id IN (5, 7)', NULL, TRUE);
CALL fingerprint.bucket_rows_with('t_buckets.orders', 4, '3, 0', NULL, 'id,amount,note', NULL,
                                  'id IN (5, 7)', NULL, FALSE);
CALL fingerprint.bucket_rows('t_buckets.orders', 4, '');

-- A table without a primary key needs a key; duplicates share a key and a bucket.
CREATE TABLE events (source TEXT, seq INT, payload JSON);
INSERT INTO events VALUES ('b', 1, '{"x": 1}'), ('a', 2, NULL), ('a', 1, '[1, 2]'), ('a', 1, '[1,2]');
CALL fingerprint.bucket_fingerprints('t_buckets.events', 4);
CALL fingerprint.bucket_fingerprints_with('t_buckets.events', 1, 'source,seq', NULL, NULL, NULL, NULL);
CALL fingerprint.table_fingerprint('t_buckets.events');
CALL fingerprint.bucket_rows_with('t_buckets.events', 1, '0', 'source,seq', NULL, NULL, NULL, NULL, NULL);
CALL fingerprint.bucket_rows_with('t_buckets.events', 1, '0', 'seq, source', NULL, NULL, 'seq = 1 AND source = ''b''',
                                  NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.events', 4, 'payload', NULL, NULL, NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.events', 4, ' , ', NULL, NULL, NULL, NULL);

-- Composite text keys under a case-insensitive collation, an ENUM, a CHAR(36) and a UUID
-- column holding uuids, a TIMESTAMP.
CREATE TABLE keyed (name VARCHAR(20) COLLATE utf8mb4_general_ci, tag ENUM('red', 'green'), uid CHAR(36),
                    u UUID, at TIMESTAMP(6) NULL, v INT, PRIMARY KEY (name, tag, uid));
INSERT INTO keyed VALUES ('Ärger', 'green', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                          'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29 07:00:00', 1),
                         ('Abc', 'red', '00000000-0000-0000-0000-000000000000',
                          '00000000-0000-0000-0000-000000000000', '1999-12-31 23:59:59.999999', 2);
-- 'abc' is the same key as 'Abc' here; the key image keeps the bytes as stored.
INSERT INTO keyed (name, tag, uid, v) VALUES ('abc', 'red', '00000000-0000-0000-0000-000000000000', 3);
CALL fingerprint.bucket_rows('t_buckets.keyed', 1, '0');
CALL fingerprint.bucket_rows_with('t_buckets.keyed', 1, '0', 'u,at', NULL, NULL, 'u IS NOT NULL', NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.keyed', 1, 'name', NULL, NULL, NULL, NULL);
CALL fingerprint.table_fingerprint('t_buckets.keyed');

-- With an integer primary key as the key, bucket_rows first collects the keys of the
-- wanted buckets and then fetches their rows by key; otherwise it reads the rows in one
-- scan. Both give the same rows: u2 is u1 plus a column whose name turns the first way
-- off (it is left out of the fingerprints).
CREATE TABLE u1 (a BIGINT UNSIGNED, b SMALLINT, v TEXT, PRIMARY KEY (a, b));
INSERT INTO u1 VALUES (18446744073709551615, -3, 'max'), (0, 0, NULL), (7, 1, 'seven'), (7, 2, 'seven too');
CREATE TABLE u2 (a BIGINT UNSIGNED, b SMALLINT, v TEXT, fingerprint_key_1 INT, PRIMARY KEY (a, b));
INSERT INTO u2 SELECT a, b, v, 1 FROM u1;
SET SESSION group_concat_max_len = 4096;
CALL fingerprint.bucket_rows_with('t_buckets.u1', 8, '4,0', NULL, NULL, NULL, NULL, NULL, TRUE);
CALL fingerprint.bucket_rows_with('t_buckets.u2', 8, '4,0', NULL, NULL, 'fingerprint_key_1', NULL, NULL, TRUE);
CALL fingerprint.bucket_rows_with('t_buckets.u1', 8, '6,0', 'a,b', NULL, 'a', 'v IS NOT NULL', 'sha256', FALSE);
CALL fingerprint.bucket_rows_with('t_buckets.u2', 8, '6,0', 'a,b', NULL, 'a,fingerprint_key_1', 'v IS NOT NULL',
                                  'sha256', FALSE);
SELECT @fingerprint_keys IS NULL AND @fingerprint_key_count IS NULL AS no_leftover, @@group_concat_max_len;
SET SESSION group_concat_max_len = DEFAULT;

-- An empty table has no buckets.
CREATE TABLE empty (id INT PRIMARY KEY, v TEXT);
CALL fingerprint.bucket_fingerprints('t_buckets.empty', 16);
CALL fingerprint.bucket_rows('t_buckets.empty', 16, '0,1,2');
SELECT fingerprint_buckets('xxh3:s', '16:i', id, v) AS no_rows FROM empty;

-- Session settings are restored, also after an error.
SET time_zone = '-08:00';
CALL fingerprint.bucket_fingerprints('t_buckets.keyed', 1);
CALL fingerprint.bucket_fingerprints('t_buckets.keyed', 0);
SELECT @@time_zone, @fingerprint_buckets IS NULL AS no_leftover;
SET time_zone = '+00:00';

-- table_columns: value classes and primary-key positions.
CREATE TABLE shapes (b TEXT, a INT UNSIGNED, c FLOAT, d DATE, e DATETIME, f TIME, g JSON, h POINT, i BLOB,
                     j DECIMAL(5,2), k CHAR(3), PRIMARY KEY (a, b(10)));
CALL fingerprint.table_columns('t_buckets.shapes');

-- Errors name what is wrong.
CALL fingerprint.bucket_fingerprints('t_buckets.orders', 0);
CALL fingerprint.bucket_fingerprints('t_buckets.orders', -5);
CALL fingerprint.bucket_fingerprints('t_buckets.orders', 16777217);
CALL fingerprint.bucket_fingerprints('t_buckets.orders', NULL);
CALL fingerprint.bucket_fingerprints('t_buckets.no_such_table', 4);
CALL fingerprint.bucket_fingerprints('orders', 4);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, 'no_such_column', NULL, NULL, NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, 'no_such_column', NULL, NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, 'id,customer,amount,placed,note', NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_buckets.orders', 4, NULL, NULL, NULL, NULL, 'md5');
CALL fingerprint.bucket_fingerprints('t_buckets.shapes', 4);
CALL fingerprint.bucket_fingerprints_with('t_buckets.shapes', 4, 'h', 'a', NULL, NULL, NULL);
CALL fingerprint.bucket_rows('t_buckets.orders', 4, '4');
CALL fingerprint.bucket_rows('t_buckets.orders', 4, '-1');
CALL fingerprint.bucket_rows('t_buckets.orders', 4, '1,x');
CALL fingerprint.bucket_rows('t_buckets.orders', 4, NULL);
CALL fingerprint.table_columns('t_buckets.no_such_table');
-- A value the core refuses names its column.
CREATE TABLE bad (id VARBINARY(4) PRIMARY KEY, v INT);
INSERT INTO bad VALUES (X'FF', 1);
SELECT fingerprint_bucket_of('4:s', id) AS refused FROM bad;
SELECT fingerprint_image('s', id AS id) AS refused FROM bad;
SELECT fingerprint_buckets('xxh3:i', '4:s', id AS id, v) AS refused FROM bad;
SELECT fingerprint_buckets('xxh3:i', '0:i', id, v) FROM bad;
SELECT fingerprint_buckets('xxh3:i', '4:i', id) FROM bad;
SELECT fingerprint_bucket_of('4:q', id) FROM bad;

-- Through the procedures, a refused value is SQLSTATE 22023 naming its column: in the
-- fingerprinted columns and in the key (a JSON key column here).
SET SESSION check_constraint_checks = 0;
CREATE TABLE bad_doc (id INT PRIMARY KEY, doc JSON);
INSERT INTO bad_doc VALUES (1, '{"a": [1, 2]}'), (2, '{"a": ');
SET SESSION check_constraint_checks = 1;
CALL fingerprint.bucket_fingerprints('t_buckets.bad_doc', 4);
CALL fingerprint.bucket_fingerprints_json('t_buckets.bad_doc', 4, NULL, NULL, NULL, NULL, NULL);
CALL fingerprint.bucket_rows('t_buckets.bad_doc', 1, '0');
CALL fingerprint.bucket_rows_with('t_buckets.bad_doc', 1, '0', NULL, NULL, NULL, NULL, NULL, TRUE);
CALL fingerprint.bucket_rows_with('t_buckets.bad_doc', 4, '0,1,2,3', 'doc', NULL, 'doc', NULL, NULL, NULL);
-- The good row alone, and the table without the bad column, are fine.
CALL fingerprint.bucket_rows_with('t_buckets.bad_doc', 1, '0', NULL, NULL, NULL, 'id = 1', NULL, TRUE);
CALL fingerprint.bucket_rows_with('t_buckets.bad_doc', 1, '0', NULL, NULL, 'doc', NULL, NULL, TRUE);
SELECT @@session.time_zone AS restored_after_data_error, @fingerprint_sql IS NULL AS no_leftover;

-- Read-only replicas: a user with only SELECT and EXECUTE (who may not even create a
-- temporary table), on a read_only server, gets the same results: the procedures write
-- nothing.
CREATE USER fp_bucket_reader@localhost;
GRANT SELECT ON t_buckets.* TO fp_bucket_reader@localhost;
GRANT SELECT, EXECUTE ON fingerprint.* TO fp_bucket_reader@localhost;
SET GLOBAL read_only = ON;

system mariadb --no-defaults -u fp_bucket_reader -e "CALL fingerprint.bucket_fingerprints('t_buckets.orders', 2)"
system mariadb --no-defaults -u fp_bucket_reader -e "CALL fingerprint.bucket_rows_with('t_buckets.orders', 1000, '600', NULL, 'id,amount', NULL, NULL, NULL, TRUE)"
system mariadb --no-defaults -u fp_bucket_reader -e "CALL fingerprint.bucket_fingerprints_json('t_buckets.orders', 2, NULL, NULL, NULL, NULL, NULL)"
system mariadb --no-defaults -u fp_bucket_reader -e "CALL fingerprint.table_columns('t_buckets.empty')"
system mariadb --no-defaults -u fp_bucket_reader -e "CREATE TEMPORARY TABLE t_buckets.scratch (i INT)"
SET GLOBAL read_only = OFF;
DROP USER fp_bucket_reader@localhost;

DROP DATABASE t_buckets;
