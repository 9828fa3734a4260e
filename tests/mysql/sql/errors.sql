-- Every error path: refused calls (init messages), values the core cannot encode (the
-- "error: ..." string, turned into SQLSTATE 22023 by fingerprint.checked and by the
-- procedures), and what the procedures refuse. The server must survive all of them.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
CREATE DATABASE t_err;
USE t_err;
CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO t VALUES (1, 'a'), (2, 'b');

-- Refused in init: spec and argument count.
SELECT row_fingerprint();
SELECT row_fingerprint('i');
SELECT row_fingerprint('ii', 1);
SELECT row_fingerprint('i', 1, 2);
SELECT fingerprint_agg('iii', id, v) FROM t;
SELECT row_fingerprint('x', 1);
SELECT row_fingerprint('md5:i', 1);
SELECT row_fingerprint('XXH3:i', 1);
SELECT row_fingerprint('xxh3:', 1);
SELECT row_fingerprint('', 1);
SELECT row_fingerprint(NULL, 1);
SELECT row_fingerprint(7, 1);
SELECT row_fingerprint(v, id) FROM t;
SELECT fingerprint_agg(v, id) FROM t;

-- Values the core rejects come back as an error string naming the argument.
SELECT row_fingerprint('s', X'C328') AS invalid_utf8;
SELECT row_fingerprint('c', X'FF20') AS invalid_utf8_char;
SELECT row_fingerprint('j', '{"a": }') AS bad_json;
SELECT row_fingerprint('j', '[1, 2') AS truncated_json;
SELECT row_fingerprint('d', 'abc') AS bad_decimal;
SELECT row_fingerprint('D', '2023-02-29') AS no_such_day;
SELECT row_fingerprint('T', 'yesterday') AS bad_timestamp;
SELECT row_fingerprint('t', '12:61:00') AS bad_time;
SELECT row_fingerprint('U', 'not-a-uuid') AS bad_uuid;
SELECT row_fingerprint('is', id, X'C328' AS broken) AS second_value FROM t WHERE id = 1;
SELECT row_fingerprint('ss', 'ok' AS a_column_alias_longer_than_any_column_name_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_and_this_tail_is_cut_off_in_the_error_string, X'FF' AS a_column_alias_longer_than_any_column_name_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_and_this_tail_is_cut_off_in_the_error_string) AS long_names_are_cut;
-- The aggregate keeps the group's first error.
SELECT fingerprint_agg('s', IF(id = 2, X'C328', v)) AS agg_error FROM t;
-- fingerprint.checked raises it with its text.
SELECT fingerprint.checked(row_fingerprint('s', X'C328'));
SELECT fingerprint.checked(fingerprint_agg('s', IF(id = 2, X'C328', v))) FROM t;
SELECT fingerprint.checked(row_fingerprint('s', 'fine')) AS passes_through;

-- Procedures: errors in the data become SIGNALs, and the caller's time_zone survives.
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
CREATE TABLE bad_date (id INT PRIMARY KEY, d DATE);
INSERT INTO bad_date VALUES (1, '2020-02-28'), (2, '2020-02-30');
SET SESSION sql_mode = DEFAULT;
SET SESSION check_constraint_checks = 0;
CREATE TABLE bad_json (id INT PRIMARY KEY, doc JSON);
INSERT INTO bad_json VALUES (1, '{"a": [1, 2]}'), (2, '{"a": ');
SET SESSION check_constraint_checks = 1;
SET time_zone = '+02:00';
-- 2020-02-30 names no real day: hashed under its own tag (docs/FORMAT.md), not an error,
-- and different from any real date.
CALL fingerprint.row_fingerprints('t_err.bad_date');
SELECT row_fingerprint('D', DATE'2020-03-01') AS real_day_after;
SELECT @@session.time_zone AS restored_after_data_error, @fingerprint_sql;
CALL fingerprint.table_fingerprint('t_err.bad_json');
CALL fingerprint.row_fingerprints_with('t_err.bad_json', NULL, 'id', NULL);
CALL fingerprint.table_fingerprint_with('t_err.bad_json', 'id', NULL, NULL);

