-- fingerprint.capture_intact('db.tbl') (docs/capture.md): TRUE exactly when
-- CALL fingerprint.capture_apply('db.tbl', 'enable') would change nothing. After enable it
-- is TRUE; each thing that makes enable change something makes it FALSE, and enable makes
-- it TRUE again. It writes nothing: the registrations are counted around every call.
SET NAMES utf8mb4;
CREATE DATABASE t_ci CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_ci;
CREATE TABLE t (id INT PRIMARY KEY, k INT NOT NULL, v VARCHAR(10)) ENGINE=InnoDB;
SELECT fingerprint.capture_intact('t_ci.t') AS not_captured_yet;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS after_enable;
SELECT COUNT(*) AS versions FROM fingerprint.capture_tables WHERE table_name = 't_ci.t';

-- The columns.
ALTER TABLE t ADD COLUMN extra INT;
SELECT fingerprint.capture_intact('t_ci.t') AS after_add_column;
SELECT COUNT(*) AS versions_unchanged FROM fingerprint.capture_tables WHERE table_name = 't_ci.t';
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;
ALTER TABLE t MODIFY v VARCHAR(20);
SELECT fingerprint.capture_intact('t_ci.t') AS after_type_change;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;

-- The key.
ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, k);
SELECT fingerprint.capture_intact('t_ci.t') AS after_key_change;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;
CALL fingerprint.capture_apply_with('t_ci.t', 'enable', 'k,id', FALSE);
SELECT fingerprint.capture_intact('t_ci.t') AS registered_with_a_named_key;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;
CREATE UNIQUE INDEX t_v ON t (v);
SELECT fingerprint.capture_intact('t_ci.t') AS after_a_unique_index;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;

-- Old images.
CALL fingerprint.capture_apply_with('t_ci.t', 'enable', NULL, TRUE);
SELECT fingerprint.capture_intact('t_ci.t') AS with_old_images;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;

-- The triggers: one dropped, one replaced by another body under its name.
DROP TRIGGER fpc_d_t;
SELECT fingerprint.capture_intact('t_ci.t') AS delete_trigger_dropped;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;
CREATE OR REPLACE TRIGGER fpc_u_t AFTER UPDATE ON t FOR EACH ROW SET @fingerprint_touched = 1;
SELECT fingerprint.capture_intact('t_ci.t') AS update_trigger_replaced;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;

-- The name: RENAME TABLE moves the triggers, which still log as t_ci.t.
RENAME TABLE t TO t2;
SELECT fingerprint.capture_intact('t_ci.t2') AS renamed;
SELECT fingerprint.capture_intact('t_ci.t');
RENAME TABLE t2 TO t;
SELECT fingerprint.capture_intact('t_ci.t') AS renamed_back;

-- An engine capture refuses; disabled; refusals as capture_ddl's.
ALTER TABLE t ENGINE=Aria;
SELECT fingerprint.capture_intact('t_ci.t') AS on_aria;
ALTER TABLE t ENGINE=InnoDB;
SELECT fingerprint.capture_intact('t_ci.t') AS back_on_innodb;
CALL fingerprint.capture_apply('t_ci.t', 'disable');
SELECT fingerprint.capture_intact('t_ci.t') AS disabled;
CALL fingerprint.capture_apply('t_ci.t', 'enable');
SELECT fingerprint.capture_intact('t_ci.t') AS re_enabled;
SELECT fingerprint.capture_intact('t_ci.none');
SELECT fingerprint.capture_intact(NULL);

-- Who may ask: EXECUTE alone sees no table; with the registry, the log and TRIGGER on the
-- table it answers; without TRIGGER the triggers are invisible to it and it answers FALSE
-- (capture_apply would fail for it anyway).
CREATE USER fp_intact@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_intact@localhost;
system mariadb --no-defaults -u fp_intact -e "SELECT fingerprint.capture_intact('t_ci.t')"
GRANT SELECT ON fingerprint.capture_state TO fp_intact@localhost;
GRANT SELECT ON fingerprint.capture_tables TO fp_intact@localhost;
GRANT SELECT ON fingerprint.capture_enabling TO fp_intact@localhost;
GRANT SELECT ON fingerprint.change_log TO fp_intact@localhost;
GRANT SELECT ON t_ci.t TO fp_intact@localhost;
system mariadb --no-defaults -u fp_intact -e "SELECT fingerprint.capture_intact('t_ci.t') AS without_trigger"
GRANT TRIGGER ON t_ci.t TO fp_intact@localhost;
system mariadb --no-defaults -u fp_intact -e "SELECT fingerprint.capture_intact('t_ci.t') AS with_trigger"
DROP USER fp_intact@localhost;

CALL fingerprint.capture_apply('t_ci.t', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 't_ci.t';
DROP DATABASE t_ci;
