-- table_fingerprint and row_fingerprints (as tests/pg/sql/table.sql on PostgreSQL): type
-- mapping, table and row fingerprints, options, quoting, session settings. Tables that
-- hold the same logical rows in different column types must print the same fingerprints.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
CREATE DATABASE t_proc;
USE t_proc;

-- Every supported type, and the class letter the procedures give it.
CREATE TABLE every_type (
    id INT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT UNSIGNED, bo BOOL,
    de DECIMAL(10,4), fl FLOAT, db DOUBLE, ch CHAR(4), vc VARCHAR(20) CHARACTER SET latin1,
    tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, en ENUM('red', 'green'), st SET('a', 'b'),
    bn BINARY(3), vb VARBINARY(8), tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
    da DATE, dt DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(1), yr YEAR, js JSON, uu UUID, bt BIT(5));
SELECT COLUMN_NAME, COLUMN_TYPE,
       fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, COLUMN_NAME = 'js') AS class,
       fingerprint.column_argument(COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLUMN_NAME = 'js', CHARACTER_SET_NAME) AS argument
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 't_proc' AND TABLE_NAME = 'every_type'
ORDER BY ORDINAL_POSITION;
INSERT INTO every_type VALUES
    (1, -1, 65535, 8388607, 18446744073709551615, TRUE, -12.5000, 0.25, 1e300, 'ab', 'café',
     'tiny', 'text', 'medium', 'long', 'green', 'a,b', 'xyz', X'0001', 'tb', 'bl', 'mb', 'lb',
     '2024-02-29', '2024-02-29 23:59:59.999999', '2024-02-29 12:00:00.125', '-01:02:03.5', 2024,
     '{"k": [1, 2.50]}', '123e4567-e89b-12d3-a456-426614174000', b'10101'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, 0, 0, 0, 0, FALSE, 0, 0, 0, '', '', '', '', '', '', 'red', '', '', '', '', '', '', '',
     '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '00:00:00', 2000, '{}',
     '00000000-0000-0000-0000-000000000000', b'0');
CALL fingerprint.table_fingerprint('t_proc.every_type');
CALL fingerprint.row_fingerprints('t_proc.every_type');
-- The procedure's row fingerprints are what a direct call with the same classes gives.
SELECT id, row_fingerprint('iiuiuidffcsssssssbbbbbbDTTtijUu', id, ti, si, mi, bi, bo, de, fl, db,
           CONVERT(ch USING utf8mb4), CONVERT(vc USING utf8mb4), CONVERT(tt USING utf8mb4),
           CONVERT(tx USING utf8mb4), CONVERT(mt USING utf8mb4), CONVERT(lt USING utf8mb4),
           CONVERT(en USING utf8mb4), CONVERT(st USING utf8mb4), bn, vb, tb, bl, mb, lb, da, dt, ts, tm, yr,
           CONVERT(js USING utf8mb4), CAST(uu AS CHAR), bt+0) AS direct
FROM every_type ORDER BY id;

-- Same logical rows, other types, other order, other character sets, other session
-- zone at insert time: the same table fingerprint.
CREATE TABLE shop_a (id INT PRIMARY KEY, price DECIMAL(8,3), name VARCHAR(20) CHARACTER SET latin1,
                     code CHAR(6), seen TIMESTAMP NULL, doc JSON);
CREATE TABLE shop_b (id BIGINT PRIMARY KEY, price DECIMAL(6,1), name TEXT CHARACTER SET utf8mb4,
                     code VARCHAR(6), seen DATETIME(6), doc JSON);
SET time_zone = '+05:30';
INSERT INTO shop_a VALUES (1, 9.500, 'crème', 'A1', '2022-06-01 17:30:00', '{"tags": ["x"], "n": 1}'),
                          (2, 0, 'naïve', 'B2', NULL, NULL);
SET time_zone = '+00:00';
INSERT INTO shop_b VALUES (2, 0.0, 'naïve', 'B2', NULL, NULL),
                          (1, 9.5, 'crème', 'A1', '2022-06-01 12:00:00', '{ "n": 1.0, "tags": [ "x" ] }');
