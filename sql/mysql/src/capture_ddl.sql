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
-- (comma-separated), a signature of the definitions, the count. Catalog reads only (no
-- dynamic SQL, so a stored function may call it too: capture_intact); capture_columns
-- checks the table first. A column type without a class leaves its letter out of
-- p_classes (shorter than p_count).
DROP PROCEDURE IF EXISTS fingerprint.capture_column_lists//
CREATE PROCEDURE fingerprint.capture_column_lists(
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
COMMENT 'column lists of a captured table, from the catalog'
BEGIN
    DECLARE v_saved_gc_len BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len;
    DECLARE v_json_checks LONGTEXT CHARACTER SET utf8mb4;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET SESSION group_concat_max_len = v_saved_gc_len;
        RESIGNAL;
    END;
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
END//

-- The column lists of a table (capture_column_lists) after the checks capture makes: the
-- caller may read every column, the engine is transactional, every column type has a
-- class, no column name contains a comma.
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
    DECLARE v_bad TEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
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
    CALL fingerprint.capture_column_lists(p_schema, p_table, p_classes, p_plain, p_new, p_old, p_names,
                                          p_signature, p_count, p_defs);
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

-- The signature capture_register records for a registration: of the columns
-- (p_signature, capture_columns), the key, old_images and whole-row identity (the same
-- columns named as a key are not it).
DROP FUNCTION IF EXISTS fingerprint.capture_registration_signature//
CREATE FUNCTION fingerprint.capture_registration_signature(p_key TEXT CHARACTER SET utf8mb4,
                                                          p_identity VARCHAR(3) CHARACTER SET ascii,
                                                          p_old_images BOOLEAN,
                                                          p_signature CHAR(32) CHARACTER SET ascii)
RETURNS CHAR(32) CHARACTER SET ascii
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'the signature of a capture registration'
RETURN MD5(CONCAT_WS('\n', p_signature, p_key, p_old_images, IF(p_identity = 'row', 'row', NULL)))//

-- The schema version an enable of db.tbl with these columns (p_signature), key and
-- options keeps: the latest one of its name when nothing changed, else NULL (a new
-- version follows). Not kept: the columns, key, identity, old_images, primary key or
-- unique indexes (capture_index_defs: the update trigger's skipped-row test is built from
-- them) changed; or the table is not captured now (never enabled, disabled, or its
-- triggers gone: dropped, or the table dropped and created again) while the log still
-- holds rows of the latest version under its name: those rows are of the table as it
-- was, and a replayer must tell the two apart.
DROP FUNCTION IF EXISTS fingerprint.capture_kept_version//
CREATE FUNCTION fingerprint.capture_kept_version(p_schema TEXT CHARACTER SET utf8mb4,
                                                 p_table TEXT CHARACTER SET utf8mb4,
                                                 p_key TEXT CHARACTER SET utf8mb4,
                                                 p_identity VARCHAR(3) CHARACTER SET ascii,
                                                 p_old_images BOOLEAN,
                                                 p_signature CHAR(32) CHARACTER SET ascii)
RETURNS INT UNSIGNED
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'the schema version an enable keeps, or NULL'
BEGIN
    DECLARE v_name TEXT CHARACTER SET utf8mb4 DEFAULT CONCAT(p_schema, '.', p_table);
    DECLARE v_version INT UNSIGNED;
    SELECT MAX(schema_version) INTO v_version FROM fingerprint.capture_tables WHERE table_name = v_name;
    IF v_version IS NULL
       OR ((NOT COALESCE((SELECT enabled FROM fingerprint.capture_state WHERE table_name = v_name), FALSE)
            OR BINARY fingerprint.capture_trigger_sha2(p_schema, p_table, FALSE) = BINARY '- - -')
           AND EXISTS (SELECT 1 FROM fingerprint.change_log WHERE table_name = v_name AND schema_version = v_version))
       OR COALESCE((SELECT signature <> fingerprint.capture_registration_signature(p_key, p_identity, p_old_images,
                                                                                   p_signature)
                           OR (index_defs IS NOT NULL
                               AND NOT (BINARY index_defs = BINARY fingerprint.capture_index_defs(p_schema, p_table)))
                      FROM fingerprint.capture_tables WHERE table_name = v_name AND schema_version = v_version),
                   FALSE) THEN
        RETURN NULL;
    END IF;
    RETURN v_version;
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
    DECLARE v_indexes LONGTEXT CHARACTER SET utf8mb4;
    CALL fingerprint.check_table_arguments(p_schema, p_table, 'capture_register');
    SET v_indexes = fingerprint.capture_index_defs(p_schema, p_table);
    SET p_version = fingerprint.capture_kept_version(p_schema, p_table, p_key, p_identity, p_old_images, p_signature);
    IF p_version IS NULL THEN
        SET p_version = COALESCE((SELECT MAX(schema_version) FROM fingerprint.capture_tables
                                   WHERE table_name = v_name), 0) + 1;
        INSERT INTO fingerprint.capture_tables
            (table_name, schema_version, column_names, column_classes, key_columns, identity, old_images, signature,
             column_defs, index_defs)
        VALUES (v_name, p_version, p_names, p_classes, p_key, COALESCE(p_identity, 'key'), COALESCE(p_old_images, FALSE),
                fingerprint.capture_registration_signature(p_key, p_identity, p_old_images, p_signature), p_defs,
                v_indexes);
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

-- The bodies of the three capture triggers of db.tbl, made from one template
-- (capture_trigger_body): each logs its row with one call of the capture UDF, whose spec
-- is the default algorithm, the class letters and the key's positions ('!': the key alone,
-- for a DELETE without old images; "+old": NEW's and OLD's columns, for an UPDATE). One
-- statement, one UDF call each; the INSERT names only the columns without a default that
-- fits (the log's session_id and has_old_image have one), since MariaDB prepares every
-- item again for each row. UPDATE: the call yields both sides and the changed columns in
-- one value (an update row), or NULL when no column changed (compared as bytes);
-- changed_columns stays NULL (the views read the list from the update row), and nothing is
-- logged for a row UPDATE IGNORE skipped (capture_update_statement). Since 1.5 the INSERT
-- holds the call itself: a NULL (nothing changed) fails the log's CHECK capture_unchanged,
-- and the handler (capture_trigger_body) ends the trigger quietly for that error alone.
-- Why not a variable: MariaDB rewrites every statement that reads a local variable into
-- NAME_CONST('var', <value>) text before running it (sp_instr_stmt::execute,
-- subst_spvars), escaping the whole update row each time: 10 % of a captured UPDATE's
-- server time (bench/RESULTS.md, "MariaDB capture in 1.5"). Never a user variable: it
-- would keep both row images readable by the session after the statement (even after a
-- ROLLBACK), nor a local variable in a branch that does not run: the server allocates
-- every variable of the trigger for each row (sp_rcontext::create, 5 % of the UPDATE). A
-- session can switch CHECK constraints off (check_constraint_checks = 0): then that INSERT
-- is skipped and the ELSE branch tests the call's value itself (calling it again to log
-- it), so no session setting makes an update that changed nothing log a row; the usual
-- path runs one IF and one INSERT. The statements sit inside the handler's scope, so that
-- the call's errors reach the handler; the handler calls the UDF again for a refusal's
-- text. p_key is the key the user named (NULL: the primary key, or whole-row identity),
-- p_identity, p_classes, p_positions, p_new and p_old what capture_key and capture_columns
-- give, p_version the schema version the triggers log under.
DROP PROCEDURE IF EXISTS fingerprint.capture_trigger_bodies//
CREATE PROCEDURE fingerprint.capture_trigger_bodies(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_key TEXT CHARACTER SET utf8mb4,
    IN p_identity VARCHAR(3) CHARACTER SET ascii,
    IN p_version INT UNSIGNED,
    IN p_old_images BOOLEAN,
    IN p_classes LONGTEXT CHARACTER SET ascii,
    IN p_positions TEXT CHARACTER SET utf8mb4,
    IN p_new LONGTEXT CHARACTER SET utf8mb4,
    IN p_old LONGTEXT CHARACTER SET utf8mb4,
    OUT p_insert_body LONGTEXT CHARACTER SET utf8mb4,
    OUT p_update_body LONGTEXT CHARACTER SET utf8mb4,
    OUT p_delete_body LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER READS SQL DATA
COMMENT 'the bodies of the three capture triggers of a table'
BEGIN
    DECLARE v_name TEXT CHARACTER SET utf8mb4 DEFAULT CONCAT(p_schema, '.', p_table);
    DECLARE v_on TEXT CHARACTER SET utf8mb4 DEFAULT CONCAT(fingerprint.quote_name(p_schema), '.',
                                                           fingerprint.quote_name(p_table));
    DECLARE v_spec, v_insert TEXT CHARACTER SET utf8mb4;
    DECLARE v_new_call, v_update_call, v_deleted_call, v_update_log, v_log LONGTEXT CHARACTER SET utf8mb4;
    SET v_spec = CONCAT(fingerprint.checked_algorithm(NULL), ':', p_classes, '/', p_positions);
    SET v_new_call = fingerprint.capture_call(v_spec, v_name, p_new);
    SET v_update_call = fingerprint.capture_call(CONCAT(v_spec, '+old'), v_name, CONCAT(p_new, ', ', p_old));
    SET v_deleted_call = fingerprint.capture_call(IF(p_old_images, v_spec, CONCAT(v_spec, '!')), v_name, p_old);
    SET v_insert = 'INSERT INTO fingerprint.change_log (op, table_name, schema_version, ';
    SET v_log = CONCAT(v_insert, 'capture_new) VALUES (''I'', ', fingerprint.capture_literal(v_name), ', ',
                        p_version, ', ', v_new_call, ')');
    SET p_insert_body = fingerprint.capture_trigger_body(v_on,
        CONCAT('''the new row: '', SUBSTRING(', v_new_call, ', 8)'),
        CONCAT('IF @@check_constraint_checks THEN ', v_log, '; ELSE ',
               fingerprint.capture_unchecked_log(v_new_call, v_log), '; END IF'));
    SET v_update_log = CONCAT(v_insert, IF(p_old_images, 'has_old_image, ', ''), 'capture_new) VALUES (''U'', ',
                              fingerprint.capture_literal(v_name), ', ', p_version, ', ', IF(p_old_images, 'TRUE, ', ''),
                              v_update_call, ')');
    SET p_update_body = fingerprint.capture_update_statement(p_schema, p_table,
        p_key IS NULL AND p_identity = 'key', CONCAT(v_update_call, ' IS NOT NULL'),
        CONCAT(v_update_call, ' IS NOT NULL'), fingerprint.capture_unchecked_log(v_update_call, v_update_log), NULL);
    SET p_update_body = fingerprint.capture_trigger_body(v_on, CONCAT('SUBSTRING(', v_update_call, ', 8)'),
        fingerprint.capture_update_statement(p_schema, p_table, p_key IS NULL AND p_identity = 'key',
            '@@check_constraint_checks', '@@check_constraint_checks', v_update_log,
            CONCAT('IF NOT @@check_constraint_checks THEN ', p_update_body, '; END IF')));
    SET v_log = CONCAT(v_insert, IF(p_old_images, 'has_old_image, ', ''), 'capture_old) VALUES (''D'', ',
                        fingerprint.capture_literal(v_name), ', ', p_version, ', ', IF(p_old_images, 'TRUE, ', ''),
                        v_deleted_call, ')');
    SET p_delete_body = fingerprint.capture_trigger_body(v_on,
        CONCAT('''the deleted row: '', SUBSTRING(', v_deleted_call, ', 8)'),
        CONCAT('IF @@check_constraint_checks THEN ', v_log, '; ELSE ',
               fingerprint.capture_unchecked_log(v_deleted_call, v_log), '; END IF'));
END//

-- The hashes capture_baseline checks the triggers against: SHA2 of the three bodies in
-- capture_trigger_sha2's normalized form (without backslashes and single quotes),
-- space-separated; NULL when a body is.
DROP FUNCTION IF EXISTS fingerprint.capture_bodies_sha2//
CREATE FUNCTION fingerprint.capture_bodies_sha2(p_insert_body LONGTEXT CHARACTER SET utf8mb4,
                                                p_update_body LONGTEXT CHARACTER SET utf8mb4,
                                                p_delete_body LONGTEXT CHARACTER SET utf8mb4)
RETURNS VARCHAR(200) CHARACTER SET utf8mb4
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'hashes of generated capture trigger bodies'
RETURN CONCAT(SHA2(REPLACE(REPLACE(p_insert_body, '\\', ''), '''', ''), 256), ' ',
              SHA2(REPLACE(REPLACE(p_update_body, '\\', ''), '''', ''), 256), ' ',
              SHA2(REPLACE(REPLACE(p_delete_body, '\\', ''), '''', ''), 256))//

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

        CALL fingerprint.capture_trigger_bodies(v_schema, v_table, p_key, v_identity, v_version, v_old_images,
                                                v_classes, v_positions, v_new, v_old,
                                                v_insert_body, v_update_body, v_delete_body);
        INSERT INTO fingerprint_capture_ddl VALUES
            (1, fingerprint.capture_trigger_ddl(v_schema, v_table, 'i', v_insert_body)),
            (2, fingerprint.capture_trigger_ddl(v_schema, v_table, 'u', v_update_body)),
            (3, fingerprint.capture_trigger_ddl(v_schema, v_table, 'd', v_delete_body));
        -- The baseline gets the SHA2 of the three bodies (in capture_trigger_sha2's
        -- normalized form), checks the triggers it finds against them and registers the
        -- hashes of their exact bodies for next_batch's check.
        SET v_item = fingerprint.capture_bodies_sha2(v_insert_body, v_update_body, v_delete_body);
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

-- SELECT fingerprint.capture_intact('db.tbl'): TRUE when capture of the table is on and
-- CALL fingerprint.capture_apply('db.tbl', 'enable') (capture_ddl's statements: the
-- primary key, no old images) would change nothing: the schema version it would keep
-- (capture_kept_version, for the table's current columns, key and indexes) is the one
-- captured, no enable was left half done (capture_enabling), and the three triggers on the
-- table are the ones registered and the ones it would create (capture_trigger_bodies,
-- compared as capture_baseline does). A function, so that a client (`fingerprint migrate`,
-- `fingerprint capture enable`) can ask it in a SELECT: it reads the catalogs and the
-- registry only, writes nothing and opens no table (CREATE OR REPLACE TRIGGER waits for
-- the metadata lock of every transaction open on the table). FALSE for a table whose
-- engine capture refuses; an enable's other refusals (a column type capture cannot read,
-- no primary key but a unique key) are raised as enable raises them. NULL or an unknown
-- table is refused as capture_ddl refuses it.
DROP FUNCTION IF EXISTS fingerprint.capture_intact//
CREATE FUNCTION fingerprint.capture_intact(p_table TEXT CHARACTER SET utf8mb4)
RETURNS BOOLEAN
NOT DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER
COMMENT 'whether capture_apply enable would change nothing'
BEGIN
    DECLARE v_schema, v_table, v_name, v_key, v_positions TEXT CHARACTER SET utf8mb4;
    DECLARE v_identity VARCHAR(3) CHARACTER SET ascii;
    DECLARE v_classes LONGTEXT CHARACTER SET ascii;
    DECLARE v_plain, v_new, v_old, v_names, v_defs LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_signature CHAR(32) CHARACTER SET ascii;
    DECLARE v_count INT;
    DECLARE v_version INT UNSIGNED;
    DECLARE v_insert_body, v_update_body, v_delete_body LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    CALL fingerprint.capture_resolve(p_table, v_schema, v_table);
    SET v_name = CONCAT(v_schema, '.', v_table);
    SET v_version = (SELECT schema_version FROM fingerprint.capture_state
                      WHERE BINARY table_name = BINARY v_name AND enabled);
    IF v_version IS NULL
       OR EXISTS (SELECT 1 FROM fingerprint.capture_enabling WHERE BINARY table_name = BINARY v_name)
       OR fingerprint.capture_engine_refusal(v_schema, v_table) IS NOT NULL
       OR NOT (BINARY (SELECT trigger_sha2 FROM fingerprint.capture_state WHERE BINARY table_name = BINARY v_name)
               <=> BINARY fingerprint.capture_trigger_sha2(v_schema, v_table, FALSE)) THEN
        RETURN FALSE;
    END IF;
    CALL fingerprint.capture_column_lists(v_schema, v_table, v_classes, v_plain, v_new, v_old, v_names,
                                          v_signature, v_count, v_defs);
    IF v_classes IS NULL OR CHAR_LENGTH(v_classes) <> v_count THEN
        SET v_message = CONCAT('cannot capture ', v_name, ': a column''s type has no value class');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
    END IF;
    CALL fingerprint.capture_key(v_schema, v_table, NULL, v_key, v_positions, v_identity);
    -- capture_register would keep this version, and has nothing to fill in: a registration
    -- older than column_defs/index_defs gets them.
    IF NOT (fingerprint.capture_kept_version(v_schema, v_table, v_key, v_identity, FALSE, v_signature) <=> v_version)
       OR NOT EXISTS (SELECT 1 FROM fingerprint.capture_tables
                       WHERE table_name = v_name AND schema_version = v_version
                         AND column_defs IS NOT NULL AND index_defs IS NOT NULL) THEN
        RETURN FALSE;
    END IF;
    CALL fingerprint.capture_trigger_bodies(v_schema, v_table, NULL, v_identity, v_version, FALSE, v_classes,
                                            v_positions, v_new, v_old, v_insert_body, v_update_body, v_delete_body);
    RETURN BINARY fingerprint.capture_trigger_sha2(v_schema, v_table, TRUE)
           = BINARY fingerprint.capture_bodies_sha2(v_insert_body, v_update_body, v_delete_body);
END//