-- Text the procedures pass with 'S'/'C' (utf8mb4, utf8mb3, CONVERTed) is not validated
-- again, except for the encoded surrogates that MariaDB stores in utf8mb4 and utf8mb3:
-- those are still refused, as full validation refuses them. An ascii column can hold any
-- byte (X'E9' is stored in strict mode) and keeps the full check ('s', 'c'). Valid text
-- gives the same fingerprint as the direct call with 's'/'c'.
CREATE TABLE checked_text (id INT PRIMARY KEY, u VARCHAR(10) CHARACTER SET utf8mb4, m CHAR(4) CHARACTER SET utf8mb3,
                           a VARCHAR(10) CHARACTER SET ascii, l CHAR(4) CHARACTER SET latin1);
INSERT INTO checked_text VALUES (1, CONCAT('h', X'C3A9'), 'ab', 'x', 'z');
INSERT INTO checked_text VALUES (2, CONCAT('caf', X'C3A9'), CONCAT(X'E282AC', ' '), 'y', X'E9');
CALL fingerprint.table_fingerprint('t_err.checked_text');
SELECT fingerprint_agg('iscsc', id, u, m, a, CONVERT(l USING utf8mb4)) = fingerprint_agg('iSCsC', id, u, m, a, CONVERT(l USING utf8mb4)) AS same_fingerprint FROM checked_text;
INSERT INTO checked_text (id, u) VALUES (3, X'EDA080');
CALL fingerprint.table_fingerprint('t_err.checked_text');
DELETE FROM checked_text WHERE id = 3;
INSERT INTO checked_text (id, m) VALUES (4, X'EDBFBF');
CALL fingerprint.row_fingerprints('t_err.checked_text');
DELETE FROM checked_text WHERE id = 4;
INSERT INTO checked_text (id, a) VALUES (5, X'E9');
CALL fingerprint.table_fingerprint('t_err.checked_text');
DELETE FROM checked_text WHERE id = 5;

-- Procedures: what they refuse before running anything.
CREATE TABLE geo (id INT PRIMARY KEY, g GEOMETRY, p POINT);
CREATE TABLE net (id INT PRIMARY KEY, a INET4, b INET6);
CREATE TABLE no_key (a INT, b TEXT);
INSERT INTO no_key VALUES (1, 'x');
CALL fingerprint.table_fingerprint('t_err.geo');
CALL fingerprint.table_fingerprint_with('t_err.geo', NULL, 'g', NULL);
CALL fingerprint.table_fingerprint_with('t_err.geo', NULL, 'g,p', NULL);
CALL fingerprint.row_fingerprints('t_err.net');
CALL fingerprint.table_fingerprint_with('t_err.net', 'id', NULL, NULL);
CALL fingerprint.table_fingerprint('t_err.missing');
CALL fingerprint.table_fingerprint('missing_db.t');
CALL fingerprint.table_fingerprint('t');
CALL fingerprint.table_fingerprint(NULL);
CALL fingerprint.table_fingerprint_with('t_err.t', 'id,nope', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_err.t', NULL, 'nope', NULL);
CALL fingerprint.table_fingerprint_with('t_err.t', NULL, 'id, v', NULL);
CALL fingerprint.table_fingerprint_with('t_err.t', NULL, NULL, 'md5');
CALL fingerprint.table_fingerprint_with('t_err.t', NULL, NULL, 'SHA256');
CALL fingerprint.row_fingerprints('t_err.no_key');
CALL fingerprint.table_fingerprint('t_err.no_key');
SELECT @@session.time_zone AS restored_after_refusals, @@session.group_concat_max_len, @fingerprint_sql;

-- The server is still up and the functions still work.
CALL fingerprint.table_fingerprint('t_err.t');
DROP DATABASE t_err;