SET time_zone = '-08:00';
CALL fingerprint.table_fingerprint('t_proc.shop_a');
CALL fingerprint.table_fingerprint('t_proc.shop_b');
CALL fingerprint.row_fingerprints('t_proc.shop_a');
CALL fingerprint.row_fingerprints('t_proc.shop_b');
-- The caller's session is left as it was.
SELECT @@session.time_zone, @@session.group_concat_max_len, @fingerprint_sql;
SET time_zone = '+00:00';

-- Options: include/exclude lists (trimmed, case-insensitive like column names), the
-- algorithm, NULL or '' for the defaults.
CALL fingerprint.table_fingerprint_with('t_proc.shop_a', NULL, NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_proc.shop_a', '', '', '');
CALL fingerprint.table_fingerprint_with('t_proc.shop_a', 'id,price', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_proc.shop_a', ' ID , Price ', NULL, NULL);
CALL fingerprint.table_fingerprint_with('t_proc.shop_a', NULL, 'name,code,seen,doc', NULL);
CALL fingerprint.table_fingerprint_with('t_proc.shop_a', 'id,price,name', 'name', 'sha256');
SELECT fingerprint_agg('sha256:id', id, price) AS direct_sha256 FROM shop_a;
CALL fingerprint.row_fingerprints_with('t_proc.shop_b', 'name', NULL, 'sha256');
CALL fingerprint.row_fingerprints_with('t_proc.shop_b', NULL, 'id', NULL);

-- Composite keys: key columns in key order, rows ordered by the key.
CREATE TABLE composite (a INT, b VARCHAR(5), v INT, PRIMARY KEY (b, a));
INSERT INTO composite VALUES (2, 'y', 20), (1, 'y', 10), (3, 'x', 30), (1, 'x', 40);
CALL fingerprint.row_fingerprints('t_proc.composite');
CALL fingerprint.table_fingerprint('t_proc.composite');

-- Identifiers that need quoting, and a key column called fingerprint.
CREATE TABLE `odd ``name`` table` (`fingerprint` INT PRIMARY KEY, `select` VARCHAR(5), `a,b` INT);
INSERT INTO `odd ``name`` table` VALUES (2, 'two', 22), (1, 'one', 11);
CALL fingerprint.row_fingerprints('t_proc.odd `name` table');
CALL fingerprint.table_fingerprint_with('t_proc.odd `name` table', 'select', NULL, NULL);

-- Empty tables.
CREATE TABLE empty_one (id INT PRIMARY KEY, v TEXT);
CALL fingerprint.table_fingerprint('t_proc.empty_one');
CALL fingerprint.row_fingerprints('t_proc.empty_one');
CALL fingerprint.table_fingerprint_with('t_proc.empty_one', NULL, NULL, 'sha256');

-- A wide table with long column names: the column list outgrows a small
-- group_concat_max_len, which the procedure raises and then restores.
SET @columns = (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
                SELECT GROUP_CONCAT(CONCAT('a_rather_long_column_name_number_', i, ' INT DEFAULT ', i)
                                    ORDER BY i SEPARATOR ', ') FROM n);
SET @create = CONCAT('CREATE TABLE wide (id INT PRIMARY KEY, ', @columns, ')');
PREPARE create_wide FROM @create;
EXECUTE create_wide;
DEALLOCATE PREPARE create_wide;
INSERT INTO wide (id) VALUES (1), (2);
SET SESSION group_concat_max_len = 1024;
CALL fingerprint.table_fingerprint('t_proc.wide');
SELECT @@session.group_concat_max_len;
SET SESSION group_concat_max_len = DEFAULT;

-- A bare table name cannot mean the caller's database (inside a procedure DATABASE() is
-- `fingerprint`); the argument is evaluated by the caller, though.
CALL fingerprint.table_fingerprint(CONCAT(DATABASE(), '.composite'));
DROP DATABASE t_proc;
