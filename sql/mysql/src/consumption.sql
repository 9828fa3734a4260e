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
-- empty. A new batch is read from one consistent snapshot without locks (writers never
-- wait):
-- - max_changes NULL, a snapshot batch: every change visible in the snapshot, so every
--   transaction committed and waiting in the log, each one whole (InnoDB's consistent
--   read shows a committed transaction all or nothing). A MariaDB trigger sees no
--   transaction id (none can be had cheaply through the API MariaDB and MySQL share),
--   so the snapshot is the only boundary that never splits a source transaction. Seq
--   order inside the batch keeps the changes of one key in commit order (row locks
--   serialize them). Refused (SQLSTATE 54000) when more changes wait than one batch
--   may hold: its list of seqs (JSON) must fit max_allowed_packet (16 MiB by default:
--   about 1.8 million changes of 8-digit seqs) and holds at most 20,000,000; take
--   bounded batches then.
-- - max_changes N >= 1, a bounded batch: at most N (and at most what one batch may
--   hold) of those changes, the lowest seqs first. A transaction whose changes straddle
--   the cut is split across two batches.
-- The snapshot is REPEATABLE READ whatever the caller's isolation level: under READ
-- UNCOMMITTED a "snapshot" would hold changes of transactions still open (and later
-- rolled back), under SERIALIZABLE its reads would lock and wait for writers.
-- An unfinished batch of this consumer is returned again (resume after a crash); a
-- batch open for another consumer is an error (one consumer per log). Outside a
-- transaction. The snapshot is taken after the consumer lock, so it sees every earlier
-- call's commit.
DROP PROCEDURE IF EXISTS fingerprint.next_batch//
CREATE PROCEDURE fingerprint.next_batch(IN p_consumer VARCHAR(64) CHARACTER SET utf8mb4, IN p_max INT)
SQL SECURITY INVOKER MODIFIES SQL DATA
COMMENT 'hands out the next batch of committed changes'
BEGIN
    CALL fingerprint.next_batch_take(p_consumer, p_max, FALSE);
END//

-- CALL fingerprint.next_batch_per_table('consumer', max_changes): next_batch for a
-- consumer that stops tables one by one (fingerprint migrate); max_changes as there
-- (NULL: a snapshot batch, every committed transaction whole). A captured table that
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
    -- The most changes one batch holds (set in the snapshot, below). One more is read to
    -- tell "more wait".
    DECLARE v_most INT;
    DECLARE v_limit INT;
    DECLARE v_top BIGINT UNSIGNED;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        RESIGNAL;
    END;
    CALL fingerprint.check_argument(p_consumer <> '', 'next_batch needs a consumer name');
    CALL fingerprint.check_argument(p_max IS NULL OR p_max >= 1,
                                    'next_batch needs a batch size of at least 1 (or NULL: every committed change)');
    CALL fingerprint.check_outside_transaction('next_batch');
    -- For the next transaction only: a consistent read, whatever the session's level.
    SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
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
        -- The most changes one batch holds: JSON_ARRAYAGG builds the list of seqs ("[s,s]",
        -- none longer than the largest in the log) under group_concat_max_len (set to
        -- 1 GiB below) and fails or cuts it past max_allowed_packet (a cut list must
        -- never become a batch), so the list of one more than the most must fit; and at
        -- most 20,000,000.
        SELECT MAX(seq) INTO v_top FROM fingerprint.change_log;
        SET v_most = LEAST(20000000, GREATEST(1, FLOOR((@@max_allowed_packet - 1024)
                                                       / (LENGTH(COALESCE(v_top, 0)) + 1)) - 1));
        SET v_limit = LEAST(COALESCE(p_max, v_most + 1), v_most + 1);
        -- A row of the batch logged under a name and schema version that capture never
        -- registered was not written by capture: refuse, naming it.
        SELECT CONCAT(v.table_name, ' (schema version ', v.schema_version, ', seq ', v.seq, ')') INTO v_stray
          FROM (SELECT seq, table_name, schema_version FROM fingerprint.change_log ORDER BY seq LIMIT v_limit) AS v
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
          FROM (SELECT seq FROM fingerprint.change_log ORDER BY seq LIMIT v_limit) AS visible;
        SET SESSION group_concat_max_len = v_saved_gc_len;
        IF v_count > v_most THEN
            IF p_max IS NULL THEN
                SET v_message = CONCAT('next_batch refused: ', (SELECT COUNT(*) FROM fingerprint.change_log),
                                       ' committed changes wait in the log, more than the ', v_most,
                                       ' one snapshot batch may hold (its list of seqs must fit',
                                       ' max_allowed_packet, ', @@max_allowed_packet, ' bytes, and holds at most',
                                       ' 20000000): take bounded batches, next_batch(',
                                       QUOTE(p_consumer), ', max_changes) (fingerprint migrate --batch-changes N),',
                                       ' until fewer wait; a bounded batch may split a transaction at its cut');
                SIGNAL SQLSTATE '54000' SET MESSAGE_TEXT = v_message;
            END IF;
            -- A bounded batch larger than the most: the first v_most of it.
            SET SESSION group_concat_max_len = 1073741824;
            SELECT JSON_ARRAYAGG(seq ORDER BY seq), MIN(seq), MAX(seq), COUNT(*)
              INTO v_seqs, v_first, v_last, v_count
              FROM (SELECT seq FROM fingerprint.change_log ORDER BY seq LIMIT v_most) AS visible;
            SET SESSION group_concat_max_len = v_saved_gc_len;
        END IF;
        -- The list ends with its largest seq: a list cut at group_concat_max_len or
        -- max_allowed_packet does not.
        IF v_count > 0 AND NOT (RIGHT(v_seqs, LENGTH(v_last) + 2) IN (CONCAT(',', v_last, ']'),
                                                                       CONCAT('[', v_last, ']'))) THEN
            SET v_message = CONCAT('next_batch refused: the list of the batch''s ', v_count, ' seqs was cut',
                                   ' (group_concat_max_len or max_allowed_packet); nothing handed out: take',
                                   ' smaller batches',
                                   ' (max_changes)');
            SIGNAL SQLSTATE '54000' SET MESSAGE_TEXT = v_message;
        END IF;
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
-- REPEATABLE READ whatever the caller's isolation level.
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
    -- For this transaction only, as next_batch: the caller's READ UNCOMMITTED or READ
    -- COMMITTED would make its reads of the log wait on the row locks of open writers.
    SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
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
                      STRAIGHT_JOIN fingerprint.change_log c FORCE INDEX (PRIMARY) ON c.seq = j.seq
                     WHERE c.table_name = t.table_name), t.fingerprint)
         WHERE t.fingerprint IS NOT NULL;
        SET v_bad = (SELECT CONCAT(table_name, ': ', fingerprint) FROM fingerprint.capture_state
                      WHERE LEFT(fingerprint, 7) = 'error: ' LIMIT 1);
        IF v_bad IS NOT NULL THEN
            SET v_message = CONCAT('finish_batch ', p_batch, ': ', v_bad);
            SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
        END IF;
        DELETE c FROM JSON_TABLE(v_seqs, '$[*]' COLUMNS (seq BIGINT UNSIGNED PATH '$')) j
          STRAIGHT_JOIN fingerprint.change_log c FORCE INDEX (PRIMARY) ON c.seq = j.seq;
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
