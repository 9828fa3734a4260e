-- What MariaDB's triggers cannot guard against by themselves, since it has no DDL
-- triggers: a captured table renamed (its triggers move with it and keep logging under the
-- old name) or altered (its triggers keep the old value classes). Consumption refuses to
-- hand out a batch then; disable finds moved triggers; enable is all or nothing; names
-- compare as bytes; trigger file names fit the file system.
SET NAMES utf8mb4;
CREATE DATABASE t_drift CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_drift;
-- Start from an empty log with no open batch.
CALL fingerprint.next_batch('drift', 1000000);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
SELECT COUNT(*) AS log_rows FROM fingerprint.change_log;

-- F1: a gh-ost-style swap. The triggers move to scratch and log its writes as orders;
-- the new orders is not captured at all.
CREATE TABLE orders (id INT PRIMARY KEY, v INT);
INSERT INTO orders VALUES (1, 1);
CALL fingerprint.capture_apply('t_drift.orders', 'enable');
INSERT INTO orders VALUES (2, 2);
RENAME TABLE orders TO scratch;
CREATE TABLE orders LIKE scratch;
INSERT INTO scratch VALUES (3, 3);
INSERT INTO orders VALUES (4, 4);
SELECT op, table_name, `key` FROM fingerprint.changes WHERE table_name = 't_drift.orders' ORDER BY seq;
SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 't_drift' ORDER BY TRIGGER_NAME;
-- Consumption refuses, naming the table and where its triggers are.
CALL fingerprint.next_batch('drift', 100);
SELECT COUNT(*) AS open_batches FROM fingerprint.capture_batches WHERE finished_at IS NULL;
-- capture_check also sees it.
CALL fingerprint.capture_check('t_drift.orders');
-- Enabling the new orders names the real situation.
CALL fingerprint.capture_apply('t_drift.orders', 'enable');
-- Disable drops the moved triggers where they are, and says so.
CALL fingerprint.capture_ddl('t_drift.orders', 'disable');
CALL fingerprint.capture_apply('t_drift.orders', 'disable');
SELECT COUNT(*) AS triggers_left FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift';
INSERT INTO scratch VALUES (5, 5);
-- Consumption goes on; then enable again (and re-copy, docs/capture.md).
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_apply('t_drift.orders', 'enable');
INSERT INTO orders VALUES (6, 6);
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_check('t_drift.orders');
-- Renamed away and not recreated: refused, and disable works on the missing name.
RENAME TABLE orders TO gone;
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.capture_apply('t_drift.orders', 'disable');
-- Renamed back and forth: the triggers are back on their table, nothing to refuse.
CALL fingerprint.capture_apply('t_drift.gone', 'enable');
RENAME TABLE gone TO elsewhere;
RENAME TABLE elsewhere TO gone;
INSERT INTO gone VALUES (7, 7);
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
-- A swap of two captured tables: each one's triggers are on the other.
CREATE TABLE a (id INT PRIMARY KEY);
CREATE TABLE b (id INT PRIMARY KEY);
CALL fingerprint.capture_apply('t_drift.a', 'enable');
CALL fingerprint.capture_apply('t_drift.b', 'enable');
RENAME TABLE a TO tmp, b TO a, tmp TO b;
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.capture_apply('t_drift.a', 'disable');
CALL fingerprint.capture_apply('t_drift.b', 'disable');
-- A name that differs only by a trailing space is another (nonexistent) table: its
-- disable touches neither the triggers nor the registration of t_drift.a.
CALL fingerprint.capture_apply('t_drift.a', 'enable');
CALL fingerprint.capture_apply('t_drift.a ', 'disable');
SELECT table_name, enabled FROM fingerprint.capture_state WHERE BINARY table_name = 't_drift.a';
SELECT COUNT(*) AS a_triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift' AND EVENT_OBJECT_TABLE = 'a';
-- A dropped trigger is refused too.
DROP TRIGGER t_drift.fpc_u_a;
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.capture_apply('t_drift.a', 'disable');

