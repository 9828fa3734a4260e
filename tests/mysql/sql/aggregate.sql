-- fingerprint_agg: a table fingerprint is the row count and the sum of the row hashes,
-- so row order does not matter, duplicates count, and zero rows give a fixed value.
SET NAMES utf8mb4;
CREATE DATABASE t_agg;
USE t_agg;
CREATE TABLE a (id INT, v VARCHAR(10));
CREATE TABLE b (id INT, v VARCHAR(10));
INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, NULL);
INSERT INTO b VALUES (3, NULL), (1, 'x'), (2, 'y');

SELECT fingerprint_agg('is', id, v) AS fp FROM a;
SELECT (SELECT fingerprint_agg('is', id, v) FROM a) = (SELECT fingerprint_agg('is', id, v) FROM b) AS insert_order_independent;
SELECT (SELECT fingerprint_agg('is', id, v) FROM (SELECT * FROM a ORDER BY id DESC LIMIT 10) x)
     = (SELECT fingerprint_agg('is', id, v) FROM (SELECT * FROM a ORDER BY id ASC LIMIT 10) y) AS scan_order_independent;

-- Duplicates count: a row added twice changes the count and the sum.
INSERT INTO b VALUES (1, 'x');
SELECT fingerprint_agg('is', id, v) AS with_duplicate FROM b;
SELECT (SELECT fingerprint_agg('is', id, v) FROM a) = (SELECT fingerprint_agg('is', id, v) FROM b) AS equal_after_duplicate;

-- Zero rows: the empty fingerprint, for each algorithm.
SELECT fingerprint_agg('is', id, v) AS empty_xxh3 FROM a WHERE id > 100;
SELECT fingerprint_agg('sha256:is', id, v) AS empty_sha256 FROM a WHERE id > 100;
CREATE TABLE nothing (id INT);
SELECT fingerprint_agg('i', id) AS empty_table FROM nothing;

-- SHA-256 over the same rows.
SELECT fingerprint_agg('sha256:is', id, v) AS sha256 FROM a;

-- One row: the sum is that row's hash.
SELECT fingerprint_agg('is', id, v) AS agg_one, row_fingerprint('is', id, v) AS row_one FROM a WHERE id = 1;

-- GROUP BY: each group starts from a clean state (_clear), including groups whose first
-- row fails and groups after a failing one.
CREATE TABLE g (grp INT, v VARBINARY(10));
INSERT INTO g VALUES (1, 'a'), (1, 'b'), (2, X'FF'), (2, 'c'), (3, 'a'), (3, 'b'), (4, 'c');
SELECT grp, fingerprint_agg('s', v) AS fp FROM g GROUP BY grp ORDER BY grp;
SELECT (SELECT fingerprint_agg('s', v) FROM g WHERE grp = 1) = (SELECT fingerprint_agg('s', v) FROM g WHERE grp = 3)
       AS same_rows_same_fingerprint;
-- An empty GROUP BY result has no rows at all (no group, no empty fingerprint).
SELECT grp, fingerprint_agg('s', v) AS fp FROM g WHERE grp > 100 GROUP BY grp;

-- Rows are hashed in batches (mysql_udf/src/call_state.hpp, BatchRow): 3000 rows fill
-- several batches, with NULLs, integers (an 8-byte slot each), DECIMAL and DATETIME text
-- and one row larger than a batch (hashed on its own) among them. The fingerprint is the
-- one rows hashed one by one gave (this expected output was made by the build before
-- batching), in either scan order, and the first bad value met is the one reported.
CREATE TABLE many (id INT PRIMARY KEY, d DECIMAL(12,2), t DATETIME(6), v LONGTEXT);
INSERT INTO many SELECT seq, seq / 7, TIMESTAMP '2020-01-01 00:00:00.5' + INTERVAL seq SECOND,
       IF(seq % 5 = 0, NULL, IF(seq = 1500, REPEAT('x', 100000), CONCAT('row ', seq))) FROM seq_1_to_3000;
SELECT fingerprint_agg('idTs', id, d, t, v) AS many_rows FROM many;
SELECT (SELECT fingerprint_agg('idTs', id, d, t, v) FROM (SELECT * FROM many ORDER BY id LIMIT 5000) x)
     = (SELECT fingerprint_agg('idTs', id, d, t, v) FROM (SELECT * FROM many ORDER BY id DESC LIMIT 5000) y)
       AS batch_order_independent;
SELECT fingerprint_agg('idTs', id, d, IF(id = 2900, 'not a time', t) AS t_bad, IF(id = 2500, X'C328', v) AS v_bad)
       AS first_error FROM many;

-- GROUP BY ... WITH ROLLUP is refused: MariaDB shares the aggregate's state between the
-- rollup levels, which gave every group and the total a wrong fingerprint. Every
-- result of a query over more than one row is the error string; plain GROUP BY gives
-- each group what the group alone gives, and a query of one row (where sharing does no
-- harm) is not refused.
CREATE TABLE small (grp INT, v INT);
INSERT INTO small VALUES (1, 1), (1, 2), (2, 3), (2, 4), (3, 5);
SELECT grp, fingerprint_agg('i', v) AS rollup_refused FROM small GROUP BY grp WITH ROLLUP;
SELECT grp, v, fingerprint_agg('i', v) AS two_levels FROM small WHERE grp < 3 GROUP BY grp, v WITH ROLLUP;
SELECT grp, fingerprint_agg('i', v) AS one_row FROM small WHERE v = 5 GROUP BY grp WITH ROLLUP;
SELECT grp, fingerprint_agg('i', v) AS per_group FROM small GROUP BY grp;
SELECT (SELECT fingerprint_agg('i', v) FROM small WHERE grp = 2) AS group_2_alone,
       (SELECT fingerprint_agg('i', v) FROM small WHERE v = 5) AS row_5_alone;
-- The other aggregates share the guard: fingerprint_buckets and fingerprint_advance
-- refuse WITH ROLLUP the same way and still answer a plain GROUP BY.
SELECT grp, fingerprint_buckets('xxh3:i', '4:i', v, v) AS buckets_rollup_refused FROM small GROUP BY grp WITH ROLLUP;
SELECT grp, fingerprint_buckets('xxh3:i', '4:i', v, v) = (SELECT fingerprint_buckets('xxh3:i', '4:i', s.v, s.v)
       FROM small s WHERE s.grp = small.grp) AS buckets_per_group FROM small GROUP BY grp;
SELECT grp, fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, row_fingerprint('i', v))
       AS advance_rollup_refused FROM small GROUP BY grp WITH ROLLUP;
SELECT grp, fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, row_fingerprint('i', v))
       = fingerprint_agg('i', v) AS advance_per_group FROM small GROUP BY grp;

-- The aggregate equals what the procedure computes for the table.
CALL fingerprint.table_fingerprint('t_agg.a');
DROP DATABASE t_agg;
