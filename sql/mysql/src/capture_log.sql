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
