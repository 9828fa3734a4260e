-- Capture needs a transactional engine: with MyISAM or Aria a failed or rolled-back
-- statement keeps its row changes while the log rows its triggers wrote are rolled back.
-- Enable refuses such a table, naming it and its engine; next_batch and capture_check
-- refuse once a captured table was altered to one.
SET NAMES utf8mb4;
CREATE DATABASE t_engine CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_engine;
CALL fingerprint.next_batch('engines', 1000000);
CALL fingerprint.finish_batch('engines', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));

-- Enable refuses MyISAM and Aria; no trigger is left behind.
CREATE TABLE my (id INT PRIMARY KEY, v INT) ENGINE=MyISAM;
CREATE TABLE ar (id INT PRIMARY KEY, v INT) ENGINE=Aria TRANSACTIONAL=1;
CALL fingerprint.capture_apply('t_engine.my', 'enable');
CALL fingerprint.capture_apply('t_engine.ar', 'enable');
CALL fingerprint.capture_ddl('t_engine.my', 'enable');
SELECT COUNT(*) AS triggers FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_engine';
SELECT COUNT(*) AS registrations FROM fingerprint.capture_state WHERE table_name LIKE 't\_engine.%';

-- Why: a rolled-back MyISAM insert keeps the row, its log row is gone.
-- (Shown with a hand-made trigger on a scratch table, not with capture.)
CREATE TABLE seen (id INT) ENGINE=InnoDB;
CREATE TRIGGER my_i AFTER INSERT ON my FOR EACH ROW INSERT INTO seen VALUES (NEW.id);
START TRANSACTION;
INSERT INTO my VALUES (1, 1);
ROLLBACK;
SELECT (SELECT COUNT(*) FROM my) AS my_rows, (SELECT COUNT(*) FROM seen) AS logged_rows;
DROP TRIGGER my_i;

-- An InnoDB table captured, then altered to MyISAM: next_batch and capture_check refuse.
CREATE TABLE inno (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO inno VALUES (1, 1);
CALL fingerprint.capture_apply('t_engine.inno', 'enable');
INSERT INTO inno VALUES (2, 2);
CALL fingerprint.capture_check('t_engine.inno');
ALTER TABLE inno ENGINE=MyISAM;
CALL fingerprint.next_batch('engines', 100);
SELECT COUNT(*) AS open_batches FROM fingerprint.capture_batches WHERE finished_at IS NULL;
CALL fingerprint.capture_check('t_engine.inno');
-- Enabling again refuses too; back on InnoDB it is accepted again.
CALL fingerprint.capture_apply('t_engine.inno', 'enable');
ALTER TABLE inno ENGINE=InnoDB;
CALL fingerprint.capture_apply('t_engine.inno', 'enable');
CALL fingerprint.capture_check('t_engine.inno');
CALL fingerprint.capture_apply('t_engine.inno', 'disable');

-- Drain what this file logged, then drop it.
CALL fingerprint.next_batch('engines', 1000000);
CALL fingerprint.finish_batch('engines', (SELECT MAX(batch_id) FROM fingerprint.capture_batches WHERE finished_at IS NULL));
DELETE FROM fingerprint.capture_state WHERE table_name LIKE 't\_engine.%';
DELETE FROM fingerprint.capture_tables WHERE table_name LIKE 't\_engine.%';
DROP DATABASE t_engine;
