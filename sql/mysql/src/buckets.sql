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