-- The consumer without the TRIGGER privilege cannot see the triggers: refused with a
-- message saying so, never "all fine"; with TRIGGER (and SELECT) it consumes.
CREATE USER fp_consumer@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_consumer@localhost;
GRANT SELECT, INSERT, UPDATE, DELETE ON fingerprint.capture_batches TO fp_consumer@localhost;
GRANT SELECT, UPDATE ON fingerprint.consumer_lock TO fp_consumer@localhost;
GRANT SELECT, DELETE ON fingerprint.change_log TO fp_consumer@localhost;
GRANT SELECT, UPDATE ON fingerprint.capture_state TO fp_consumer@localhost;
GRANT SELECT ON fingerprint.capture_tables TO fp_consumer@localhost;
GRANT SELECT ON t_drift.gone TO fp_consumer@localhost;
INSERT INTO gone VALUES (8, 8);
system mariadb --no-defaults -u fp_consumer -e "CALL fingerprint.next_batch('drift', 100)"
GRANT TRIGGER ON t_drift.gone TO fp_consumer@localhost;
system mariadb --no-defaults -u fp_consumer -N -e "CALL fingerprint.next_batch('drift', 100)" | cut -f 2,5
system mariadb --no-defaults -u fp_consumer -N -e "CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL))"
REVOKE SELECT ON t_drift.gone FROM fp_consumer@localhost;
INSERT INTO gone VALUES (9, 9);
system mariadb --no-defaults -u fp_consumer -e "CALL fingerprint.next_batch('drift', 100)"
DROP USER fp_consumer@localhost;
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_apply('t_drift.gone', 'disable');

-- F2: ALTER TABLE MODIFY under the triggers. INT -> BIGINT UNSIGNED and DATETIME ->
-- TIMESTAMP keep the kind the UDF sees, so only consumption can tell; INT -> DOUBLE is
-- refused per statement by the UDF, naming the table and the column.
CREATE TABLE m (id INT PRIMARY KEY, n INT, d DATETIME, x INT, s VARCHAR(10));
CALL fingerprint.capture_apply('t_drift.m', 'enable');
ALTER TABLE m MODIFY n BIGINT UNSIGNED, MODIFY d TIMESTAMP NULL;
INSERT INTO m VALUES (1, 18446744073709551615, '2024-01-01 00:00:00', 1, 'a');
CALL fingerprint.next_batch('drift', 100);
SELECT COUNT(*) AS open_batches FROM fingerprint.capture_batches WHERE finished_at IS NULL;
ALTER TABLE m MODIFY x DOUBLE;
INSERT INTO m VALUES (2, 2, NULL, 1.5, 'b');
UPDATE m SET x = 2.5 WHERE id = 1;
ALTER TABLE m MODIFY x DECIMAL(5,2);
DELETE FROM m WHERE id = 1;
ALTER TABLE m MODIFY x INT;
UPDATE m SET s = '7';
ALTER TABLE m MODIFY s INT;
INSERT INTO m VALUES (3, 3, NULL, 3, 3);
UPDATE m SET s = 8;
-- An added column: refused too (it is not captured), naming it.
ALTER TABLE m MODIFY s VARCHAR(10), ADD COLUMN extra INT;
CALL fingerprint.next_batch('drift', 100);
-- Enabling again registers the columns as they are; consumption goes on.
CALL fingerprint.capture_apply('t_drift.m', 'enable');
CALL fingerprint.next_batch('drift', 100);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_apply('t_drift.m', 'disable');

-- F6: any error on the trigger's path names the table, with the original text.
CREATE TABLE conv (id INT PRIMARY KEY, s VARCHAR(10) CHARACTER SET latin1);
CALL fingerprint.capture_apply('t_drift.conv', 'enable');
ALTER TABLE conv MODIFY s VARBINARY(10);
INSERT INTO conv VALUES (1, X'FF');
SELECT COUNT(*) AS conv_rows FROM conv;
CALL fingerprint.capture_apply('t_drift.conv', 'disable');

-- F3: a failed enable drops what it created and names the table.
CREATE TABLE j (id INT PRIMARY KEY, v JSON);
INSERT INTO j VALUES (1, '[1e400]');
CALL fingerprint.capture_apply('t_drift.j', 'enable');
SELECT COUNT(*) AS j_triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift' AND EVENT_OBJECT_TABLE = 'j';
SELECT COUNT(*) AS j_state FROM fingerprint.capture_state WHERE table_name = 't_drift.j';
UPDATE j SET id = 2;
-- The same through the DDL a client runs: capture_baseline drops them.
CALL fingerprint.capture_ddl_build('t_drift.j', 'enable', NULL, FALSE);
SET @s = (SELECT statement FROM fingerprint.fingerprint_capture_ddl WHERE n = 1); PREPARE s FROM @s; EXECUTE s;
SET @s = (SELECT statement FROM fingerprint.fingerprint_capture_ddl WHERE n = 2); PREPARE s FROM @s; EXECUTE s;
SET @s = (SELECT statement FROM fingerprint.fingerprint_capture_ddl WHERE n = 3); PREPARE s FROM @s; EXECUTE s;
SELECT COUNT(*) AS j_triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift' AND EVENT_OBJECT_TABLE = 'j';
SET @s = (SELECT statement FROM fingerprint.fingerprint_capture_ddl WHERE n = 4); PREPARE s FROM @s; EXECUTE s;
SELECT COUNT(*) AS j_triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift' AND EVENT_OBJECT_TABLE = 'j';
DROP TEMPORARY TABLE fingerprint.fingerprint_capture_ddl;
-- A failed re-enable of a captured table leaves capture on.
UPDATE j SET v = '[1]';
CALL fingerprint.capture_apply('t_drift.j', 'enable');
UPDATE j SET v = '[1e400]';
ALTER TABLE j ADD COLUMN w INT;
CALL fingerprint.capture_apply('t_drift.j', 'enable');
SELECT COUNT(*) AS j_triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift' AND EVENT_OBJECT_TABLE = 'j';
SELECT enabled, schema_version FROM fingerprint.capture_state WHERE table_name = 't_drift.j';
CALL fingerprint.capture_apply('t_drift.j', 'disable');

