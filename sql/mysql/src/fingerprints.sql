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
