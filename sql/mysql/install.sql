-- fingerprint for MariaDB: registers the UDFs and creates the `fingerprint` database with
-- the procedures that call them. Idempotent: running it again changes nothing.
--
--   mariadb < sql/mysql/install.sql
--
-- Needs fingerprint_udf.so in the server's plugin directory (SELECT @@plugin_dir) and a
-- user allowed to CREATE FUNCTION (INSERT on mysql.*) and to create a database.
-- Written for MariaDB 10.5 and later (CREATE FUNCTION IF NOT EXISTS, CHECK_CONSTRAINTS
-- with TABLE_NAME); docs/mysql.md says what MySQL 8 would need.

-- The routines keep the sql_mode they were created under; make it a known one.
SET @fingerprint_saved_sql_mode = @@session.sql_mode;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

CREATE FUNCTION IF NOT EXISTS row_fingerprint RETURNS STRING SONAME 'fingerprint_udf.so';
CREATE AGGREGATE FUNCTION IF NOT EXISTS fingerprint_agg RETURNS STRING SONAME 'fingerprint_udf.so';

CREATE DATABASE IF NOT EXISTS fingerprint CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DELIMITER //

-- `name` quoted as an identifier: backticks around it, embedded backticks doubled.
DROP FUNCTION IF EXISTS fingerprint.quote_name//
CREATE FUNCTION fingerprint.quote_name(name VARCHAR(255) CHARACTER SET utf8mb4)
RETURNS TEXT CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'quotes an identifier with backticks'
RETURN CONCAT('`', REPLACE(name, '`', '``'), '`')//

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

