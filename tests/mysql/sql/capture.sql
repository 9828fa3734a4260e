-- Change capture (docs/capture.md, "MySQL/MariaDB"): trigger DDL, every operation, the
-- log's images and fingerprints, batches, detection of what triggers cannot see, errors.
-- Runs on a fresh server: seq values start at 1. Everything is disabled and dropped at the
-- end (uninstall.sql refuses to run while capture triggers exist; checked here too).
CREATE DATABASE cap CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
SET time_zone = '+05:00';

-- ---- The UDFs directly -------------------------------------------------------------
-- Result: fingerprint (41) || 8 hex digits K || image || key image (K bytes).
SELECT LEFT(r, 41) = row_fingerprint('is', 5, 'abc') AS same_fingerprint,
       SUBSTRING(r, 42, 8) AS key_length, HEX(SUBSTRING(r, 50)) AS image_and_key
  FROM (SELECT fingerprint_capture_row('is/1', 5 AS id, 'abc' AS v) AS r) AS x;
SELECT fingerprint_image_json(SUBSTRING(r, 50, LENGTH(r) - 49 - k), 'id,v') AS object,
       fingerprint_image_json(SUBSTRING(r, 50, LENGTH(r) - 49 - k), NULL) AS array_form,
       fingerprint_image_json(RIGHT(r, k), 'id') AS key_object
  FROM (SELECT r, CONV(SUBSTRING(r, 42, 8), 16, 10) AS k
          FROM (SELECT fingerprint_capture_row('is/1', 5 AS id, 'abc' AS v) AS r) AS x) AS y;
SELECT fingerprint_capture_row('sis/3,1', 'a' AS a, 2 AS b, 'c' AS c) LIKE 'fp1:xxh3:%' AS ok,
       SUBSTRING(fingerprint_capture_row('sis/3,1', 'a' AS a, 2 AS b, 'c' AS c), 42, 8) AS key_length;