-- F4: consumer names compare as bytes.
CREATE TABLE w (id INT PRIMARY KEY);
CALL fingerprint.capture_apply('t_drift.w', 'enable');
INSERT INTO w VALUES (1);
CALL fingerprint.next_batch('replayer', 100);
SET @b = (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL);
CALL fingerprint.next_batch('REPLAYER', 100);
CALL fingerprint.next_batch('replayér', 100);
CALL fingerprint.next_batch('replayer ', 100);
CALL fingerprint.finish_batch('REPLAYER', @b);
CALL fingerprint.finish_batch('replayer ', @b);
-- F5: monitoring through capture_status, without SELECT on the fingerprint tables (with
-- it, SELECT ... FOR UPDATE could freeze every captured write).
CREATE USER fp_monitor@localhost;
GRANT EXECUTE ON PROCEDURE fingerprint.capture_status TO fp_monitor@localhost;
system mariadb --no-defaults -u fp_monitor -N -e "CALL fingerprint.capture_status()" | grep -E "^(t_drift|NULL)" | cut -f 1,2,3,5
system mariadb --no-defaults -u fp_monitor -e "SELECT seq FROM fingerprint.change_log FOR UPDATE"
DROP USER fp_monitor@localhost;
CALL fingerprint.finish_batch('replayer', @b);
CALL fingerprint.capture_apply('t_drift.w', 'disable');

-- F7: trigger file names: 48 CJK characters still fit as plain names (5 bytes each in a
-- file name, fpc_i_<name>.TRN~ in 255 bytes), 49 and 50 get the hashed form.
SET @t49 = REPEAT('中', 48), @t50 = REPEAT('中', 49);
SELECT fingerprint.file_name_bytes(@t49) AS bytes49, fingerprint.capture_trigger_name(@t49, 'i') = CONCAT('fpc_i_', @t49) AS plain49,
       fingerprint.file_name_bytes(@t50) AS bytes50, LEFT(fingerprint.capture_trigger_name(@t50, 'i'), 4) AS prefix50,
       fingerprint.file_name_bytes('Kk_9') AS ascii, fingerprint.file_name_bytes('a-é') AS mixed;
SET @sql = CONCAT('CREATE TABLE `', @t49, '` (id INT PRIMARY KEY)'); PREPARE s FROM @sql; EXECUTE s;
SET @sql = CONCAT('CREATE TABLE `', @t50, '` (id INT PRIMARY KEY)'); PREPARE s FROM @sql; EXECUTE s;
SET @sql = CONCAT('t_drift.', @t49);
CALL fingerprint.capture_apply(@sql, 'enable');
SET @sql = CONCAT('t_drift.', @t50);
CALL fingerprint.capture_apply(@sql, 'enable');
SELECT COUNT(*) AS cjk_triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_drift';
SET @sql = CONCAT('INSERT INTO `', @t50, '` VALUES (1)'); PREPARE s FROM @sql; EXECUTE s;
SELECT COUNT(*) AS cjk_changes FROM fingerprint.change_log WHERE table_name = CONCAT('t_drift.', @t50);
CALL fingerprint.capture_apply(CONCAT('t_drift.', @t49), 'disable');
CALL fingerprint.capture_apply(CONCAT('t_drift.', @t50), 'disable');

-- F8: an include list of nothing but commas is an error; '' and NULL mean all columns.
CALL fingerprint.table_fingerprint_with('t_drift.w', ',', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_drift.w', ' , ', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_drift.w', NULL, ',', NULL);
CALL fingerprint.table_fingerprint_with('t_drift.w', '', '', NULL);

-- Drain what this file logged, then drop it.
CALL fingerprint.next_batch('drift', 1000000);
CALL fingerprint.finish_batch('drift', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
DELETE FROM fingerprint.capture_state WHERE table_name LIKE 't\_drift.%';
DELETE FROM fingerprint.capture_tables WHERE table_name LIKE 't\_drift.%';
DROP DATABASE t_drift;
