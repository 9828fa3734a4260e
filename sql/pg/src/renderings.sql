-- renderings.sql: the log's row images as JSON, and the Debezium envelope
-- (docs/capture.md). Reading a view needs read access to the log and the registry.

-- A row image (canonical bytes) as a JSON object keyed by column_names, or an array.
CREATE FUNCTION fingerprint_image_json(image bytea, column_names text[]) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'fingerprint_image_json'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fingerprint_image_json(image bytea) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'fingerprint_image_json'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fingerprint_image_json(bytea, text[]) IS
    'Any role. Reads its arguments only; writes nothing. NULL gives NULL.';
COMMENT ON FUNCTION fingerprint_image_json(bytea) IS
    'Any role. Reads its argument only; writes nothing. NULL gives NULL.';

-- The log with its images as JSON objects keyed by column names (timestamps in UTC).
CREATE VIEW fingerprint.changes AS
SELECT l.seq, l.txid, l.op, l.table_name, l.schema_version,
       @extschema@.fingerprint_image_json(l.key_image, t.key_columns) AS key,
       @extschema@.fingerprint_image_json(l.old_key_image, t.key_columns) AS old_key,
       @extschema@.fingerprint_image_json(l.new_image, t.column_names) AS after,
       @extschema@.fingerprint_image_json(l.old_image, t.column_names) AS before,
       l.changed_columns, l.old_fingerprint, l.new_fingerprint, l.captured_at
FROM fingerprint.change_log l
LEFT JOIN fingerprint.capture_tables t ON t.table_name = l.table_name AND t.schema_version = l.schema_version;
COMMENT ON VIEW fingerprint.changes IS
    'The log with images as JSON (read access to the log and registry needed).';

-- The changes of an open batch, rendered like fingerprint.changes.
CREATE FUNCTION fingerprint.batch_changes_json(consumer text, batch_id bigint)
RETURNS SETOF fingerprint.changes
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.seq, l.txid, l.op, l.table_name, l.schema_version,
           @extschema@.fingerprint_image_json(l.key_image, t.key_columns),
           @extschema@.fingerprint_image_json(l.old_key_image, t.key_columns),
           @extschema@.fingerprint_image_json(l.new_image, t.column_names),
           @extschema@.fingerprint_image_json(l.old_image, t.column_names),
           l.changed_columns, l.old_fingerprint, l.new_fingerprint, l.captured_at
    FROM fingerprint.batch_changes(consumer, batch_id) l
    LEFT JOIN fingerprint.capture_tables t ON t.table_name = l.table_name AND t.schema_version = l.schema_version
    ORDER BY l.seq;
$$;
COMMENT ON FUNCTION fingerprint.batch_changes_json(text, bigint) IS
    'As fingerprint.batch_changes. Writes nothing. NULL consumer or batch_id is an error.';

-- The Debezium envelope: before/after, op c/u/d/t, source, ts_ms. Without old images,
-- before holds the key columns only (like Debezium with REPLICA IDENTITY DEFAULT).
CREATE VIEW fingerprint.debezium_changes AS
SELECT c.seq,
       coalesce(c.before, CASE c.op WHEN 'D' THEN c.key WHEN 'U' THEN coalesce(c.old_key, c.key) END) AS before,
       c.after,
       CASE c.op WHEN 'I' THEN 'c' WHEN 'U' THEN 'u' WHEN 'D' THEN 'd' WHEN 'T' THEN 't' END AS op,
       jsonb_build_object('connector', 'fingerprint', 'db', current_database(),
                          'schema', t.schema_name, 'table', t.relation_name,
                          'txId', c.txid::text::bigint, 'seq', c.seq,
                          'ts_ms', (extract(epoch FROM c.captured_at) * 1000)::bigint) AS source,
       (extract(epoch FROM c.captured_at) * 1000)::bigint AS ts_ms
FROM fingerprint.changes c
LEFT JOIN fingerprint.capture_tables t ON t.table_name = c.table_name AND t.schema_version = c.schema_version;
COMMENT ON VIEW fingerprint.debezium_changes IS
    'The log as Debezium envelopes (read access to the log and registry needed).';
