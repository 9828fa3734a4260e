-- A caller that may read only some columns never gets a fingerprint of just those
-- (issue 8, class 3): information_schema hides the columns it holds no privilege on, so
-- every procedure that fingerprints "all columns" (or all but an exclude list) asks the
-- server whether the caller can read every column, and refuses naming what it can name.
-- l and r differ in every value of b; id and a are equal.
SET NAMES utf8mb4;
CREATE DATABASE t_priv CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_priv;
CREATE TABLE l (id INT PRIMARY KEY, a INT, b VARCHAR(10));
CREATE TABLE r (id INT PRIMARY KEY, a INT, b VARCHAR(10));
INSERT INTO l VALUES (1, 1, 'left'), (2, 2, 'left');
INSERT INTO r VALUES (1, 1, 'right'), (2, 2, 'right');
CREATE TABLE hid (id INT PRIMARY KEY, a INT, h INT INVISIBLE);
INSERT INTO hid (id, a, h) VALUES (1, 1, 1);
CALL fingerprint.table_fingerprint('t_priv.l');
CALL fingerprint.table_fingerprint('t_priv.r');

-- Only id and a: b is hidden from information_schema.
CREATE USER fp_partial@localhost;
GRANT SELECT (id, a) ON t_priv.l TO fp_partial@localhost;
GRANT SELECT (id, a) ON t_priv.r TO fp_partial@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_partial@localhost;
-- id and a readable, b visible (INSERT) but not readable.
CREATE USER fp_insert_b@localhost;
GRANT SELECT (id, a), INSERT (b) ON t_priv.l TO fp_insert_b@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_insert_b@localhost;
-- Every visible column of hid, not its invisible column h.
CREATE USER fp_visible@localhost;
GRANT SELECT (id, a) ON t_priv.hid TO fp_visible@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_visible@localhost;
-- The column privileges through a default role; TRIGGER too (capture enable).
CREATE ROLE fp_partial_role;
GRANT SELECT (id, a) ON t_priv.l TO fp_partial_role;
GRANT TRIGGER ON t_priv.l TO fp_partial_role;
CREATE USER fp_role_user@localhost;
GRANT fp_partial_role TO fp_role_user@localhost;
SET DEFAULT ROLE fp_partial_role FOR fp_role_user@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_role_user@localhost;
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES ON fingerprint.* TO fp_role_user@localhost;
-- SELECT on the whole table: everything works.
CREATE USER fp_full@localhost;
GRANT SELECT ON t_priv.l TO fp_full@localhost;
GRANT SELECT ON t_priv.r TO fp_full@localhost;
GRANT EXECUTE ON fingerprint.* TO fp_full@localhost;

-- Every fingerprinting procedure refuses for fp_partial ...
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.table_fingerprint('t_priv.l')"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.table_fingerprint_with('t_priv.r', NULL, NULL, 'sha256')"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.row_fingerprints('t_priv.l')"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.row_fingerprints_with('t_priv.l', NULL, 'a', NULL)"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.bucket_fingerprints('t_priv.l', 4)"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.bucket_fingerprints_with('t_priv.l', 4, 'id', NULL, NULL, NULL, NULL)"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.bucket_fingerprints_json('t_priv.l', 4, NULL, NULL, NULL, NULL, NULL)"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.bucket_rows('t_priv.l', 4, '0,1,2,3')"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.bucket_rows_with('t_priv.l', 4, '0,1,2,3', NULL, NULL, 'a', NULL, NULL, TRUE)"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.table_columns('t_priv.l')"
-- ... an include list naming readable columns is what the caller asked for: allowed,
-- and l and r are then equal (only b differs).
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.table_fingerprint_with('t_priv.l', 'id,a', NULL, NULL)"
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.table_fingerprint_with('t_priv.r', 'id,a', NULL, NULL)"
-- ... a hidden column cannot be named.
system mariadb --no-defaults -u fp_partial -e "CALL fingerprint.table_fingerprint_with('t_priv.l', 'id,b', NULL, NULL)"
-- A visible column without SELECT is named; excluding it is refused too (all but a list
-- needs every column).
system mariadb --no-defaults -u fp_insert_b -e "CALL fingerprint.table_fingerprint('t_priv.l')"
system mariadb --no-defaults -u fp_insert_b -e "CALL fingerprint.table_fingerprint_with('t_priv.l', NULL, 'b', NULL)"
system mariadb --no-defaults -u fp_insert_b -e "CALL fingerprint.table_fingerprint_with('t_priv.l', 'id, a', NULL, NULL)"
-- An invisible column without SELECT is found although every visible one is readable.
system mariadb --no-defaults -u fp_visible -e "CALL fingerprint.table_fingerprint('t_priv.hid')"
system mariadb --no-defaults -u fp_visible -e "CALL fingerprint.bucket_fingerprints('t_priv.hid', 2)"
-- Privileges through a role; capture cannot be enabled over hidden columns.
system mariadb --no-defaults -u fp_role_user -e "CALL fingerprint.table_fingerprint('t_priv.l')"
system mariadb --no-defaults -u fp_role_user -e "CALL fingerprint.capture_ddl('t_priv.l', 'enable')"
system mariadb --no-defaults -u fp_role_user -e "CALL fingerprint.capture_apply('t_priv.l', 'enable')"
SELECT COUNT(*) AS capture_triggers FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = 't_priv';
-- Once captured (by root), capture_check refuses for the partial reader too.
CALL fingerprint.capture_apply('t_priv.l', 'enable');
system mariadb --no-defaults -u fp_role_user -e "CALL fingerprint.capture_check('t_priv.l')"
CALL fingerprint.capture_apply('t_priv.l', 'disable');
-- With SELECT on the tables, the fingerprints are those root gets, and they differ.
system mariadb --no-defaults -u fp_full -e "CALL fingerprint.table_fingerprint('t_priv.l')"
system mariadb --no-defaults -u fp_full -e "CALL fingerprint.table_fingerprint('t_priv.r')"
system mariadb --no-defaults -u fp_full -e "CALL fingerprint.bucket_fingerprints('t_priv.l', 2)"

DROP USER fp_partial@localhost, fp_insert_b@localhost, fp_visible@localhost, fp_role_user@localhost, fp_full@localhost;
DROP ROLE fp_partial_role;
DROP DATABASE t_priv;