-- The UDF argument for a column: its value in the form its class expects, named after the
-- column (`expr AS name`) so that error strings can name it. Character columns are
-- converted to utf8mb4 (MariaDB passes a column's own bytes); binary ones never are.
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
BEGIN
    DECLARE quoted TEXT CHARACTER SET utf8mb4 DEFAULT fingerprint.quote_name(column_name);
    DECLARE v_class CHAR(1) CHARACTER SET ascii COLLATE ascii_bin
        DEFAULT fingerprint.column_class(data_type, column_type, is_json);
    RETURN CONCAT(
        CASE
            -- Bytes stored as utf8mb4, utf8mb3 or ascii already are UTF-8: converting them
            -- would only copy every value once more.
            WHEN v_class IN ('s', 'c', 'j') AND charset_name IN ('utf8mb4', 'utf8mb3', 'utf8', 'ascii')
                THEN quoted
            WHEN v_class IN ('s', 'c', 'j') THEN CONCAT('CONVERT(', quoted, ' USING utf8mb4)')
            WHEN v_class = 'U' THEN CONCAT('CAST(', quoted, ' AS CHAR)')
            WHEN data_type = 'bit' THEN CONCAT(quoted, '+0')
            ELSE quoted
        END,
        ' AS ', quoted);
END//

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

-- Checks a comma-separated column list against db.tbl and returns it normalized (names
-- trimmed, empty items dropped), or NULL when it names no column.
DROP PROCEDURE IF EXISTS fingerprint.check_column_list//
CREATE PROCEDURE fingerprint.check_column_list(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_list TEXT CHARACTER SET utf8mb4,
    OUT p_normalized TEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'validates an include/exclude column list'
BEGIN
    DECLARE v_rest TEXT CHARACTER SET utf8mb4 DEFAULT p_list;
    DECLARE v_item TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    SET p_normalized = NULL;
    WHILE v_rest IS NOT NULL DO
        SET v_item = TRIM(SUBSTRING_INDEX(v_rest, ',', 1));
        SET v_rest = IF(LOCATE(',', v_rest) > 0, SUBSTRING(v_rest, LOCATE(',', v_rest) + 1), NULL);
        IF v_item <> '' THEN
            IF NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS
                           WHERE TABLE_SCHEMA = p_schema AND TABLE_NAME = p_table
                             AND COLUMN_NAME = v_item COLLATE utf8mb4_general_ci) THEN
                SET v_message = CONCAT('column ', fingerprint.quote_name(v_item), ' does not exist in ',
                                       p_schema, '.', p_table);
                SIGNAL SQLSTATE '42S22' SET MESSAGE_TEXT = v_message;
            END IF;
            SET p_normalized = CONCAT_WS(',', p_normalized, v_item);
        END IF;
    END WHILE;
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
    DECLARE v_algorithm VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
        DEFAULT COALESCE(NULLIF(p_algorithm, ''), 'xxh3');
    DECLARE v_dot INT DEFAULT LOCATE('.', COALESCE(p_table, ''));
    DECLARE v_schema TEXT CHARACTER SET utf8mb4;
    DECLARE v_table TEXT CHARACTER SET utf8mb4;
    DECLARE v_name TEXT CHARACTER SET utf8mb4;
    DECLARE v_include TEXT CHARACTER SET utf8mb4;
    DECLARE v_exclude TEXT CHARACTER SET utf8mb4;
    DECLARE v_bad_column TEXT CHARACTER SET utf8mb4;
    DECLARE v_json_checks LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii COLLATE ascii_bin;
    DECLARE v_arguments LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_count INT;
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

    -- The table: 'db.tbl'. Inside a stored procedure DATABASE() is the procedure's own
    -- database (`fingerprint`), not the caller's, so a bare name cannot be resolved here.
    IF p_table IS NULL OR p_table = '' THEN
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = 'no table name given: pass ''db.table''';
    END IF;
    IF v_dot = 0 THEN
        SET v_message = CONCAT('table name ', p_table,
                               ' has no database: pass ''db.table'' or CONCAT(DATABASE(), ''.table'')');
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
    SET v_schema = LEFT(p_table, v_dot - 1);
    SET v_table = SUBSTRING(p_table, v_dot + 1);
    SET v_name = CONCAT(v_schema, '.', v_table);
    IF NOT EXISTS (SELECT 1 FROM information_schema.TABLES
                   WHERE TABLE_SCHEMA = v_schema AND TABLE_NAME = v_table) THEN
        SET v_message = CONCAT('table ', v_name, ' does not exist');
        SIGNAL SQLSTATE '42S02' SET MESSAGE_TEXT = v_message;
    END IF;
    IF v_algorithm NOT IN ('xxh3', 'sha256') THEN
        SET v_message = CONCAT('unknown algorithm ', v_algorithm, ': use xxh3 or sha256');
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    CALL fingerprint.check_column_list(v_schema, v_table, p_include, v_include);
    CALL fingerprint.check_column_list(v_schema, v_table, p_exclude, v_exclude);

    -- The first chosen column whose type has no class.
    SET v_bad_column = (
        SELECT COLUMN_NAME FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = v_schema AND TABLE_NAME = v_table
          AND (v_include IS NULL OR FIND_IN_SET(COLUMN_NAME, v_include COLLATE utf8mb4_general_ci) > 0)
          AND (v_exclude IS NULL OR FIND_IN_SET(COLUMN_NAME, v_exclude COLLATE utf8mb4_general_ci) = 0)
          AND fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, FALSE) IS NULL
        ORDER BY ORDINAL_POSITION LIMIT 1);
    IF v_bad_column IS NOT NULL THEN
        SET v_message = CONCAT('cannot fingerprint column ', fingerprint.quote_name(v_bad_column), ' of type ',
            (SELECT DATA_TYPE FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = v_schema AND TABLE_NAME = v_table AND COLUMN_NAME = v_bad_column),
            ' in ', v_name);
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;

    -- The spec's class letters and the UDF arguments, in ordinal order. GROUP_CONCAT
    -- would cut a long list at group_concat_max_len, so raise it and check the count.
    SET SESSION group_concat_max_len = GREATEST(@@session.group_concat_max_len, 67108864);
    -- MariaDB's JSON is a LONGTEXT with the column check json_valid(`col`). Read the
    -- table's checks once, NUL-separated (no identifier or clause contains NUL).
    SELECT GROUP_CONCAT(CONCAT(CHAR(0 USING utf8mb4), CHECK_CLAUSE, CHAR(0 USING utf8mb4)) SEPARATOR '')
      INTO v_json_checks
      FROM information_schema.CHECK_CONSTRAINTS
     WHERE CONSTRAINT_SCHEMA = v_schema AND TABLE_NAME = v_table AND LEFT(CHECK_CLAUSE, 11) = 'json_valid(';
    SELECT GROUP_CONCAT(fingerprint.column_class(DATA_TYPE, COLUMN_TYPE, is_json)
                        ORDER BY ORDINAL_POSITION SEPARATOR ''),
           GROUP_CONCAT(fingerprint.column_argument(COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, is_json, CHARACTER_SET_NAME)
                        ORDER BY ORDINAL_POSITION SEPARATOR ', '),
           COUNT(*)
      INTO v_classes, v_arguments, v_count
      FROM (SELECT c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.ORDINAL_POSITION, c.CHARACTER_SET_NAME,
                   COALESCE(LOCATE(CONCAT(CHAR(0 USING utf8mb4), 'json_valid(',
                                          fingerprint.quote_name(c.COLUMN_NAME), ')', CHAR(0 USING utf8mb4)),
                                   v_json_checks) > 0, FALSE) AS is_json
              FROM information_schema.COLUMNS c
             WHERE c.TABLE_SCHEMA = v_schema AND c.TABLE_NAME = v_table
               AND (v_include IS NULL OR FIND_IN_SET(c.COLUMN_NAME, v_include COLLATE utf8mb4_general_ci) > 0)
               AND (v_exclude IS NULL OR FIND_IN_SET(c.COLUMN_NAME, v_exclude COLLATE utf8mb4_general_ci) = 0)
           ) AS chosen;
    IF v_count = 0 THEN
        SET v_message = CONCAT('no columns left to fingerprint in ', v_name);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    IF v_classes IS NULL OR v_arguments IS NULL OR CHAR_LENGTH(v_classes) <> v_count THEN
        SET v_message = CONCAT('internal error: column list of ', v_name, ' was cut short');
        SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = v_message;
    END IF;

    IF p_rows THEN
        SELECT GROUP_CONCAT(fingerprint.quote_name(COLUMN_NAME) ORDER BY SEQ_IN_INDEX SEPARATOR ', '),
               GROUP_CONCAT(SEQ_IN_INDEX ORDER BY SEQ_IN_INDEX SEPARATOR ', ')
          INTO v_keys, v_order
          FROM information_schema.STATISTICS
         WHERE TABLE_SCHEMA = v_schema AND TABLE_NAME = v_table AND INDEX_NAME = 'PRIMARY';
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

-- ==== Bucketed fingerprints and row listings for drill-down (docs/diff.md) ====

-- ==== Change capture: trigger DDL, batches, incremental fingerprints (docs/capture.md) ====

DELIMITER ;

SET SESSION sql_mode = @fingerprint_saved_sql_mode;
SET @fingerprint_saved_sql_mode = NULL;