SELECT fingerprint_capture_row('is/1', 1 AS id, x'ff' AS v) AS bad_value;
SELECT fingerprint_capture_row('is/3', 1, 'a');
SELECT fingerprint_capture_row('is/1,1', 1, 'a');
SELECT fingerprint_capture_row('ix', 1, 'a');
-- "+old": NEW's values then OLD's (an update row: both capture rows and the changed
-- columns' names, JSON-quoted like JSON_QUOTE), NULL when no value differs as bytes.
SELECT fingerprint_capture_row('is/1+old', 1 AS id, 'a' AS v, 1 AS id, 'a' AS v) IS NULL AS unchanged,
       fingerprint_capture_row('is/1+old', 1 AS id, 'a' AS v, 1 AS id, 'A' AS v) IS NULL AS case_only_unchanged,
       fingerprint_capture_row('is/1+old', 1 AS id, NULL AS v, 1 AS id, NULL AS v) IS NULL AS nulls_unchanged;
SELECT LEFT(r, 5) AS tag, fingerprint_capture_part(r, 'fingerprint') = row_fingerprint('is', 2, 'b') AS new_fingerprint,
       fingerprint_capture_part(r, 'old_fingerprint') = row_fingerprint('is', 1, 'a') AS old_fingerprint,
       fingerprint_capture_part(r, 'image') = SUBSTRING(fingerprint_capture_row('is', 2, 'b'), 50) AS new_image,
       fingerprint_capture_part(r, 'old_image') = SUBSTRING(fingerprint_capture_row('is', 1, 'a'), 50) AS old_image,
       HEX(fingerprint_capture_part(r, 'key')) AS new_key, HEX(fingerprint_capture_part(r, 'old_key')) AS old_key,
       fingerprint_capture_part(r, 'changed') AS changed,
       fingerprint_capture_part(r, 'changed') = CONCAT('[', JSON_QUOTE('id'), ',', JSON_QUOTE('v"\\w'), ']') AS as_json_quote
  FROM (SELECT fingerprint_capture_row('is/1+old', 2 AS id, 'b' AS `v"\w`, 1 AS id, 'a' AS `v"\w`) AS r) AS x;
SELECT fingerprint_capture_part(fingerprint_capture_row('is/1', 1, 'a'), 'changed') IS NULL AS capture_row_has_no_changed,
       fingerprint_capture_part(fingerprint_capture_row('is/1', 1, 'a'), 'old_key')
           = fingerprint_capture_part(fingerprint_capture_row('is/1', 1, 'a'), 'key') AS capture_row_is_its_old_side;
SELECT fingerprint_capture_row('is/1+old', 1 AS id, x'ff' AS v, 1 AS id, 'a' AS v) AS bad_new,
       fingerprint_capture_row('is/1+old', 1 AS id, 'a' AS v, 1 AS id, x'ff' AS v) AS bad_old;
SELECT fingerprint_capture_row('is/1+old', 1, 'a', 1);
SELECT fingerprint_capture_part('fpu1:00000002xx', 'key') IS NULL AS malformed_update_row;
SELECT fingerprint_image_json(x'0300', 'a') AS malformed;
SELECT fingerprint_image_json(SUBSTRING(fingerprint_capture_row('is', 1, 'a'), 50), 'a') AS too_few_names;
SELECT fingerprint_image_json(NULL, 'a') AS null_image;
SELECT fingerprint_image_diff(SUBSTRING(fingerprint_capture_row('isd', 1, 'a', '1.0'), 50),
                              SUBSTRING(fingerprint_capture_row('isd', 1, 'A', '1.00'), 50), 'id,v,d') AS changed;
-- fingerprint_advance: I/U/D move a table fingerprint; the result is table_fingerprint's.
CREATE TABLE cap.adv (id INT PRIMARY KEY, v TEXT);
INSERT INTO cap.adv VALUES (1, 'a'), (2, 'b');
SELECT fingerprint_agg('is', id, v) INTO @adv_before FROM cap.adv;
SELECT fingerprint_advance(@adv_before, op, old_fp, new_fp) AS advanced
  FROM (SELECT 'I' AS op, NULL AS old_fp, row_fingerprint('is', 3, 'c') AS new_fp
        UNION ALL SELECT 'U', row_fingerprint('is', 1, 'a'), row_fingerprint('is', 1, 'A')
        UNION ALL SELECT 'D', row_fingerprint('is', 2, 'b'), NULL) AS changes;
INSERT INTO cap.adv VALUES (3, 'c');
UPDATE cap.adv SET v = 'A' WHERE id = 1;
DELETE FROM cap.adv WHERE id = 2;
SELECT fingerprint_agg('is', id, v) AS recomputed FROM cap.adv;
SELECT fingerprint_advance(NULL, 'c', NULL, row_fingerprint('is', 1, 'a')) AS null_start_refused;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'c', NULL, row_fingerprint('is', 1, 'a')) = fingerprint_agg('is', 1, 'a') AS empty_start_plus_insert;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'T', NULL, NULL) AS truncated;
SELECT fingerprint_advance('x', 'I', NULL, row_fingerprint('i', 1)) AS bad_start;
SELECT fingerprint_advance(NULL, 'X', NULL, row_fingerprint('i', 1)) AS bad_op;
SELECT fingerprint_advance(NULL, 'X', NULL, NULL) AS bad_op_no_fingerprints;
SELECT fingerprint_advance(NULL, NULL, NULL, NULL) AS null_op;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, 'fp1:xxh3:zz') AS bad_fingerprint;
SELECT fingerprint_advance(@adv_before, 'I', NULL, row_fingerprint('sha256:i', 1)) AS other_algorithm;
SELECT fingerprint_advance(@adv_before, 'I', NULL, NULL) AS empty_group FROM cap.adv WHERE id < 0;
SELECT fingerprint_capture_row(v, 1, 'a') FROM cap.adv;
SELECT fingerprint_advance(1, 2, 3);

-- ---- Refusals ----------------------------------------------------------------------
CALL fingerprint.capture_ddl('cap.nope', 'enable');
CALL fingerprint.capture_ddl('nodot', 'enable');
CALL fingerprint.capture_ddl('cap.adv', 'switch on');
CREATE TABLE cap.nokey (a INT NOT NULL, b INT NULL, c TEXT, UNIQUE KEY nokey_a (a));
CALL fingerprint.capture_ddl('cap.nokey', 'enable');
CALL fingerprint.capture_ddl_with('cap.nokey', 'enable', 'b', FALSE);
CALL fingerprint.capture_ddl_with('cap.nokey', 'enable', 'zz', FALSE);
CALL fingerprint.capture_ddl_with('cap.nokey', 'enable', 'a,a', FALSE);
CREATE TABLE cap.geo (id INT PRIMARY KEY, p POINT);
CALL fingerprint.capture_ddl('cap.geo', 'enable');
CREATE TABLE cap.comma (id INT PRIMARY KEY, `a,b` INT);
CALL fingerprint.capture_ddl('cap.comma', 'enable');
CALL fingerprint.capture_check('cap.adv');
SELECT COUNT(*) AS registered_versions FROM fingerprint.capture_tables;

