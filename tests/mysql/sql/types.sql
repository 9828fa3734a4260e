-- Every supported type (as tests/pg/sql/types.sql on PostgreSQL): first every class letter
-- through the UDFs directly, whose literal fingerprints pin the encoding (the PostgreSQL
-- extension must print the same strings for the same values), then the equalities the
-- canonical encoding promises, through real columns. The known answers of
-- tests/core/vectors/encoding.tsv are checked in every MariaDB type by the test `vectors`;
-- the literals here are values that file does not hold.
SET NAMES utf8mb4;
SET time_zone = '+00:00';

SELECT row_fingerprint('i', 42) AS i, row_fingerprint('i', -42) AS i_negative;
SELECT row_fingerprint('u', 42) AS u, row_fingerprint('u', 42) = row_fingerprint('i', 42) AS u_eq_i;
SELECT row_fingerprint('d', 42.5) AS d, row_fingerprint('d', '42.50') = row_fingerprint('d', 42.5) AS d_scale;
-- Approximate (f) and exact (i, u, d) numbers are different classes, even for 0.5.
SELECT row_fingerprint('f', 0.5e0) AS f, row_fingerprint('f', 0.5e0) = row_fingerprint('d', 0.5) AS f_eq_d;
SELECT row_fingerprint('s', 'héllo') AS s, row_fingerprint('c', 'héllo   ') AS c_padded;
SELECT row_fingerprint('b', X'00FF10') AS b, row_fingerprint('b', 'abc') = row_fingerprint('s', 'abc') AS b_eq_s;
SELECT row_fingerprint('D', DATE '2024-02-29') = row_fingerprint('D', '2024-02-29') AS D_typed;
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
SELECT row_fingerprint('i', NULL) = row_fingerprint('s', NULL) AS null_i_eq_null_s,
       row_fingerprint('j', NULL) = row_fingerprint('U', NULL) AS null_j_eq_null_U;
SELECT row_fingerprint('s', '') = row_fingerprint('s', NULL) AS empty_eq_null;

-- The result is never NULL, and its column is exactly as wide as a fingerprint.
CREATE DATABASE t_classes;
CREATE TABLE t_classes.shape AS
SELECT row_fingerprint('i', NULL) AS r_xxh3, row_fingerprint('sha256:i', 1) AS r_sha256,
       fingerprint_agg('i', 1) AS a_xxh3, fingerprint_agg('sha256:i', 1) AS a_sha256;
SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = 't_classes' AND TABLE_NAME = 'shape' ORDER BY ORDINAL_POSITION;
-- (The row fingerprints of NULL and 1 are known answers of the test `vectors`.)
SELECT LENGTH(r_xxh3) AS r_xxh3_length, LENGTH(r_sha256) AS r_sha256_length, a_xxh3, a_sha256
FROM t_classes.shape;

-- The argument name (alias) is what an error string reports.
SELECT row_fingerprint('ss', 'ok' AS first_col, X'FF' AS second_col) AS named;
DROP DATABASE t_classes;
-- Which values are "the same" (docs/FORMAT.md), checked through real columns of
-- different types with the class letters the procedures choose. Each comparison is
-- named after what it proves; 1 = same fingerprint, 0 = different.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
CREATE DATABASE t_eq;
USE t_eq;

-- Exact numbers: scale, integer vs decimal, negative zero, booleans, unsigned.
CREATE TABLE num (d63 DECIMAL(6,3), d41 DECIMAL(4,1), i INT, d2 DECIMAL(6,2), negzero DECIMAL(4,2),
                  tiny TINYINT, flag BOOL, ubig BIGINT UNSIGNED, sbig BIGINT);
INSERT INTO num VALUES (1.5, 1.5, 2, 2.00, -0.00, 1, TRUE, 18446744073709551615, -1);
SELECT d63, d41, d2, negzero, ubig FROM num;
SELECT row_fingerprint('d', d63) = row_fingerprint('d', d41) AS dec_1_500_eq_1_5,
       row_fingerprint('d', d63) = row_fingerprint('d', '1.5') AS dec_1_500_eq_text_1_5,
       row_fingerprint('i', i) = row_fingerprint('d', d2) AS int_2_eq_dec_2_00,
       row_fingerprint('d', negzero) = row_fingerprint('i', 0) AS dec_neg_zero_eq_0,
       row_fingerprint('i', tiny) = row_fingerprint('i', flag) AS tinyint_1_eq_bool_true
