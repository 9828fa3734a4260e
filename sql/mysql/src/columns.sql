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