-- ---- The DDL a client runs ---------------------------------------------------------
CREATE TABLE cap.small (id INT PRIMARY KEY, v VARCHAR(10));
CALL fingerprint.capture_ddl('cap.small', 'enable');
CALL fingerprint.capture_ddl('cap.small', 'disable');
CALL fingerprint.capture_ddl_with('cap.nokey', 'enable', ' a ', TRUE);
SELECT table_name, schema_version, column_names, column_classes, key_columns, old_images
  FROM fingerprint.capture_tables ORDER BY table_name, schema_version;

-- ---- Every operation on a table with every value class ------------------------------
CREATE TABLE cap.t (
    id INT NOT NULL PRIMARY KEY,
    i BIGINT, u BIGINT UNSIGNED, d DECIMAL(12,3), f DOUBLE, s VARCHAR(50), c CHAR(5),
    b VARBINARY(20), dt DATE, ts TIMESTAMP(6) NULL, dtm DATETIME(3), tm TIME(2), j JSON,
    uu UUID, bt BIT(5), e ENUM('x', 'y'), l LONGTEXT, lat VARCHAR(20) CHARACTER SET latin1
) ENGINE=InnoDB;
INSERT INTO cap.t (id) VALUES (0);
CALL fingerprint.capture_apply('cap.t', 'enable');
CALL fingerprint.capture_apply('cap.t', 'enable');
SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_TIMING FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 'cap' ORDER BY TRIGGER_NAME;
-- NULL in every class, then a full row.
INSERT INTO cap.t (id) VALUES (1);
INSERT INTO cap.t VALUES (2, -9000000000, 18446744073709551615, -12.500, 0.1, 'Zoë', 'ab  ', x'00ff', '2024-02-29',
    '2024-06-01 12:00:00.25', '2024-06-01 12:00:00.125', '-838:59:59.99', '{"b": [1, 2.50], "a": null}',
    '123E4567-E89B-12D3-A456-426614174000', b'10101', 'y', REPEAT('x', 10), 'Müller');
-- Non-key update, a no-op update (not logged), a case-only change (logged).
UPDATE cap.t SET s = 'changed', d = 1 WHERE id = 2;
UPDATE cap.t SET s = s, d = 1.000 WHERE id = 2;
UPDATE cap.t SET s = 'CHANGED' WHERE id = 2;
-- Primary-key update and a chain 1 -> 10 -> 11.
UPDATE cap.t SET id = 10 WHERE id = 1;
UPDATE cap.t SET id = 11 WHERE id = 10;
DELETE FROM cap.t WHERE id = 0;
-- A 200 KB value: inserted, kept while another column changes, then changed.
INSERT INTO cap.t (id, l) VALUES (3, REPEAT('0123456789', 20000));
UPDATE cap.t SET s = 'other column' WHERE id = 3;
UPDATE cap.t SET l = CONCAT(REPEAT('0123456789', 20000), '!') WHERE id = 3;
SELECT seq, op, `key`, old_key, changed_columns, old_fingerprint IS NOT NULL AS has_old, new_fingerprint IS NOT NULL AS has_new,
       LENGTH(new_image) AS new_image_bytes, session_id = CONNECTION_ID() AS this_session, txid
  FROM fingerprint.changes WHERE table_name = 'cap.t' ORDER BY seq;
SELECT seq, `after` FROM fingerprint.changes WHERE table_name = 'cap.t' AND seq IN (1, 2, 3, 5);
SELECT seq, LEFT(JSON_VALUE(`after`, '$.l'), 12) AS l_start, CHAR_LENGTH(JSON_VALUE(`after`, '$.l')) AS l_chars
  FROM fingerprint.changes WHERE seq >= 9 AND table_name = 'cap.t';
-- The last logged fingerprint of a row is row_fingerprint of the row (in UTC).
SET time_zone = '+00:00';
SELECT c.seq, c.new_fingerprint = row_fingerprint('iiudfscbDTTtjUusss', t.id, t.i, t.u, t.d, t.f, t.s, t.c, t.b, t.dt,
           t.ts, t.dtm, t.tm, t.j, CAST(t.uu AS CHAR), t.bt + 0, t.e, t.l, CONVERT(t.lat USING utf8mb4)) AS same_as_row_fingerprint
  FROM fingerprint.change_log c JOIN cap.t t ON c.seq IN (4, 10) AND t.id = IF(c.seq = 4, 2, 3);
SET time_zone = '+05:00';
CALL fingerprint.capture_check('cap.t');
CALL fingerprint.table_fingerprint('cap.t');

