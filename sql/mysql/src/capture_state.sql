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
