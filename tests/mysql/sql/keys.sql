-- The primary key and unique indexes are part of a capture registration: the update
-- trigger's test for rows UPDATE IGNORE skipped is built from them, and the replayer
-- identifies rows by the key. next_batch and capture_check refuse once they changed.
SET NAMES utf8mb4;
CREATE DATABASE t_keys CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_keys;
CALL fingerprint.next_batch('keys', 1000000);
CALL fingerprint.finish_batch('keys', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CREATE TABLE p (id INT NOT NULL, r INT NOT NULL, u INT, v INT, PRIMARY KEY (id), UNIQUE KEY uv (v));
INSERT INTO p VALUES (1, 1, 1, 1), (2, 2, 2, 2);
CALL fingerprint.capture_apply('t_keys.p', 'enable');
SELECT index_defs FROM fingerprint.capture_tables WHERE table_name = 't_keys.p';

-- A wider primary key: two rows with the same registered key could be logged.
ALTER TABLE p DROP PRIMARY KEY, ADD PRIMARY KEY (id, r);
INSERT INTO p VALUES (1, 2, 3, 3);
CALL fingerprint.next_batch('keys', 100);
CALL fingerprint.capture_check('t_keys.p');
DELETE FROM p WHERE id = 1 AND r = 2;
ALTER TABLE p DROP PRIMARY KEY, ADD PRIMARY KEY (id);

-- A new unique index: UPDATE IGNORE skips a row the trigger would still log.
ALTER TABLE p ADD UNIQUE KEY uu (u);
CALL fingerprint.next_batch('keys', 100);
ALTER TABLE p DROP KEY uu;
-- A unique index dropped, or made a prefix index, is a change too.
ALTER TABLE p DROP KEY uv;
CALL fingerprint.next_batch('keys', 100);
ALTER TABLE p ADD UNIQUE KEY uv (v);
-- Back as registered: accepted; a plain (non-unique) index is no change.
ALTER TABLE p ADD KEY plain (u);
CALL fingerprint.next_batch('keys', 100);
CALL fingerprint.finish_batch('keys', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));

-- Enabling again under a changed key registers a new schema version.
ALTER TABLE p ADD UNIQUE KEY uu (u);
CALL fingerprint.capture_apply('t_keys.p', 'enable');
SELECT schema_version, index_defs FROM fingerprint.capture_tables WHERE table_name = 't_keys.p' ORDER BY schema_version;
CALL fingerprint.next_batch('keys', 100);
CALL fingerprint.finish_batch('keys', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_check('t_keys.p');

-- A registration without index_defs (made before this check existed) is not refused.
ALTER TABLE p DROP KEY uu;
CALL fingerprint.next_batch('keys', 100);
UPDATE fingerprint.capture_tables SET index_defs = NULL WHERE table_name = 't_keys.p' AND schema_version = 2;
CALL fingerprint.next_batch('keys', 100);
-- Enabling it again keeps its version (columns and key unchanged) and records the indexes.
CALL fingerprint.capture_apply('t_keys.p', 'enable');
SELECT schema_version, index_defs FROM fingerprint.capture_tables WHERE table_name = 't_keys.p' ORDER BY schema_version;
CALL fingerprint.capture_apply('t_keys.p', 'disable');

-- Columns reordered (same definitions): the refusal names the columns that moved.
CREATE TABLE ro (id INT PRIMARY KEY, a INT, b INT, c INT);
CALL fingerprint.capture_apply('t_keys.ro', 'enable');
ALTER TABLE ro MODIFY c INT AFTER id;
CALL fingerprint.next_batch('keys', 100);
ALTER TABLE ro MODIFY c INT AFTER b;
CALL fingerprint.capture_apply('t_keys.ro', 'disable');

-- After DROP COLUMN the server fails the write with 1054 while opening the trigger, before
-- its handler runs, so the message cannot name the table (docs/capture.md says so).
CREATE TABLE dc (id INT PRIMARY KEY, gone INT);
CALL fingerprint.capture_apply('t_keys.dc', 'enable');
ALTER TABLE dc DROP COLUMN gone;
INSERT INTO dc VALUES (1);
CALL fingerprint.capture_apply('t_keys.dc', 'disable');
-- An UPDATE whose list of changed column names is longer than changed_columns (TEXT,
-- 65,535 bytes) held: 600 columns whose names JSON escapes to 126 bytes each. The 1.3
-- trigger was refused (error 1406); since 1.4 the list travels in the update row, whole.
SET SESSION group_concat_max_len = 1048576;
SELECT GROUP_CONCAT(CONCAT('`', REPEAT('"', 60), LPAD(seq, 3, '0'), '` INT') SEPARATOR ', '),
       GROUP_CONCAT(CONCAT('`', REPEAT('"', 60), LPAD(seq, 3, '0'), '` = 1') SEPARATOR ', ')
  INTO @cols, @sets FROM seq_0_to_599;
SET @sql = CONCAT('CREATE TABLE wide (id INT PRIMARY KEY, ', @cols, ')');
PREPARE s FROM @sql; EXECUTE s; DEALLOCATE PREPARE s;
INSERT INTO wide (id) VALUES (1);
CALL fingerprint.capture_apply('t_keys.wide', 'enable');
SET @sql = CONCAT('UPDATE wide SET ', @sets);
PREPARE s FROM @sql; EXECUTE s; DEALLOCATE PREPARE s;
SELECT LENGTH(changed_columns) > 65535 AS longer_than_text, JSON_LENGTH(changed_columns) AS changed
  FROM fingerprint.changes WHERE table_name = 't_keys.wide';
CALL fingerprint.capture_apply('t_keys.wide', 'disable');
SET @cols = NULL, @sets = NULL, @sql = NULL;

CALL fingerprint.next_batch('keys', 1000000);
CALL fingerprint.finish_batch('keys', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
DELETE FROM fingerprint.capture_state WHERE table_name LIKE 't\_keys.%';
DELETE FROM fingerprint.capture_tables WHERE table_name LIKE 't\_keys.%';
DROP DATABASE t_keys;