-- A failed statement logs nothing: the log row is part of the statement.
INSERT INTO cap.t (id) VALUES (20), (2);
SELECT COUNT(*) AS rows_20 FROM cap.t WHERE id = 20;
SELECT MAX(seq) AS last_seq FROM fingerprint.change_log;
-- Rolled-back transactions leave nothing either.
START TRANSACTION;
INSERT INTO cap.t (id) VALUES (21);
ROLLBACK;
SELECT COUNT(*) AS log_rows_of_21 FROM fingerprint.changes WHERE `key` = '{"id":21}';

-- ---- Key swap: InnoDB checks uniqueness per row, so a swap goes through a free key ---
CREATE TABLE cap.k (id INT PRIMARY KEY, v VARCHAR(5));
INSERT INTO cap.k VALUES (1, 'one'), (2, 'two');
CALL fingerprint.capture_apply('cap.k', 'enable');
UPDATE cap.k SET id = 3 - id;
START TRANSACTION;
UPDATE cap.k SET id = 0 WHERE id = 1;
UPDATE cap.k SET id = 1 WHERE id = 2;
UPDATE cap.k SET id = 2 WHERE id = 0;
COMMIT;
SELECT * FROM cap.k ORDER BY id;
SELECT seq, op, `key`, old_key, `after` FROM fingerprint.changes WHERE table_name = 'cap.k' ORDER BY seq;
CALL fingerprint.capture_check('cap.k');

-- ---- A table without a primary key, old images on ----------------------------------
CALL fingerprint.capture_apply_with('cap.nokey', 'enable', 'a', TRUE);
INSERT INTO cap.nokey VALUES (1, NULL, 'x');
UPDATE cap.nokey SET c = 'y';
DELETE FROM cap.nokey;
SELECT seq, op, `key`, `before`, `after`, changed_columns FROM fingerprint.changes
 WHERE table_name = 'cap.nokey' ORDER BY seq;

-- ---- The Debezium view --------------------------------------------------------------
SELECT seq, op, `before`, `after`, JSON_VALUE(source, '$.table') AS source_table, ts_ms > 0 AS has_ts
  FROM fingerprint.debezium_changes WHERE seq IN (1, 3, 7, 16) ORDER BY seq;

-- ---- A value the capture UDF refuses fails the application's statement (the log's CHECK) -
CREATE TABLE cap.js (id INT PRIMARY KEY, j JSON);
CALL fingerprint.capture_apply('cap.js', 'enable');
ALTER TABLE cap.js MODIFY j LONGTEXT;
INSERT INTO cap.js VALUES (1, '{"ok": true}'), (2, 'not json');
SELECT COUNT(*) AS rows_in_js FROM cap.js;
CALL fingerprint.capture_check('cap.js');
-- Consumption refuses while the columns differ from the registration (the triggers log
-- j with the old class); enabling again registers the new columns and lifts it.
CALL fingerprint.next_batch('replayer', 5);
CALL fingerprint.capture_apply('cap.js', 'enable');

-- ---- Batches -------------------------------------------------------------------------
SELECT COUNT(*) AS log_rows FROM fingerprint.change_log;
CALL fingerprint.next_batch('replayer', 5);
CALL fingerprint.next_batch('replayer', 5);
CALL fingerprint.next_batch('other', 5);
SELECT seq, op, table_name, `key` FROM fingerprint.changes ORDER BY seq LIMIT 6;
START TRANSACTION;
CALL fingerprint.next_batch('replayer', 5);
ROLLBACK;
CALL fingerprint.finish_batch('other', 1);
CALL fingerprint.finish_batch('replayer', 1);
CALL fingerprint.finish_batch('replayer', 1);
CALL fingerprint.batch_changes(1);
CALL fingerprint.finish_batch('replayer', 99);
SELECT MIN(seq) AS first_seq_left, COUNT(*) AS log_rows FROM fingerprint.change_log;
CALL fingerprint.next_batch('replayer', 1000);
CALL fingerprint.finish_batch('replayer', 2);
CALL fingerprint.next_batch('replayer', 1000);
SELECT COUNT(*) AS log_rows FROM fingerprint.change_log;
SELECT batch_id, consumer, changes, seqs, finished_at IS NOT NULL AS finished FROM fingerprint.capture_batches;
-- The log-adjusted fingerprints now are the tables' fingerprints.
SELECT table_name, fingerprint FROM fingerprint.capture_state WHERE table_name IN ('cap.t', 'cap.k') ORDER BY table_name;
CALL fingerprint.table_fingerprint('cap.k');
CALL fingerprint.capture_check('cap.t');
CALL fingerprint.next_batch('other', 5);

