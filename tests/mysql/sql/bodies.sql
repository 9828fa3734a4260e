-- A capture trigger is trusted by its whole body: enable registers the SHA2 of each
-- trigger's ACTION_STATEMENT (capture_state.trigger_sha2), and next_batch and
-- capture_check refuse when a trigger under a capture trigger's name was replaced, even
-- by one that keeps the fragment that names the table, or redefined as BEFORE.
SET NAMES utf8mb4;
CREATE DATABASE t_body CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_body;
CALL fingerprint.next_batch('bodies', 1000000);
CALL fingerprint.finish_batch('bodies', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CREATE TABLE f (id INT PRIMARY KEY, v INT);
CALL fingerprint.capture_apply('t_body.f', 'enable');
SELECT CHAR_LENGTH(trigger_sha2) AS sha2_chars FROM fingerprint.capture_state WHERE table_name = 't_body.f';

-- Replaced by a body that logs nothing but still holds the fragment.
CREATE OR REPLACE TRIGGER fpc_i_f AFTER INSERT ON f FOR EACH ROW SET @x = "(CONNECTION_ID(), 'I', 't_body.f', ";
INSERT INTO f VALUES (1, 1);
SELECT COUNT(*) AS logged FROM fingerprint.change_log WHERE table_name = 't_body.f';
CALL fingerprint.next_batch('bodies', 100);
CALL fingerprint.capture_check('t_body.f');
-- The baseline refuses hashes that are not the triggers' (capture stays on as it was).
CALL fingerprint.capture_baseline('t_body.f', 1, 'x y z');
-- Enabling again puts the generated triggers back and takes a new baseline (the insert
-- they missed is never logged: the re-copy the message asks for is what repairs it).
CALL fingerprint.capture_apply('t_body.f', 'enable');
CALL fingerprint.next_batch('bodies', 100);
CALL fingerprint.capture_check('t_body.f');
DELETE FROM f;

-- The same body as a BEFORE trigger: refused, naming it.
SELECT ACTION_STATEMENT INTO @body FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 't_body' AND TRIGGER_NAME = 'fpc_u_f';
SET @sql = CONCAT('CREATE OR REPLACE TRIGGER fpc_u_f BEFORE UPDATE ON f FOR EACH ROW ', @body);
PREPARE s FROM @sql; EXECUTE s; DEALLOCATE PREPARE s;
CALL fingerprint.next_batch('bodies', 100);
-- Recreated exactly as it was: accepted again.
SET @sql = CONCAT('CREATE OR REPLACE TRIGGER fpc_u_f AFTER UPDATE ON f FOR EACH ROW ', @body);
PREPARE s FROM @sql; EXECUTE s; DEALLOCATE PREPARE s;
CALL fingerprint.next_batch('bodies', 100);
CALL fingerprint.finish_batch('bodies', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
CALL fingerprint.capture_apply('t_body.f', 'disable');

CALL fingerprint.next_batch('bodies', 1000000);
CALL fingerprint.finish_batch('bodies', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
DELETE FROM fingerprint.capture_state WHERE table_name LIKE 't\_body.%';
DELETE FROM fingerprint.capture_tables WHERE table_name LIKE 't\_body.%';
DROP DATABASE t_body;
