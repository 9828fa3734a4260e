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