FROM num;
-- MariaDB stores -0.00 as 0.00; the text form is normalized by the core as well.
SELECT row_fingerprint('d', '-0.00') = row_fingerprint('i', 0) AS text_neg_zero_eq_0;
SELECT row_fingerprint('u', ubig) = row_fingerprint('d', '18446744073709551615') AS ubig_max_eq_decimal,
       row_fingerprint('u', ubig) = row_fingerprint('i', sbig) AS ubig_max_eq_minus_1,
       row_fingerprint('i', ubig) = row_fingerprint('i', sbig) AS ubig_as_signed_eq_minus_1
FROM num;

-- Approximate numbers: FLOAT widens exactly to double; -0.0 = 0.0.
CREATE TABLE approx (f FLOAT, dbl DOUBLE, dbl_short DOUBLE, negzero DOUBLE, zero DOUBLE);
INSERT INTO approx VALUES (0.1, 0.10000000149011612, 0.1, -0e0, 0e0);
SELECT f, dbl, negzero, zero FROM approx;
SELECT row_fingerprint('f', f) = row_fingerprint('f', dbl) AS float_0_1_eq_double_widened,
       row_fingerprint('f', f) = row_fingerprint('f', dbl_short) AS float_0_1_eq_double_0_1,
       row_fingerprint('f', negzero) = row_fingerprint('f', zero) AS neg_zero_eq_zero,
       row_fingerprint('f', -0e0) = row_fingerprint('f', 0e0) AS literal_neg_zero_eq_zero
FROM approx;

-- Text: the character set of the column does not matter once converted to utf8mb4;
-- CHAR pads, VARCHAR keeps trailing spaces; bytes and text are one class.
CREATE TABLE txt (l1 VARCHAR(10) CHARACTER SET latin1, u8 VARCHAR(10) CHARACTER SET utf8mb4,
                  ch CHAR(5), vc VARCHAR(5), vc_space VARCHAR(5), bin BINARY(2), vbin VARBINARY(5),
                  e ENUM('ab', 'cd'));
INSERT INTO txt VALUES ('é', 'é', 'ab', 'ab', 'ab ', 'ab', 'ab', 'ab');
SELECT HEX(l1), HEX(u8), LENGTH(ch), LENGTH(vc_space) FROM txt;
SELECT row_fingerprint('s', CONVERT(l1 USING utf8mb4)) = row_fingerprint('s', CONVERT(u8 USING utf8mb4))
           AS latin1_e_acute_eq_utf8mb4,
       row_fingerprint('c', CONVERT(ch USING utf8mb4)) = row_fingerprint('s', CONVERT(vc USING utf8mb4))
           AS char5_ab_eq_varchar_ab,
       row_fingerprint('c', CONVERT(ch USING utf8mb4)) = row_fingerprint('s', CONVERT(vc_space USING utf8mb4))
           AS char5_ab_eq_varchar_ab_space,
       row_fingerprint('b', bin) = row_fingerprint('s', CONVERT(vc USING utf8mb4)) AS binary_ab_eq_varchar_ab,
       row_fingerprint('b', vbin) = row_fingerprint('b', bin) AS varbinary_eq_binary,
       row_fingerprint('s', CONVERT(e USING utf8mb4)) = row_fingerprint('s', 'ab') AS enum_eq_its_label
FROM txt;
-- Without the conversion a latin1 value is not UTF-8: the procedures always convert.
SELECT row_fingerprint('s', l1) AS latin1_unconverted FROM txt;
-- PAD_CHAR_TO_FULL_LENGTH hands CHAR over with its padding; class c drops it again.
SET SESSION sql_mode = CONCAT(@@sql_mode, ',PAD_CHAR_TO_FULL_LENGTH');
SELECT LENGTH(ch) AS padded_length,
       row_fingerprint('c', CONVERT(ch USING utf8mb4)) = row_fingerprint('s', 'ab') AS padded_char_eq_ab
FROM txt;
SET SESSION sql_mode = DEFAULT;

