-- Triggers that log while the registration says "not captured" are checked by nothing:
-- capture_stopped refuses while capture triggers of the table remain (on it or moved by
-- RENAME TABLE), next_batch refuses while a registration that is not enabled still has
-- capture triggers (a KILLed enable before its baseline committed, a forged UPDATE of
-- capture_state) and while the log holds rows capture never registered. An enable while
-- rows of the table's latest version wait in the log and it is not captured (dropped and
-- created again, disabled) starts a new schema version.
SET NAMES utf8mb4;
CREATE DATABASE t_stop CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_stop;
CALL fingerprint.next_batch('stopped', 1000000);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CREATE TABLE r (id INT PRIMARY KEY, v INT);
CALL fingerprint.capture_apply('t_stop.r', 'enable');

-- (a) capture_stopped called directly while the three triggers remain: refused, still enabled.
CALL fingerprint.capture_stopped('t_stop.r', 0, NULL);
SELECT enabled FROM fingerprint.capture_state WHERE table_name = 't_stop.r';
-- ... also when RENAME TABLE moved them: the message names where they are.
RENAME TABLE r TO r2;
CALL fingerprint.capture_stopped('t_stop.r', 0, NULL);
RENAME TABLE r2 TO r;
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));

-- (b) marked disabled behind capture's back (an account with UPDATE on capture_state):
-- the triggers keep logging, next_batch refuses naming the table.
UPDATE fingerprint.capture_state SET enabled = FALSE WHERE table_name = 't_stop.r';
INSERT INTO r VALUES (1, 1);
CALL fingerprint.next_batch('stopped', 100);
SELECT COUNT(*) AS open_batches FROM fingerprint.capture_batches WHERE finished_at IS NULL;
-- Enabling again (or disabling) clears it.
CALL fingerprint.capture_apply('t_stop.r', 'enable');
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));

-- (b') the state a KILL during the baseline of a first enable leaves: triggers and a
-- registered schema version, no capture_state row.
CREATE TABLE k (id INT PRIMARY KEY);
CALL fingerprint.capture_apply('t_stop.k', 'enable');
DELETE FROM fingerprint.capture_state WHERE table_name = 't_stop.k';
INSERT INTO k VALUES (1);
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.capture_apply('t_stop.k', 'disable');
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));

-- (c) a log row under a name capture never registered (or a version it never had).
INSERT INTO r VALUES (2, 2);
INSERT INTO fingerprint.change_log (session_id, op, table_name, schema_version, capture_new)
SELECT 0, 'I', 't_stop.nobody', 1, capture_new FROM fingerprint.change_log WHERE table_name = 't_stop.r';
INSERT INTO fingerprint.change_log (session_id, op, table_name, schema_version, capture_new)
SELECT 0, 'I', 't_stop.r', 99, capture_new FROM fingerprint.change_log WHERE table_name = 't_stop.r' LIMIT 1;
CALL fingerprint.next_batch('stopped', 100);
DELETE FROM fingerprint.change_log WHERE table_name = 't_stop.nobody';
CALL fingerprint.next_batch('stopped', 100);
DELETE FROM fingerprint.change_log WHERE table_name = 't_stop.r' AND schema_version = 99;
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));

-- (d) A captured table dropped and created again while its changes wait in the log:
-- next_batch refuses (no trigger); enabling again starts a new schema version, says so in
-- its status, and the batch holds both versions' rows, each under its own version.
CREATE TABLE d (id INT PRIMARY KEY, v INT);
CALL fingerprint.capture_apply('t_stop.d', 'enable');
INSERT INTO d VALUES (1, 1);
DROP TABLE d;
CREATE TABLE d (id INT PRIMARY KEY, v INT);
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.capture_apply('t_stop.d', 'enable');
INSERT INTO d VALUES (1, 2);
CALL fingerprint.next_batch('stopped', 100);
SELECT schema_version, op, `key`, `after` FROM fingerprint.changes WHERE table_name = 't_stop.d' ORDER BY seq;
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_check('t_stop.d');
-- Disabled and enabled again with nothing waiting: the same version.
CALL fingerprint.capture_apply('t_stop.d', 'disable');
CALL fingerprint.next_batch('stopped', 100);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_apply('t_stop.d', 'enable');
CALL fingerprint.capture_apply('t_stop.d', 'disable');

-- The disable DDL drops the triggers first, so its capture_stopped goes through.
CALL fingerprint.capture_apply('t_stop.r', 'disable');
SELECT enabled FROM fingerprint.capture_state WHERE table_name = 't_stop.r';

CALL fingerprint.next_batch('stopped', 1000000);
CALL fingerprint.finish_batch('stopped', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
DELETE FROM fingerprint.capture_state WHERE table_name LIKE 't\_stop.%';
DELETE FROM fingerprint.capture_tables WHERE table_name LIKE 't\_stop.%';
DROP DATABASE t_stop;
