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
ALTER TABLE fingerprint.change_log SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                                        autovacuum_vacuum_insert_scale_factor = 0,
                                        autovacuum_vacuum_insert_threshold = 100000);

-- seq: taken when the trigger fires (uncached: monotonic per row); NOT commit order.
CREATE SEQUENCE fingerprint.change_log_seq;

SELECT pg_catalog.pg_extension_config_dump('fingerprint.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.change_log_seq', '');
COMMENT ON TABLE fingerprint.change_log IS
    'The change log: one row per captured change. Written only by fingerprint.capture_trigger(), removed by fingerprint.cleanup(); no grants (a DBA grants SELECT to consumers).';
COMMENT ON SEQUENCE fingerprint.change_log_seq IS
    'fingerprint.change_log.seq: taken when the capture trigger fires (capture order, not commit order).';