-- ---- What triggers cannot see is detected, naming the table --------------------------
TRUNCATE cap.k;
CALL fingerprint.capture_check('cap.k');
CREATE TABLE cap.parent (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE cap.child (id INT PRIMARY KEY, parent_id INT,
    FOREIGN KEY (parent_id) REFERENCES cap.parent (id) ON DELETE CASCADE) ENGINE=InnoDB;
INSERT INTO cap.parent VALUES (1), (2);
INSERT INTO cap.child VALUES (10, 1), (20, 2);
CALL fingerprint.capture_apply('cap.parent', 'enable');
CALL fingerprint.capture_apply('cap.child', 'enable');
DELETE FROM cap.parent WHERE id = 1;
CALL fingerprint.capture_check('cap.parent');
CALL fingerprint.capture_check('cap.child');
SELECT op, table_name, `key` FROM fingerprint.changes WHERE table_name LIKE 'cap.%ent' OR table_name = 'cap.child';
-- Dropping a trigger by hand is detected too.
DROP TRIGGER cap.fpc_u_t;
CALL fingerprint.capture_check('cap.t');

-- ---- LAST_INSERT_ID() is the application's, not the log's ----------------------------
CREATE TABLE cap.auto (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
CALL fingerprint.capture_apply('cap.auto', 'enable');
INSERT INTO cap.auto (v) VALUES (7);
INSERT INTO cap.auto (v) VALUES (8);
SELECT LAST_INSERT_ID() AS last_insert_id;

-- ---- UPDATE IGNORE: MariaDB fires AFTER UPDATE also for rows it skipped; not logged ---
CREATE TABLE cap.ui (id INT PRIMARY KEY, v VARCHAR(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci UNIQUE);
INSERT INTO cap.ui VALUES (1, 'a'), (2, 'b');
CALL fingerprint.capture_apply('cap.ui', 'enable');
UPDATE IGNORE cap.ui SET id = 2 WHERE id = 1;
UPDATE IGNORE cap.ui SET v = 'B' WHERE id = 1;
UPDATE IGNORE cap.ui SET v = 'A' WHERE id = 1;
UPDATE IGNORE cap.ui SET id = 3 WHERE id = 2;
SELECT * FROM cap.ui ORDER BY id;
SELECT op, `key`, old_key, `after` FROM fingerprint.changes WHERE table_name = 'cap.ui' ORDER BY seq;
CALL fingerprint.capture_check('cap.ui');

-- ---- Disable; uninstall refuses while capture triggers exist -------------------------
system mariadb --no-defaults -u root < sql/mysql/uninstall.sql
SELECT COUNT(*) AS fingerprint_database FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'fingerprint';
CALL fingerprint.capture_apply('cap.t', 'disable');
INSERT INTO cap.t (id) VALUES (30);
SELECT COUNT(*) AS logged_after_disable FROM fingerprint.changes WHERE `key` = '{"id":30}';
CALL fingerprint.capture_check('cap.t');
CALL fingerprint.capture_apply('cap.k', 'disable');
CALL fingerprint.capture_apply('cap.nokey', 'disable');
CALL fingerprint.capture_apply('cap.js', 'disable');
CALL fingerprint.capture_apply('cap.parent', 'disable');
CALL fingerprint.capture_apply('cap.child', 'disable');
CALL fingerprint.capture_apply('cap.auto', 'disable');
CALL fingerprint.capture_apply('cap.ui', 'disable');
SELECT COUNT(*) AS capture_triggers_left FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'cap';
SELECT table_name, enabled FROM fingerprint.capture_state ORDER BY table_name;
DROP DATABASE cap;
DELETE FROM fingerprint.change_log;
DELETE FROM fingerprint.capture_batches;
-- fingerprint_image_diff writes each name as a JSON string (quote, backslash and control
-- characters escaped, UTF-8 kept), and a name that is not UTF-8 as {"$bytes":"<hex>"}.
SELECT fingerprint_image_diff(fingerprint_image('iiii', 1, 1, 1, 1), fingerprint_image('iiii', 2, 2, 2, 2),
                              CONCAT('a"b,c\\d,', CHAR(9), 'é,', X'FF')) AS escaped_names;

-- ---- An update is a change when some column's bytes change, whatever its collation ----
-- (the capture UDF compares the values it is handed: the stored bytes for utf8mb4,
-- utf8mb3, ascii and binary strings, the text converted to utf8mb4 for the other
-- character sets): a case-only change under _ci, a trailing space under a PAD SPACE
-- collation, 'ss' to 'ß' under utf8mb4_unicode_ci are changes; an update that changes no
-- byte logs nothing. cp932 stores U+2252 as X'81E0' and as X'8790' (NEC and IBM codes of
-- one character): both convert to the same UTF-8 and fingerprint the same, so one
-- replacing the other is no change and is not logged; X'81E0' to X'81E1' (U+2261) is.
CREATE DATABASE cap_bytes CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE TABLE cap_bytes.bytes (id INT PRIMARY KEY, ci VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,
                              pad VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
                              uni VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,
                              m3 VARCHAR(8) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci,
                              l1 CHAR(8) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
                              asc_ci VARCHAR(8) CHARACTER SET ascii COLLATE ascii_general_ci,
                              u2 VARCHAR(8) CHARACTER SET ucs2 COLLATE ucs2_general_ci, vb VARBINARY(8),
                              sj VARCHAR(8) CHARACTER SET cp932 COLLATE cp932_japanese_ci);
INSERT INTO cap_bytes.bytes VALUES (1, 'a', 'a', 'ss', 'a', 'a', 'a', 'a', 'a', X'81E0');
CALL fingerprint.capture_apply('cap_bytes.bytes', 'enable');
UPDATE cap_bytes.bytes SET ci = 'A';
UPDATE cap_bytes.bytes SET pad = 'a ';
UPDATE cap_bytes.bytes SET uni = 'ß';
UPDATE cap_bytes.bytes SET m3 = 'A', l1 = 'A';
UPDATE cap_bytes.bytes SET asc_ci = 'A';
UPDATE cap_bytes.bytes SET u2 = 'A';
UPDATE cap_bytes.bytes SET vb = 'a ';
UPDATE cap_bytes.bytes SET sj = X'8790';
SELECT HEX(sj) AS sj_stored FROM cap_bytes.bytes;
UPDATE cap_bytes.bytes SET sj = X'81E1';
UPDATE cap_bytes.bytes SET ci = 'a', pad = 'a', uni = 'ss', m3 = 'a', l1 = 'a', asc_ci = 'a', u2 = 'a', vb = 'a';
UPDATE cap_bytes.bytes SET id = id;
-- An update that changes nothing ends its trigger at the log's CHECK capture_unchanged
-- (1.5): quietly (no warning left behind), under any lc_messages. With CHECK constraints
-- switched off the trigger tests the update row itself: again nothing logged, and the
-- change after it is logged once.
UPDATE cap_bytes.bytes SET ci = ci, vb = vb;
SELECT @@warning_count AS noop_update_warnings;
SET lc_messages = 'de_DE';
UPDATE cap_bytes.bytes SET ci = ci;
SET lc_messages = DEFAULT;
SET max_error_count = 0;
UPDATE cap_bytes.bytes SET ci = ci;
SET max_error_count = DEFAULT;
SET check_constraint_checks = 0;
UPDATE cap_bytes.bytes SET ci = ci;
UPDATE cap_bytes.bytes SET vb = 'b';
SET check_constraint_checks = 1;
SELECT op, changed_columns FROM fingerprint.changes WHERE table_name = 'cap_bytes.bytes' ORDER BY seq;
CALL fingerprint.capture_check('cap_bytes.bytes');
CALL fingerprint.capture_apply('cap_bytes.bytes', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 'cap_bytes.bytes';
DROP DATABASE cap_bytes;

-- ---- An update that changed nothing, as the application sees it (1.5) ----
-- The update trigger's INSERT fails the log's CHECK capture_unchanged and its handler ends
-- it quietly: nothing logged, no warning, no error, no user variable left set, whatever
-- the application wraps the statement in: GET DIAGNOSTICS and handlers of its own in a
-- calling procedure (CONTINUE for SQLEXCEPTION and SQLWARNING, EXIT for 4025), its own
-- BEFORE/AFTER UPDATE triggers (which still run), a multi-table UPDATE, UPDATE IGNORE,
-- non-strict sql_mode, autocommit off, a transaction rolled back, XA. The same statements
-- that change a value log exactly one row each.
CREATE DATABASE cap_noop;
CREATE TABLE cap_noop.t (id INT PRIMARY KEY, v INT);
CREATE TABLE cap_noop.other (id INT PRIMARY KEY, v INT);
CREATE TABLE cap_noop.audit (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20));
INSERT INTO cap_noop.t VALUES (1, 1), (2, 2);
INSERT INTO cap_noop.other VALUES (1, 1), (2, 2);
CALL fingerprint.capture_apply('cap_noop.t', 'enable');
CREATE TRIGGER cap_noop.user_bu BEFORE UPDATE ON cap_noop.t FOR EACH ROW INSERT INTO cap_noop.audit (what) VALUES (CONCAT('before ', OLD.id));
CREATE TRIGGER cap_noop.user_au AFTER UPDATE ON cap_noop.t FOR EACH ROW INSERT INTO cap_noop.audit (what) VALUES (CONCAT('after ', OLD.id));
delimiter //
CREATE PROCEDURE cap_noop.wrapped(IN p_delta INT)
BEGIN
    DECLARE v_conditions, v_rows, v_caught INT DEFAULT 0;
    DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET v_caught = v_caught + 1;
    DECLARE CONTINUE HANDLER FOR SQLWARNING SET v_caught = v_caught + 100;
    BEGIN
        DECLARE EXIT HANDLER FOR 4025 SET v_caught = v_caught + 10000;
        UPDATE cap_noop.t SET v = v + p_delta WHERE id = 1;
    END;
    GET DIAGNOSTICS v_conditions = NUMBER, v_rows = ROW_COUNT;
    SELECT p_delta, v_conditions, v_rows, v_caught;
END//
delimiter ;
SET @fingerprint_errno = 1, @fingerprint_refusal = 'set by the application';
CALL cap_noop.wrapped(0);
SELECT @@warning_count AS warnings, @fingerprint_errno, @fingerprint_refusal;
CALL cap_noop.wrapped(1);
UPDATE cap_noop.t JOIN cap_noop.other USING (id) SET cap_noop.t.v = cap_noop.t.v, cap_noop.other.v = cap_noop.other.v + 1;
SELECT @@warning_count AS warnings, ROW_COUNT() AS changed_rows;
UPDATE IGNORE cap_noop.t SET v = v;
SELECT @@warning_count AS warnings;
SET sql_mode = '';
UPDATE cap_noop.t SET v = v;
SELECT @@warning_count AS warnings;
SET sql_mode = DEFAULT;
SET autocommit = 0;
UPDATE cap_noop.t SET v = v;
SELECT @@warning_count AS warnings;
COMMIT;
SET autocommit = 1;
START TRANSACTION;
UPDATE cap_noop.t SET v = v;
UPDATE cap_noop.t SET v = v + 1 WHERE id = 2;
ROLLBACK;
XA START 'cap_noop';
UPDATE cap_noop.t SET v = v;
SELECT @@warning_count AS warnings;
XA END 'cap_noop';
XA PREPARE 'cap_noop';
XA COMMIT 'cap_noop';
UPDATE cap_noop.t JOIN cap_noop.other USING (id) SET cap_noop.t.v = cap_noop.t.v + 1 WHERE id = 2;
UPDATE IGNORE cap_noop.t SET v = v + 1 WHERE id = 2;
SET sql_mode = '';
UPDATE cap_noop.t SET v = v + 1 WHERE id = 2;
SET sql_mode = DEFAULT;
XA START 'cap_noop';
UPDATE cap_noop.t SET v = v + 1 WHERE id = 2;
XA END 'cap_noop';
XA PREPARE 'cap_noop';
XA COMMIT 'cap_noop';
SELECT @fingerprint_errno, @fingerprint_refusal;
SELECT op, JSON_VALUE(`key`, '$.id') AS id, JSON_VALUE(`after`, '$.v') AS v_after, changed_columns
  FROM fingerprint.changes WHERE table_name = 'cap_noop.t' ORDER BY seq;
SELECT COUNT(*) AS user_trigger_rows FROM cap_noop.audit;
CALL fingerprint.capture_check('cap_noop.t');
CALL fingerprint.capture_apply('cap_noop.t', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 'cap_noop.t';
DROP DATABASE cap_noop;

-- ---- check_constraint_checks = 0 does not let a refused value into the log (1.5) ----
-- The log's CHECK capture_refused_a_value is what fails a statement whose value the core
-- refuses; a session that switches CHECK constraints off used to get its statement through
-- with the refusal's text ("error: column ...") logged as the row's image. Now the
-- triggers test the value themselves in that session: the insert and the update fail,
-- naming the table and the column, and log nothing; ordinary writes are logged once.
CREATE DATABASE cap_unchecked;
CREATE TABLE cap_unchecked.j (id INT PRIMARY KEY, note JSON);
INSERT INTO cap_unchecked.j VALUES (1, '[1]');
CALL fingerprint.capture_apply('cap_unchecked.j', 'enable');
SET check_constraint_checks = 0;
INSERT INTO cap_unchecked.j VALUES (2, '[1e400]');
UPDATE cap_unchecked.j SET note = '[1e400]' WHERE id = 1;
INSERT INTO cap_unchecked.j VALUES (4, '[4]');
UPDATE cap_unchecked.j SET note = '[5]' WHERE id = 1;
DELETE FROM cap_unchecked.j WHERE id = 4;
SET check_constraint_checks = 1;
SELECT id, note FROM cap_unchecked.j ORDER BY id;
SELECT c.op, JSON_VALUE(c.`key`, '$.id') AS id, LEFT(l.capture_new, 7) = 'error: ' AS refusal_logged
  FROM fingerprint.changes c JOIN fingerprint.change_log l USING (seq)
 WHERE c.table_name = 'cap_unchecked.j' ORDER BY seq;
CALL fingerprint.capture_check('cap_unchecked.j');
CALL fingerprint.capture_apply('cap_unchecked.j', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 'cap_unchecked.j';
DROP DATABASE cap_unchecked;

-- ---- No user variable holds a row image after an update ----
-- The update trigger keeps its update row (both row images) in a local variable: a
-- session that may UPDATE one column and SELECT only the key reads no other column of
-- the row through a user variable afterwards, after a COMMIT, a ROLLBACK, or a statement
-- the log's CHECK refused (the JSON number 1e400). Every user variable of that session
-- is searched for the secret (information_schema.USER_VARIABLES).
CREATE DATABASE cap_leak;
CREATE TABLE cap_leak.acct (id INT PRIMARY KEY, last_login DATETIME, note JSON, secret VARCHAR(64));
INSERT INTO cap_leak.acct VALUES (6, '2020-01-01', '[1]', 'second-secret-xyz');
CALL fingerprint.capture_apply('cap_leak.acct', 'enable');
CREATE USER fp_leak@localhost;
GRANT SELECT (id), UPDATE (last_login, note) ON cap_leak.acct TO fp_leak@localhost;
-- (The client's `system` runs only a line without a semicolon: the session's statements
-- are separated by //; the refused one goes through stdin, where --force goes on after
-- an error, which it does not in -e.)
system mariadb --no-defaults -u fp_leak --delimiter=// -e "START TRANSACTION// UPDATE cap_leak.acct SET last_login = '1999-01-01' WHERE id = 6// ROLLBACK// SELECT @fingerprint_capture IS NULL AS no_capture, (SELECT COUNT(*) FROM information_schema.USER_VARIABLES WHERE LOCATE('second-secret-xyz', VARIABLE_VALUE) > 0) AS holding_secret, (SELECT GROUP_CONCAT(VARIABLE_NAME ORDER BY VARIABLE_NAME) FROM information_schema.USER_VARIABLES) AS user_variables"
system mariadb --no-defaults -u fp_leak --delimiter=// -e "UPDATE cap_leak.acct SET last_login = '1999-01-02' WHERE id = 6// SELECT @fingerprint_capture IS NULL AS no_capture, (SELECT COUNT(*) FROM information_schema.USER_VARIABLES WHERE LOCATE('second-secret-xyz', VARIABLE_VALUE) > 0) AS holding_secret, (SELECT GROUP_CONCAT(VARIABLE_NAME ORDER BY VARIABLE_NAME) FROM information_schema.USER_VARIABLES) AS user_variables"
system printf '%s\n' "UPDATE cap_leak.acct SET note = '[1e400]' WHERE id = 6//" "SELECT @fingerprint_capture IS NULL AS no_capture, (SELECT COUNT(*) FROM information_schema.USER_VARIABLES WHERE LOCATE('second-secret-xyz', VARIABLE_VALUE) > 0) AS holding_secret, (SELECT GROUP_CONCAT(VARIABLE_NAME ORDER BY VARIABLE_NAME) FROM information_schema.USER_VARIABLES) AS user_variables//" | mariadb --no-defaults -u fp_leak --delimiter=// --force 2>&1
-- The committed update is logged (the rolled-back and the refused one are not).
SELECT op, `after` FROM fingerprint.changes WHERE table_name = 'cap_leak.acct' ORDER BY seq;
-- fingerprint_image_diff takes an update row's old side from its first argument and its
-- new side from its second: the logged update changed last_login only.
SELECT fingerprint_image_diff(capture_new, capture_new, 'id,last_login,note,secret') AS diffed_update,
       fingerprint_image_diff(fingerprint_capture_part(capture_new, 'old_image'),
                              fingerprint_capture_part(capture_new, 'image'), 'id,last_login,note,secret') AS diffed_images
  FROM fingerprint.change_log WHERE table_name = 'cap_leak.acct' ORDER BY seq;
CALL fingerprint.capture_apply('cap_leak.acct', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 'cap_leak.acct';
DROP USER fp_leak@localhost;
DROP DATABASE cap_leak;
