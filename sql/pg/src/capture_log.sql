-- capture_log.sql: the change log the capture trigger writes (docs/capture.md). No grants:
-- only the trigger (running as whoever writes a captured table, through C code that checks
-- the registry) and the extension's owner write it.

-- The change log (docs/capture.md). Written only by fingerprint.capture_trigger(); one
-- index, on txid, which is what batches and cleanup search by.
CREATE TABLE fingerprint.change_log (
    seq bigint NOT NULL,
    txid xid8 NOT NULL,
    op char(1) NOT NULL,
    table_name text NOT NULL,
    schema_version integer NOT NULL,
    key_image bytea,
    old_key_image bytea,
    new_image bytea,
    old_image bytea,
    changed_columns text[],
    old_fingerprint text,
    new_fingerprint text,
    captured_at timestamptz NOT NULL
);
CREATE INDEX change_log_txid ON fingerprint.change_log (txid);

-- A queue table: rows are appended and removed by fingerprint.cleanup(); vacuum it after
-- every 10,000 removed rows whatever its size, so the freed space is reused, not grown.
-- vacuum_truncate = false (1.6): vacuum keeps the empty pages at the end for the next
-- writers instead of giving them back, which would make each writer extend the log again
-- one page at a time (a fifth of a captured statement; bench/RESULTS.md, "Change capture
-- in 1.6") and take an ACCESS EXCLUSIVE lock that writers queue behind.
ALTER TABLE fingerprint.change_log SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                                        autovacuum_vacuum_insert_scale_factor = 0,
                                        autovacuum_vacuum_insert_threshold = 100000,
                                        vacuum_truncate = false);

-- seq: given to a statement's log rows when they are written, in the order the trigger
-- fired, one nextval per 1,000 rows (1.4: INCREMENT BY 1000 reserves the values up to the
-- next nextval; uncached, so monotonic across sessions); NOT commit order.
CREATE SEQUENCE fingerprint.change_log_seq INCREMENT BY 1000;

SELECT pg_catalog.pg_extension_config_dump('fingerprint.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.change_log_seq', '');
COMMENT ON TABLE fingerprint.change_log IS
    'The change log: one row per captured change. Written only by fingerprint.capture_trigger(), removed by fingerprint.cleanup(); no grants (a DBA grants SELECT to consumers).';
COMMENT ON SEQUENCE fingerprint.change_log_seq IS
    'fingerprint.change_log.seq: one nextval numbers up to 1,000 log rows when they are written (capture order, not commit order). Used only by the capture trigger; no grants.';