-- Temporal values: the instant counts, not its precision or the session zone it was
-- written in. TIMESTAMP reaches the UDF in the session zone, hence the procedures'
-- time_zone = '+00:00'.
CREATE TABLE tim (dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), ts_east TIMESTAMP NULL,
                  ts_west TIMESTAMP NULL, t2 TIME(2), t6 TIME(6), t0 TIME);
SET time_zone = '+05:00';
INSERT INTO tim (dt0, dt3, dt6, ts_east, t2, t6, t0)
VALUES ('2021-03-04 05:06:07', '2021-03-04 05:06:07.000', '2021-03-04 05:06:07.000000',
        '2021-03-04 10:06:07', '01:02:03.50', '01:02:03.500000', '01:02:03');
SET time_zone = '-03:00';
UPDATE tim SET ts_west = '2021-03-04 02:06:07';
SET time_zone = '+00:00';
SELECT dt0, dt3, dt6, ts_east, ts_west, t2, t6 FROM tim;
SELECT row_fingerprint('T', dt0) = row_fingerprint('T', dt3) AS datetime0_eq_datetime3,
       row_fingerprint('T', dt0) = row_fingerprint('T', dt6) AS datetime0_eq_datetime6,
       row_fingerprint('T', dt0) = row_fingerprint('T', ts_east) AS datetime_eq_timestamp_east,
       row_fingerprint('T', ts_east) = row_fingerprint('T', ts_west) AS timestamp_east_eq_west,
       row_fingerprint('t', t2) = row_fingerprint('t', t6) AS time2_eq_time6,
       row_fingerprint('t', t2) = row_fingerprint('t', t0) AS time_half_second_eq_whole
FROM tim;
-- The same comparison read in another session zone without pinning it: TIMESTAMP moves.
SET time_zone = '+09:00';
SELECT row_fingerprint('T', dt0) = row_fingerprint('T', ts_east) AS unpinned_datetime_eq_timestamp FROM tim;
SET time_zone = '+00:00';

-- JSON: key order, whitespace and number spelling do not matter.
SELECT row_fingerprint('j', '{"b":1,"a":[1.0,2]}') = row_fingerprint('j', '{ "a" : [ 1, 2.00 ] , "b" : 1 }')
           AS json_canonical,
       row_fingerprint('j', '{"a":1}') = row_fingerprint('j', '{"a":"1"}') AS json_number_eq_string,
       row_fingerprint('j', '{"a":1}') = row_fingerprint('s', '{"a":1}') AS json_eq_text;

-- MySQL zero dates (sql_mode without NO_ZERO_DATE) are values of their own.
SET SESSION sql_mode = '';
CREATE TABLE zero (id INT, d DATE, dt DATETIME);
INSERT INTO zero VALUES (1, '0000-00-00', '0000-00-00 00:00:00'), (2, '2000-01-01', '2000-01-01 00:00:00'),
                        (3, NULL, NULL), (4, '0001-01-01', '0001-01-01 00:00:00');
SET SESSION sql_mode = DEFAULT;
SELECT id, d, dt FROM zero ORDER BY id;
-- The zero date and datetime, 2000-01-01 and NULL are known answers of the test `vectors`;
-- 0001-01-01 is not in its file.
SELECT id, row_fingerprint('D', d) AS date_fp, row_fingerprint('T', dt) AS datetime_fp FROM zero WHERE id = 4;
SELECT COUNT(DISTINCT row_fingerprint('D', d)) AS distinct_dates, COUNT(DISTINCT row_fingerprint('T', dt))
       AS distinct_datetimes FROM zero;

-- NULL, '' and 0 are three different values; values do not run into each other.
SELECT row_fingerprint('s', NULL) = row_fingerprint('s', '') AS null_eq_empty,
       row_fingerprint('s', '') = row_fingerprint('i', 0) AS empty_eq_zero,
       row_fingerprint('s', NULL) = row_fingerprint('i', 0) AS null_eq_zero,
       row_fingerprint('s', '0') = row_fingerprint('i', 0) AS text_0_eq_int_0,
       row_fingerprint('ss', 'x0', 'y') = row_fingerprint('ss', 'x', '0y') AS x0_y_eq_x_0y,
       row_fingerprint('ss', 'ab', NULL) = row_fingerprint('ss', NULL, 'ab') AS ab_null_eq_null_ab;

DROP DATABASE t_eq;
