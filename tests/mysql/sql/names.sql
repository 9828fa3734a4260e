-- Column lists are matched the way MariaDB resolves column names: case-insensitively
-- but accent-sensitively (fingerprint.same_column_name). First the server's own rule,
-- then every place a list of names is read: include, exclude, bucket keys, capture keys.
SET NAMES utf8mb4;
CREATE DATABASE t_names CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_names;
CREATE TABLE t (id INT PRIMARY KEY, e INT, `é` INT, `ünï` INT, `Ü` INT, i INT, k INT);
INSERT INTO t VALUES (1, 10, 20, 30, 40, 50, 60), (2, 11, 21, 31, 41, 51, 61);

-- MariaDB's resolution: these resolve ...
SELECT `E`, `É`, `ÜNÏ`, `ü`, `I`, `K` FROM t ORDER BY id;
-- ... these do not.
SELECT `UNI` FROM t;
SELECT `ı` FROM t;
SELECT `K` FROM t;
SELECT `ǐ` FROM t;

-- The same rule in fingerprint.same_column_name (1 = the same column).
SELECT c, w, fingerprint.same_column_name(c, w) AS same
  FROM (SELECT 'e' AS c, 'E' AS w UNION ALL SELECT 'e', 'é' UNION ALL SELECT 'é', 'É'
        UNION ALL SELECT 'ünï', 'UNI' UNION ALL SELECT 'ünï', 'ÜNÏ' UNION ALL SELECT 'Ü', 'ü'
        UNION ALL SELECT 'i', 'ı' UNION ALL SELECT 'i', 'I' UNION ALL SELECT 'k', 'K'
        UNION ALL SELECT 'k', 'K' UNION ALL SELECT 'ß', 'SS' UNION ALL SELECT 'a', 'a ') AS pairs;

-- Excluding é drops é only: equal to including every other column, unequal to excluding e.
CALL fingerprint.table_fingerprint_with('t_names.t', NULL, 'é', NULL);
CALL fingerprint.table_fingerprint_with('t_names.t', 'id,e,ünï,Ü,i,k', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_names.t', NULL, 'e', NULL);
CALL fingerprint.table_fingerprint_with('t_names.t', NULL, 'É', NULL);
CALL fingerprint.table_fingerprint_with('t_names.t', 'ID, E ,Ü', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_names.t', 'id,e,ü', NULL, NULL);
-- Names that are no column are errors naming them.
CALL fingerprint.table_fingerprint_with('t_names.t', NULL, 'UNI', NULL);
CALL fingerprint.table_fingerprint_with('t_names.t', 'ı', NULL, NULL);
CALL fingerprint.row_fingerprints_with('t_names.t', NULL, 'K', NULL);
CALL fingerprint.bucket_fingerprints_with('t_names.t', 2, NULL, NULL, 'UNI', NULL, NULL);
CALL fingerprint.bucket_fingerprints_with('t_names.t', 2, NULL, 'ǐ', NULL, NULL, NULL);

-- Bucket keys: É is the column é, not e (different buckets and key images).
CALL fingerprint.bucket_rows_with('t_names.t', 1, '0', 'É', 'id', NULL, NULL, NULL, FALSE);
CALL fingerprint.bucket_rows_with('t_names.t', 1, '0', 'E', 'id', NULL, NULL, NULL, FALSE);
CALL fingerprint.bucket_rows_with('t_names.t', 1, '0', 'UNI', NULL, NULL, NULL, NULL, FALSE);

-- Capture keys: a table without a primary key, captured by the key É.
CREATE TABLE nk (e INT NOT NULL, `é` INT NOT NULL, v INT);
INSERT INTO nk VALUES (1, 2, 3);
CALL fingerprint.capture_apply_with('t_names.nk', 'enable', 'É', FALSE);
SELECT key_columns FROM fingerprint.capture_tables WHERE table_name = 't_names.nk';
CALL fingerprint.capture_apply_with('t_names.nk', 'enable', 'UNI', FALSE);
CALL fingerprint.capture_apply_with('t_names.nk', 'enable', 'É,é', FALSE);
UPDATE nk SET v = 4;
SELECT op, `key`, `after` FROM fingerprint.changes WHERE table_name = 't_names.nk';
CALL fingerprint.capture_check('t_names.nk');
CALL fingerprint.capture_apply('t_names.nk', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 't_names.nk';
-- Tables whose names differ only in case or accents are different tables (names compare
-- as bytes, not in information_schema's case- and accent-insensitive collation).
CREATE TABLE `Tc` (id INT PRIMARY KEY, v INT);
CREATE TABLE `tc` (id INT PRIMARY KEY, w INT, x INT);
CREATE TABLE `tç` (id INT PRIMARY KEY, y INT);
INSERT INTO `Tc` VALUES (1, 1);
CALL fingerprint.table_columns('t_names.tc');
CALL fingerprint.table_columns('t_names.tç');
CALL fingerprint.table_fingerprint('t_names.Tc');
CALL fingerprint.bucket_fingerprints('t_names.tc', 2);
CALL fingerprint.table_fingerprint('t_names.TC');
DROP DATABASE t_names;
