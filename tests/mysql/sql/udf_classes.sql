-- Every class letter through the UDFs directly. The literal fingerprints pin the
-- encoding: the PostgreSQL extension must print the same strings for the same values.
SET NAMES utf8mb4;
SET time_zone = '+00:00';

SELECT row_fingerprint('i', 42) AS i, row_fingerprint('i', -42) AS i_negative;
SELECT row_fingerprint('u', 42) AS u, row_fingerprint('u', 42) = row_fingerprint('i', 42) AS u_eq_i;
SELECT row_fingerprint('d', 42.5) AS d, row_fingerprint('d', '42.50') = row_fingerprint('d', 42.5) AS d_scale;
-- Approximate (f) and exact (i, u, d) numbers are different classes, even for 0.5.
SELECT row_fingerprint('f', 0.5e0) AS f, row_fingerprint('f', 0.5e0) = row_fingerprint('d', 0.5) AS f_eq_d;
SELECT row_fingerprint('s', 'héllo') AS s, row_fingerprint('c', 'héllo   ') AS c_padded;
SELECT row_fingerprint('b', X'00FF10') AS b, row_fingerprint('b', 'abc') = row_fingerprint('s', 'abc') AS b_eq_s;
SELECT row_fingerprint('D', '2024-02-29') AS D, row_fingerprint('D', DATE '2024-02-29') = row_fingerprint('D', '2024-02-29') AS D_typed;
SELECT row_fingerprint('T', '2024-02-29 12:34:56.5') AS T,
       row_fingerprint('T', '2024-02-29 12:34:56.500000') = row_fingerprint('T', '2024-02-29 12:34:56.5') AS T_fraction;
SELECT row_fingerprint('t', '-838:59:59.000001') AS t, row_fingerprint('t', '01:02:03.5') = row_fingerprint('t', '1:02:03.500') AS t_fraction;
SELECT row_fingerprint('j', '{"b": [1.0, true, null], "a": "x"}') AS j;
SELECT row_fingerprint('U', '123E4567-E89B-12D3-A456-426614174000') = row_fingerprint('U', '123e4567-e89b-12d3-a456-426614174000') AS U_case;
SELECT row_fingerprint('sha256:i', 42) AS sha256_i;

-- Several values: one row. Order matters, and the classes apply position by position.
SELECT row_fingerprint('isdD', 1, 'a', 2.5, '2000-01-01') AS mixed;
SELECT row_fingerprint('ii', 1, 2) = row_fingerprint('ii', 2, 1) AS order_matters;

-- SQL NULL is its own value for every class; '' is not NULL.
SELECT row_fingerprint('i', NULL) AS null_i,
       row_fingerprint('i', NULL) = row_fingerprint('s', NULL) AS null_i_eq_null_s,
       row_fingerprint('j', NULL) = row_fingerprint('U', NULL) AS null_j_eq_null_U;
SELECT row_fingerprint('s', '') AS empty_s, row_fingerprint('s', '') = row_fingerprint('s', NULL) AS empty_eq_null;

-- The result is never NULL, and its column is exactly as wide as a fingerprint.
CREATE DATABASE t_classes;
CREATE TABLE t_classes.shape AS
SELECT row_fingerprint('i', NULL) AS r_xxh3, row_fingerprint('sha256:i', 1) AS r_sha256,
       fingerprint_agg('i', 1) AS a_xxh3, fingerprint_agg('sha256:i', 1) AS a_sha256;
SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = 't_classes' AND TABLE_NAME = 'shape' ORDER BY ORDINAL_POSITION;
SELECT * FROM t_classes.shape;

-- The argument name (alias) is what an error string reports.
SELECT row_fingerprint('ss', 'ok' AS first_col, X'FF' AS second_col) AS named;
DROP DATABASE t_classes;
