-- Assembled by the build from sql/mysql/src/*.sql (sql/mysql/CMakeLists.txt): edit those
-- files, not this one. fingerprint 1.6 for MariaDB.

-- -------------------------------------------------------------- sql/mysql/src/setup.sql
-- ==== Setup: sql_mode, the UDFs, the database ====

-- fingerprint for MariaDB: registers the UDFs and creates the `fingerprint` database with
-- the procedures that call them. Idempotent: running it again changes nothing.
--
--   mariadb < <build>/sql/mysql/install.sql      (installed: share/fingerprint/mysql/install.sql)
--
-- It also upgrades an older install in place (docs/upgrading.md): tables are created if
-- missing and never dropped (fingerprint.change_log, the capture registrations and the
-- consumer's batches are kept), routines are replaced, and a UDF whose registration
-- differs (return type, kind or library) is dropped and registered again. The release
-- installed is SELECT fingerprint.version(), created last (no such function: 1.0).
--
-- Needs fingerprint_udf.so in the server's plugin directory (SELECT @@plugin_dir) and a
-- user allowed to CREATE and DROP FUNCTION (SELECT, INSERT and DELETE on mysql.func) and
-- to create a database.
-- Written for MariaDB 10.5 and later (CREATE FUNCTION IF NOT EXISTS, CHECK_CONSTRAINTS
-- with TABLE_NAME); docs/mysql.md says what MySQL 8 would need.

-- The routines keep the sql_mode they were created under; make it a known one.
SET @fingerprint_saved_sql_mode = @@session.sql_mode;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

DELIMITER //

-- Until this script has finished, the install is no complete release.
DROP FUNCTION IF EXISTS fingerprint.version//

-- The UDFs of fingerprint_udf.so: (name, return type as mysql.func stores it: 0 STRING,
-- 1 REAL, 2 INTEGER; kind). One registered differently (by an older release) is dropped
-- and registered again; CREATE FUNCTION IF NOT EXISTS alone never updates one. An
-- unchanged registration is left alone, so that running this again drops nothing that
-- live capture triggers call.
BEGIN NOT ATOMIC
    DECLARE v_done BOOLEAN DEFAULT FALSE;
    DECLARE v_name VARCHAR(64) CHARACTER SET utf8mb4;
    DECLARE v_ret INT;
    DECLARE v_kind VARCHAR(16) CHARACTER SET ascii;
    DECLARE v_udfs CURSOR FOR
        WITH wanted (name, ret, kind) AS (
            VALUES ('row_fingerprint', 0, 'function'), ('fingerprint_agg', 0, 'aggregate'),
                   ('fingerprint_buckets', 0, 'aggregate'), ('fingerprint_bucket_of', 2, 'function'),
                   ('fingerprint_image', 0, 'function'), ('fingerprint_key_json', 0, 'function'),
                   ('fingerprint_capture_row', 0, 'function'), ('fingerprint_image_json', 0, 'function'),
                   ('fingerprint_image_diff', 0, 'function'), ('fingerprint_advance', 0, 'aggregate'),
                   ('fingerprint_capture_part', 0, 'function'), ('fingerprint_algorithm', 0, 'function'))
        SELECT name, ret, kind FROM wanted;
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = TRUE;
    OPEN v_udfs;
    register: LOOP
        FETCH v_udfs INTO v_name, v_ret, v_kind;
        IF v_done THEN
            LEAVE register;
        END IF;
        IF EXISTS (SELECT 1 FROM mysql.func WHERE name = v_name
                      AND NOT (ret = v_ret AND type = v_kind AND dl = 'fingerprint_udf.so')) THEN
            SET @fingerprint_install_sql = CONCAT('DROP FUNCTION ', v_name);
            PREPARE fingerprint_install_statement FROM @fingerprint_install_sql;
            EXECUTE fingerprint_install_statement;
            DEALLOCATE PREPARE fingerprint_install_statement;
        END IF;
        SET @fingerprint_install_sql = CONCAT('CREATE ', IF(v_kind = 'aggregate', 'AGGREGATE ', ''),
                                              'FUNCTION IF NOT EXISTS ', v_name, ' RETURNS ',
                                              ELT(v_ret + 1, 'STRING', 'REAL', 'INTEGER'),
                                              ' SONAME ''fingerprint_udf.so''');
        PREPARE fingerprint_install_statement FROM @fingerprint_install_sql;
        EXECUTE fingerprint_install_statement;
        DEALLOCATE PREPARE fingerprint_install_statement;
    END LOOP;
    CLOSE v_udfs;
    SET @fingerprint_install_sql = NULL;
END//

CREATE DATABASE IF NOT EXISTS fingerprint CHARACTER SET utf8mb4 COLLATE utf8mb4_bin//

-- -------------------------------------------------------------- sql/mysql/src/naming.sql
-- ==== Names: identifiers, column names, 'db.tbl', comma-separated lists, the primary key ====

-- `name` quoted as an identifier: backticks around it, embedded backticks doubled.
DROP FUNCTION IF EXISTS fingerprint.quote_name//
CREATE FUNCTION fingerprint.quote_name(name VARCHAR(255) CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'quotes an identifier with backticks'
RETURN CONCAT('`', REPLACE(name, '`', '``'), '`')//

-- TRUE when a name written by a user denotes column `column_name`, the way MariaDB
-- resolves column names: case-insensitively but accent-sensitively. Observed on 10.11
-- against the server's own resolution of every pair of some 2,000 letters (Latin, Greek,
-- Cyrillic, ...): two names denote the same column exactly when their UPPER() and their
-- LOWER() are both equal as bytes ('e' is not 'é', 'UNI' is not 'ünï', 'ü' is 'Ü', the
-- dotless 'ı' is not 'i', the Kelvin sign is not 'k'). tests/mysql/sql/names.sql checks it.
DROP FUNCTION IF EXISTS fingerprint.same_column_name//
CREATE FUNCTION fingerprint.same_column_name(
    column_name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    written VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)
RETURNS BOOLEAN
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'whether a written name denotes a column, as MariaDB resolves names'
RETURN CAST(UPPER(column_name) AS BINARY) = CAST(UPPER(written) AS BINARY)
   AND CAST(LOWER(column_name) AS BINARY) = CAST(LOWER(written) AS BINARY)//

-- Splits a table argument 'db.tbl' at its first dot and checks that the table exists (as
-- bytes: see docs/mysql.md), SIGNALing otherwise: the one place every procedure that
-- takes a table name reads it. Inside a stored procedure DATABASE() is the procedure's
-- own database (`fingerprint`), not the caller's, so a bare name cannot be resolved.
-- p_base_table: only a base table will do (capture: its triggers need one), and a bare
-- name is refused with the shorter hint the capture procedures have always given.
DROP PROCEDURE IF EXISTS fingerprint.split_table//
CREATE PROCEDURE fingerprint.split_table(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_base_table BOOLEAN,
    OUT p_schema TEXT CHARACTER SET utf8mb4,
    OUT p_name TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'splits a db.tbl argument and checks that the table exists'
BEGIN
    DECLARE v_dot INT DEFAULT LOCATE('.', COALESCE(p_table, ''));
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF p_table IS NULL OR p_table = '' THEN
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'no table name given: pass ''db.table''';
    END IF;
    IF v_dot = 0 THEN
        SET v_message = CONCAT('table name ', p_table, ' has no database: pass ''db.table''',
                               IF(COALESCE(p_base_table, FALSE), '', ' or CONCAT(DATABASE(), ''.table'')'));
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
    SET p_schema = LEFT(p_table, v_dot - 1);
    SET p_name = SUBSTRING(p_table, v_dot + 1);
    IF NOT EXISTS (SELECT 1 FROM information_schema.TABLES
                   WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_name
                     AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_name
                     AND (NOT COALESCE(p_base_table, FALSE) OR TABLE_TYPE = 'BASE TABLE')) THEN
        SET v_message = CONCAT('table ', p_schema, '.', p_name, ' does not exist');
        SIGNAL SQLSTATE '42S02' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- Takes the next item off a comma-separated list: p_item becomes the first item that is
-- not empty once trimmed of spaces (trimmed), p_rest what follows that item (NULL at the
-- end); p_item is NULL when no item is left. Every list argument (include, exclude, key
-- columns, bucket ids) is read with it:
--     CALL fingerprint.next_list_item(v_rest, v_item);
--     WHILE v_item IS NOT NULL DO ... CALL fingerprint.next_list_item(v_rest, v_item); END WHILE;
DROP PROCEDURE IF EXISTS fingerprint.next_list_item//
CREATE PROCEDURE fingerprint.next_list_item(
    INOUT p_rest LONGTEXT CHARACTER SET utf8mb4,
    OUT p_item TEXT CHARACTER SET utf8mb4)
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'takes the next item off a comma-separated list'
BEGIN
    SET p_item = NULL;
    WHILE p_item IS NULL AND p_rest IS NOT NULL DO
        SET p_item = NULLIF(TRIM(SUBSTRING_INDEX(p_rest, ',', 1)), '');
        SET p_rest = IF(LOCATE(',', p_rest) > 0, SUBSTRING(p_rest, LOCATE(',', p_rest) + 1), NULL);
    END WHILE;
END//

-- The primary key of db.tbl in key order, the one reading of it from
-- information_schema.STATISTICS: a JSON array with an object per key column, {"name",
-- "position" (its ORDINAL_POSITION), "data_type", "column_type", "charset" (null for a
-- column without a character set)}; NULL when the table has no primary key. Callers read
-- it with JSON_TABLE(..., '$[*]' COLUMNS (seq FOR ORDINALITY, name ... PATH '$.name', ...)),
-- seq being the column's position in the key. group_concat_max_len is raised while it is
-- built (and restored, also on error).
DROP FUNCTION IF EXISTS fingerprint.primary_key//
CREATE FUNCTION fingerprint.primary_key(p_schema TEXT CHARACTER SET utf8mb4, p_table TEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'primary key columns of a table, in key order, as JSON'
BEGIN
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE v_key LONGTEXT CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION group_concat_max_len = v_saved_gc_len;
        RESIGNAL;
    END;
    SET SESSION group_concat_max_len = GREATEST(v_saved_gc_len, 67108864);
    SET v_key = (
        SELECT JSON_ARRAYAGG(JSON_OBJECT('name', s.COLUMN_NAME, 'position', c.ORDINAL_POSITION,
                                         'data_type', c.DATA_TYPE, 'column_type', c.COLUMN_TYPE,
                                         'charset', c.CHARACTER_SET_NAME) ORDER BY s.SEQ_IN_INDEX)
          FROM information_schema.STATISTICS s
          JOIN information_schema.COLUMNS c
            ON c.TABLE_SCHEMA = p_schema AND c.TABLE_NAME = p_table
           AND BINARY c.TABLE_SCHEMA = BINARY p_schema AND BINARY c.TABLE_NAME = BINARY p_table
           AND BINARY c.COLUMN_NAME = BINARY s.COLUMN_NAME
         WHERE s.TABLE_SCHEMA = p_schema AND s.TABLE_NAME = p_table
           AND BINARY s.TABLE_SCHEMA = BINARY p_schema AND BINARY s.TABLE_NAME = BINARY p_table
           AND s.INDEX_NAME = 'PRIMARY');
    SET SESSION group_concat_max_len = v_saved_gc_len;
    RETURN v_key;
END//

-- -------------------------------------------------------------- sql/mysql/src/arguments.sql
-- ==== Arguments: checks every routine shares, the UDFs' error strings ====

-- Returns a fingerprint unchanged; turns an error string ("error: column ...", what the
-- UDFs return for a value they cannot encode) into SQLSTATE 22023 carrying that text.
DROP FUNCTION IF EXISTS fingerprint.checked//
CREATE FUNCTION fingerprint.checked(fp TEXT CHARACTER SET utf8mb4)
RETURNS VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'passes a fingerprint through, raises SQLSTATE 22023 for an error string'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF LEFT(fp, 7) = 'error: ' THEN
        SET v_message = LEFT(fp, 512);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    RETURN fp;
END//

-- Returns an image unchanged; turns an error string from fingerprint_image (an image
-- starts with a class tag byte, never with 'e') into SQLSTATE 22023 carrying that text.
DROP FUNCTION IF EXISTS fingerprint.checked_image//
CREATE FUNCTION fingerprint.checked_image(image LONGBLOB)
RETURNS LONGBLOB
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'passes an image through, raises SQLSTATE 22023 for an error string'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF LEFT(image, 7) = 'error: ' THEN
        SET v_message = CONVERT(LEFT(image, 512) USING utf8mb4);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    RETURN image;
END//

-- Refuses NULL for a helper's schema or table argument (the public procedures pass
-- checked values; a direct call with NULL gets this message instead of an odd one).
DROP PROCEDURE IF EXISTS fingerprint.check_table_arguments//
CREATE PROCEDURE fingerprint.check_table_arguments(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_caller VARCHAR(64) CHARACTER SET utf8mb4)
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'refuses a NULL schema or table argument of a helper'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF p_schema IS NULL OR p_table IS NULL THEN
        SET v_message = CONCAT('fingerprint.', COALESCE(p_caller, '?'), ': the schema and table must not be NULL');
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- Refuses a missing or invalid argument: SQLSTATE 22023 with p_message unless p_ok is
-- TRUE (NULL counts as FALSE, so `p_consumer <> ''` also refuses NULL). The public
-- procedures check their consumer names, batch ids, sizes and versions with it.
DROP PROCEDURE IF EXISTS fingerprint.check_argument//
CREATE PROCEDURE fingerprint.check_argument(IN p_ok BOOLEAN, IN p_message VARCHAR(512) CHARACTER SET utf8mb4)
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'refuses an argument: SQLSTATE 22023 unless the check holds'
BEGIN
    IF NOT COALESCE(p_ok, FALSE) THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = p_message;
    END IF;
END//

-- Refuses (SQLSTATE 25000) a call of fingerprint.<p_routine> inside a transaction: the
-- procedures that commit their own work (capture_baseline, capture_check, next_batch,
-- finish_batch) call it first.
DROP PROCEDURE IF EXISTS fingerprint.check_outside_transaction//
CREATE PROCEDURE fingerprint.check_outside_transaction(IN p_routine VARCHAR(64) CHARACTER SET utf8mb4)
NOT DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'refuses a call inside a transaction'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF @@in_transaction THEN
        SET v_message = CONCAT('fingerprint.', COALESCE(p_routine, '?'), ' must be called outside a transaction');
        SIGNAL SQLSTATE '25000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- The algorithm argument checked against the core's list of algorithms (the UDF
-- fingerprint_algorithm, fingerprint/algorithm.hpp): the name of a known one, the default
-- (xxh3) for NULL or ''; anything else is refused with SQLSTATE 22023 naming the ones
-- there are.
DROP FUNCTION IF EXISTS fingerprint.checked_algorithm//
CREATE FUNCTION fingerprint.checked_algorithm(p_algorithm VARCHAR(64) CHARACTER SET utf8mb4)
RETURNS VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'the algorithm argument, checked; the default for NULL'
BEGIN
    DECLARE v_name VARCHAR(512) CHARACTER SET utf8mb4
        DEFAULT CONVERT(fingerprint_algorithm(NULLIF(p_algorithm, '')) USING utf8mb4);
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF LEFT(v_name, 7) = 'error: ' THEN
        SET v_message = SUBSTRING(v_name, 8);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    RETURN v_name;
END//

-- -------------------------------------------------------------- sql/mysql/src/columns.sql
-- ==== Columns: value classes, UDF arguments, column lists, readable columns ====

-- The class letter for a column type (docs/mysql.md), NULL if it cannot be fingerprinted.
-- data_type and column_type come from information_schema.COLUMNS; is_json is true for a
-- MariaDB JSON column (a LONGTEXT with a json_valid() check constraint).
DROP FUNCTION IF EXISTS fingerprint.column_class//
CREATE FUNCTION fingerprint.column_class(
    data_type VARCHAR(64) CHARACTER SET utf8mb4,
    column_type TEXT CHARACTER SET utf8mb4,
    is_json BOOLEAN)
RETURNS CHAR(1) CHARACTER SET ascii COLLATE ascii_bin
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'class letter for a column type, NULL if unsupported'
RETURN CASE
    WHEN is_json OR data_type = 'json' THEN 'j'
    WHEN data_type IN ('tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint')
        THEN IF(column_type LIKE '%unsigned%', 'u', 'i')
    WHEN data_type = 'year' THEN 'i'
    WHEN data_type = 'bit' THEN 'u'
    WHEN data_type IN ('decimal', 'numeric') THEN 'd'
    WHEN data_type IN ('float', 'double', 'real') THEN 'f'
    WHEN data_type = 'char' THEN 'c'
    WHEN data_type IN ('varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set') THEN 's'
    WHEN data_type IN ('binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob') THEN 'b'
    WHEN data_type = 'date' THEN 'D'
    WHEN data_type IN ('datetime', 'timestamp') THEN 'T'
    WHEN data_type = 'time' THEN 't'
    WHEN data_type = 'uuid' THEN 'U'
    ELSE NULL
END//

-- The class name both engines report for a class letter (table_columns).
DROP FUNCTION IF EXISTS fingerprint.value_class//
CREATE FUNCTION fingerprint.value_class(v_class CHAR(1) CHARACTER SET ascii COLLATE ascii_bin)
RETURNS VARCHAR(16) CHARACTER SET ascii
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'value class name for a class letter'
RETURN CASE
    WHEN v_class IN ('i', 'u', 'd') THEN 'exact'
    WHEN v_class = 'f' THEN 'approx'
    WHEN v_class IN ('s', 'c', 'b', 'U') THEN 'string'
    WHEN v_class = 'D' THEN 'date'
    WHEN v_class = 'T' THEN 'timestamp'
    WHEN v_class = 't' THEN 'time'
    WHEN v_class = 'j' THEN 'json'
    ELSE 'unsupported'
END//

-- The json_valid() checks of db.tbl, read once for fingerprint.is_json_column: MariaDB's
-- JSON is a LONGTEXT with the column check json_valid(`col`). Each check is between NUL
-- bytes (no identifier or clause contains NUL). GROUP_CONCAT: the caller raises
-- group_concat_max_len for a table with many JSON columns.
DROP FUNCTION IF EXISTS fingerprint.json_checks//
CREATE FUNCTION fingerprint.json_checks(p_schema TEXT CHARACTER SET utf8mb4, p_table TEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'the json_valid() checks of a table'
RETURN (SELECT GROUP_CONCAT(CONCAT(CHAR(0 USING utf8mb4), CHECK_CLAUSE, CHAR(0 USING utf8mb4)) SEPARATOR '')
          FROM information_schema.CHECK_CONSTRAINTS
         WHERE CONSTRAINT_SCHEMA = p_schema AND TABLE_NAME = p_table
           AND BINARY CONSTRAINT_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
           AND LEFT(CHECK_CLAUSE, 11) = 'json_valid(')//

-- TRUE when column_name is a MariaDB JSON column, given its table's json_checks.
DROP FUNCTION IF EXISTS fingerprint.is_json_column//
CREATE FUNCTION fingerprint.is_json_column(p_checks LONGTEXT CHARACTER SET utf8mb4,
                                           p_column VARCHAR(255) CHARACTER SET utf8mb4)
RETURNS BOOLEAN
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'whether a column is a MariaDB JSON column'
RETURN COALESCE(LOCATE(CONCAT(CHAR(0 USING utf8mb4), 'json_valid(', fingerprint.quote_name(p_column), ')',
                              CHAR(0 USING utf8mb4)), p_checks) > 0, FALSE)//

-- The UDF argument for a column, written once for both uses: its value in the form its
-- class expects, named after the column (`expr AS name`) so that error strings can name
-- it. Character columns are converted to utf8mb4 (MariaDB passes a column's own bytes),
-- binary ones never are. p_row NULL: the column of a plain SELECT (column_argument);
-- 'NEW' or 'OLD': the column of a capture trigger's row (capture_argument), where a
-- TIMESTAMP is seen in the session's time zone and so is converted to UTC from its stored
-- instant (exact in DST folds, unlike CONVERT_TZ; a zero timestamp stays
-- '0000-00-00 00:00:00').
DROP FUNCTION IF EXISTS fingerprint.value_argument//
CREATE FUNCTION fingerprint.value_argument(
    p_row VARCHAR(3) CHARACTER SET ascii,
    column_name VARCHAR(255) CHARACTER SET utf8mb4,
    data_type VARCHAR(64) CHARACTER SET utf8mb4,
    column_type TEXT CHARACTER SET utf8mb4,
    is_json BOOLEAN,
    charset_name VARCHAR(64) CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'UDF argument expression for a column, of a table or of NEW/OLD'
BEGIN
    DECLARE quoted TEXT CHARACTER SET utf8mb4 DEFAULT fingerprint.quote_name(column_name);
    DECLARE v TEXT CHARACTER SET utf8mb4 DEFAULT IF(p_row IS NULL, quoted, CONCAT(p_row, '.', quoted));
    DECLARE v_class CHAR(1) CHARACTER SET ascii COLLATE ascii_bin
        DEFAULT fingerprint.column_class(data_type, column_type, is_json);
    RETURN CONCAT(
        CASE
            -- Bytes stored as utf8mb4, utf8mb3 or ascii already are UTF-8: converting them
            -- would only copy every value once more.
            WHEN v_class IN ('s', 'c', 'j') AND charset_name IN ('utf8mb4', 'utf8mb3', 'utf8', 'ascii') THEN v
            WHEN v_class IN ('s', 'c', 'j') THEN CONCAT('CONVERT(', v, ' USING utf8mb4)')
            -- A UUID column hands the UDF its 36-character text as it is; CAST(... AS CHAR)
            -- gave the same text at about 170 ns more per row (bench/RESULTS.md, issue 12).
            -- A trigger's NEW/OLD keeps the CAST it was written with.
            WHEN v_class = 'U' AND p_row IS NOT NULL THEN CONCAT('CAST(', v, ' AS CHAR)')
            WHEN data_type = 'bit' THEN CONCAT(v, '+0')
            WHEN data_type = 'timestamp' AND p_row IS NOT NULL THEN
                CONCAT('IF(UNIX_TIMESTAMP(', v, ') = 0, CAST(', v, ' AS CHAR), ',
                       'TIMESTAMP''1970-01-01 00:00:00'' + INTERVAL UNIX_TIMESTAMP(', v, ') SECOND)')
            ELSE v
        END,
        ' AS ', quoted);
END//

-- The UDF argument for a column of a table (value_argument of a plain SELECT).
DROP FUNCTION IF EXISTS fingerprint.column_argument//
CREATE FUNCTION fingerprint.column_argument(
    column_name VARCHAR(255) CHARACTER SET utf8mb4,
    data_type VARCHAR(64) CHARACTER SET utf8mb4,
    column_type TEXT CHARACTER SET utf8mb4,
    is_json BOOLEAN,
    charset_name VARCHAR(64) CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'UDF argument expression for a column'
RETURN fingerprint.value_argument(NULL, column_name, data_type, column_type, is_json, charset_name)//

-- The argument of the capture UDF for a column of a trigger's row, NEW or OLD
-- (value_argument of that row; NULL for a NULL row_name).
DROP FUNCTION IF EXISTS fingerprint.capture_argument//
CREATE FUNCTION fingerprint.capture_argument(
    row_name VARCHAR(3) CHARACTER SET ascii,
    column_name VARCHAR(255) CHARACTER SET utf8mb4,
    data_type VARCHAR(64) CHARACTER SET utf8mb4,
    column_type TEXT CHARACTER SET utf8mb4,
    is_json BOOLEAN,
    charset_name VARCHAR(64) CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'capture UDF argument for NEW.col or OLD.col'
RETURN IF(row_name IS NULL, NULL,
          fingerprint.value_argument(row_name, column_name, data_type, column_type, is_json, charset_name))//

-- Checks a comma-separated column list against db.tbl and returns it as the table spells
-- the names (items trimmed, empty items dropped, each name resolved as MariaDB resolves
-- column names: fingerprint.same_column_name), or NULL for NULL or a blank list. A name
-- that denotes no column is an error naming it, and so is a list of nothing but commas.
DROP PROCEDURE IF EXISTS fingerprint.check_column_list//
CREATE PROCEDURE fingerprint.check_column_list(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_list TEXT CHARACTER SET utf8mb4,
    OUT p_normalized TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'validates an include/exclude column list, returns the names as the table spells them'
BEGIN
    DECLARE v_rest TEXT CHARACTER SET utf8mb4 DEFAULT p_list;
    DECLARE v_item TEXT CHARACTER SET utf8mb4;
    DECLARE v_column TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'check_column_list');
    SET p_normalized = NULL;
    CALL fingerprint.next_list_item(v_rest, v_item);
    WHILE v_item IS NOT NULL DO
        SET v_column = (SELECT COLUMN_NAME FROM information_schema.COLUMNS
                         WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                           AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
                           AND fingerprint.same_column_name(COLUMN_NAME, v_item) LIMIT 1);
        IF v_column IS NULL THEN
            SET v_message = CONCAT('column ', fingerprint.quote_name(v_item), ' does not exist in ',
                                   p_schema, '.', p_table);
            SIGNAL SQLSTATE '42S22' SET MESSAGE_TEXT = v_message;
        END IF;
        SET p_normalized = CONCAT_WS(',', p_normalized, v_column);
        CALL fingerprint.next_list_item(v_rest, v_item);
    END WHILE;
    -- A list of nothing but commas and spaces is a mistake, not "all columns".
    IF p_normalized IS NULL AND TRIM(COALESCE(p_list, '')) <> '' THEN
        SET v_message = CONCAT('column list ', QUOTE(p_list), ' for ', p_schema, '.', p_table,
                               ' names no column: pass NULL or '''' for the default');
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- Refuses (SQLSTATE 42000) unless the caller may read every column of db.tbl. The
-- procedures run with the caller's rights, and information_schema shows a caller only the
-- columns it holds some privilege on: a fingerprint of "all columns" would silently skip
-- the others and could call unequal tables equal. The server itself is asked: `SELECT *`
-- (here in a derived table, so that no result reaches the client) needs SELECT on every
-- column of the table, invisible ones included, whatever information_schema shows. The
-- message names the visible columns the caller cannot read; columns hidden from it cannot
-- be named without telling it what it may not know. p_what says what was refused.
DROP PROCEDURE IF EXISTS fingerprint.check_readable//
CREATE PROCEDURE fingerprint.check_readable(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_what TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'refuses unless the caller may read every column of a table'
BEGIN
    DECLARE v_denied BOOLEAN DEFAULT FALSE;
    DECLARE v_columns TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'check_readable');
    BEGIN
        -- 1142: no SELECT on the table (or on some column, for SELECT *); 1143: a column.
        DECLARE EXIT HANDLER FOR 1142, 1143 SET v_denied = TRUE;
        SET @fingerprint_read_sql = CONCAT('SELECT COUNT(*) INTO @fingerprint_read_count FROM (SELECT * FROM ',
                                           fingerprint.quote_name(p_schema), '.', fingerprint.quote_name(p_table),
                                           ' LIMIT 0) AS fingerprint_read_check');
        PREPARE fingerprint_read_statement FROM @fingerprint_read_sql;
        EXECUTE fingerprint_read_statement;
        DEALLOCATE PREPARE fingerprint_read_statement;
    END;
    SET @fingerprint_read_sql = NULL;
    SET @fingerprint_read_count = NULL;
    IF v_denied THEN
        SET v_columns = (SELECT GROUP_CONCAT(fingerprint.quote_name(COLUMN_NAME) ORDER BY ORDINAL_POSITION SEPARATOR ', ')
                           FROM information_schema.COLUMNS
                          WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                            AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
                            AND FIND_IN_SET('select', PRIVILEGES) = 0);
        SET v_message = LEFT(CONCAT('cannot ', COALESCE(p_what, 'fingerprint'), ' ', p_schema, '.', p_table,
            ': you may not read every column of it (',
            IF(v_columns IS NULL, 'no SELECT privilege on the columns information_schema hides from you',
               CONCAT('no SELECT privilege on ', v_columns, ', nor on any column information_schema hides')),
            '); a result over the readable columns alone could call unequal tables equal: get SELECT on the table',
            IF(p_what = 'fingerprint', ', or name the columns with an include list', '')), 512);
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- The chosen columns of a table (all of them, or those that the checked include/exclude
-- lists leave): their class letters (the UDF spec) and UDF arguments in ordinal order,
-- and the table's json_valid() checks for further column lookups. Refuses a chosen column
-- whose type has no class, and an empty choice. It raises the session's
-- group_concat_max_len, which its callers restore.
DROP PROCEDURE IF EXISTS fingerprint.chosen_columns//
CREATE PROCEDURE fingerprint.chosen_columns(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_name TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    OUT p_json_checks LONGTEXT CHARACTER SET utf8mb4,
    OUT p_classes LONGTEXT CHARACTER SET ascii COLLATE ascii_bin,
    OUT p_arguments LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'class letters and UDF arguments of the chosen columns'
BEGIN
    DECLARE v_bad_column TEXT CHARACTER SET utf8mb4;
    DECLARE v_count INT;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.check_table_arguments(p_schema, IF(p_name IS NULL, NULL, p_table), 'chosen_columns');
    -- All columns, or all but some: the caller must be able to read every one of them.
    IF p_include IS NULL THEN
        CALL fingerprint.check_readable(p_schema, p_table, 'fingerprint');
    END IF;
    -- The first chosen column whose type has no class.
    SET v_bad_column = (
        SELECT COLUMN_NAME FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
          AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
          AND (p_include IS NULL OR FIND_IN_SET(CONVERT(COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_nopad_bin,
                                                p_include COLLATE utf8mb4_nopad_bin) > 0)
          AND (p_exclude IS NULL OR FIND_IN_SET(CONVERT(COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_nopad_bin,
                                                p_exclude COLLATE utf8mb4_nopad_bin) = 0)
          AND fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, FALSE) IS NULL
        ORDER BY ORDINAL_POSITION LIMIT 1);
    IF v_bad_column IS NOT NULL THEN
        SET v_message = CONCAT('cannot fingerprint column ', fingerprint.quote_name(v_bad_column), ' of type ',
            (SELECT DATA_TYPE FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
               AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
               AND BINARY COLUMN_NAME = BINARY v_bad_column),
            ' in ', p_name);
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;

    -- The spec's class letters and the UDF arguments, in ordinal order. GROUP_CONCAT
    -- would cut a long list at group_concat_max_len, so raise it and check the count.
    SET SESSION group_concat_max_len = GREATEST(@@session.group_concat_max_len, 67108864);
    -- The table's json_valid() checks, read once (MariaDB's JSON columns).
    SET p_json_checks = fingerprint.json_checks(p_schema, p_table);
    SELECT GROUP_CONCAT(fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, is_json)
                        ORDER BY ORDINAL_POSITION SEPARATOR ''),
           GROUP_CONCAT(fingerprint.column_argument(COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, is_json, CHARACTER_SET_NAME)
                        ORDER BY ORDINAL_POSITION SEPARATOR ', '),
           COUNT(*)
      INTO p_classes, p_arguments, v_count
      FROM (SELECT c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.ORDINAL_POSITION, c.CHARACTER_SET_NAME,
                   fingerprint.is_json_column(p_json_checks, c.COLUMN_NAME) AS is_json
              FROM information_schema.COLUMNS c
             WHERE c.TABLE_SCHEMA = p_schema AND c.TABLE_NAME = p_table
               AND BINARY c.TABLE_SCHEMA = BINARY p_schema AND BINARY c.TABLE_NAME = BINARY p_table
               AND (p_include IS NULL OR FIND_IN_SET(CONVERT(c.COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_nopad_bin,
                                                     p_include COLLATE utf8mb4_nopad_bin) > 0)
               AND (p_exclude IS NULL OR FIND_IN_SET(CONVERT(c.COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_nopad_bin,
                                                     p_exclude COLLATE utf8mb4_nopad_bin) = 0)
           ) AS chosen;
    IF v_count = 0 THEN
        SET v_message = CONCAT('no columns left to fingerprint in ', p_name);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    IF p_classes IS NULL OR p_arguments IS NULL OR CHAR_LENGTH(p_classes) <> v_count THEN
        SET v_message = CONCAT('internal error: column list of ', p_name, ' was cut short');
        SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- -------------------------------------------------------------- sql/mysql/src/fingerprints.sql
-- ==== Fingerprints: table_fingerprint, row_fingerprints ====

-- The class letters of chosen_columns (p_classes, same columns, same order) with 's' and
-- 'c' made 'S' and 'C' for every character column but an ascii one: such a column
-- reaches the UDF either as stored in utf8mb4/utf8mb3 or CONVERTed to utf8mb4
-- (fingerprint.value_argument), text whose encoding the server has already checked, so
-- the UDF only looks for the encoded surrogates that MariaDB lets through instead of
-- validating every byte again (mysql_udf/src/classed_values.cpp): same bytes, same
-- errors, less work. An ascii column keeps 's'/'c', because MariaDB stores any byte there.
-- Returns p_classes unchanged if the columns read here do not match it.
DROP FUNCTION IF EXISTS fingerprint.checked_text_classes//
CREATE FUNCTION fingerprint.checked_text_classes(
    p_schema TEXT CHARACTER SET utf8mb4,
    p_table TEXT CHARACTER SET utf8mb4,
    p_include TEXT CHARACTER SET utf8mb4,
    p_exclude TEXT CHARACTER SET utf8mb4,
    p_json_checks LONGTEXT CHARACTER SET utf8mb4,
    p_classes LONGTEXT CHARACTER SET ascii COLLATE ascii_bin)
RETURNS LONGTEXT CHARACTER SET ascii COLLATE ascii_bin
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'chosen_columns class letters, S/C for text the server has checked as UTF-8'
BEGIN
    DECLARE v_classes LONGTEXT CHARACTER SET ascii COLLATE ascii_bin;
    SELECT GROUP_CONCAT(CASE WHEN CHARACTER_SET_NAME IS NULL OR CHARACTER_SET_NAME = 'ascii' THEN cls
                             WHEN BINARY cls = BINARY 's' THEN 'S'
                             WHEN BINARY cls = BINARY 'c' THEN 'C'
                             ELSE cls END
                        ORDER BY ORDINAL_POSITION SEPARATOR '')
      INTO v_classes
      FROM (SELECT c.ORDINAL_POSITION, c.CHARACTER_SET_NAME,
                   fingerprint.column_class(c.DATA_TYPE, c.COLUMN_TYPE,
                                            fingerprint.is_json_column(p_json_checks, c.COLUMN_NAME)) AS cls
              FROM information_schema.COLUMNS c
             WHERE c.TABLE_SCHEMA = p_schema AND c.TABLE_NAME = p_table
               AND BINARY c.TABLE_SCHEMA = BINARY p_schema AND BINARY c.TABLE_NAME = BINARY p_table
               AND (p_include IS NULL OR FIND_IN_SET(CONVERT(c.COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_nopad_bin,
                                                     p_include COLLATE utf8mb4_nopad_bin) > 0)
               AND (p_exclude IS NULL OR FIND_IN_SET(CONVERT(c.COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_nopad_bin,
                                                     p_exclude COLLATE utf8mb4_nopad_bin) = 0)
           ) AS chosen;
    IF v_classes IS NULL OR BINARY REPLACE(REPLACE(v_classes, 'S', 's'), 'C', 'c') <> BINARY p_classes THEN
        RETURN p_classes;
    END IF;
    RETURN v_classes;
END//

-- Builds and runs the fingerprint query for a table. p_rows = FALSE: one row, column
-- `fingerprint`, from fingerprint_agg. p_rows = TRUE: the primary key columns and
-- `fingerprint` per row, from row_fingerprint, ordered by the key.
--
-- Read-only on purpose (SELECT, PREPARE, EXECUTE; no temporary tables) so that it runs on
-- replicas. It pins time_zone to +00:00 while the query runs, because TIMESTAMP values
-- reach the UDF as text in the session zone, and raises GROUP_CONCAT's limit while it
-- builds the column list; both are restored afterwards, also when an error is raised.
DROP PROCEDURE IF EXISTS fingerprint.run_fingerprint//
CREATE PROCEDURE fingerprint.run_fingerprint(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4,
    IN p_rows BOOLEAN)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'builds and runs a fingerprint query (used by the public procedures)'
BEGIN
    DECLARE v_saved_time_zone VARCHAR(64) CHARACTER SET utf8mb4 DEFAULT @@session.time_zone;
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE v_algorithm VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT p_algorithm;
    DECLARE v_schema TEXT CHARACTER SET utf8mb4;
    DECLARE v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_name TEXT CHARACTER SET utf8mb4;
    DECLARE v_include TEXT CHARACTER SET utf8mb4;
    DECLARE v_exclude TEXT CHARACTER SET utf8mb4;
    DECLARE v_json_checks LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii COLLATE ascii_bin;
    DECLARE v_arguments LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_keys LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_order TEXT CHARACTER SET utf8mb4;
    DECLARE v_sql LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION time_zone = v_saved_time_zone;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        SET @fingerprint_sql = NULL;
        RESIGNAL;
    END;

    CALL fingerprint.split_table(p_table, FALSE, v_schema, v_table);
    SET v_name = CONCAT(v_schema, '.', v_table);
    SET v_algorithm = fingerprint.checked_algorithm(v_algorithm);
    CALL fingerprint.check_column_list(v_schema, v_table, p_include, v_include);
    CALL fingerprint.check_column_list(v_schema, v_table, p_exclude, v_exclude);

    CALL fingerprint.chosen_columns(v_schema, v_table, v_name, v_include, v_exclude, v_json_checks, v_classes,
                                    v_arguments);
    SET v_classes = fingerprint.checked_text_classes(v_schema, v_table, v_include, v_exclude, v_json_checks,
                                                     v_classes);

    IF p_rows THEN
        SELECT GROUP_CONCAT(fingerprint.quote_name(k.name) ORDER BY k.seq SEPARATOR ', '),
               GROUP_CONCAT(k.seq ORDER BY k.seq SEPARATOR ', ')
          INTO v_keys, v_order
          FROM JSON_TABLE(fingerprint.primary_key(v_schema, v_table), '$[*]' COLUMNS (
                   seq FOR ORDINALITY, name VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.name')) AS k;
        IF v_keys IS NULL THEN
            SET v_message = CONCAT('table ', v_name, ' has no primary key');
            SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
        END IF;
        -- ORDER BY positions: a key column may itself be called `fingerprint`.
        SET v_sql = CONCAT('SELECT ', v_keys, ', fingerprint.checked(row_fingerprint(''', v_algorithm, ':',
                           v_classes, ''', ', v_arguments, ')) AS fingerprint FROM ',
                           fingerprint.quote_name(v_schema), '.', fingerprint.quote_name(v_table),
                           ' ORDER BY ', v_order);
    ELSE
        SET v_sql = CONCAT('SELECT fingerprint.checked(fingerprint_agg(''', v_algorithm, ':', v_classes,
                           ''', ', v_arguments, ')) AS fingerprint FROM ',
                           fingerprint.quote_name(v_schema), '.', fingerprint.quote_name(v_table));
    END IF;
    SET SESSION group_concat_max_len = v_saved_gc_len;

    SET @fingerprint_sql = v_sql;
    SET SESSION time_zone = '+00:00';
    PREPARE fingerprint_statement FROM @fingerprint_sql;
    EXECUTE fingerprint_statement;
    DEALLOCATE PREPARE fingerprint_statement;
    SET SESSION time_zone = v_saved_time_zone;
    SET @fingerprint_sql = NULL;
END//

-- CALL fingerprint.table_fingerprint('db.tbl'): the table's fingerprint, one row.
DROP PROCEDURE IF EXISTS fingerprint.table_fingerprint//
CREATE PROCEDURE fingerprint.table_fingerprint(IN p_table TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'fingerprint of a whole table: one row, column fingerprint'
CALL fingerprint.run_fingerprint(p_table, NULL, NULL, NULL, FALSE)//

-- CALL fingerprint.table_fingerprint_with('db.tbl', include_csv, exclude_csv, algorithm);
-- NULL means the default: all columns, none excluded, xxh3.
DROP PROCEDURE IF EXISTS fingerprint.table_fingerprint_with//
CREATE PROCEDURE fingerprint.table_fingerprint_with(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'table fingerprint over chosen columns with a chosen algorithm'
CALL fingerprint.run_fingerprint(p_table, p_include, p_exclude, p_algorithm, FALSE)//

-- CALL fingerprint.row_fingerprints('db.tbl'): the primary key columns and each row's
-- fingerprint, ordered by the key.
DROP PROCEDURE IF EXISTS fingerprint.row_fingerprints//
CREATE PROCEDURE fingerprint.row_fingerprints(IN p_table TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'primary key and fingerprint of every row, ordered by the key'
CALL fingerprint.run_fingerprint(p_table, NULL, NULL, NULL, TRUE)//

-- CALL fingerprint.row_fingerprints_with('db.tbl', include_csv, exclude_csv, algorithm).
DROP PROCEDURE IF EXISTS fingerprint.row_fingerprints_with//
CREATE PROCEDURE fingerprint.row_fingerprints_with(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'row fingerprints over chosen columns with a chosen algorithm'
CALL fingerprint.run_fingerprint(p_table, p_include, p_exclude, p_algorithm, TRUE)//

-- -------------------------------------------------------------- sql/mysql/src/buckets.sql
-- ==== Buckets: bucketed fingerprints and row listings for drill-down (docs/diff.md) ====

-- Splits 'db.tbl' and checks that the table exists (fingerprint.split_table; a view will do).
DROP PROCEDURE IF EXISTS fingerprint.bucket_table//
CREATE PROCEDURE fingerprint.bucket_table(
    IN p_table TEXT CHARACTER SET utf8mb4,
    OUT p_schema TEXT CHARACTER SET utf8mb4,
    OUT p_name TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'splits and checks a db.tbl argument'
CALL fingerprint.split_table(p_table, FALSE, p_schema, p_name)//

-- CALL fingerprint.table_columns('db.tbl'): every column in ordinal order with its type,
-- the value class fingerprint gives it and its position in the primary key (NULL when
-- not in it); the same columns as PostgreSQL's table_columns(regclass).
DROP PROCEDURE IF EXISTS fingerprint.table_columns//
CREATE PROCEDURE fingerprint.table_columns(IN p_table TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'columns with value classes and primary-key positions'
BEGIN
    DECLARE v_schema TEXT CHARACTER SET utf8mb4;
    DECLARE v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_json_checks LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_key LONGTEXT CHARACTER SET utf8mb4;
    CALL fingerprint.bucket_table(p_table, v_schema, v_table);
    CALL fingerprint.check_readable(v_schema, v_table, 'list the columns of');
    SET v_key = fingerprint.primary_key(v_schema, v_table);
    SET v_json_checks = fingerprint.json_checks(v_schema, v_table);
    SELECT c.ORDINAL_POSITION AS `position`, c.COLUMN_NAME AS column_name,
           IF(c.is_json, 'json', c.COLUMN_TYPE) AS data_type,
           fingerprint.value_class(fingerprint.column_class(c.DATA_TYPE, c.COLUMN_TYPE, c.is_json)) AS value_class,
           (SELECT k.seq FROM JSON_TABLE(v_key, '$[*]' COLUMNS (
                                  seq FOR ORDINALITY, name VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.name')) AS k
             WHERE BINARY k.name = BINARY c.COLUMN_NAME) AS key_position
      FROM (SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, ORDINAL_POSITION,
                   fingerprint.is_json_column(v_json_checks, COLUMN_NAME) AS is_json
              FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = v_schema AND TABLE_NAME = v_table
               AND BINARY TABLE_SCHEMA = BINARY v_schema AND BINARY TABLE_NAME = BINARY v_table) AS c
     ORDER BY c.ORDINAL_POSITION;
END//

-- The key's class letters, UDF arguments and column names (as the table spells them,
-- comma-separated), in key order: the columns of p_key (a comma-separated list) or, when
-- it is NULL, of the primary key.
DROP PROCEDURE IF EXISTS fingerprint.bucket_key_columns//
CREATE PROCEDURE fingerprint.bucket_key_columns(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_json_checks LONGTEXT CHARACTER SET utf8mb4,
    OUT p_classes TEXT CHARACTER SET ascii,
    OUT p_arguments LONGTEXT CHARACTER SET utf8mb4,
    OUT p_names LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'key classes, arguments and column names for the bucket procedures'
BEGIN
    DECLARE v_rest TEXT CHARACTER SET utf8mb4 DEFAULT NULLIF(TRIM(p_key), '');
    DECLARE v_item TEXT CHARACTER SET utf8mb4;
    DECLARE v_found INT;
    DECLARE v_class CHAR(1) CHARACTER SET ascii COLLATE ascii_bin;
    DECLARE v_argument TEXT CHARACTER SET utf8mb4;
    DECLARE v_type TEXT CHARACTER SET utf8mb4;
    DECLARE v_name TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'bucket_key_columns');
    SET p_classes = '';
    SET p_arguments = NULL;
    SET p_names = NULL;
    IF p_key IS NULL THEN
        SELECT GROUP_CONCAT(k.name ORDER BY k.seq SEPARATOR ',') INTO v_rest
          FROM JSON_TABLE(fingerprint.primary_key(p_schema, p_table), '$[*]' COLUMNS (
                   seq FOR ORDINALITY, name VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.name')) AS k;
        IF v_rest IS NULL THEN
            SET v_message = CONCAT('table ', p_schema, '.', p_table,
                                   ' has no primary key: name the columns that identify a row in the key column list');
            SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
        END IF;
    END IF;
    CALL fingerprint.next_list_item(v_rest, v_item);
    WHILE v_item IS NOT NULL DO
        SELECT COUNT(*), MAX(fingerprint.column_class(c.DATA_TYPE, c.COLUMN_TYPE, c.is_json)),
               MAX(fingerprint.column_argument(c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.is_json,
                                               c.CHARACTER_SET_NAME)),
               MAX(c.DATA_TYPE), MAX(c.COLUMN_NAME)
          INTO v_found, v_class, v_argument, v_type, v_name
          FROM (SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,
                       fingerprint.is_json_column(p_json_checks, COLUMN_NAME) AS is_json
                  FROM information_schema.COLUMNS
                 WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                   AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
                   AND fingerprint.same_column_name(COLUMN_NAME, v_item)) AS c;
        IF v_found = 0 THEN
            SET v_message = CONCAT('key column ', fingerprint.quote_name(v_item), ' does not exist in ',
                                   p_schema, '.', p_table);
            SIGNAL SQLSTATE '42S22' SET MESSAGE_TEXT = v_message;
        END IF;
        IF v_class IS NULL THEN
            SET v_message = CONCAT('cannot fingerprint key column ', fingerprint.quote_name(v_item), ' of type ',
                                   v_type, ' in ', p_schema, '.', p_table);
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
        END IF;
        SET p_classes = CONCAT(p_classes, v_class);
        SET p_arguments = CONCAT_WS(', ', p_arguments, v_argument);
        SET p_names = CONCAT_WS(',', p_names, v_name);
        CALL fingerprint.next_list_item(v_rest, v_item);
    END WHILE;
    IF p_classes = '' THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = 'the key column list must name at least one column (NULL: the primary key)';
    END IF;
END//

-- The bucket ids of bucket_rows: p_ids, a comma-separated list of integers 0 .. p_buckets - 1
-- (items trimmed, empty items dropped), as a normalized list ('3,17'); NULL for a list of
-- no ids. Refuses NULL and an id that is not one, naming it.
DROP FUNCTION IF EXISTS fingerprint.bucket_ids//
CREATE FUNCTION fingerprint.bucket_ids(p_ids LONGTEXT CHARACTER SET utf8mb4, p_buckets BIGINT)
RETURNS LONGTEXT CHARACTER SET ascii
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'checks and normalizes a list of bucket ids'
BEGIN
    DECLARE v_rest LONGTEXT CHARACTER SET utf8mb4 DEFAULT p_ids;
    DECLARE v_item TEXT CHARACTER SET utf8mb4;
    DECLARE v_ids LONGTEXT CHARACTER SET ascii DEFAULT NULL;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.check_argument(p_ids IS NOT NULL, 'bucket ids must not be NULL (pass a comma-separated list)');
    CALL fingerprint.check_argument(p_buckets IS NOT NULL, 'bucket_ids needs the number of buckets');
    CALL fingerprint.next_list_item(v_rest, v_item);
    WHILE v_item IS NOT NULL DO
        IF v_item NOT REGEXP '^[0-9]{1,9}$' OR CAST(v_item AS UNSIGNED) >= p_buckets THEN
            SET v_message = CONCAT('bucket id ', LEFT(v_item, 64), ' is out of range for ', p_buckets,
                                   ' buckets (0 to ', p_buckets - 1, ')');
            SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
        END IF;
        SET v_ids = CONCAT_WS(',', v_ids, CAST(v_item AS UNSIGNED));
        CALL fingerprint.next_list_item(v_rest, v_item);
    END WHILE;
    RETURN v_ids;
END//

-- How bucket_rows fetches the rows of db.tbl whose bucket key is p_key_names (as
-- bucket_key_columns returns them): p_by_key is TRUE when that key is an integer primary
-- key (the usual `id`) and no column is named like the JSON_TABLE columns used here; then
-- the bucket_of scan reads only the key (about a third of the cost of a scan that reads
-- every column) and the matching rows are fetched by primary key through JSON_TABLE:
-- p_values lists the key columns (quoted), p_columns the JSON_TABLE columns
-- (fingerprint_key_<n>), p_join the join condition of the table with them.
DROP PROCEDURE IF EXISTS fingerprint.bucket_key_lookup//
CREATE PROCEDURE fingerprint.bucket_key_lookup(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_key_names LONGTEXT CHARACTER SET utf8mb4,
    OUT p_by_key BOOLEAN,
    OUT p_values LONGTEXT CHARACTER SET utf8mb4,
    OUT p_columns LONGTEXT CHARACTER SET utf8mb4,
    OUT p_join LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'whether and how bucket_rows fetches rows by an integer primary key'
BEGIN
    DECLARE v_names LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_not_integer INT;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'bucket_key_lookup');
    SELECT GROUP_CONCAT(k.name ORDER BY k.seq SEPARATOR ','),
           GROUP_CONCAT(fingerprint.quote_name(k.name) ORDER BY k.seq SEPARATOR ', '),
           GROUP_CONCAT(CONCAT('fingerprint_key_', k.seq, ' BIGINT',
                               IF(k.column_type LIKE '%unsigned%', ' UNSIGNED', ''),
                               ' PATH ''$[', k.seq - 1, ']''')
                        ORDER BY k.seq SEPARATOR ', '),
           GROUP_CONCAT(CONCAT(fingerprint.quote_name(p_schema), '.', fingerprint.quote_name(p_table), '.',
                               fingerprint.quote_name(k.name), ' = fingerprint_keys.fingerprint_key_', k.seq)
                        ORDER BY k.seq SEPARATOR ' AND '),
           SUM(k.data_type NOT IN ('tinyint', 'smallint', 'mediumint', 'int', 'bigint'))
      INTO v_names, p_values, p_columns, p_join, v_not_integer
      FROM JSON_TABLE(fingerprint.primary_key(p_schema, p_table), '$[*]' COLUMNS (
               seq FOR ORDINALITY, name VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.name',
               data_type VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.data_type',
               column_type TEXT CHARACTER SET utf8mb4 PATH '$.column_type')) AS k;
    SET p_by_key = COALESCE(v_names IS NOT NULL AND v_not_integer = 0
                            AND v_names = p_key_names COLLATE utf8mb4_bin
                            AND NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS
                                            WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                                              AND BINARY TABLE_SCHEMA = BINARY p_schema
                                              AND BINARY TABLE_NAME = BINARY p_table
                                              AND COLUMN_NAME LIKE 'fingerprint\_key\_%'), FALSE);
END//

-- Builds and runs a bucket query (docs/diff.md). p_rows = FALSE: one pass of the
-- fingerprint_buckets aggregate, returned as one row per non-empty bucket (bucket, rows,
-- fingerprint), or with p_json as one row, column `buckets`, holding the aggregate's JSON
-- array; p_rows = TRUE: the rows of the buckets in p_ids (bucket, key_image, key_json,
-- fingerprint, row_image) in the order the scan meets them. No ORDER BY: with images in
-- the select list the sort would read every row twice and run every UDF twice.
--
-- A value the core refuses makes a UDF return an "error: ..." string, which
-- fingerprint.checked(_image) turns into SQLSTATE 22023. A stored function call costs
-- about 10 us, so it is made only for a value that starts with 'error: ' (the UDF runs
-- twice per column instead, which costs far less).
--
-- Read-only like run_fingerprint (SELECT, PREPARE, EXECUTE, user variables; no temporary
-- tables), so it runs on replicas; time_zone is pinned to +00:00 while the query runs
-- and restored afterwards, also on error.
DROP PROCEDURE IF EXISTS fingerprint.run_buckets//
CREATE PROCEDURE fingerprint.run_buckets(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_buckets BIGINT,
    IN p_ids LONGTEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_filter LONGTEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4,
    IN p_with_images BOOLEAN,
    IN p_rows BOOLEAN,
    IN p_json BOOLEAN)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'builds and runs a bucket query (used by the bucket procedures)'
BEGIN
    DECLARE v_saved_time_zone VARCHAR(64) CHARACTER SET utf8mb4 DEFAULT @@session.time_zone;
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE v_algorithm VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT p_algorithm;
    DECLARE v_filter LONGTEXT CHARACTER SET utf8mb4 DEFAULT NULLIF(TRIM(p_filter), '');
    DECLARE v_schema TEXT CHARACTER SET utf8mb4;
    DECLARE v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_name TEXT CHARACTER SET utf8mb4;
    DECLARE v_include TEXT CHARACTER SET utf8mb4;
    DECLARE v_exclude TEXT CHARACTER SET utf8mb4;
    DECLARE v_json_checks LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii COLLATE ascii_bin;
    DECLARE v_arguments LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_key_classes TEXT CHARACTER SET ascii;
    DECLARE v_key_arguments LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_ids LONGTEXT CHARACTER SET ascii;
    DECLARE v_from LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_key_image LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_row_fingerprint LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_row_image LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_key_names LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_pk_values LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_pk_columns LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_pk_join LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_by_key BOOLEAN DEFAULT FALSE;
    DECLARE v_select LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_where LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_sql LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION time_zone = v_saved_time_zone;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        SET @fingerprint_sql = NULL;
        SET @fingerprint_buckets = NULL;
        SET @fingerprint_keys = NULL;
        SET @fingerprint_key_count = NULL;
        RESIGNAL;
    END;

    CALL fingerprint.bucket_table(p_table, v_schema, v_table);
    SET v_name = CONCAT(v_schema, '.', v_table);
    IF p_buckets IS NULL OR p_buckets < 1 OR p_buckets > 16777216 THEN
        SET v_message = CONCAT('buckets must be between 1 and 16777216, not ', COALESCE(p_buckets, 'NULL'));
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    SET v_algorithm = fingerprint.checked_algorithm(v_algorithm);
    CALL fingerprint.check_column_list(v_schema, v_table, p_include, v_include);
    CALL fingerprint.check_column_list(v_schema, v_table, p_exclude, v_exclude);

    -- The bucket ids: a comma-separated list of integers 0 .. buckets - 1.
    IF p_rows THEN
        SET v_ids = fingerprint.bucket_ids(p_ids, p_buckets);
    END IF;

    CALL fingerprint.chosen_columns(v_schema, v_table, v_name, v_include, v_exclude, v_json_checks, v_classes,
                                    v_arguments);
    CALL fingerprint.bucket_key_columns(v_schema, v_table, p_key, v_json_checks, v_key_classes, v_key_arguments,
                                        v_key_names);
    IF p_rows THEN
        -- Keyed by an integer primary key: fetched by key (bucket_key_lookup).
        CALL fingerprint.bucket_key_lookup(v_schema, v_table, v_key_names, v_by_key, v_pk_values, v_pk_columns,
                                           v_pk_join);
    END IF;
    SET SESSION group_concat_max_len = v_saved_gc_len;

    -- The filter is the caller's own SQL, run with the caller's privileges.
    SET v_from = CONCAT(' FROM ', fingerprint.quote_name(v_schema), '.', fingerprint.quote_name(v_table),
                        IF(v_filter IS NULL, '', CONCAT(' WHERE (', v_filter, '\n)')));
    IF p_rows THEN
        SET v_key_image = CONCAT('fingerprint_image(''', v_key_classes, ''', ', v_key_arguments, ')');
        SET v_row_fingerprint = CONCAT('row_fingerprint(''', v_algorithm, ':', v_classes, ''', ', v_arguments, ')');
        SET v_row_image = CONCAT('fingerprint_image(''', v_classes, ''', ', v_arguments, ')');
        SET v_select = CONCAT(
            'SELECT fingerprint_bucket_of(''', p_buckets, ':', v_key_classes, ''', ', v_key_arguments, ') AS bucket, ',
            'IF(LEFT(', v_key_image, ', 7) = ''error: '', fingerprint.checked_image(', v_key_image, '), ',
            v_key_image, ') AS key_image, ',
            'CONVERT(fingerprint_key_json(''', v_key_classes, ''', ', v_key_arguments, ') USING utf8mb4) AS key_json, ',
            'CONVERT(IF(LEFT(', v_row_fingerprint, ', 7) = ''error: '', fingerprint.checked(', v_row_fingerprint,
            '), ', v_row_fingerprint, ') USING ascii) AS fingerprint, ',
            IF(COALESCE(p_with_images, FALSE),
               CONCAT('IF(LEFT(', v_row_image, ', 7) = ''error: '', fingerprint.checked_image(', v_row_image, '), ',
                      v_row_image, ')'),
               'CAST(NULL AS BINARY)'),
            ' AS row_image');
        -- -1 is a key the core refused: the key_image check then raises its error.
        SET v_where = CONCAT(IF(v_filter IS NULL, ' WHERE ', ' AND '),
            'fingerprint_bucket_of(''', p_buckets, ':', v_key_classes, ''', ', v_key_arguments, ') IN (',
            COALESCE(CONCAT(v_ids, ', '), ''), '-1)');
        SET SESSION time_zone = '+00:00';
        IF v_by_key THEN
            -- The keys of the wanted buckets as one JSON array (JSON_ARRAYAGG stops at
            -- group_concat_max_len, so raise it and check the count), then their rows.
            SET @fingerprint_sql = CONCAT('SELECT JSON_ARRAYAGG(JSON_ARRAY(', v_pk_values, ')), COUNT(*)',
                                          ' INTO @fingerprint_keys, @fingerprint_key_count', v_from, v_where);
            SET SESSION group_concat_max_len = 1073741824;
            PREPARE fingerprint_statement FROM @fingerprint_sql;
            EXECUTE fingerprint_statement;
            DEALLOCATE PREPARE fingerprint_statement;
            SET SESSION group_concat_max_len = v_saved_gc_len;
            IF @fingerprint_key_count > 0 AND NOT JSON_LENGTH(@fingerprint_keys) <=> @fingerprint_key_count THEN
                SET v_message = CONCAT('internal error: the key list of ', v_name, ' was cut short');
                SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
            END IF;
            SET v_sql = CONCAT('SELECT STRAIGHT_JOIN', SUBSTRING(v_select, 7),
                               ' FROM JSON_TABLE(@fingerprint_keys, ''$[*]'' COLUMNS (', v_pk_columns,
                               ')) AS fingerprint_keys JOIN ', fingerprint.quote_name(v_schema), '.',
                               fingerprint.quote_name(v_table), ' ON ', v_pk_join,
                               IF(v_filter IS NULL, '', CONCAT(' WHERE (', v_filter, '\n)')));
        ELSE
            SET v_sql = CONCAT(v_select, v_from, v_where);
        END IF;
        SET @fingerprint_sql = v_sql;
        PREPARE fingerprint_statement FROM @fingerprint_sql;
        EXECUTE fingerprint_statement;
        DEALLOCATE PREPARE fingerprint_statement;
        SET @fingerprint_keys = NULL;
        SET @fingerprint_key_count = NULL;
    ELSE
        SET v_sql = CONCAT('SELECT fingerprint_buckets(''', v_algorithm, ':', v_classes, ''', ''', p_buckets, ':',
                           v_key_classes, ''', ', v_key_arguments, ', ', v_arguments,
                           ') INTO @fingerprint_buckets', v_from);
        SET @fingerprint_sql = v_sql;
        SET SESSION time_zone = '+00:00';
        PREPARE fingerprint_statement FROM @fingerprint_sql;
        EXECUTE fingerprint_statement;
        DEALLOCATE PREPARE fingerprint_statement;
        IF LEFT(@fingerprint_buckets, 7) = 'error: ' THEN
            SET v_message = LEFT(@fingerprint_buckets, 512);
            SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
        END IF;
        IF COALESCE(p_json, FALSE) THEN
            SELECT CONVERT(@fingerprint_buckets USING ascii) AS buckets;
        ELSE
            SELECT b.bucket, b.`rows`, b.fingerprint
              FROM JSON_TABLE(@fingerprint_buckets, '$[*]' COLUMNS (
                       bucket INT PATH '$[0]',
                       `rows` BIGINT UNSIGNED PATH '$[1]',
                       fingerprint VARCHAR(80) CHARACTER SET ascii PATH '$[2]')) AS b;
        END IF;
        SET @fingerprint_buckets = NULL;
    END IF;
    SET SESSION time_zone = v_saved_time_zone;
    SET @fingerprint_sql = NULL;
END//

-- CALL fingerprint.bucket_fingerprints('db.tbl', buckets): the fingerprint of every
-- non-empty bucket (bucket, rows, fingerprint), keyed by the primary key, from one pass.
DROP PROCEDURE IF EXISTS fingerprint.bucket_fingerprints//
CREATE PROCEDURE fingerprint.bucket_fingerprints(IN p_table TEXT CHARACTER SET utf8mb4, IN p_buckets BIGINT)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'fingerprints of the non-empty buckets of a table'
CALL fingerprint.run_buckets(p_table, p_buckets, NULL, NULL, NULL, NULL, NULL, NULL, FALSE, FALSE, FALSE)//

-- CALL fingerprint.bucket_fingerprints_with('db.tbl', buckets, key_csv, include_csv,
-- exclude_csv, filter, algorithm); NULL means the default for each.
DROP PROCEDURE IF EXISTS fingerprint.bucket_fingerprints_with//
CREATE PROCEDURE fingerprint.bucket_fingerprints_with(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_buckets BIGINT,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_filter LONGTEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'bucket fingerprints with a key, columns, a filter and an algorithm'
CALL fingerprint.run_buckets(p_table, p_buckets, NULL, p_key, p_include, p_exclude, p_filter, p_algorithm,
                             FALSE, FALSE, FALSE)//

-- CALL fingerprint.bucket_fingerprints_json('db.tbl', buckets, key_csv, include_csv,
-- exclude_csv, filter, algorithm): the buckets of bucket_fingerprints_with in one row,
-- column `buckets`: the JSON array [[bucket, rows, "fingerprint"], ...] in bucket order,
-- for clients that pay more per row (one string costs far less to send than 65,536 rows).
-- fingerprint diff calls bucket_fingerprints_with (cli/src/my_connection.cpp).
DROP PROCEDURE IF EXISTS fingerprint.bucket_fingerprints_json//
CREATE PROCEDURE fingerprint.bucket_fingerprints_json(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_buckets BIGINT,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_filter LONGTEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'bucket fingerprints as one JSON array (bucket_fingerprints_with in one row)'
CALL fingerprint.run_buckets(p_table, p_buckets, NULL, p_key, p_include, p_exclude, p_filter, p_algorithm,
                             FALSE, FALSE, TRUE)//

-- CALL fingerprint.bucket_rows('db.tbl', buckets, 'id,id,...'): the rows of the given
-- buckets (bucket, key_image, key_json, fingerprint, row_image).
DROP PROCEDURE IF EXISTS fingerprint.bucket_rows//
CREATE PROCEDURE fingerprint.bucket_rows(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_buckets BIGINT,
    IN p_ids LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'keys and row fingerprints of the rows in some buckets'
CALL fingerprint.run_buckets(p_table, p_buckets, p_ids, NULL, NULL, NULL, NULL, NULL, FALSE, TRUE, FALSE)//

-- CALL fingerprint.bucket_rows_with('db.tbl', buckets, ids_csv, key_csv, include_csv,
-- exclude_csv, filter, algorithm, with_images); NULL means the default for each.
DROP PROCEDURE IF EXISTS fingerprint.bucket_rows_with//
CREATE PROCEDURE fingerprint.bucket_rows_with(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_buckets BIGINT,
    IN p_ids LONGTEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_include TEXT CHARACTER SET utf8mb4,
    IN p_exclude TEXT CHARACTER SET utf8mb4,
    IN p_filter LONGTEXT CHARACTER SET utf8mb4,
    IN p_algorithm TEXT CHARACTER SET utf8mb4,
    IN p_with_images BOOLEAN)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'bucket rows with a key, columns, a filter, an algorithm and row images'
CALL fingerprint.run_buckets(p_table, p_buckets, p_ids, p_key, p_include, p_exclude, p_filter, p_algorithm,
                             p_with_images, TRUE, FALSE)//

-- -------------------------------------------------------------- sql/mysql/src/capture_log.sql
-- ==== The change log: captured changes, registrations, state, batches, views (docs/capture.md) ====

-- The change log: one row per captured row change, written by the capture triggers in
-- the application's transaction. seq is taken when the trigger fires: per row it follows
-- commit order (row locks), across rows it does not; consume with next_batch, never with
-- "seq > last seen". txid is NULL on MariaDB (no cheap transaction id is visible to a
-- trigger); session_id is CONNECTION_ID().
--
-- The triggers store what fingerprint_capture_row returns, as is: one UDF call and one
-- INSERT per row, no string work in SQL. An insert stores its capture row in capture_new,
-- a delete in capture_old; an update (since 1.4) its update row in capture_new, both
-- sides and the changed columns in one value, capture_old NULL (before 1.4: the new
-- capture row in capture_new, the old one in capture_old). The contract's columns
-- (docs/capture.md) are VIRTUAL columns read from them by fingerprint_capture_part, which
-- knows both layouts (the core's fingerprint/capture_row.hpp), whatever the algorithm:
-- COALESCE(capture_old, capture_new) is an update's old side in either, since the
-- 'old_' parts of a capture row are its own. changed_columns is written by the update
-- triggers before 1.4 only (a 1.4 update row holds the list; fingerprint.changes reads
-- either). Every column a trigger need not name has a
-- default (session_id, has_old_image): MariaDB prepares a trigger's statement again for
-- every row, so each item left out is saved per captured row. A result that is an error string
-- ("error: column ...") violates the CHECK, so the application's statement fails rather
-- than log garbage. An update row that is NULL (the update changed nothing) violates
-- capture_unchanged (1.5): the update trigger's handler ends the trigger quietly on that
-- error alone, so the trigger needs no variable and no test of the value (see
-- capture_ddl_build for why); every row a trigger ever logged satisfies it. No secondary index: every index costs every captured write. Every
-- image column is LONGBLOB: a key image of a whole-row-identity table is the whole row,
-- which can be past a BLOB's 64 KiB.
CREATE TABLE IF NOT EXISTS fingerprint.change_log (
    seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    txid BIGINT UNSIGNED NULL,
    session_id BIGINT UNSIGNED NOT NULL DEFAULT (CONNECTION_ID()),
    op CHAR(1) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    table_name VARCHAR(129) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    schema_version INT UNSIGNED NOT NULL,
    has_old_image BOOLEAN NOT NULL DEFAULT FALSE,
    capture_new LONGBLOB NULL,
    capture_old LONGBLOB NULL,
    changed_columns TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    captured_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    key_image LONGBLOB AS (fingerprint_capture_part(IF(op = 'D', capture_old, capture_new), 'key')) VIRTUAL,
    old_key_image LONGBLOB AS (IF(op = 'U' AND fingerprint_capture_part(capture_new, 'key')
                                               <> fingerprint_capture_part(COALESCE(capture_old, capture_new), 'old_key'),
                                  fingerprint_capture_part(COALESCE(capture_old, capture_new), 'old_key'), NULL)) VIRTUAL,
    new_image LONGBLOB AS (fingerprint_capture_part(capture_new, 'image')) VIRTUAL,
    old_image LONGBLOB AS (IF(has_old_image, fingerprint_capture_part(COALESCE(capture_old, capture_new), 'old_image'),
                              NULL)) VIRTUAL,
    old_fingerprint VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
        AS (fingerprint_capture_part(IF(op = 'U', COALESCE(capture_old, capture_new), capture_old), 'old_fingerprint'))
        VIRTUAL,
    new_fingerprint VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
        AS (fingerprint_capture_part(capture_new, 'fingerprint')) VIRTUAL,
    PRIMARY KEY (seq),
    CONSTRAINT capture_refused_a_value CHECK (LEFT(capture_new, 7) <> 'error: ' AND LEFT(capture_old, 7) <> 'error: '),
    CONSTRAINT capture_unchanged CHECK (op <> 'U' OR capture_new IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='captured row changes (docs/capture.md)'//

-- Upgrade (1.0 and 1.1 cut the virtual columns at the byte offsets of an xxh3 capture row,
-- 41, 42 and 50; up to 1.2 key_image and old_key_image were BLOB, which cut a
-- whole-row-identity key image past 64 KiB; up to 1.3 the old-side columns read
-- capture_old alone, which a 1.4 update row leaves NULL): the same columns, read by
-- fingerprint_capture_part, every image LONGBLOB. Virtual columns store nothing, so every
-- logged row is kept and reads the same. From 1.3 only expressions change, which InnoDB
-- does in place (no copy); but it changes a virtual column's type only by copying the
-- table (ALGORITHM=COPY), and captured writes wait for the copy: its time grows with the
-- log (docs/upgrading.md). Done once; an install whose old-side columns already read
-- 'old_' parts and whose key columns are LONGBLOB is left alone. session_id gets its
-- default (CONNECTION_ID(), for the 1.4 triggers, which leave it out) in place too.
BEGIN NOT ATOMIC
    IF EXISTS (SELECT 1 FROM information_schema.COLUMNS
                WHERE TABLE_SCHEMA = 'fingerprint' AND TABLE_NAME = 'change_log'
                  AND ((COLUMN_NAME IN ('key_image', 'old_key_image')
                        AND (GENERATION_EXPRESSION NOT LIKE '%fingerprint_capture_part%' OR DATA_TYPE <> 'longblob'))
                       OR (COLUMN_NAME IN ('old_key_image', 'old_image', 'old_fingerprint')
                           AND LOCATE('''old_', GENERATION_EXPRESSION) = 0))) THEN
        ALTER TABLE fingerprint.change_log
            MODIFY COLUMN key_image LONGBLOB
                AS (fingerprint_capture_part(IF(op = 'D', capture_old, capture_new), 'key')) VIRTUAL,
            MODIFY COLUMN old_key_image LONGBLOB
                AS (IF(op = 'U' AND fingerprint_capture_part(capture_new, 'key')
                                    <> fingerprint_capture_part(COALESCE(capture_old, capture_new), 'old_key'),
                       fingerprint_capture_part(COALESCE(capture_old, capture_new), 'old_key'), NULL)) VIRTUAL,
            MODIFY COLUMN new_image LONGBLOB AS (fingerprint_capture_part(capture_new, 'image')) VIRTUAL,
            MODIFY COLUMN old_image LONGBLOB
                AS (IF(has_old_image, fingerprint_capture_part(COALESCE(capture_old, capture_new), 'old_image'),
                       NULL)) VIRTUAL,
            MODIFY COLUMN old_fingerprint VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
                AS (fingerprint_capture_part(IF(op = 'U', COALESCE(capture_old, capture_new), capture_old),
                                             'old_fingerprint')) VIRTUAL,
            MODIFY COLUMN new_fingerprint VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
                AS (fingerprint_capture_part(capture_new, 'fingerprint')) VIRTUAL;
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.COLUMNS
                WHERE TABLE_SCHEMA = 'fingerprint' AND TABLE_NAME = 'change_log' AND COLUMN_NAME = 'session_id'
                  AND COLUMN_DEFAULT IS NULL) THEN
        ALTER TABLE fingerprint.change_log
            MODIFY COLUMN session_id BIGINT UNSIGNED NOT NULL DEFAULT (CONNECTION_ID());
    END IF;
    -- 1.5: the CHECK the update triggers' "nothing changed" rests on. Every row logged
    -- before holds it (an update always stored its capture row or update row in
    -- capture_new), so no row is refused; but MariaDB adds a CHECK only by copying the
    -- table (ALGORITHM=COPY), once, while captured writes wait (docs/upgrading.md).
    IF NOT EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS
                    WHERE CONSTRAINT_SCHEMA = 'fingerprint' AND TABLE_NAME = 'change_log'
                      AND CONSTRAINT_NAME = 'capture_unchanged') THEN
        ALTER TABLE fingerprint.change_log
            ADD CONSTRAINT capture_unchanged CHECK (op <> 'U' OR capture_new IS NOT NULL);
    END IF;
END//

-- Every column list a table was captured with: the log's images follow
-- (table_name, schema_version). Names are comma-separated (capture_ddl refuses names
-- containing a comma); signature is an MD5 over the column definitions, key and options.
CREATE TABLE IF NOT EXISTS fingerprint.capture_tables (
    table_name VARCHAR(129) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    schema_version INT UNSIGNED NOT NULL,
    column_names LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    column_classes TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    key_columns TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    old_images BOOLEAN NOT NULL,
    signature CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (table_name, schema_version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='column lists of captured tables, per schema version'//

-- column_defs: the definitions behind the signature, a JSON array of [name, column type,
-- character set, is_json] in ordinal order, so that next_batch can name the columns an
-- ALTER TABLE changed (NULL for registrations made by 1.0).
ALTER TABLE fingerprint.capture_tables ADD COLUMN IF NOT EXISTS
    column_defs LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL AFTER signature//

-- index_defs: the primary key and the unique indexes when the version was registered
-- (fingerprint.capture_index_defs): the update trigger's test for rows UPDATE IGNORE
-- skipped, and what a replayer takes as the row's identity, depend on them. NULL for
-- registrations made before it existed (not checked until enabled again).
ALTER TABLE fingerprint.capture_tables ADD COLUMN IF NOT EXISTS
    index_defs LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL AFTER column_defs//

-- identity: 'key' when key_columns identify a row (the primary key, or NOT NULL columns
-- the enable named); 'row' when the table has no primary key and no usable unique key:
-- key_columns are then every column and the whole row is the identity (duplicates
-- allowed; a replayer applies the changes as a multiset, docs/capture.md). Registrations
-- made before 1.3 read as 'key'.
ALTER TABLE fingerprint.capture_tables ADD COLUMN IF NOT EXISTS
    identity ENUM('key', 'row') CHARACTER SET ascii NOT NULL DEFAULT 'key' AFTER key_columns//

-- The captured tables: current schema version (its column list repeated here), whether
-- the triggers are on, and `fingerprint`: the table fingerprint minus the changes still in
-- the log (set by capture_baseline, advanced by finish_batch). Invariant in every
-- consistent snapshot: fingerprint advanced over the table's log rows = table_fingerprint.
CREATE TABLE IF NOT EXISTS fingerprint.capture_state (
    table_name VARCHAR(129) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    schema_version INT UNSIGNED NOT NULL,
    column_names LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    column_classes TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    key_columns TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    old_images BOOLEAN NOT NULL,
    enabled BOOLEAN NOT NULL,
    fingerprint VARCHAR(96) CHARACTER SET ascii COLLATE ascii_bin NULL,
    enabled_at TIMESTAMP(6) NULL,
    PRIMARY KEY (table_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='captured tables and their log-adjusted fingerprints'//

-- trigger_sha2: SHA2-256 of the bodies (ACTION_STATEMENT) of the INSERT, UPDATE and DELETE
-- capture triggers that enable created, space-separated; next_batch compares the
-- triggers' bodies with them. NULL for tables enabled before it existed.
ALTER TABLE fingerprint.capture_state ADD COLUMN IF NOT EXISTS
    trigger_sha2 VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER enabled_at//

-- Enables whose DDL creates a capture trigger the table lacks (or enables a table that is
-- not enabled), from capture_ddl until their capture_baseline commits: first_seq is the
-- log's next seq when capture_ddl ran, so every row the new triggers log has seq >=
-- first_seq. The three CREATE TRIGGER statements are separate, so between them the
-- table logs some of its changes and not others (an INSERT logged, the DELETE of that
-- row not); the baseline removes this table's rows from first_seq on that are committed
-- by then (every copy taken after the enable holds their effect), so a replayer never
-- brings back a row that a change in that window removed. Kept at the lowest first_seq
-- until a baseline commits (an enable that failed and is run again).
CREATE TABLE IF NOT EXISTS fingerprint.capture_enabling (
    table_name VARCHAR(129) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    first_seq BIGINT UNSIGNED NOT NULL,
    started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (table_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='enables in progress: where their triggers begin to log'//

-- Batches handed out by next_batch: exactly the seqs visible in one consistent snapshot
-- (a JSON array). At most one batch is open at a time (one consumer per log).
CREATE TABLE IF NOT EXISTS fingerprint.capture_batches (
    batch_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    consumer VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    first_seq BIGINT UNSIGNED NOT NULL,
    last_seq BIGINT UNSIGNED NOT NULL,
    changes INT UNSIGNED NOT NULL,
    seqs LONGTEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    finished_at TIMESTAMP(6) NULL,
    PRIMARY KEY (batch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='batches of the change log handed to the consumer'//

-- The log with JSON renderings of its images (keys are column names; timestamps in UTC)
-- and the changed columns of an update: changed_columns, written by the triggers before
-- 1.4, or the list in a 1.4 update row (whose changed_columns is NULL).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW fingerprint.changes AS
SELECT c.seq, c.txid, c.session_id, c.op, c.table_name, c.schema_version,
       fingerprint_image_json(c.key_image, s.key_columns) AS `key`,
       fingerprint_image_json(c.old_key_image, s.key_columns) AS old_key,
       fingerprint_image_json(c.new_image, s.column_names) AS `after`,
       fingerprint_image_json(c.old_image, s.column_names) AS `before`,
       COALESCE(c.changed_columns, CONVERT(fingerprint_capture_part(c.capture_new, 'changed') USING utf8mb4))
           AS changed_columns,
       c.old_fingerprint, c.new_fingerprint, c.captured_at,
       c.key_image, c.old_key_image, c.new_image, c.old_image
  FROM fingerprint.change_log c
  JOIN fingerprint.capture_tables s ON s.table_name = c.table_name AND s.schema_version = c.schema_version//

-- The Debezium envelope: before, after, op (c, u, d), source, ts_ms (capture time).
CREATE OR REPLACE SQL SECURITY INVOKER VIEW fingerprint.debezium_changes AS
SELECT c.seq, c.`before`, c.`after`,
       CASE c.op WHEN 'I' THEN 'c' WHEN 'U' THEN 'u' WHEN 'D' THEN 'd' WHEN 'T' THEN 't' END AS op,
       JSON_OBJECT('connector', 'fingerprint', 'db', SUBSTRING_INDEX(c.table_name, '.', 1), 'schema', NULL,
                   'table', SUBSTRING(c.table_name, LOCATE('.', c.table_name) + 1), 'txId', c.txid,
                   'seq', c.seq, 'session_id', c.session_id) AS source,
       CAST(UNIX_TIMESTAMP(c.captured_at) * 1000 AS UNSIGNED) AS ts_ms
  FROM fingerprint.changes c//

-- -------------------------------------------------------------- sql/mysql/src/capture_ddl.sql
-- ==== Capture DDL: the capture triggers, their names and template, enable and disable ====

-- Splits 'db.tbl' and checks that the base table exists (fingerprint.split_table).
DROP PROCEDURE IF EXISTS fingerprint.capture_resolve//
CREATE PROCEDURE fingerprint.capture_resolve(
    IN p_table TEXT CHARACTER SET utf8mb4,
    OUT p_schema TEXT CHARACTER SET utf8mb4,
    OUT p_name TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'splits db.tbl, checks the table exists'
CALL fingerprint.split_table(p_table, TRUE, p_schema, p_name)//

-- NULL when db.tbl's storage engine is transactional (information_schema.ENGINES), else
-- why not, naming the engine. Needs SELECT on some column of the table to see it.
DROP FUNCTION IF EXISTS fingerprint.capture_engine_refusal//
CREATE FUNCTION fingerprint.capture_engine_refusal(p_schema TEXT CHARACTER SET utf8mb4,
                                                   p_table TEXT CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'why a table''s engine cannot be captured, or NULL'
BEGIN
    DECLARE v_engine VARCHAR(64) CHARACTER SET utf8mb4;
    SET v_engine = (SELECT COALESCE(ENGINE, '') FROM information_schema.TABLES
                     WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                       AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table);
    IF v_engine IS NULL OR EXISTS (SELECT 1 FROM information_schema.ENGINES
                                    WHERE ENGINE = v_engine AND TRANSACTIONS = 'YES') THEN
        RETURN NULL;
    END IF;
    RETURN CONCAT('its storage engine ', IF(v_engine = '', 'is unknown', v_engine),
                  ' is not transactional (a failed or rolled-back statement keeps its rows while their',
                  ' log rows are rolled back): ALTER TABLE ', fingerprint.quote_name(p_schema), '.',
                  fingerprint.quote_name(p_table), ' ENGINE=InnoDB first');
END//

-- The primary key and unique indexes of db.tbl, canonical text: one item per index in
-- name order, `name`(`col`[(prefix)] ...), separated by '; '; '' when there is none.
DROP FUNCTION IF EXISTS fingerprint.capture_index_defs//
CREATE FUNCTION fingerprint.capture_index_defs(p_schema TEXT CHARACTER SET utf8mb4,
                                               p_table TEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'primary key and unique indexes of a table'
RETURN COALESCE((
    SELECT GROUP_CONCAT(CONCAT(fingerprint.quote_name(INDEX_NAME), '(', cols, ')') ORDER BY BINARY INDEX_NAME SEPARATOR '; ')
      FROM (SELECT INDEX_NAME,
                   GROUP_CONCAT(CONCAT(fingerprint.quote_name(COLUMN_NAME), COALESCE(CONCAT('(', SUB_PART, ')'), ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR ' ') AS cols
              FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
               AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table AND NON_UNIQUE = 0
             GROUP BY INDEX_NAME) AS indexes), '')//

-- The column lists of a table, all columns in ordinal order (what table_fingerprint
-- hashes): class letters, UDF arguments for a plain SELECT, for NEW and for OLD, names
-- (comma-separated), a signature of the definitions, the count. SIGNALs for a column
-- type without a class or a name containing a comma.
DROP PROCEDURE IF EXISTS fingerprint.capture_columns//
CREATE PROCEDURE fingerprint.capture_columns(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    OUT p_classes LONGTEXT CHARACTER SET ascii,
    OUT p_plain LONGTEXT CHARACTER SET utf8mb4,
    OUT p_new LONGTEXT CHARACTER SET utf8mb4,
    OUT p_old LONGTEXT CHARACTER SET utf8mb4,
    OUT p_names LONGTEXT CHARACTER SET utf8mb4,
    OUT p_signature CHAR(32) CHARACTER SET ascii,
    OUT p_count INT,
    OUT p_defs LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'column lists of a captured table'
BEGIN
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE v_bad TEXT CHARACTER SET utf8mb4;
    DECLARE v_json_checks LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION group_concat_max_len = v_saved_gc_len;
        RESIGNAL;
    END;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'capture_columns');
    CALL fingerprint.check_readable(p_schema, p_table, 'capture');
    -- Only a transactional engine: with MyISAM or Aria a failed or rolled-back statement
    -- keeps its row changes while the log rows its triggers wrote are rolled back.
    SET v_bad = fingerprint.capture_engine_refusal(p_schema, p_table);
    IF v_bad IS NOT NULL THEN
        SET v_message = CONCAT('cannot capture ', p_schema, '.', p_table, ': ', v_bad);
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
    SET v_bad = (SELECT CONCAT(fingerprint.quote_name(COLUMN_NAME), ' of type ', DATA_TYPE)
                   FROM information_schema.COLUMNS
                  WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                    AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
                    AND fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, FALSE) IS NULL
                  ORDER BY ORDINAL_POSITION LIMIT 1);
    IF v_bad IS NOT NULL THEN
        SET v_message = CONCAT('cannot capture column ', v_bad, ' in ', p_schema, '.', p_table);
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;
    SET v_bad = (SELECT COLUMN_NAME FROM information_schema.COLUMNS
                  WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table AND LOCATE(',', COLUMN_NAME) > 0
                  ORDER BY ORDINAL_POSITION LIMIT 1);
    IF v_bad IS NOT NULL THEN
        SET v_message = CONCAT('cannot capture ', p_schema, '.', p_table, ': column name ',
                               fingerprint.quote_name(v_bad), ' contains a comma');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;
    SET SESSION group_concat_max_len = GREATEST(@@session.group_concat_max_len, 67108864);
    SET v_json_checks = fingerprint.json_checks(p_schema, p_table);
    SELECT GROUP_CONCAT(fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, is_json) ORDER BY ORDINAL_POSITION SEPARATOR ''),
           GROUP_CONCAT(fingerprint.column_argument(COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, is_json, CHARACTER_SET_NAME)
                        ORDER BY ORDINAL_POSITION SEPARATOR ', '),
           GROUP_CONCAT(fingerprint.capture_argument('NEW', COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, is_json,
                                                     CHARACTER_SET_NAME) ORDER BY ORDINAL_POSITION SEPARATOR ', '),
           GROUP_CONCAT(fingerprint.capture_argument('OLD', COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, is_json,
                                                     CHARACTER_SET_NAME) ORDER BY ORDINAL_POSITION SEPARATOR ', '),
           GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ','),
           MD5(GROUP_CONCAT(CONCAT_WS(CHAR(0 USING utf8mb4), COLUMN_NAME, COLUMN_TYPE,
                                      COALESCE(CHARACTER_SET_NAME, ''), is_json)
                            ORDER BY ORDINAL_POSITION SEPARATOR '\n')),
           COUNT(*),
           JSON_ARRAYAGG(JSON_ARRAY(COLUMN_NAME, COLUMN_TYPE, COALESCE(CHARACTER_SET_NAME, ''), is_json)
                         ORDER BY ORDINAL_POSITION)
      INTO p_classes, p_plain, p_new, p_old, p_names, p_signature, p_count, p_defs
      FROM (SELECT c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.ORDINAL_POSITION, c.CHARACTER_SET_NAME,
                   fingerprint.is_json_column(v_json_checks, c.COLUMN_NAME) AS is_json
              FROM information_schema.COLUMNS c
             WHERE c.TABLE_SCHEMA = p_schema AND c.TABLE_NAME = p_table
               AND BINARY c.TABLE_SCHEMA = BINARY p_schema AND BINARY c.TABLE_NAME = BINARY p_table) AS cols;
    SET SESSION group_concat_max_len = v_saved_gc_len;
    IF p_classes IS NULL OR CHAR_LENGTH(p_classes) <> p_count THEN
        SET v_message = CONCAT('internal error: column list of ', p_schema, '.', p_table, ' was cut short');
        SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- An upper bound of the bytes `name` takes in a file name. MariaDB stores a trigger as
-- <schema dir>/<trigger name>.TRN, spelling every character other than an ASCII letter,
-- digit or '_' as '@' and two or four more (MariaDB identifiers hold BMP characters
-- only), and a file name has at most 255 bytes.
DROP FUNCTION IF EXISTS fingerprint.file_name_bytes//
CREATE FUNCTION fingerprint.file_name_bytes(p_name VARCHAR(255) CHARACTER SET utf8mb4)
RETURNS INT
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'upper bound of a name''s length in a file name'
RETURN CHAR_LENGTH(p_name)
       + 4 * (CHAR_LENGTH(p_name) - CHAR_LENGTH(REGEXP_REPLACE(p_name COLLATE utf8mb4_bin, '[^0-9A-Za-z_]', '')))//

-- The name of one of the three capture triggers of a table (op: 'i', 'u' or 'd'), unique
-- to the table: fpc_<op>_<table> when that fits in 64 characters and its file name
-- (fpc_<op>_<table>.TRN~ while it is written, fingerprint.file_name_bytes) in 255 bytes, else
-- fph_<op>_<first 25 characters>_<32 hex digits of SHA-256 of the name>. The prefixes
-- keep the two forms apart, so no table's trigger name is another table's (trigger and
-- table names compare as bytes with lower_case_table_names=0; the hash part is 128 bits).
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_name//
CREATE FUNCTION fingerprint.capture_trigger_name(
    p_table VARCHAR(64) CHARACTER SET utf8mb4,
    p_op CHAR(1) CHARACTER SET ascii)
RETURNS VARCHAR(64) CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'name of a capture trigger'
RETURN IF(CHAR_LENGTH(p_table) <= 58 AND fingerprint.file_name_bytes(p_table) <= 244,
          CONCAT('fpc_', p_op, '_', p_table),
          CONCAT('fph_', p_op, '_', LEFT(p_table, 25), '_', LEFT(SHA2(p_table, 256), 32)))//

-- The name 1.0 gave a capture trigger: for names longer than 58 characters it could
-- equal the plain name of another table's trigger. Kept to find triggers 1.0 created.
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_name_1_0//
CREATE FUNCTION fingerprint.capture_trigger_name_1_0(
    p_table VARCHAR(64) CHARACTER SET utf8mb4,
    p_op CHAR(1) CHARACTER SET ascii)
RETURNS VARCHAR(64) CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'name 1.0 gave a capture trigger'
RETURN IF(CHAR_LENGTH(p_table) <= 58, CONCAT('fpc_', p_op, '_', p_table),
          CONCAT('fpc_', p_op, '_', LEFT(p_table, 49), '_', LEFT(MD5(p_table), 8)))//

-- The capture trigger of db.tbl for op: the one 1.0 created if it exists on this very
-- table (so that enabling again replaces it in place, never leaving two triggers that
-- both log), else capture_trigger_name. Names compare as bytes; the plain equalities
-- let information_schema open only this schema's triggers.
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_of//
CREATE FUNCTION fingerprint.capture_trigger_of(
    p_schema VARCHAR(64) CHARACTER SET utf8mb4,
    p_table VARCHAR(64) CHARACTER SET utf8mb4,
    p_op CHAR(1) CHARACTER SET ascii)
RETURNS VARCHAR(64) CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'name of the capture trigger of a table'
RETURN COALESCE(
    (SELECT TRIGGER_NAME FROM information_schema.TRIGGERS
      WHERE NOT (BINARY fingerprint.capture_trigger_name(p_table, p_op)
                 = BINARY fingerprint.capture_trigger_name_1_0(p_table, p_op))
        AND TRIGGER_SCHEMA = p_schema AND EVENT_OBJECT_TABLE = p_table
        AND BINARY TRIGGER_SCHEMA = BINARY p_schema AND BINARY EVENT_OBJECT_TABLE = BINARY p_table
        AND BINARY TRIGGER_NAME = BINARY fingerprint.capture_trigger_name_1_0(p_table, p_op)
      LIMIT 1),
    fingerprint.capture_trigger_name(p_table, p_op))//

-- A string literal for p_text in the SQL that capture generates (the trigger bodies and
-- the CALLs a client runs), 'NULL' for NULL. It reads the same under every sql_mode (with
-- and without NO_BACKSLASH_ESCAPES, which the session running capture_ddl's statements
-- may have), and it is spelled exactly as the server shows it again in
-- information_schema.TRIGGERS.ACTION_STATEMENT, which re-escapes a string literal
-- ('a\'b' as 'a''b', 'a\\b' as 'a\b'), so capture_trigger_belongs finds it there. Hence
-- no QUOTE(): a quote is doubled, and a backslash, which no quoted literal spells alike
-- in both modes, is CHAR(92 USING utf8mb4) in a CONCAT (CONCAT('a', CHAR(92 USING
-- utf8mb4), 'b') for a\b). Up to 1.4 the literals were QUOTE()'s (capture_trigger_belongs).
DROP FUNCTION IF EXISTS fingerprint.capture_literal//
CREATE FUNCTION fingerprint.capture_literal(p_text LONGTEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'a string literal that reads the same under every sql_mode'
RETURN CASE
    WHEN p_text IS NULL THEN 'NULL'
    WHEN LOCATE(CHAR(92 USING utf8mb4), p_text) = 0 THEN CONCAT('''', REPLACE(p_text, '''', ''''''), '''')
    ELSE CONCAT('CONCAT(''', REPLACE(REPLACE(p_text, '''', ''''''), CHAR(92 USING utf8mb4),
                                     ''', CHAR(92 USING utf8mb4), '''), ''')')
END//

-- TRUE when a trigger (name, EVENT_MANIPULATION, ACTION_STATEMENT from
-- information_schema.TRIGGERS) is a capture trigger of the registration p_registration
-- ('db.tbl', whose table part is p_table): it has one of the names capture gives p_table's
-- triggers (this release's or 1.0's) and logs its op under that name (VALUES ('I',
-- 'db.tbl', ... since 1.4; (CONNECTION_ID(), 'I', 'db.tbl', ... before). A trigger moved to
-- another table by RENAME TABLE keeps both, so it is found wherever it is now. Since 1.5
-- the name is capture_literal's, as the server shows it. Triggers of 1.0 to 1.4 spelled it
-- with QUOTE(), which the server shows with a quote doubled and a backslash single
-- ('db.b\\c' as 'db.b\c'): that spelling is recognised too, as such a trigger (created
-- under the usual sql_mode) logs this very name. One created under NO_BACKSLASH_ESCAPES
-- logged 'db.b\\c', another name (its body shows 'db.b\\c'): it is not this registration's.
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_belongs//
CREATE FUNCTION fingerprint.capture_trigger_belongs(
    p_trigger VARCHAR(64) CHARACTER SET utf8mb4,
    p_event VARCHAR(16) CHARACTER SET utf8mb4,
    p_body LONGTEXT CHARACTER SET utf8mb4,
    p_table VARCHAR(64) CHARACTER SET utf8mb4,
    p_registration VARCHAR(129) CHARACTER SET utf8mb4)
RETURNS BOOLEAN
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'is a trigger a capture trigger of a registration'
RETURN BINARY p_trigger IN (BINARY fingerprint.capture_trigger_name(p_table, LOWER(LEFT(p_event, 1))),
                            BINARY fingerprint.capture_trigger_name_1_0(p_table, LOWER(LEFT(p_event, 1))))
   AND (LOCATE(BINARY CONCAT('VALUES (''', LEFT(p_event, 1), ''', ', fingerprint.capture_literal(p_registration), ', '),
               BINARY p_body) > 0
        OR LOCATE(BINARY CONCAT('VALUES (''', LEFT(p_event, 1), ''', ''',
                                REPLACE(p_registration, '''', ''''''), ''', '), BINARY p_body) > 0
        OR LOCATE(BINARY CONCAT('(CONNECTION_ID(), ''', LEFT(p_event, 1), ''', ''',
                                REPLACE(p_registration, '''', ''''''), ''', '), BINARY p_body) > 0)//

-- The tables that hold capture triggers of the registration p_name ('db.tbl'): triggers
-- on that very table with a capture trigger's name (this release's or 1.0's), and capture
-- triggers of it that a RENAME TABLE moved elsewhere in its schema; NULL when none is
-- visible (information_schema shows triggers only with the TRIGGER privilege).
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_tables//
CREATE FUNCTION fingerprint.capture_trigger_tables(p_name VARCHAR(129) CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'tables holding capture triggers of a registration'
BEGIN
    DECLARE v_schema, v_table VARCHAR(64) CHARACTER SET utf8mb4;
    IF p_name IS NULL OR LOCATE('.', p_name) = 0 THEN
        RETURN NULL;
    END IF;
    SET v_schema = LEFT(p_name, LOCATE('.', p_name) - 1);
    SET v_table = SUBSTRING(p_name, LOCATE('.', p_name) + 1);
    RETURN (SELECT GROUP_CONCAT(DISTINCT CONCAT(EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE) SEPARATOR ', ')
              FROM information_schema.TRIGGERS
             WHERE TRIGGER_SCHEMA = v_schema AND BINARY TRIGGER_SCHEMA = BINARY v_schema
               AND ((EVENT_OBJECT_TABLE = v_table AND BINARY EVENT_OBJECT_TABLE = BINARY v_table
                     AND BINARY TRIGGER_NAME IN (BINARY fingerprint.capture_trigger_name(v_table, 'i'),
                                                 BINARY fingerprint.capture_trigger_name(v_table, 'u'),
                                                 BINARY fingerprint.capture_trigger_name(v_table, 'd'),
                                                 BINARY fingerprint.capture_trigger_name_1_0(v_table, 'i'),
                                                 BINARY fingerprint.capture_trigger_name_1_0(v_table, 'u'),
                                                 BINARY fingerprint.capture_trigger_name_1_0(v_table, 'd')))
                    OR fingerprint.capture_trigger_belongs(TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT,
                                                           v_table, p_name)));
END//

-- SHA2-256 of the bodies of the AFTER INSERT, UPDATE and DELETE triggers on db.tbl that
-- carry its capture triggers' names, space-separated ('-' for one that is missing).
-- p_normalized: of the body without its backslashes and single quotes, the form in
-- which a generated CREATE TRIGGER and the server's ACTION_STATEMENT agree (the server
-- stores string literals re-escaped: 'a\'b' as 'a''b', 'a\\b' as 'a\b').
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_sha2//
CREATE FUNCTION fingerprint.capture_trigger_sha2(p_schema VARCHAR(64) CHARACTER SET utf8mb4,
                                                 p_table VARCHAR(64) CHARACTER SET utf8mb4,
                                                 p_normalized BOOLEAN)
RETURNS VARCHAR(200) CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'hashes of the capture trigger bodies of a table'
BEGIN
    DECLARE v_op INT DEFAULT 1;
    DECLARE v_result VARCHAR(200) CHARACTER SET utf8mb4 DEFAULT NULL;
    WHILE v_op <= 3 DO
        SET v_result = CONCAT_WS(_utf8mb4' ', v_result, COALESCE((
            SELECT CONVERT(SHA2(IF(p_normalized, REPLACE(REPLACE(ACTION_STATEMENT, '\\', ''), '''', ''),
                                   ACTION_STATEMENT), 256) USING utf8mb4) FROM information_schema.TRIGGERS
             WHERE TRIGGER_SCHEMA = p_schema AND EVENT_OBJECT_TABLE = p_table
               AND BINARY TRIGGER_SCHEMA = BINARY p_schema AND BINARY EVENT_OBJECT_TABLE = BINARY p_table
               AND BINARY TRIGGER_NAME = BINARY fingerprint.capture_trigger_of(p_schema, p_table, ELT(v_op, 'i', 'u', 'd'))
               AND ACTION_TIMING = 'AFTER' AND EVENT_MANIPULATION = ELT(v_op, 'INSERT', 'UPDATE', 'DELETE')
               AND ACTION_ORIENTATION = 'ROW'
             LIMIT 1), _utf8mb4'-'));
        SET v_op = v_op + 1;
    END WHILE;
    RETURN v_result;
END//

-- Drops the capture triggers (this release's or 1.0's names) of db.tbl that are on that
-- very table: what a failed enable had created. Needs TRIGGER on the table.
DROP PROCEDURE IF EXISTS fingerprint.capture_drop_triggers//
CREATE PROCEDURE fingerprint.capture_drop_triggers(IN p_schema TEXT CHARACTER SET utf8mb4,
                                                   IN p_table TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'drops the capture triggers of a table'
BEGIN
    DECLARE v_op INT DEFAULT 1;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'capture_drop_triggers');
    WHILE v_op <= 3 DO
        SET @fingerprint_drop_sql = (
            SELECT CONCAT('DROP TRIGGER IF EXISTS ', fingerprint.quote_name(p_schema), '.',
                          fingerprint.quote_name(TRIGGER_NAME))
              FROM information_schema.TRIGGERS
             WHERE TRIGGER_SCHEMA = p_schema AND EVENT_OBJECT_TABLE = p_table
               AND BINARY TRIGGER_SCHEMA = BINARY p_schema AND BINARY EVENT_OBJECT_TABLE = BINARY p_table
               AND BINARY TRIGGER_NAME = BINARY fingerprint.capture_trigger_of(p_schema, p_table, ELT(v_op, 'i', 'u', 'd'))
             LIMIT 1);
        IF @fingerprint_drop_sql IS NOT NULL THEN
            PREPARE fingerprint_drop_statement FROM @fingerprint_drop_sql;
            EXECUTE fingerprint_drop_statement;
            DEALLOCATE PREPARE fingerprint_drop_statement;
        END IF;
        SET v_op = v_op + 1;
    END WHILE;
    SET @fingerprint_drop_sql = NULL;
END//

-- A unique index of db.tbl that could identify a row of a table without a primary key:
-- unique, every column NOT NULL, no prefix (a prefix identifies nothing). The first by
-- name as JSON {"name": index, "columns": "c1,c2"} (columns in index order), or NULL.
DROP FUNCTION IF EXISTS fingerprint.capture_unique_key//
CREATE FUNCTION fingerprint.capture_unique_key(p_schema TEXT CHARACTER SET utf8mb4,
                                               p_table TEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'the first usable unique key of a table without a primary key'
RETURN (SELECT JSON_OBJECT('name', s.INDEX_NAME,
                           'columns', GROUP_CONCAT(s.COLUMN_NAME ORDER BY s.SEQ_IN_INDEX SEPARATOR ','))
          FROM information_schema.STATISTICS s
         WHERE s.TABLE_SCHEMA = p_schema AND s.TABLE_NAME = p_table
           AND BINARY s.TABLE_SCHEMA = BINARY p_schema AND BINARY s.TABLE_NAME = BINARY p_table
           AND s.NON_UNIQUE = 0 AND s.INDEX_NAME <> 'PRIMARY'
         GROUP BY s.INDEX_NAME
        HAVING SUM(s.NULLABLE = 'YES' OR s.SUB_PART IS NOT NULL OR s.COLUMN_NAME IS NULL) = 0
         ORDER BY BINARY s.INDEX_NAME
         LIMIT 1)//

-- The key a capture registers for db.tbl: its primary key (p_key NULL) or the columns
-- p_key names (NOT NULL ones that identify a row): p_names, the names as the table
-- spells them, comma-separated in key order, and p_positions, their ordinal positions.
-- p_identity is 'key', or 'row' for a table (p_key NULL) with neither a primary key nor a
-- usable unique key (capture_unique_key): then every column, in order, is the key (the
-- whole row is the identity, NULLs allowed). Refuses, when p_key is NULL, a table without
-- a primary key that has a usable unique key (the message names it: the user names it as
-- the key), and an unknown, nullable or repeated column or an empty list.
DROP PROCEDURE IF EXISTS fingerprint.capture_key//
CREATE PROCEDURE fingerprint.capture_key(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    OUT p_names TEXT CHARACTER SET utf8mb4,
    OUT p_positions TEXT CHARACTER SET utf8mb4,
    OUT p_identity VARCHAR(3) CHARACTER SET ascii)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'the key columns of a capture registration'
BEGIN
    DECLARE v_name TEXT CHARACTER SET utf8mb4 DEFAULT CONCAT(p_schema, '.', p_table);
    DECLARE v_rest, v_item TEXT CHARACTER SET utf8mb4;
    DECLARE v_position INT;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'capture_key');
    SET p_names = NULL;
    SET p_positions = NULL;
    SET p_identity = 'key';
    IF p_key IS NULL THEN
        SELECT GROUP_CONCAT(k.name ORDER BY k.seq SEPARATOR ','), GROUP_CONCAT(k.position ORDER BY k.seq SEPARATOR ',')
          INTO p_names, p_positions
          FROM JSON_TABLE(fingerprint.primary_key(p_schema, p_table), '$[*]' COLUMNS (
                   seq FOR ORDINALITY, name VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.name',
                   position INT PATH '$.position')) AS k;
        IF p_names IS NULL THEN
            SET v_item = fingerprint.capture_unique_key(p_schema, p_table);
            IF v_item IS NOT NULL THEN
                SET v_message = LEFT(CONCAT('table ', v_name, ' has no primary key: its unique key ',
                                            fingerprint.quote_name(JSON_VALUE(v_item, '$.name')),
                                            ' identifies a row: name it with CALL fingerprint.capture_ddl_with(''',
                                            v_name, ''', ''enable'', ''', JSON_VALUE(v_item, '$.columns'),
                                            ''', FALSE)'), 512);
                SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
            END IF;
            -- No unique key at all: the whole row (every column, in order) is the identity.
            SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ','),
                   GROUP_CONCAT(ORDINAL_POSITION ORDER BY ORDINAL_POSITION SEPARATOR ',')
              INTO p_names, p_positions
              FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
               AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table;
            SET p_identity = 'row';
        END IF;
    ELSE
        SET v_rest = p_key;
        CALL fingerprint.next_list_item(v_rest, v_item);
        WHILE v_item IS NOT NULL DO
            SET v_position = (SELECT ORDINAL_POSITION FROM information_schema.COLUMNS
                               WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                                 AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
                                 AND fingerprint.same_column_name(COLUMN_NAME, v_item));
            IF v_position IS NULL THEN
                SET v_message = CONCAT('key column ', fingerprint.quote_name(v_item), ' does not exist in ', v_name);
                SIGNAL SQLSTATE '42S22' SET MESSAGE_TEXT = v_message;
            END IF;
            IF (SELECT IS_NULLABLE FROM information_schema.COLUMNS
                 WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                   AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
                   AND ORDINAL_POSITION = v_position) = 'YES' THEN
                SET v_message = CONCAT('key column ', fingerprint.quote_name(v_item), ' of ', v_name,
                                       ' is nullable: only NOT NULL columns identify a row');
                SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
            END IF;
            IF FIND_IN_SET(v_position, p_positions) > 0 THEN
                SET v_message = CONCAT('key column ', fingerprint.quote_name(v_item), ' is named twice');
                SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
            END IF;
            SET p_positions = CONCAT_WS(',', p_positions, v_position);
            SET p_names = CONCAT_WS(',', p_names, (SELECT COLUMN_NAME FROM information_schema.COLUMNS
                                                    WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                                                      AND BINARY TABLE_SCHEMA = BINARY p_schema
                                                      AND BINARY TABLE_NAME = BINARY p_table
                                                      AND ORDINAL_POSITION = v_position));
            CALL fingerprint.next_list_item(v_rest, v_item);
        END WHILE;
        IF p_names IS NULL THEN
            SET v_message = CONCAT('the key column list for ', v_name, ' is empty');
            SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
        END IF;
    END IF;
END//

-- Registers the column list of db.tbl as a schema version (fingerprint.capture_tables) and
-- returns it in p_version: the latest version when nothing changed, else a new one. The
-- registration covers the columns (p_signature, p_defs from capture_columns), the key,
-- old_images, and the primary key and unique indexes (capture_index_defs): the update
-- trigger's skipped-row test is built from them, so a change of them is a new version.
DROP PROCEDURE IF EXISTS fingerprint.capture_register//
CREATE PROCEDURE fingerprint.capture_register(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_names LONGTEXT CHARACTER SET utf8mb4,
    IN p_classes LONGTEXT CHARACTER SET ascii,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_identity VARCHAR(3) CHARACTER SET ascii,
    IN p_old_images BOOLEAN,
    IN p_signature CHAR(32) CHARACTER SET ascii,
    IN p_defs LONGTEXT CHARACTER SET utf8mb4,
    OUT p_version INT UNSIGNED)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'registers the column list of a captured table as a schema version'
BEGIN
    DECLARE v_name TEXT CHARACTER SET utf8mb4 DEFAULT CONCAT(p_schema, '.', p_table);
    -- (Whole-row identity is in the signature: the same columns named as a key are not it.)
    DECLARE v_signature CHAR(32) CHARACTER SET ascii DEFAULT MD5(CONCAT_WS('\n', p_signature, p_key, p_old_images,
                                                                         IF(p_identity = 'row', 'row', NULL)));
    DECLARE v_indexes LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_new_version BOOLEAN DEFAULT FALSE;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'capture_register');
    SET v_indexes = fingerprint.capture_index_defs(p_schema, p_table);
    SELECT MAX(schema_version) INTO p_version FROM fingerprint.capture_tables WHERE table_name = v_name;
    -- A table that is not captured now (never enabled, disabled, or its triggers gone:
    -- dropped, or the table dropped and created again) while the log still holds rows
    -- of the latest version under its name: those rows are of the table as it was, so
    -- this enable starts a new version, and a replayer can tell the two apart.
    IF p_version IS NOT NULL
       AND (NOT COALESCE((SELECT enabled FROM fingerprint.capture_state WHERE table_name = v_name), FALSE)
            OR BINARY fingerprint.capture_trigger_sha2(p_schema, p_table, FALSE) = BINARY '- - -')
       AND EXISTS (SELECT 1 FROM fingerprint.change_log WHERE table_name = v_name AND schema_version = p_version) THEN
        SET v_new_version = TRUE;
    END IF;
    IF p_version IS NULL OR v_new_version OR (SELECT signature <> v_signature
                                                     OR (index_defs IS NOT NULL AND NOT (BINARY index_defs = BINARY v_indexes))
                                                FROM fingerprint.capture_tables
                                               WHERE table_name = v_name AND schema_version = p_version) THEN
        SET p_version = COALESCE(p_version, 0) + 1;
        INSERT INTO fingerprint.capture_tables
            (table_name, schema_version, column_names, column_classes, key_columns, identity, old_images, signature,
             column_defs, index_defs)
        VALUES (v_name, p_version, p_names, p_classes, p_key, COALESCE(p_identity, 'key'), COALESCE(p_old_images, FALSE),
                v_signature, p_defs, v_indexes);
    ELSE
        -- A registration older than column_defs/index_defs gets them (same version).
        UPDATE fingerprint.capture_tables SET column_defs = COALESCE(column_defs, p_defs),
                                              index_defs = COALESCE(index_defs, v_indexes)
         WHERE table_name = v_name AND schema_version = p_version
           AND (column_defs IS NULL OR index_defs IS NULL);
    END IF;
END//

-- Up to 1.3 an update trigger compared NEW and OLD column by column in SQL; since 1.4 the
-- capture UDF does (fingerprint_capture_row's "+old"), so their helpers are gone.
DROP FUNCTION IF EXISTS fingerprint.capture_same_value//
DROP FUNCTION IF EXISTS fingerprint.capture_changed_test//

-- What an update trigger runs: p_log when p_changed (an expression: some column changed)
-- holds (p_changed_again: the same test once p_changed has been evaluated), otherwise
-- p_otherwise when it is not NULL (a statement), but, for a
-- table captured by its primary key (p_primary_key), only for a row the update was
-- applied to. MariaDB fires AFTER UPDATE triggers also for rows whose
-- update UPDATE IGNORE skipped (a duplicate key): such a row is logged only if its key
-- is unchanged or its old key is gone (key changes), and it holds the new values of
-- every unique column (tables with unique secondary indexes). Strings are compared as
-- bytes too: 'A' -> 'a' is a change under a case-insensitive collation. A subquery is
-- prepared only when its branch runs (never for the usual non-key update, which costs
-- one IF and one INSERT). The subqueries name their columns with the table's name
-- (`db`.`tbl`.`col`): an unqualified name would resolve to a local variable of the
-- trigger if a column had its name (1.4's triggers have one, fingerprint_update_row).
DROP FUNCTION IF EXISTS fingerprint.capture_update_statement//
CREATE FUNCTION fingerprint.capture_update_statement(
    p_schema TEXT CHARACTER SET utf8mb4,
    p_table TEXT CHARACTER SET utf8mb4,
    p_primary_key BOOLEAN,
    p_changed LONGTEXT CHARACTER SET utf8mb4,
    p_changed_again LONGTEXT CHARACTER SET utf8mb4,
    p_log LONGTEXT CHARACTER SET utf8mb4,
    p_otherwise LONGTEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'the statement of a capture update trigger'
BEGIN
    DECLARE v_on TEXT CHARACTER SET utf8mb4 DEFAULT CONCAT(fingerprint.quote_name(p_schema), '.',
                                                           fingerprint.quote_name(p_table));
    DECLARE v_key_same, v_old_where, v_new_where, v_unique LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_else LONGTEXT CHARACTER SET utf8mb4 DEFAULT COALESCE(CONCAT('ELSE ', p_otherwise, '; '), '');
    IF NOT COALESCE(p_primary_key, FALSE) THEN
        RETURN CONCAT('IF ', p_changed, ' THEN ', p_log, '; ', v_else, 'END IF');
    END IF;
    SELECT GROUP_CONCAT(CONCAT(IF(k.charset IS NULL, 'NEW.', 'BINARY NEW.'), fingerprint.quote_name(k.name),
                               IF(k.charset IS NULL, ' <=> OLD.', ' <=> BINARY OLD.'), fingerprint.quote_name(k.name))
                        ORDER BY k.seq SEPARATOR ' AND '),
           GROUP_CONCAT(CONCAT(v_on, '.', fingerprint.quote_name(k.name), ' = OLD.', fingerprint.quote_name(k.name),
                               IF(k.charset IS NULL, '',
                                  CONCAT(' AND BINARY ', v_on, '.', fingerprint.quote_name(k.name), ' = BINARY OLD.',
                                         fingerprint.quote_name(k.name))))
                        ORDER BY k.seq SEPARATOR ' AND '),
           GROUP_CONCAT(CONCAT(v_on, '.', fingerprint.quote_name(k.name), ' = NEW.', fingerprint.quote_name(k.name),
                               IF(k.charset IS NULL, '',
                                  CONCAT(' AND BINARY ', v_on, '.', fingerprint.quote_name(k.name), ' = BINARY NEW.',
                                         fingerprint.quote_name(k.name))))
                        ORDER BY k.seq SEPARATOR ' AND ')
      INTO v_key_same, v_old_where, v_new_where
      FROM JSON_TABLE(fingerprint.primary_key(p_schema, p_table), '$[*]' COLUMNS (
               seq FOR ORDINALITY, name VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.name',
               charset VARCHAR(64) CHARACTER SET utf8mb4 PATH '$.charset')) AS k;
    SELECT GROUP_CONCAT(DISTINCT CONCAT(v_on, '.', fingerprint.quote_name(COLUMN_NAME), ' <=> NEW.',
                                        fingerprint.quote_name(COLUMN_NAME)) SEPARATOR ' AND ')
      INTO v_unique
      FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
       AND BINARY TABLE_SCHEMA = BINARY p_schema AND BINARY TABLE_NAME = BINARY p_table
       AND INDEX_NAME <> 'PRIMARY' AND NON_UNIQUE = 0;
    SET v_unique = IF(v_unique IS NULL, '',
                      CONCAT(' AND EXISTS (SELECT 1 FROM ', v_on, ' WHERE ', v_new_where, ' AND ', v_unique, ')'));
    RETURN CONCAT('IF ', p_changed, ' AND ', v_key_same, v_unique, ' THEN ', p_log, '; ',
                  'ELSEIF ', p_changed_again, ' AND NOT EXISTS (SELECT 1 FROM ', v_on, ' WHERE ', v_old_where, ')', v_unique,
                  ' THEN ', p_log, '; ', v_else, 'END IF');
END//

-- The body of a capture trigger of the table p_on (quoted `db`.`tbl`): the one template
-- of all three, what follows FOR EACH ROW:
--
--   BEGIN
--     DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ... END;   -- the refusal, below
--     <p_statement>;                                          -- the INSERT into the log
--   END
--
-- A value the core refuses makes the UDF return "error: column ...", which the log's
-- CHECK constraint rejects (error 4025). Only then, the handler evaluates p_reason (an
-- expression calling the UDF again for the text) and fails the application's statement
-- with a message naming the table, the row, the column and the reason: the usual path
-- costs one handler push, no extra call. p_reason is in a SET of its own that runs only
-- for 4025: the server prepares a whole statement at once, so a UDF call in the other
-- branch would fail again, unnamed, inside the handler when the UDF's init refused
-- (1123, a column's kind changed). The handler keeps its text in the user
-- variables @fingerprint_errno and @fingerprint_refusal (left set in the session after a
-- refusal): local variables would be allocated on every row. The same handler turns the
-- server's own conversion errors (a column's type changed under the trigger: 1264, 1292,
-- 1366) into a message naming the table. Every other error on that path too (1300
-- invalid text after VARCHAR became VARBINARY, 1916 overflow, 1123 from the UDF's init,
-- a missing log table, ...), with the original text; only lock waits, deadlocks, kills
-- and statement timeouts are passed on untouched, so that applications still see (and
-- retry) them as such. One error ends the trigger quietly instead, leaving both user
-- variables NULL (no trace of it in the session): the log's CHECK
-- capture_unchanged (an update that changed nothing, whose call returned NULL; named in
-- the message whatever lc_messages says), since an update trigger logs such a row by not
-- logging it (capture_ddl_build). A session with max_error_count = 0 keeps no
-- diagnostics (GET DIAGNOSTICS then leaves its targets as they were, hence the SET to
-- NULL before it): then the handler asks p_reason, which is NULL
-- exactly when the call is (nothing changed; no other error can stop an INSERT that
-- fails at the CHECK but a kill or a timeout, which the server raises again at the next
-- row), and any other error fails with a message saying no diagnostics were kept (through
-- @fingerprint_refusal: SIGNAL takes only a literal or a variable, and the text, which
-- names the table, is capture_literal's, a CONCAT for a name with a backslash). That
-- test sits in a branch of its own (ELSEIF, then IF): the server prepares a condition
-- only when it is reached, and the UDF's init must not run again for an error that has
-- diagnostics (an init refusal would fail again, unnamed). The handler costs nothing
-- until an error is raised.
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_body//
CREATE FUNCTION fingerprint.capture_trigger_body(
    p_on TEXT CHARACTER SET utf8mb4,
    p_reason LONGTEXT CHARACTER SET utf8mb4,
    p_statement LONGTEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'the body of a capture trigger'
RETURN IF(p_on IS NULL, NULL, CONCAT(
    'BEGIN ',
    'DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN',
    ' SET @fingerprint_errno = NULL, @fingerprint_refusal = NULL;',
    ' GET DIAGNOSTICS CONDITION 1 @fingerprint_errno = MYSQL_ERRNO, @fingerprint_refusal = MESSAGE_TEXT;',
    ' IF @fingerprint_errno = 4025 AND LOCATE(''`capture_unchanged`'', @fingerprint_refusal) > 0 THEN',
    ' SET @fingerprint_errno = NULL, @fingerprint_refusal = NULL;',
    ' ELSEIF @fingerprint_errno IS NULL THEN',
    ' IF CONCAT(', p_reason, ') IS NULL THEN SET @fingerprint_refusal = NULL;',
    ' ELSE SET @fingerprint_refusal = ',
    fingerprint.capture_literal(CONCAT('capture of ', p_on, ' failed; the server kept no diagnostics (max_error_count = 0?)')), ';',
    ' SIGNAL SQLSTATE ''22023'' SET MESSAGE_TEXT = @fingerprint_refusal;',
    ' END IF;',
    ' ELSE',
    ' IF @fingerprint_errno IN (1205, 1213, 1317, 1969, 1927) THEN RESIGNAL; END IF;',
    ' IF @fingerprint_errno = 4025 THEN SET @fingerprint_refusal = LEFT(',
    'CONCAT(', fingerprint.capture_literal(CONCAT('capture of ', p_on, ' refused ')), ', ', p_reason, '), 512);',
    ' ELSE SET @fingerprint_refusal = LEFT(',
    'CONCAT(', fingerprint.capture_literal(CONCAT('capture of ', p_on, ' failed: ')), ', @fingerprint_refusal, ', QUOTE(' (error '),
    ', @fingerprint_errno, ',
    'CASE @fingerprint_errno',
    ' WHEN 1142 THEN ', QUOTE('; the definer of the capture triggers may not write fingerprint.change_log: grant it INSERT there, or enable capture again as an account that may)'),
    ' WHEN 1406 THEN ', QUOTE('; a value is longer than its column of fingerprint.change_log holds: did a column type change since capture was enabled? enable capture again)'),
    ' ELSE ', QUOTE('; did a column type change since capture was enabled? enable capture again)'), ' END), 512);',
    ' END IF;',
    ' SIGNAL SQLSTATE ''22023'' SET MESSAGE_TEXT = @fingerprint_refusal; END IF; END; ',
    p_statement, '; END'))//

-- The DDL of a capture trigger of db.tbl for p_op ('i', 'u', 'd'): CREATE OR REPLACE
-- TRIGGER under its name (capture_trigger_of), AFTER INSERT, UPDATE or DELETE, FOR EACH
-- ROW, then p_body (capture_trigger_body).
DROP FUNCTION IF EXISTS fingerprint.capture_trigger_ddl//
CREATE FUNCTION fingerprint.capture_trigger_ddl(
    p_schema VARCHAR(64) CHARACTER SET utf8mb4,
    p_table VARCHAR(64) CHARACTER SET utf8mb4,
    p_op CHAR(1) CHARACTER SET ascii,
    p_body LONGTEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'CREATE TRIGGER statement of a capture trigger'
RETURN CONCAT('CREATE OR REPLACE TRIGGER ', fingerprint.quote_name(p_schema), '.',
              fingerprint.quote_name(fingerprint.capture_trigger_of(p_schema, p_table, p_op)),
              ' AFTER ', ELT(LOCATE(p_op, 'iud'), 'INSERT', 'UPDATE', 'DELETE'), ' ON ',
              fingerprint.quote_name(p_schema), '.', fingerprint.quote_name(p_table), ' FOR EACH ROW ', p_body)//

-- A call of the capture UDF: fingerprint_capture_row(spec, arguments). The spec is named
-- after the table (`spec AS db.tbl`), so that the UDF's refusal in init (a column's kind
-- no longer fits its class) can name the table. NULL for a NULL spec, name or arguments.
DROP FUNCTION IF EXISTS fingerprint.capture_call//
CREATE FUNCTION fingerprint.capture_call(
    p_spec TEXT CHARACTER SET utf8mb4,
    p_name VARCHAR(129) CHARACTER SET utf8mb4,
    p_arguments LONGTEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'a fingerprint_capture_row call for a capture trigger'
RETURN IF(p_spec IS NULL, NULL,
          CONCAT('fingerprint_capture_row(', QUOTE(p_spec), ' AS ', fingerprint.quote_name(p_name), ', ', p_arguments, ')'))//

-- p_log (a capture trigger's INSERT into the log, whose value is p_call) for a session
-- that switched CHECK constraints off (check_constraint_checks = 0): then the log's
-- CHECK capture_refused_a_value does not stop a value the core refuses, and the INSERT
-- would log the refusal's text ("error: column ...") as the row's image while the
-- application's statement succeeds. So this tests the value itself first and raises the
-- error that CHECK raises (4025), which the trigger's handler turns into the refusal
-- naming the table, the row and the column (capture_trigger_body). Only that session
-- pays the second call.
DROP FUNCTION IF EXISTS fingerprint.capture_unchecked_log//
CREATE FUNCTION fingerprint.capture_unchecked_log(
    p_call LONGTEXT CHARACTER SET utf8mb4,
    p_log LONGTEXT CHARACTER SET utf8mb4)
RETURNS LONGTEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'a capture trigger''s log INSERT that tests the value itself'
RETURN CONCAT('IF LEFT(', p_call, ', 7) = ''error: '' THEN SIGNAL SQLSTATE ''23000'' SET MYSQL_ERRNO = 4025,',
              ' MESSAGE_TEXT = ''CONSTRAINT `capture_refused_a_value` failed (check_constraint_checks = 0)'';',
              ' ELSE ', p_log, '; END IF')//

-- capture_ddl_build writes into the temporary table fingerprint_capture_ddl what
-- CALL fingerprint.capture_ddl_with('db.tbl', 'enable' | 'disable', key_csv, old_images) returns:
-- one row per statement (column `statement`), in order, for a client to run one per query.
-- 'enable' registers the column list as a schema version (a new version when the columns,
-- key or options changed) and returns CREATE OR REPLACE TRIGGER for AFTER INSERT, UPDATE
-- and DELETE, then CALL fingerprint.capture_baseline. 'disable' returns DROP TRIGGER IF
-- EXISTS for the three and CALL fingerprint.capture_stopped. key_csv NULL = the primary key;
-- a table without one needs key_csv (NOT NULL columns that identify a row).
DROP PROCEDURE IF EXISTS fingerprint.capture_ddl_build//
CREATE PROCEDURE fingerprint.capture_ddl_build(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_action TEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_old_images BOOLEAN)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'writes the capture DDL into the temporary table fingerprint_capture_ddl'
BEGIN
    DECLARE v_schema, v_table, v_name, v_key, v_item, v_positions TEXT CHARACTER SET utf8mb4;
    DECLARE v_identity VARCHAR(3) CHARACTER SET ascii;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii;
    DECLARE v_plain, v_new, v_old, v_names LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_signature CHAR(32) CHARACTER SET ascii;
    DECLARE v_defs LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_count INT;
    DECLARE v_version INT UNSIGNED;
    DECLARE v_old_images BOOLEAN DEFAULT COALESCE(p_old_images, FALSE);
    DECLARE v_on, v_spec, v_insert TEXT CHARACTER SET utf8mb4;
    DECLARE v_new_call, v_update_call, v_deleted_call, v_update_log, v_log LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_insert_body, v_update_body, v_delete_body LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;

    IF p_action IS NULL OR p_action NOT IN ('enable', 'disable') THEN
        SET v_message = CONCAT('unknown capture action ', COALESCE(QUOTE(p_action), 'NULL'), ': use enable or disable');
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    -- disable also works for a registered table that no longer exists (renamed away).
    IF p_action = 'disable' AND p_table IS NOT NULL AND LOCATE('.', p_table) > 0
       AND EXISTS (SELECT 1 FROM fingerprint.capture_tables WHERE BINARY table_name = BINARY p_table) THEN
        SET v_schema = LEFT(p_table, LOCATE('.', p_table) - 1);
        SET v_table = SUBSTRING(p_table, LOCATE('.', p_table) + 1);
    ELSE
        CALL fingerprint.capture_resolve(p_table, v_schema, v_table);
    END IF;
    SET v_name = CONCAT(v_schema, '.', v_table);
    IF CHAR_LENGTH(v_name) > 129 THEN
        SET v_message = CONCAT('table name ', v_name, ' is too long');
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
    SET v_on = CONCAT(fingerprint.quote_name(v_schema), '.', fingerprint.quote_name(v_table));

    CREATE OR REPLACE TEMPORARY TABLE fingerprint_capture_ddl (
        n INT NOT NULL PRIMARY KEY,
        statement LONGTEXT CHARACTER SET utf8mb4 NOT NULL) ENGINE=InnoDB;

    IF p_action = 'disable' THEN
        -- Triggers of this very table with a capture trigger's name (this release's or
        -- 1.0's), and, when the table is registered, that registration's capture
        -- triggers wherever a RENAME TABLE moved them (fingerprint.capture_trigger_belongs:
        -- named for this table and logging under its name). Any other table's trigger is
        -- never dropped, whatever its name.
        INSERT INTO fingerprint_capture_ddl (n, statement)
        SELECT ROW_NUMBER() OVER (ORDER BY FIELD(EVENT_MANIPULATION, 'INSERT', 'UPDATE', 'DELETE'), TRIGGER_NAME),
               CONCAT('DROP TRIGGER IF EXISTS ', fingerprint.quote_name(v_schema), '.', fingerprint.quote_name(TRIGGER_NAME))
          FROM information_schema.TRIGGERS
         WHERE TRIGGER_SCHEMA = v_schema AND BINARY TRIGGER_SCHEMA = BINARY v_schema
           AND ((EVENT_OBJECT_TABLE = v_table AND BINARY EVENT_OBJECT_TABLE = BINARY v_table
                 AND BINARY TRIGGER_NAME IN (BINARY fingerprint.capture_trigger_name(v_table, 'i'),
                                             BINARY fingerprint.capture_trigger_name(v_table, 'u'),
                                             BINARY fingerprint.capture_trigger_name(v_table, 'd'),
                                             BINARY fingerprint.capture_trigger_name_1_0(v_table, 'i'),
                                             BINARY fingerprint.capture_trigger_name_1_0(v_table, 'u'),
                                             BINARY fingerprint.capture_trigger_name_1_0(v_table, 'd')))
                OR (EXISTS (SELECT 1 FROM fingerprint.capture_tables WHERE table_name = v_name)
                    AND fingerprint.capture_trigger_belongs(TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT,
                                                            v_table, v_name)));
        SET v_count = (SELECT COUNT(*) FROM fingerprint_capture_ddl);
        SET v_item = (SELECT GROUP_CONCAT(DISTINCT CONCAT(EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE) SEPARATOR ', ')
                        FROM information_schema.TRIGGERS
                       WHERE TRIGGER_SCHEMA = v_schema AND BINARY TRIGGER_SCHEMA = BINARY v_schema
                         AND NOT (BINARY EVENT_OBJECT_TABLE = BINARY v_table)
                         AND EXISTS (SELECT 1 FROM fingerprint.capture_tables WHERE table_name = v_name)
                         AND fingerprint.capture_trigger_belongs(TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT,
                                                                 v_table, v_name));
        INSERT INTO fingerprint_capture_ddl VALUES
            (v_count + 1, CONCAT('CALL fingerprint.capture_stopped(', fingerprint.capture_literal(v_name), ', ', v_count, ', ',
                                 fingerprint.capture_literal(v_item), ')'));
    ELSE
        -- A trigger of another table under one of the names: refuse (CREATE OR REPLACE
        -- would move it to this table).
        SET v_message = (SELECT CONCAT('cannot enable capture of ', v_name, ': trigger ',
                                       fingerprint.quote_name(TRIGGER_NAME), ' already exists on table ',
                                       EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE,
                                       CASE
                                           WHEN fingerprint.capture_trigger_belongs(TRIGGER_NAME, EVENT_MANIPULATION,
                                                                                    ACTION_STATEMENT, v_table, v_name)
                                           THEN CONCAT(': it is the capture trigger of ', v_name, ', moved to ',
                                                       EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE,
                                                       ' by RENAME TABLE, and it logs that table''s writes as ', v_name,
                                                       ': disable capture of ', v_name, ' first (that drops it where',
                                                       ' it is), then enable it, consume the log and re-copy ', v_name)
                                           WHEN LOCATE('fingerprint_capture_row(', ACTION_STATEMENT) > 0
                                                AND NOT (BINARY TRIGGER_NAME = BINARY fingerprint.capture_trigger_name(
                                                             EVENT_OBJECT_TABLE, LOWER(LEFT(EVENT_MANIPULATION, 1))))
                                                AND BINARY TRIGGER_NAME = BINARY fingerprint.capture_trigger_name_1_0(
                                                             EVENT_OBJECT_TABLE, LOWER(LEFT(EVENT_MANIPULATION, 1)))
                                           THEN '; capture needs that name for this table: rename or drop that trigger (it is that table''s capture trigger from fingerprint 1.0: disable and enable capture of that table once, and it gets a name of its own)'
                                           ELSE '; capture needs that name for this table: rename or drop that trigger'
                                       END)
                           FROM information_schema.TRIGGERS
                          WHERE TRIGGER_SCHEMA = v_schema AND BINARY TRIGGER_SCHEMA = BINARY v_schema
                            AND BINARY TRIGGER_NAME IN (BINARY fingerprint.capture_trigger_of(v_schema, v_table, 'i'),
                                                        BINARY fingerprint.capture_trigger_of(v_schema, v_table, 'u'),
                                                        BINARY fingerprint.capture_trigger_of(v_schema, v_table, 'd'))
                            AND NOT (BINARY EVENT_OBJECT_TABLE = BINARY v_table)
                          LIMIT 1);
        IF v_message IS NOT NULL THEN
            SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
        END IF;
        CALL fingerprint.capture_columns(v_schema, v_table, v_classes, v_plain, v_new, v_old, v_names,
                                         v_signature, v_count, v_defs);
        -- The key: the primary key, or the named columns; positions among all columns.
        CALL fingerprint.capture_key(v_schema, v_table, p_key, v_key, v_positions, v_identity);

        -- The schema version: the latest one if nothing changed, else a new one.
        CALL fingerprint.capture_register(v_schema, v_table, v_names, v_classes, v_key, v_identity, v_old_images,
                                          v_signature, v_defs, v_version);
        -- Unless the table is enabled with all three capture triggers (then CREATE OR
        -- REPLACE swaps each one and every change stays logged), the statements below
        -- leave a window where some changes are logged and others not: record where this
        -- enable's log rows begin, for the baseline (fingerprint.capture_enabling).
        IF NOT COALESCE((SELECT enabled FROM fingerprint.capture_state WHERE table_name = v_name), FALSE)
           OR LOCATE('-', fingerprint.capture_trigger_sha2(v_schema, v_table, FALSE)) > 0 THEN
            INSERT INTO fingerprint.capture_enabling (table_name, first_seq)
            SELECT v_name, COALESCE(AUTO_INCREMENT, (SELECT COALESCE(MAX(seq), 0) + 1 FROM fingerprint.change_log))
              FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'fingerprint' AND TABLE_NAME = 'change_log'
            ON DUPLICATE KEY UPDATE first_seq = LEAST(first_seq, VALUES(first_seq));
        END IF;

        -- The three triggers, made from one template (capture_trigger_body): each logs its
        -- row with one call of the capture UDF, whose spec is the default algorithm, the
        -- class letters and the key's positions ('!': the key alone, for a DELETE without
        -- old images; "+old": NEW's and OLD's columns, for an UPDATE). One statement, one
        -- UDF call each; the INSERT names only the columns without a default that fits
        -- (the log's session_id and has_old_image have one), since MariaDB prepares every
        -- item again for each row. UPDATE: the call yields both sides and the changed
        -- columns in one value (an update row), or NULL when no column changed (compared
        -- as bytes); changed_columns stays NULL (the views read the list from the update
        -- row), and nothing is logged for a row UPDATE IGNORE skipped
        -- (capture_update_statement). Since 1.5 the INSERT holds the call itself: a NULL
        -- (nothing changed) fails the log's CHECK capture_unchanged, and the handler
        -- (capture_trigger_body) ends the trigger quietly for that error alone. Why not a
        -- variable: MariaDB rewrites every statement that reads a local variable into
        -- NAME_CONST('var', <value>) text before running it (sp_instr_stmt::execute,
        -- subst_spvars), escaping the whole update row each time: 10 % of a captured
        -- UPDATE's server time (bench/RESULTS.md, "MariaDB capture in 1.5"). Never a user
        -- variable: it would keep both row images readable by the session after the
        -- statement (even after a ROLLBACK), nor a local variable in a branch that does
        -- not run: the server allocates every variable of the trigger for each row
        -- (sp_rcontext::create, 5 % of the UPDATE). A session can switch CHECK
        -- constraints off (check_constraint_checks = 0): then that INSERT is skipped and
        -- the ELSE branch tests the call's value itself (calling it again to log it), so
        -- no session setting makes an update that changed nothing log a row; the usual
        -- path runs one IF and one INSERT. The statements sit inside the handler's scope,
        -- so that the call's errors reach the handler; the handler calls the UDF again
        -- for a refusal's text.
        SET v_spec = CONCAT(fingerprint.checked_algorithm(NULL), ':', v_classes, '/', v_positions);
        SET v_new_call = fingerprint.capture_call(v_spec, v_name, v_new);
        SET v_update_call = fingerprint.capture_call(CONCAT(v_spec, '+old'), v_name, CONCAT(v_new, ', ', v_old));
        SET v_deleted_call = fingerprint.capture_call(IF(v_old_images, v_spec, CONCAT(v_spec, '!')), v_name, v_old);
        SET v_insert = 'INSERT INTO fingerprint.change_log (op, table_name, schema_version, ';
        SET v_log = CONCAT(v_insert, 'capture_new) VALUES (''I'', ', fingerprint.capture_literal(v_name), ', ',
                            v_version, ', ', v_new_call, ')');
        SET v_insert_body = fingerprint.capture_trigger_body(v_on,
            CONCAT('''the new row: '', SUBSTRING(', v_new_call, ', 8)'),
            CONCAT('IF @@check_constraint_checks THEN ', v_log, '; ELSE ',
                   fingerprint.capture_unchecked_log(v_new_call, v_log), '; END IF'));
        SET v_update_log = CONCAT(v_insert, IF(v_old_images, 'has_old_image, ', ''), 'capture_new) VALUES (''U'', ',
                                  fingerprint.capture_literal(v_name), ', ', v_version, ', ', IF(v_old_images, 'TRUE, ', ''),
                                  v_update_call, ')');
        SET v_update_body = fingerprint.capture_update_statement(v_schema, v_table,
            p_key IS NULL AND v_identity = 'key', CONCAT(v_update_call, ' IS NOT NULL'),
            CONCAT(v_update_call, ' IS NOT NULL'), fingerprint.capture_unchecked_log(v_update_call, v_update_log), NULL);
        SET v_update_body = fingerprint.capture_trigger_body(v_on, CONCAT('SUBSTRING(', v_update_call, ', 8)'),
            fingerprint.capture_update_statement(v_schema, v_table, p_key IS NULL AND v_identity = 'key',
                '@@check_constraint_checks', '@@check_constraint_checks', v_update_log,
                CONCAT('IF NOT @@check_constraint_checks THEN ', v_update_body, '; END IF')));
        SET v_log = CONCAT(v_insert, IF(v_old_images, 'has_old_image, ', ''), 'capture_old) VALUES (''D'', ',
                            fingerprint.capture_literal(v_name), ', ', v_version, ', ', IF(v_old_images, 'TRUE, ', ''),
                            v_deleted_call, ')');
        SET v_delete_body = fingerprint.capture_trigger_body(v_on,
            CONCAT('''the deleted row: '', SUBSTRING(', v_deleted_call, ', 8)'),
            CONCAT('IF @@check_constraint_checks THEN ', v_log, '; ELSE ',
                   fingerprint.capture_unchecked_log(v_deleted_call, v_log), '; END IF'));
        INSERT INTO fingerprint_capture_ddl VALUES
            (1, fingerprint.capture_trigger_ddl(v_schema, v_table, 'i', v_insert_body)),
            (2, fingerprint.capture_trigger_ddl(v_schema, v_table, 'u', v_update_body)),
            (3, fingerprint.capture_trigger_ddl(v_schema, v_table, 'd', v_delete_body));
        -- The baseline gets the SHA2 of the three bodies (in capture_trigger_sha2's
        -- normalized form), checks the triggers it finds against them and registers the
        -- hashes of their exact bodies for next_batch's check.
        SET v_item = CONCAT_WS(' ', SHA2(REPLACE(REPLACE(v_insert_body, '\\', ''), '''', ''), 256),
                                    SHA2(REPLACE(REPLACE(v_update_body, '\\', ''), '''', ''), 256),
                                    SHA2(REPLACE(REPLACE(v_delete_body, '\\', ''), '''', ''), 256));
        INSERT INTO fingerprint_capture_ddl VALUES
        (4, CONCAT('CALL fingerprint.capture_baseline(', fingerprint.capture_literal(v_name), ', ', v_version, ', ',
                   fingerprint.capture_literal(v_item), ')'));
    END IF;
END//

DROP PROCEDURE IF EXISTS fingerprint.capture_ddl_with//
CREATE PROCEDURE fingerprint.capture_ddl_with(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_action TEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_old_images BOOLEAN)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'trigger DDL to enable/disable change capture of a table'
BEGIN
    CALL fingerprint.capture_ddl_build(p_table, p_action, p_key, p_old_images);
    SELECT statement FROM fingerprint_capture_ddl ORDER BY n;
    DROP TEMPORARY TABLE fingerprint_capture_ddl;
END//

-- CALL fingerprint.capture_ddl('db.tbl', 'enable' | 'disable'): capture_ddl_with with the
-- primary key and without old images.
DROP PROCEDURE IF EXISTS fingerprint.capture_ddl//
CREATE PROCEDURE fingerprint.capture_ddl(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_action TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'trigger DDL to enable/disable change capture of a table'
CALL fingerprint.capture_ddl_with(p_table, p_action, NULL, FALSE)//

-- CALL fingerprint.capture_apply_with('db.tbl', 'enable' | 'disable', key_csv, old_images):
-- runs the statements of capture_ddl_with itself (MariaDB 10.11 prepares CREATE TRIGGER;
-- MySQL 8 does not: use capture_ddl and a client there). Returns what the last one returns.
DROP PROCEDURE IF EXISTS fingerprint.capture_apply_with//
CREATE PROCEDURE fingerprint.capture_apply_with(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_action TEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_old_images BOOLEAN)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'enables/disables change capture of a table (runs capture_ddl_with)'
BEGIN
    DECLARE v_n INT DEFAULT 1;
    DECLARE v_last INT;
    DECLARE v_schema, v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_fresh BOOLEAN DEFAULT FALSE;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    -- All or nothing: a failed enable of a table that was not captured drops the triggers
    -- it created (capture_baseline does the same for its own failure).
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        GET DIAGNOSTICS CONDITION 1 v_message = MESSAGE_TEXT;
        SET @fingerprint_apply_sql = NULL;
        DROP TEMPORARY TABLE IF EXISTS fingerprint_capture_ddl;
        IF v_fresh AND v_n <= v_last THEN
            CALL fingerprint.capture_drop_triggers(v_schema, v_table);
            IF LEFT(v_message, 25) <> 'cannot enable capture of ' THEN
                SET v_message = LEFT(CONCAT('cannot enable capture of ', v_schema, '.', v_table, ': ', v_message,
                                            ' (its capture triggers were dropped again: nothing is captured)'), 512);
            END IF;
            RESIGNAL SET MESSAGE_TEXT = v_message;
        END IF;
        RESIGNAL;
    END;
    CALL fingerprint.capture_ddl_build(p_table, p_action, p_key, p_old_images);
    IF p_action = 'enable' THEN
        CALL fingerprint.capture_resolve(p_table, v_schema, v_table);
        SET v_fresh = NOT COALESCE((SELECT enabled FROM fingerprint.capture_state
                                     WHERE table_name = CONCAT(v_schema, '.', v_table)), FALSE);
    END IF;
    SET v_last = (SELECT MAX(n) FROM fingerprint_capture_ddl);
    WHILE v_n <= v_last DO
        SET @fingerprint_apply_sql = (SELECT statement FROM fingerprint_capture_ddl WHERE n = v_n);
        PREPARE fingerprint_apply_statement FROM @fingerprint_apply_sql;
        EXECUTE fingerprint_apply_statement;
        DEALLOCATE PREPARE fingerprint_apply_statement;
        SET v_n = v_n + 1;
    END WHILE;
    SET @fingerprint_apply_sql = NULL;
    DROP TEMPORARY TABLE fingerprint_capture_ddl;
END//

DROP PROCEDURE IF EXISTS fingerprint.capture_apply//
CREATE PROCEDURE fingerprint.capture_apply(
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_action TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'enables/disables change capture of a table with its primary key'
CALL fingerprint.capture_apply_with(p_table, p_action, NULL, FALSE)//

-- -------------------------------------------------------------- sql/mysql/src/capture_state.sql
-- ==== Capture state: baseline, stopped, check (the log-adjusted fingerprints) ====

-- The table's fingerprint (all columns, the default algorithm) into @fingerprint_capture_fp, read in the
-- caller's transaction (its snapshot); time_zone pinned to UTC as table_fingerprint does.
DROP PROCEDURE IF EXISTS fingerprint.capture_table_fp//
CREATE PROCEDURE fingerprint.capture_table_fp(IN p_schema TEXT CHARACTER SET utf8mb4,
                                              IN p_table TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'table fingerprint into @fingerprint_capture_fp'
BEGIN
    DECLARE v_saved_time_zone VARCHAR(64) CHARACTER SET utf8mb4 DEFAULT @@session.time_zone;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii;
    DECLARE v_plain, v_new, v_old, v_names LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_signature CHAR(32) CHARACTER SET ascii;
    DECLARE v_defs LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_count INT;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION time_zone = v_saved_time_zone;
        SET @fingerprint_sql = NULL;
        RESIGNAL;
    END;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'capture_table_fp');
    CALL fingerprint.capture_columns(p_schema, p_table, v_classes, v_plain, v_new, v_old, v_names,
                                     v_signature, v_count, v_defs);
    SET @fingerprint_sql = CONCAT('SELECT fingerprint.checked(fingerprint_agg(''', fingerprint.checked_algorithm(NULL), ':', v_classes, ''', ', v_plain,
                                  ')) INTO @fingerprint_capture_fp FROM ', fingerprint.quote_name(p_schema), '.',
                                  fingerprint.quote_name(p_table));
    SET SESSION time_zone = '+00:00';
    PREPARE fingerprint_capture_statement FROM @fingerprint_sql;
    EXECUTE fingerprint_capture_statement;
    DEALLOCATE PREPARE fingerprint_capture_statement;
    SET SESSION time_zone = v_saved_time_zone;
    SET @fingerprint_sql = NULL;
END//

-- Last statement of the 'enable' DDL: marks the table captured with schema version
-- p_version and sets its log-adjusted fingerprint: in one snapshot taken after every
-- trigger exists, table_fingerprint minus the table's changes already in the log.
-- When the DDL created a trigger the table lacked (fingerprint.capture_enabling), the
-- table's rows logged since capture_ddl and committed in that snapshot are deleted first:
-- they were logged while the table had only some of its triggers, so a change that
-- followed one of them may be missing (a row inserted with the INSERT trigger and
-- deleted before the DELETE trigger existed); replayed onto a copy taken after the
-- enable, which holds their effect, they would bring such a row back. Every transaction
-- that wrote in that window has ended (each CREATE TRIGGER waits for them), so all of
-- them are in that snapshot; rows of an open batch are left to its consumer.
-- Must run outside a transaction (it commits). All or nothing: when it fails for a table
-- that was not captured before, it drops the triggers the enable DDL had just created
-- (else the application's writes would run them with no registration behind them), and
-- the message names the table.
DROP PROCEDURE IF EXISTS fingerprint.capture_baseline//
CREATE PROCEDURE fingerprint.capture_baseline(IN p_table TEXT CHARACTER SET utf8mb4, IN p_version INT UNSIGNED,
                                              IN p_triggers VARCHAR(200) CHARACTER SET ascii)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'registers a captured table and its log-adjusted fingerprint'
BEGIN
    DECLARE v_schema, v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_name VARCHAR(129) CHARACTER SET utf8mb4;
    DECLARE v_adjusted VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE v_fresh BOOLEAN DEFAULT FALSE;
    DECLARE v_triggers VARCHAR(200) CHARACTER SET utf8mb4;
    DECLARE v_count BIGINT;
    DECLARE v_first_seq BIGINT UNSIGNED;
    DECLARE v_seqs, v_open LONGTEXT CHARACTER SET ascii;
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        GET DIAGNOSTICS CONDITION 1 v_message = MESSAGE_TEXT;
        ROLLBACK;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        IF v_name IS NULL THEN
            RESIGNAL;
        END IF;
        IF v_fresh THEN
            CALL fingerprint.capture_drop_triggers(v_schema, v_table);
        END IF;
        SET v_message = LEFT(CONCAT('cannot enable capture of ', v_name, ': ', v_message,
                                    IF(v_fresh, ' (its capture triggers were dropped again: nothing is captured)',
                                       ' (capture stays on with its previous registration)')), 512);
        RESIGNAL SET MESSAGE_TEXT = v_message;
    END;
    CALL fingerprint.check_outside_transaction('capture_baseline');
    CALL fingerprint.check_argument(p_version IS NOT NULL, 'capture_baseline needs a schema version');
    CALL fingerprint.check_argument(p_triggers IS NOT NULL, 'capture_baseline needs the trigger hashes capture_ddl gives it');
    CALL fingerprint.capture_resolve(p_table, v_schema, v_table);
    SET v_fresh = NOT COALESCE((SELECT enabled FROM fingerprint.capture_state
                                 WHERE table_name = CONCAT(v_schema, '.', v_table)), FALSE);
    SET v_name = CONCAT(v_schema, '.', v_table);
    IF NOT EXISTS (SELECT 1 FROM fingerprint.capture_tables WHERE table_name = v_name AND schema_version = p_version) THEN
        SET v_message = CONCAT('no schema version ', p_version, ' for ', v_name, ': run capture_ddl again');
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    -- The triggers on the table now are exactly the ones capture_ddl generated.
    SET v_triggers = fingerprint.capture_trigger_sha2(v_schema, v_table, FALSE);
    IF NOT (BINARY fingerprint.capture_trigger_sha2(v_schema, v_table, TRUE) <=> BINARY p_triggers) THEN
        SET v_message = CONCAT('its capture triggers are not the ones capture_ddl generated (a statement of the',
                               ' enable was not run, or a trigger was replaced since): run every statement of',
                               ' capture_ddl again, in order');
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
    END IF;
    START TRANSACTION;
    INSERT INTO fingerprint.capture_state
        (table_name, schema_version, column_names, column_classes, key_columns, old_images, enabled, fingerprint, enabled_at,
         trigger_sha2)
    SELECT table_name, schema_version, column_names, column_classes, key_columns, old_images, TRUE, NULL, NOW(6),
           v_triggers
      FROM fingerprint.capture_tables WHERE table_name = v_name AND schema_version = p_version
    ON DUPLICATE KEY UPDATE schema_version = VALUES(schema_version), column_names = VALUES(column_names),
        column_classes = VALUES(column_classes), key_columns = VALUES(key_columns), old_images = VALUES(old_images),
        enabled = TRUE, enabled_at = VALUES(enabled_at), trigger_sha2 = VALUES(trigger_sha2);
    -- The row lock above orders us after any finish_batch; the snapshot starts below.
    CALL fingerprint.capture_table_fp(v_schema, v_table);
    -- The rows this enable's triggers logged before all three existed (read in the
    -- snapshot, deleted by seq: no lock on rows or gaps other writers need).
    SET v_first_seq = (SELECT first_seq FROM fingerprint.capture_enabling WHERE table_name = v_name);
    IF v_first_seq IS NOT NULL THEN
        SET SESSION group_concat_max_len = 1073741824;
        SET v_open = COALESCE((SELECT seqs FROM fingerprint.capture_batches WHERE finished_at IS NULL
                                ORDER BY batch_id LIMIT 1), '[]');
        SELECT JSON_ARRAYAGG(c.seq) INTO v_seqs FROM fingerprint.change_log c
         WHERE c.seq >= v_first_seq AND c.table_name = v_name
           AND c.seq NOT IN (SELECT j.seq FROM JSON_TABLE(v_open, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j);
        SET SESSION group_concat_max_len = v_saved_gc_len;
        IF v_seqs IS NOT NULL THEN
            DELETE c FROM fingerprint.change_log c
              JOIN JSON_TABLE(v_seqs, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j ON c.seq = j.seq;
        END IF;
        DELETE FROM fingerprint.capture_enabling WHERE table_name = v_name;
    END IF;
    -- Subtract the logged changes: each one reversed (I <-> D, old <-> new).
    SELECT fingerprint_advance(@fingerprint_capture_fp, CASE op WHEN 'I' THEN 'D' WHEN 'D' THEN 'I' ELSE op END,
                               new_fingerprint, old_fingerprint)
      INTO v_adjusted FROM fingerprint.change_log WHERE table_name = v_name;
    SET v_adjusted = COALESCE(v_adjusted, @fingerprint_capture_fp);
    IF LEFT(v_adjusted, 7) = 'error: ' THEN
        SET v_message = CONCAT('capture baseline: ', v_adjusted);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    UPDATE fingerprint.capture_state SET fingerprint = v_adjusted WHERE table_name = v_name;
    COMMIT;
    -- Rows of earlier versions still waiting under this name (a table dropped and created
    -- again, or captured again after a disable) are said so in the status.
    SELECT COUNT(*), GROUP_CONCAT(DISTINCT schema_version ORDER BY schema_version SEPARATOR ', ')
      INTO v_count, v_message
      FROM fingerprint.change_log WHERE table_name = v_name AND schema_version <> p_version;
    -- A table captured with whole-row identity says so (no primary or unique key).
    SELECT v_name AS table_name, p_version AS schema_version,
           IF(v_count = 0, IF((SELECT identity FROM fingerprint.capture_tables
                                WHERE table_name = v_name AND schema_version = p_version) = 'row',
                              'capture enabled with whole-row identity (no primary key or usable unique key: a replayer applies its changes as a multiset)',
                              'capture enabled'),
              LEFT(CONCAT('capture enabled (schema version ', p_version, '); the log still holds ', v_count,
                          ' changes of ', v_name, ' under schema version ', v_message,
                          ', from before: a replayer applies them as that version''s rows (columns and key as',
                          ' registered for it), before this version''s'), 512)) AS status;
END//

-- Last statement of the 'disable' DDL: the table is no longer captured (its log rows stay
-- for the consumer). p_dropped: how many triggers the DDL dropped; p_moved: the tables a
-- RENAME TABLE had moved some of them to (NULL: none). The status says when nothing was
-- dropped.
DROP PROCEDURE IF EXISTS fingerprint.capture_stopped//
CREATE PROCEDURE fingerprint.capture_stopped(IN p_table TEXT CHARACTER SET utf8mb4, IN p_dropped INT,
                                             IN p_moved TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'marks a table as no longer captured'
BEGIN
    DECLARE v_left TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF p_table IS NULL OR p_table = '' THEN
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'no table name given: pass ''db.table''';
    END IF;
    -- Never "disabled" while capture triggers of the table still log: no check would
    -- cover what they write (the disable DDL drops them first).
    SET v_left = fingerprint.capture_trigger_tables(p_table);
    IF v_left IS NOT NULL THEN
        SET v_message = LEFT(CONCAT('cannot mark ', p_table, ' as not captured: its capture triggers still exist on ',
                                    v_left, ': run every statement of CALL fingerprint.capture_ddl(',
                                    QUOTE(p_table), ', ''disable'') (they drop them first)'), 512);
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
    END IF;
    UPDATE fingerprint.capture_state SET enabled = FALSE, fingerprint = NULL WHERE BINARY table_name = BINARY p_table;
    SELECT p_table AS table_name,
           CASE
               WHEN p_dropped IS NULL THEN 'capture disabled'
               WHEN p_dropped = 0 THEN CONCAT('capture disabled, but no capture trigger of ', p_table,
                                              ' was found to drop (dropped already, or this account lacks the',
                                              ' TRIGGER privilege that information_schema needs to show them)')
               WHEN p_moved IS NOT NULL THEN CONCAT('capture disabled: ', p_dropped, ' triggers dropped, found on ',
                                                    p_moved, ' (moved there by RENAME TABLE; their writes were',
                                                    ' logged as ', p_table, ': re-copy ', p_table, ' after enabling again)')
               ELSE CONCAT('capture disabled: ', p_dropped, ' triggers dropped')
           END AS status;
END//

-- CALL fingerprint.capture_check('db.tbl'): in one consistent snapshot, compares the
-- table's fingerprint with its log-adjusted fingerprint advanced over its logged changes.
-- Returns one row (table_name, status, table_fingerprint, logged_fingerprint, log_rows)
-- when they agree; SIGNALs SQLSTATE 45000 naming the table when they do not (a TRUNCATE,
-- an InnoDB foreign-key cascade, a partition operation or a write while the triggers were
-- dropped changed rows the triggers never saw); refuses as next_batch does (SQLSTATE
-- 55000, capture_verify_table) when its triggers are not on it or its columns changed
-- since enable. Reads the whole table. Must run outside a transaction.
DROP PROCEDURE IF EXISTS fingerprint.capture_check//
CREATE PROCEDURE fingerprint.capture_check(IN p_table TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'detects changes the capture triggers did not see'
BEGIN
    DECLARE v_schema, v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_name VARCHAR(129) CHARACTER SET utf8mb4;
    DECLARE v_start, v_logged VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE v_rows BIGINT;
    DECLARE v_enabled BOOLEAN;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        RESIGNAL;
    END;
    CALL fingerprint.check_outside_transaction('capture_check');
    CALL fingerprint.capture_resolve(p_table, v_schema, v_table);
    SET v_name = CONCAT(v_schema, '.', v_table);
    SELECT enabled INTO v_enabled FROM fingerprint.capture_state WHERE table_name = v_name;
    IF v_enabled IS NULL OR NOT v_enabled THEN
        SET v_message = CONCAT('table ', v_name, ' is not captured: enable it with fingerprint.capture_ddl');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;
    -- Its triggers on this very table, its columns as registered (what next_batch checks).
    CALL fingerprint.capture_verify_table('capture_check', v_name);
    START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY;
    SELECT fingerprint INTO v_start FROM fingerprint.capture_state WHERE table_name = v_name;
    CALL fingerprint.capture_table_fp(v_schema, v_table);
    SELECT fingerprint_advance(v_start, op, old_fingerprint, new_fingerprint), COUNT(*)
      INTO v_logged, v_rows FROM fingerprint.change_log WHERE table_name = v_name;
    COMMIT;
    SET v_logged = COALESCE(v_logged, v_start);
    IF v_logged IS NULL OR NOT (v_logged <=> @fingerprint_capture_fp) THEN
        SET v_message = LEFT(CONCAT('capture check of ', v_name, ' FAILED: the table has ', @fingerprint_capture_fp,
                               ' but the capture log accounts for ', COALESCE(v_logged, 'nothing'),
                               ': rows changed without firing the capture triggers (TRUNCATE, foreign-key ',
                               'cascade, partition operation, or writes while capture was off), or were logged',
                               ' wrong while its columns, keys or engine differed from the registration',
                               ' (ALTER TABLE and back); re-copy ', v_name), 512);
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;
    SELECT v_name AS table_name, 'ok' AS status, @fingerprint_capture_fp AS table_fingerprint,
           v_logged AS logged_fingerprint, v_rows AS log_rows;
END//

-- -------------------------------------------------------------- sql/mysql/src/consumption.sql
-- ==== Consumption: the consumer lock, next_batch, batch_changes, finish_batch, monitoring ====

-- The consumer lock: next_batch and finish_batch serialize on the row lock of this one
-- row, taken with UPDATE in their own transaction, so only an account with UPDATE on
-- fingerprint.consumer_lock (the consumer's privilege, docs/mysql.md) can hold it; a
-- server-wide GET_LOCK could be taken and held by any account at all.
CREATE TABLE IF NOT EXISTS fingerprint.consumer_lock (
    id TINYINT UNSIGNED NOT NULL,
    calls BIGINT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
  COMMENT='one row: its lock serializes next_batch and finish_batch'//

INSERT IGNORE INTO fingerprint.consumer_lock (id) VALUES (1)//

-- Takes the consumer lock in the caller's open transaction (released by its COMMIT or
-- ROLLBACK); waits up to innodb_lock_wait_timeout. p_caller names the procedure.
DROP PROCEDURE IF EXISTS fingerprint.consumer_lock_take//
CREATE PROCEDURE fingerprint.consumer_lock_take(IN p_caller VARCHAR(64) CHARACTER SET utf8mb4)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'takes the row lock that serializes next_batch and finish_batch'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF NOT @@in_transaction THEN
        SIGNAL SQLSTATE '25000' SET MESSAGE_TEXT = 'fingerprint.consumer_lock_take must be called inside a transaction';
    END IF;
    UPDATE fingerprint.consumer_lock SET calls = calls + 1 WHERE id = 1;
    IF ROW_COUNT() <> 1 THEN
        SET v_message = CONCAT(COALESCE(p_caller, 'consumer'), ': the row of fingerprint.consumer_lock is missing;',
                               ' run sql/mysql/install.sql again');
        SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- Refuses (SQLSTATE 55000, message starting with p_caller) while the capture of an
-- enabled table is not what its registration says, since MariaDB has no DDL triggers:
-- - its three capture triggers are not all on that very table: RENAME TABLE moves
--   triggers with the table, and their bodies keep logging under the old name (a
--   gh-ost-style swap: the renamed table's writes logged under the registration, the new
--   table's writes not captured at all);
-- - its column definitions differ from the registered schema version: after ALTER TABLE
--   the triggers keep the old value classes and conversions and can log wrong values.
-- information_schema shows triggers only to accounts with the TRIGGER privilege on their
-- table, so capture counts as intact only when all three are seen on the right table;
-- when none is seen the message says they are missing or hidden from this account.
-- The columns are read as capture_columns reads them (SELECT on every column needed).
-- next_batch calls it after its snapshot has started: a change logged after a rename or
-- ALTER this check did not see is not in the snapshot, so never in the batch.
DROP PROCEDURE IF EXISTS fingerprint.capture_verify//
CREATE PROCEDURE fingerprint.capture_verify(IN p_caller VARCHAR(64) CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'refuses while a captured table was renamed or altered since enable'
BEGIN
    DECLARE v_refused LONGTEXT CHARACTER SET utf8mb4;
    CALL fingerprint.capture_verify_all(p_caller, FALSE, v_refused);
END//

-- capture_verify, and with p_collect the per-table form next_batch_per_table uses: a
-- table whose check refuses does not refuse the call, its refusal is collected in
-- p_refused instead (a JSON array of [table, message] pairs, NULL when none), and the
-- caller must not apply that table's changes. Capture triggers of a registration that
-- is not enabled refuse either way (no table of a consumer stands for them).
DROP PROCEDURE IF EXISTS fingerprint.capture_verify_all//
CREATE PROCEDURE fingerprint.capture_verify_all(IN p_caller VARCHAR(64) CHARACTER SET utf8mb4,
                                                IN p_collect BOOLEAN,
                                                OUT p_refused LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'capture_verify; with p_collect, per-table refusals are returned, not raised'
BEGIN
    DECLARE v_name VARCHAR(129) CHARACTER SET utf8mb4;
    DECLARE v_left TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    SET p_refused = NULL;
    SET v_name = (SELECT MIN(table_name) FROM fingerprint.capture_state WHERE enabled);
    WHILE v_name IS NOT NULL DO
        IF p_collect THEN
            BEGIN
                DECLARE EXIT HANDLER FOR SQLSTATE '55000'
                BEGIN
                    GET DIAGNOSTICS CONDITION 1 v_message = MESSAGE_TEXT;
                    SET p_refused = JSON_ARRAY_APPEND(COALESCE(p_refused, JSON_ARRAY()), '$',
                                                      JSON_ARRAY(v_name, v_message));
                END;
                CALL fingerprint.capture_verify_table(p_caller, v_name);
            END;
        ELSE
            CALL fingerprint.capture_verify_table(p_caller, v_name);
        END IF;
        SET v_name = (SELECT MIN(table_name) FROM fingerprint.capture_state WHERE enabled AND table_name > v_name);
    END WHILE;
    -- Capture triggers of a registration that is not enabled (an enable killed or failed
    -- before its baseline committed, or capture_stopped called while they remained):
    -- they log writes that no check covers.
    SET v_name = (SELECT MIN(t.table_name) FROM fingerprint.capture_tables t
                   WHERE NOT EXISTS (SELECT 1 FROM fingerprint.capture_state s
                                      WHERE s.table_name = t.table_name AND s.enabled));
    WHILE v_name IS NOT NULL DO
        SET v_left = fingerprint.capture_trigger_tables(v_name);
        IF v_left IS NOT NULL THEN
            SET v_message = LEFT(CONCAT(COALESCE(p_caller, 'capture_verify'), ' refused: capture triggers of ', v_name,
                                        ' exist on ', v_left, ' but its capture is not enabled (an enable that did',
                                        ' not finish, or marked disabled while they remained), so what they log is',
                                        ' checked by nothing: run every statement of capture_ddl(', QUOTE(v_name),
                                        ', ''enable'') again (or of ''disable''), consume past that point and',
                                        ' re-copy it'), 512);
            SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
        END IF;
        SET v_name = (SELECT MIN(t.table_name) FROM fingerprint.capture_tables t
                       WHERE t.table_name > v_name
                         AND NOT EXISTS (SELECT 1 FROM fingerprint.capture_state s
                                          WHERE s.table_name = t.table_name AND s.enabled));
    END WHILE;
END//

-- capture_verify for one registered table ('db.tbl', enabled in capture_state).
DROP PROCEDURE IF EXISTS fingerprint.capture_verify_table//
CREATE PROCEDURE fingerprint.capture_verify_table(IN p_caller VARCHAR(64) CHARACTER SET utf8mb4,
                                                  IN p_name VARCHAR(129) CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'refuses if a captured table was renamed or altered since enable'
BEGIN
    DECLARE v_name VARCHAR(129) CHARACTER SET utf8mb4 DEFAULT p_name;
    DECLARE v_schema, v_table, v_moved, v_key, v_columns TEXT CHARACTER SET utf8mb4;
    DECLARE v_version INT UNSIGNED;
    DECLARE v_old_images BOOLEAN;
    DECLARE v_seen INT;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii;
    DECLARE v_plain, v_new, v_old, v_names, v_defs, v_registered LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_signature CHAR(32) CHARACTER SET ascii;
    DECLARE v_count INT;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE v_what VARCHAR(64) CHARACTER SET utf8mb4 DEFAULT COALESCE(p_caller, 'capture_verify');
    IF p_name IS NULL OR LOCATE('.', p_name) = 0 THEN
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'fingerprint.capture_verify_table: pass a registered ''db.table''';
    END IF;
        SET v_schema = LEFT(v_name, LOCATE('.', v_name) - 1);
        SET v_table = SUBSTRING(v_name, LOCATE('.', v_name) + 1);
        SET v_seen = (SELECT COUNT(DISTINCT EVENT_MANIPULATION) FROM information_schema.TRIGGERS
                       WHERE TRIGGER_SCHEMA = v_schema AND EVENT_OBJECT_TABLE = v_table
                         AND BINARY TRIGGER_SCHEMA = BINARY v_schema AND BINARY EVENT_OBJECT_TABLE = BINARY v_table
                         AND fingerprint.capture_trigger_belongs(TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT,
                                                                 v_table, v_name));
        IF v_seen < 3 THEN
            SET v_moved = (SELECT GROUP_CONCAT(DISTINCT CONCAT(EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE) SEPARATOR ', ')
                             FROM information_schema.TRIGGERS
                            WHERE TRIGGER_SCHEMA = v_schema AND BINARY TRIGGER_SCHEMA = BINARY v_schema
                              AND NOT (BINARY EVENT_OBJECT_TABLE = BINARY v_table)
                              AND fingerprint.capture_trigger_belongs(TRIGGER_NAME, EVENT_MANIPULATION,
                                                                      ACTION_STATEMENT, v_table, v_name));
            IF v_moved IS NOT NULL THEN
                SET v_message = CONCAT(v_what, ' refused: capture triggers of ', v_name, ' are on ', v_moved,
                                       ' (RENAME TABLE moved them; they log that table''s writes as ', v_name,
                                       ', and writes to ', v_name, ' are not captured): disable capture of ', v_name,
                                       ', enable it again, consume past that point and re-copy ', v_name);
            ELSEIF v_seen > 0 THEN
                SET v_message = CONCAT(v_what, ' refused: ', 3 - v_seen, ' of the 3 capture triggers of ', v_name,
                                       ' are missing, so some of its changes were not captured: enable capture of ',
                                       v_name, ' again, consume past that point and re-copy it');
            ELSE
                SET v_message = CONCAT(v_what, ' refused: no capture trigger of ', v_name, ' is visible: they were',
                                       ' dropped or moved, or this account lacks the TRIGGER privilege on it',
                                       ' (information_schema shows triggers only with it; the consumer needs it',
                                       ' on every captured table)');
            END IF;
            SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
        END IF;
        -- Each trigger's whole body as enable created it (a trigger replaced under its name,
        -- or one that keeps only the fragment capture_trigger_belongs looks for, logs
        -- nothing or something else).
        SET v_key = (SELECT trigger_sha2 FROM fingerprint.capture_state WHERE table_name = v_name);
        IF v_key IS NOT NULL THEN
            SET v_columns = fingerprint.capture_trigger_sha2(v_schema, v_table, FALSE);
            IF NOT (BINARY v_columns = BINARY v_key) THEN
                SET v_message = LEFT(CONCAT(v_what, ' refused: the capture trigger',
                                            IF(BINARY SUBSTRING_INDEX(v_columns, ' ', 1) = BINARY SUBSTRING_INDEX(v_key, ' ', 1),
                                               '', CONCAT(' ', fingerprint.capture_trigger_of(v_schema, v_table, 'i'))),
                                            IF(BINARY SUBSTRING_INDEX(SUBSTRING_INDEX(v_columns, ' ', 2), ' ', -1)
                                               = BINARY SUBSTRING_INDEX(SUBSTRING_INDEX(v_key, ' ', 2), ' ', -1),
                                               '', CONCAT(' ', fingerprint.capture_trigger_of(v_schema, v_table, 'u'))),
                                            IF(BINARY SUBSTRING_INDEX(v_columns, ' ', -1) = BINARY SUBSTRING_INDEX(v_key, ' ', -1),
                                               '', CONCAT(' ', fingerprint.capture_trigger_of(v_schema, v_table, 'd'))),
                                            ' of ', v_name, ' is not the one enable created (replaced or redefined',
                                            ' since), so changes may not have been logged as they happened: enable',
                                            ' capture of ', v_name, ' again, consume past that point and re-copy it'),
                                     512);
                SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
            END IF;
        END IF;
        SET v_key = NULL;
        SET v_columns = fingerprint.capture_engine_refusal(v_schema, v_table);
        IF v_columns IS NOT NULL THEN
            SET v_message = LEFT(CONCAT(v_what, ' refused: ', v_name, ' changed engine since capture was enabled',
                                        ' (ALTER TABLE ... ENGINE): ', v_columns, ', then enable capture of ', v_name,
                                        ' again, consume past that point and re-copy it'), 512);
            SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
        END IF;
        SET v_columns = NULL;
        SELECT schema_version, key_columns, old_images INTO v_version, v_key, v_old_images
          FROM fingerprint.capture_state WHERE table_name = v_name;
        BEGIN
            DECLARE EXIT HANDLER FOR SQLEXCEPTION
            BEGIN
                GET DIAGNOSTICS CONDITION 1 v_message = MESSAGE_TEXT;
                SET v_message = LEFT(CONCAT(v_what, ' refused: cannot check the columns of ', v_name, ': ',
                                            v_message), 512);
                SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
            END;
            CALL fingerprint.capture_columns(v_schema, v_table, v_classes, v_plain, v_new, v_old, v_names,
                                             v_signature, v_count, v_defs);
        END;
        SET v_signature = MD5(CONCAT_WS('\n', v_signature, v_key, v_old_images,
                                        (SELECT IF(identity = 'row', 'row', NULL) FROM fingerprint.capture_tables
                                          WHERE table_name = v_name AND schema_version = v_version)));
        IF NOT (v_signature <=> (SELECT signature FROM fingerprint.capture_tables
                                  WHERE table_name = v_name AND schema_version = v_version)) THEN
            SET v_registered = (SELECT column_defs FROM fingerprint.capture_tables
                                 WHERE table_name = v_name AND schema_version = v_version);
            IF v_registered IS NOT NULL THEN
                SET v_columns = (
                    SELECT GROUP_CONCAT(DISTINCT fingerprint.quote_name(n) ORDER BY n SEPARATOR ', ') FROM (
                        SELECT r.n FROM JSON_TABLE(v_registered, '$[*]' COLUMNS (
                                   n VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[0]', t TEXT PATH '$[1]',
                                   c VARCHAR(64) PATH '$[2]', j VARCHAR(8) PATH '$[3]')) r
                         WHERE NOT EXISTS (SELECT 1 FROM JSON_TABLE(v_defs, '$[*]' COLUMNS (
                                   n VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[0]', t TEXT PATH '$[1]',
                                   c VARCHAR(64) PATH '$[2]', j VARCHAR(8) PATH '$[3]')) d
                                            WHERE BINARY d.n = BINARY r.n AND BINARY d.t = BINARY r.t
                                              AND BINARY d.c = BINARY r.c AND BINARY d.j = BINARY r.j)
                        UNION ALL
                        SELECT d.n FROM JSON_TABLE(v_defs, '$[*]' COLUMNS (
                                   n VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[0]', t TEXT PATH '$[1]',
                                   c VARCHAR(64) PATH '$[2]', j VARCHAR(8) PATH '$[3]')) d
                         WHERE NOT EXISTS (SELECT 1 FROM JSON_TABLE(v_registered, '$[*]' COLUMNS (
                                   n VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[0]', t TEXT PATH '$[1]',
                                   c VARCHAR(64) PATH '$[2]', j VARCHAR(8) PATH '$[3]')) r
                                            WHERE BINARY d.n = BINARY r.n AND BINARY d.t = BINARY r.t
                                              AND BINARY d.c = BINARY r.c AND BINARY d.j = BINARY r.j)) AS changed);
                -- Same definitions in another order: name the columns that moved.
                IF v_columns IS NULL THEN
                    SET v_columns = (
                        SELECT CONCAT(GROUP_CONCAT(fingerprint.quote_name(r.n) ORDER BY r.pos SEPARATOR ', '), ' moved')
                          FROM JSON_TABLE(v_registered, '$[*]' COLUMNS (
                                   pos FOR ORDINALITY, n VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[0]')) r
                          JOIN JSON_TABLE(v_defs, '$[*]' COLUMNS (
                                   pos FOR ORDINALITY, n VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[0]')) d
                            ON BINARY d.n = BINARY r.n
                         WHERE d.pos <> r.pos);
                END IF;
            END IF;
            SET v_message = LEFT(CONCAT(v_what, ' refused: the columns of ', v_name,
                                        COALESCE(CONCAT(' (', v_columns, ')'), ''),
                                        ' changed since capture was enabled (ALTER TABLE), and its triggers log',
                                        ' them as they were, so logged values may be wrong: enable capture of ',
                                        v_name, ' again, consume past that point and re-copy it'), 512);
            SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
        END IF;
        -- The primary key and unique indexes as registered (NULL: a registration older
        -- than this check). A new key makes rows logged under it identify rows the
        -- replayer keys otherwise; a new unique index makes UPDATE IGNORE skip rows the
        -- update trigger still logs.
        SET v_registered = (SELECT index_defs FROM fingerprint.capture_tables
                             WHERE table_name = v_name AND schema_version = v_version);
        IF v_registered IS NOT NULL THEN
            SET v_defs = fingerprint.capture_index_defs(v_schema, v_table);
            IF NOT (BINARY v_defs = BINARY v_registered) THEN
                SET v_message = LEFT(CONCAT(v_what, ' refused: the primary key or unique indexes of ', v_name,
                                            ' changed since capture was enabled (ALTER TABLE; registered: ',
                                            IF(v_registered = '', 'none', v_registered), '; now: ',
                                            IF(v_defs = '', 'none', v_defs), '), and its triggers still',
                                            ' identify and skip rows by the old ones: enable capture of ', v_name,
                                            ' again, consume past that point and re-copy it'), 512);
                SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
            END IF;
        END IF;
END//

-- CALL fingerprint.next_batch('consumer', max_changes): the consumer's next batch: one
-- row (batch_id, consumer, first_seq, last_seq, changes), or no row when the log is
-- empty. A new batch is every change visible in one consistent snapshot, up to
-- max_changes of them in seq order (read without locks, so writers never wait). An
-- unfinished batch of this consumer is returned again (resume after a crash); a batch
-- open for another consumer is an error (one consumer per log). Outside a transaction.
-- The snapshot is taken after the consumer lock, so it sees every earlier call's commit.
DROP PROCEDURE IF EXISTS fingerprint.next_batch//
CREATE PROCEDURE fingerprint.next_batch(IN p_consumer VARCHAR(64) CHARACTER SET utf8mb4, IN p_max INT)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'hands out the next batch of committed changes'
BEGIN
    CALL fingerprint.next_batch_take(p_consumer, p_max, FALSE);
END//

-- CALL fingerprint.next_batch_per_table('consumer', max_changes): next_batch for a
-- consumer that stops tables one by one (fingerprint migrate). A captured table that
-- capture_verify refuses (altered, renamed, triggers replaced) does not refuse the log:
-- the batch is handed out as next_batch would, and its row has a sixth column, refused:
-- a JSON array of [table, message] pairs naming each such table with next_batch's
-- refusal (NULL when none). The caller must not apply the changes of those tables (their
-- triggers may have logged wrong values) and stops them; finish_batch consumes them with
-- the rest. An open batch handed out again is checked again. Same privileges as
-- next_batch (docs/mysql.md).
DROP PROCEDURE IF EXISTS fingerprint.next_batch_per_table//
CREATE PROCEDURE fingerprint.next_batch_per_table(IN p_consumer VARCHAR(64) CHARACTER SET utf8mb4, IN p_max INT)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'next_batch that names altered tables instead of refusing the log'
BEGIN
    CALL fingerprint.next_batch_take(p_consumer, p_max, TRUE);
END//

-- The body of next_batch (p_per_table FALSE) and next_batch_per_table (TRUE).
DROP PROCEDURE IF EXISTS fingerprint.next_batch_take//
CREATE PROCEDURE fingerprint.next_batch_take(IN p_consumer VARCHAR(64) CHARACTER SET utf8mb4, IN p_max INT,
                                            IN p_per_table BOOLEAN)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'next_batch and next_batch_per_table'
BEGIN
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE v_open BIGINT UNSIGNED;
    DECLARE v_owner VARCHAR(64) CHARACTER SET utf8mb4;
    DECLARE v_stray VARCHAR(256) CHARACTER SET utf8mb4;
    DECLARE v_seqs LONGTEXT CHARACTER SET ascii;
    DECLARE v_first, v_last BIGINT UNSIGNED;
    DECLARE v_count INT;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE v_refused LONGTEXT CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        RESIGNAL;
    END;
    CALL fingerprint.check_argument(p_consumer <> '', 'next_batch needs a consumer name');
    CALL fingerprint.check_argument(p_max >= 1, 'next_batch needs a batch size of at least 1');
    CALL fingerprint.check_outside_transaction('next_batch');
    START TRANSACTION;
    CALL fingerprint.consumer_lock_take('next_batch');
    -- This first consistent read starts the snapshot the batch is read from.
    SELECT batch_id, consumer INTO v_open, v_owner FROM fingerprint.capture_batches
     WHERE finished_at IS NULL ORDER BY batch_id LIMIT 1;
    -- Owners compare as bytes ('replayer' is not 'REPLAYER', 'replayér' nor 'replayer ').
    IF v_open IS NOT NULL AND NOT (BINARY v_owner <=> BINARY p_consumer) THEN
        SET v_message = CONCAT('the change log is being consumed by ', QUOTE(v_owner), ' (open batch ', v_open,
                               '): one consumer per log; finish that batch first');
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
    END IF;
    IF v_open IS NULL THEN
        -- After the snapshot: refuses while a captured table was renamed or altered
        -- (per table: collects the refusal for the caller).
        CALL fingerprint.capture_verify_all(IF(p_per_table, 'next_batch_per_table', 'next_batch'), p_per_table,
                                            v_refused);
    ELSEIF p_per_table THEN
        -- The open batch again (a resume): its tables are checked again, now.
        CALL fingerprint.capture_verify_all('next_batch_per_table', TRUE, v_refused);
    END IF;
    IF v_open IS NULL THEN
        -- A row of the batch logged under a name and schema version that capture never
        -- registered was not written by capture: refuse, naming it.
        SELECT CONCAT(v.table_name, ' (schema version ', v.schema_version, ', seq ', v.seq, ')') INTO v_stray
          FROM (SELECT seq, table_name, schema_version FROM fingerprint.change_log ORDER BY seq LIMIT p_max) AS v
         WHERE NOT EXISTS (SELECT 1 FROM fingerprint.capture_tables t
                            WHERE t.table_name = v.table_name AND t.schema_version = v.schema_version)
         ORDER BY v.seq LIMIT 1;
        IF v_stray IS NOT NULL THEN
            SET v_message = LEFT(CONCAT('next_batch refused: the log holds rows of ', v_stray, ', which capture never',
                                        ' registered (not written by capture triggers, or its registration was',
                                        ' deleted): remove them from fingerprint.change_log after checking where',
                                        ' they came from'), 512);
            SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
        END IF;
        SET SESSION group_concat_max_len = 1073741824;
        SELECT JSON_ARRAYAGG(seq ORDER BY seq), MIN(seq), MAX(seq), COUNT(*)
          INTO v_seqs, v_first, v_last, v_count
          FROM (SELECT seq FROM fingerprint.change_log ORDER BY seq LIMIT p_max) AS visible;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        IF v_count > 0 THEN
            INSERT INTO fingerprint.capture_batches (consumer, first_seq, last_seq, changes, seqs)
            VALUES (p_consumer, v_first, v_last, v_count, v_seqs);
            SET v_open = LAST_INSERT_ID();
        END IF;
    END IF;
    COMMIT;
    IF p_per_table THEN
        SELECT batch_id, consumer, first_seq, last_seq, changes, v_refused AS refused
          FROM fingerprint.capture_batches WHERE batch_id = v_open;
    ELSE
        SELECT batch_id, consumer, first_seq, last_seq, changes FROM fingerprint.capture_batches WHERE batch_id = v_open;
    END IF;
END//

-- CALL fingerprint.batch_changes(batch_id): the batch's changes in seq order, as
-- fingerprint.changes shows them (raw images and JSON renderings). Rows in the log are
-- never modified and only finish_batch deletes them, so reading a batch again gives the
-- same rows.
DROP PROCEDURE IF EXISTS fingerprint.batch_changes//
CREATE PROCEDURE fingerprint.batch_changes(IN p_batch BIGINT UNSIGNED)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'the changes of a batch, in seq order'
BEGIN
    DECLARE v_seqs LONGTEXT CHARACTER SET ascii;
    DECLARE v_changes INT;
    DECLARE v_found INT;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    SELECT seqs, changes INTO v_seqs, v_changes FROM fingerprint.capture_batches
     WHERE batch_id = p_batch AND finished_at IS NULL;
    IF v_seqs IS NULL THEN
        SET v_message = CONCAT('no open batch ', COALESCE(p_batch, 'NULL'), ' (finished already, or never handed out)');
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    SELECT COUNT(*) INTO v_found FROM JSON_TABLE(v_seqs, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j
      JOIN fingerprint.change_log c ON c.seq = j.seq;
    IF v_found <> v_changes THEN
        SET v_message = CONCAT('batch ', p_batch, ': ', v_changes - v_found, ' of its ', v_changes,
                               ' changes are missing from fingerprint.change_log (deleted by hand?)');
        SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
    END IF;
    SELECT c.* FROM JSON_TABLE(v_seqs, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j
      JOIN fingerprint.changes c ON c.seq = j.seq ORDER BY c.seq;
END//

-- CALL fingerprint.finish_batch('consumer', batch_id): confirms a batch the consumer has
-- applied: in one transaction, advances the log-adjusted fingerprints of the batch's
-- tables over its changes and deletes exactly its seqs from the log. Finishing a batch
-- again is a no-op. Outside a transaction. Serialized with next_batch by the consumer lock.
DROP PROCEDURE IF EXISTS fingerprint.finish_batch//
CREATE PROCEDURE fingerprint.finish_batch(IN p_consumer VARCHAR(64) CHARACTER SET utf8mb4,
                                          IN p_batch BIGINT UNSIGNED)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'confirms a batch: deletes its changes from the log'
BEGIN
    DECLARE v_owner VARCHAR(64) CHARACTER SET utf8mb4;
    DECLARE v_seqs LONGTEXT CHARACTER SET ascii;
    DECLARE v_changes INT;
    DECLARE v_finished TIMESTAMP(6);
    DECLARE v_deleted INT;
    DECLARE v_bad VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        RESIGNAL;
    END;
    CALL fingerprint.check_argument(p_consumer <> '', 'finish_batch needs a consumer name');
    CALL fingerprint.check_argument(p_batch IS NOT NULL, 'finish_batch needs a batch id');
    CALL fingerprint.check_outside_transaction('finish_batch');
    START TRANSACTION;
    CALL fingerprint.consumer_lock_take('finish_batch');
    SELECT consumer, seqs, changes, finished_at INTO v_owner, v_seqs, v_changes, v_finished
      FROM fingerprint.capture_batches WHERE batch_id = p_batch;
    IF v_owner IS NULL THEN
        SET v_message = CONCAT('no batch ', p_batch, ' (never handed out, or finished long ago)');
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    IF NOT (BINARY v_owner <=> BINARY p_consumer) THEN
        SET v_message = CONCAT('batch ', p_batch, ' belongs to consumer ', QUOTE(v_owner));
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
    END IF;
    IF v_finished IS NULL THEN
        UPDATE fingerprint.capture_state t
           SET t.fingerprint = COALESCE(
                   (SELECT fingerprint_advance(t.fingerprint, c.op, c.old_fingerprint, c.new_fingerprint)
                      FROM JSON_TABLE(v_seqs, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j
                      JOIN fingerprint.change_log c ON c.seq = j.seq
                     WHERE c.table_name = t.table_name), t.fingerprint)
         WHERE t.fingerprint IS NOT NULL;
        SET v_bad = (SELECT CONCAT(table_name, ': ', fingerprint) FROM fingerprint.capture_state
                      WHERE LEFT(fingerprint, 7) = 'error: ' LIMIT 1);
        IF v_bad IS NOT NULL THEN
            SET v_message = CONCAT('finish_batch ', p_batch, ': ', v_bad);
            SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
        END IF;
        DELETE c FROM fingerprint.change_log c
          JOIN JSON_TABLE(v_seqs, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j ON c.seq = j.seq;
        SET v_deleted = ROW_COUNT();
        IF v_deleted <> v_changes THEN
            SET v_message = CONCAT('finish_batch ', p_batch, ': deleted ', v_deleted, ' of its ', v_changes,
                                   ' changes; nothing done');
            SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
        END IF;
        UPDATE fingerprint.capture_batches SET finished_at = NOW(6), seqs = '[]' WHERE batch_id = p_batch;
        DELETE FROM fingerprint.capture_batches WHERE finished_at IS NOT NULL AND batch_id < p_batch;
    END IF;
    COMMIT;
    SELECT p_batch AS batch_id, v_changes AS changes, 'finished' AS status;
END//

-- CALL fingerprint.capture_status(): for monitoring without any privilege on the
-- fingerprint tables. Anyone with SELECT on a table can lock its rows (SELECT ... FOR
-- UPDATE) and so freeze every captured write (change_log) or consumption
-- (consumer_lock, capture_batches, capture_state); grant SELECT on them to the consumer
-- only, and EXECUTE on this procedure to monitoring accounts. It runs as its definer
-- (the account that ran install.sql) and only reads, without locks: one row per captured
-- table (table_name, enabled, schema_version, enabled_at, changes waiting in the log,
-- oldest change's capture time) and one row for the open batch, if any (table_name
-- NULL; consumer in `status`).
DROP PROCEDURE IF EXISTS fingerprint.capture_status//
CREATE PROCEDURE fingerprint.capture_status()
SQL SECURITY DEFINER READS SQL DATA
COMMENT 'capture monitoring for accounts without SELECT on the fingerprint tables'
BEGIN
    SELECT s.table_name, IF(s.enabled, 'enabled', 'disabled') AS status, s.schema_version, s.enabled_at,
           COALESCE(l.changes, 0) AS waiting_changes, l.oldest AS oldest_change
      FROM fingerprint.capture_state s
      LEFT JOIN (SELECT table_name, COUNT(*) AS changes, MIN(captured_at) AS oldest
                   FROM fingerprint.change_log GROUP BY table_name) l ON l.table_name = s.table_name
    UNION ALL
    SELECT NULL, CONCAT('batch ', batch_id, ' open for ', QUOTE(consumer)), NULL, created_at, changes, NULL
      FROM fingerprint.capture_batches WHERE finished_at IS NULL
    ORDER BY table_name IS NULL, table_name;
END//

-- -------------------------------------------------------------- sql/mysql/src/version.sql
-- ==== The release installed ====

-- SELECT fingerprint.version() returns the release of this script: CMake's
-- FINGERPRINT_RELEASE, put in by the build (sql/mysql/assemble.cmake). Created last: it
-- exists only once everything above has been installed.
CREATE FUNCTION fingerprint.version()
RETURNS VARCHAR(16) CHARACTER SET ascii
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'the fingerprint release installed'
RETURN '1.6'//

DELIMITER ;

SET SESSION sql_mode = @fingerprint_saved_sql_mode;
SET @fingerprint_saved_sql_mode = NULL;
