-- fingerprint 1.0: content fingerprints of rows and tables (docs/postgresql.md).

\echo Use "CREATE EXTENSION fingerprint" to load this file. \quit

-- The fingerprint of one row: fp1:<algorithm>:<32 hex digits>. A NULL record gives NULL.
CREATE FUNCTION row_fingerprint(record) RETURNS text
    AS 'MODULE_PATHNAME', 'row_fingerprint'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION row_fingerprint(record, algorithm text) RETURNS text
    AS 'MODULE_PATHNAME', 'row_fingerprint'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- fingerprint_agg support functions. The state is internal (a fixed 40-byte struct in
-- the aggregate context); it crosses process boundaries as a 33-byte bytea.
CREATE FUNCTION fingerprint_agg_transfn(internal, record) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_transfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_transfn(internal, record, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_transfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_finalfn(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'fingerprint_agg_finalfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_combinefn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_serialfn(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'fingerprint_agg_serialfn'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_deserialfn(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_deserialfn'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The order-independent fingerprint of a set of rows: fp1:<algorithm>:<rows>:<32 hex>.
-- NULL records (outer-join holes) are skipped; no rows give fp1:xxh3:0:000...0.
CREATE AGGREGATE fingerprint_agg(record) (
    SFUNC = fingerprint_agg_transfn,
    STYPE = internal,
    FINALFUNC = fingerprint_agg_finalfn,
    COMBINEFUNC = fingerprint_agg_combinefn,
    SERIALFUNC = fingerprint_agg_serialfn,
    DESERIALFUNC = fingerprint_agg_deserialfn,
    PARALLEL = SAFE
);

CREATE AGGREGATE fingerprint_agg(record, algorithm text) (
    SFUNC = fingerprint_agg_transfn,
    STYPE = internal,
    FINALFUNC = fingerprint_agg_finalfn,
    COMBINEFUNC = fingerprint_agg_combinefn,
    SERIALFUNC = fingerprint_agg_serialfn,
    DESERIALFUNC = fingerprint_agg_deserialfn,
    PARALLEL = SAFE
);

-- fingerprint_agg over a whole table (partitions and inheritance children included),
-- optionally over some of its columns. It runs a query through SPI, hence PARALLEL
-- UNSAFE: the outer query stays serial so that the inner one may use parallel workers.
CREATE FUNCTION table_fingerprint(
    tbl regclass,
    include_columns text[] DEFAULT NULL,
    exclude_columns text[] DEFAULT NULL,
    algorithm text DEFAULT 'xxh3'
) RETURNS text
    AS 'MODULE_PATHNAME', 'table_fingerprint'
    LANGUAGE C STABLE PARALLEL UNSAFE;

-- ==== Bucketed fingerprints and row listings for drill-down (docs/diff.md) ====

-- Every live column of a table in ordinal order: its type, the value class fingerprint
-- gives it (exact, approx, string, date, timestamp, time, json or unsupported) and its
-- position in the primary key (NULL when not in it).
CREATE FUNCTION table_columns(tbl regclass)
RETURNS TABLE("position" integer, column_name text, data_type text, value_class text, key_position integer)
    AS 'MODULE_PATHNAME', 'table_columns'
    LANGUAGE C STABLE PARALLEL SAFE;

-- The fingerprint of every non-empty bucket of a table, from one pass over it. A row's
-- bucket is a hash of its key (the primary key, or key_columns) modulo buckets; the
-- fingerprints of all buckets add up to table_fingerprint over the same columns. filter
-- is a boolean SQL expression over the table's columns, run with the caller's
-- privileges. PARALLEL UNSAFE for the same reason as table_fingerprint.
CREATE FUNCTION bucket_fingerprints(
    tbl regclass,
    buckets integer,
    key_columns text[] DEFAULT NULL,
    include_columns text[] DEFAULT NULL,
    exclude_columns text[] DEFAULT NULL,
    filter text DEFAULT NULL,
    algorithm text DEFAULT 'xxh3'
) RETURNS TABLE(bucket integer, "rows" bigint, fingerprint text)
    AS 'MODULE_PATHNAME', 'bucket_fingerprints'
    LANGUAGE C STABLE PARALLEL UNSAFE;

-- The rows of the given buckets: key image (the canonical bytes of the key, identical on
-- every engine), key as a JSON array, row fingerprint and, with_images, the canonical
-- bytes of the fingerprinted columns. Ordered by bucket, key_image, fingerprint.
CREATE FUNCTION bucket_rows(
    tbl regclass,
    buckets integer,
    bucket_ids integer[],
    key_columns text[] DEFAULT NULL,
    include_columns text[] DEFAULT NULL,
    exclude_columns text[] DEFAULT NULL,
    filter text DEFAULT NULL,
    algorithm text DEFAULT 'xxh3',
    with_images boolean DEFAULT false
) RETURNS TABLE(bucket integer, key_image bytea, key_json text, fingerprint text, row_image bytea)
    AS 'MODULE_PATHNAME', 'bucket_rows'
    LANGUAGE C STABLE PARALLEL UNSAFE;

-- ==== Change capture, batches and incremental fingerprints (docs/capture.md) ====

-- Change capture lives in schema fingerprint (created here, which is why the extension
-- is not relocatable): the log, the registry of captured tables, the consumers and their
-- batches. The C trigger writes the log directly (no SQL per row); everything a DBA
-- calls is SQL below. Extension tables are dumped by pg_dump (pg_extension_config_dump).
CREATE SCHEMA fingerprint;
COMMENT ON SCHEMA fingerprint IS 'fingerprint change capture: log, captured tables, consumers (docs/capture.md)';

-- One row per (table, schema version): the column list the images of that version follow.
CREATE TABLE fingerprint.capture_tables (
    table_name text NOT NULL,          -- 'schema.table' when capture was enabled
    schema_version integer NOT NULL,
    schema_name text NOT NULL,
    relation_name text NOT NULL,
    relid oid NOT NULL,
    column_names text[] NOT NULL,
    column_types text[] NOT NULL,
    column_classes text[] NOT NULL,
    key_columns text[] NOT NULL,
    old_images boolean NOT NULL,
    skip_in_replica boolean NOT NULL,
    enabled boolean NOT NULL,
    enabled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, schema_version)
);

-- seq: taken when the trigger fires (uncached: monotonic per row); NOT commit order.
CREATE SEQUENCE fingerprint.change_log_seq;

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

-- Consumers read the log in snapshot batches (PgQ style). last_snapshot is the end of the
-- last finished batch (or the start); an open batch is (batch_id, batch_snapshot).
CREATE TABLE fingerprint.consumers (
    consumer text PRIMARY KEY,
    registered_at timestamptz NOT NULL DEFAULT now(),
    start_snapshot pg_snapshot NOT NULL,
    last_batch bigint NOT NULL DEFAULT 0,
    last_snapshot pg_snapshot NOT NULL,
    batch_id bigint,
    batch_snapshot pg_snapshot,
    batch_opened_at timestamptz,
    last_finished_at timestamptz
);

-- Changes with txid < horizon have been removed by fingerprint.cleanup().
CREATE TABLE fingerprint.cleanup_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    horizon xid8 NOT NULL DEFAULT '0',
    removed bigint NOT NULL DEFAULT 0,
    last_cleanup timestamptz
);
INSERT INTO fingerprint.cleanup_state DEFAULT VALUES;

SELECT pg_catalog.pg_extension_config_dump('fingerprint.capture_tables', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.change_log', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.change_log_seq', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.consumers', '');
SELECT pg_catalog.pg_extension_config_dump('fingerprint.cleanup_state', '');

-- The row trigger (AFTER INSERT/UPDATE/DELETE FOR EACH ROW) and the TRUNCATE statement
-- trigger; its arguments are written by fingerprint_capture_enable and name the table,
-- the schema version, the options, the key and the column signature.
CREATE FUNCTION fingerprint.capture_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'fingerprint_capture_trigger'
    LANGUAGE C;

-- The value class of every live column (errors on a type fingerprint cannot read).
CREATE FUNCTION fingerprint.column_classes(tbl regclass) RETURNS text[]
    AS 'MODULE_PATHNAME', 'fingerprint_column_classes'
    LANGUAGE C STABLE STRICT;

-- A row image (canonical bytes) as a JSON object keyed by column_names, or an array.
CREATE FUNCTION fingerprint_image_json(image bytea, column_names text[]) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'fingerprint_image_json'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fingerprint_image_json(image bytea) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'fingerprint_image_json'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Starts (or restarts) capture of a table: registers its column list (a new schema
-- version when columns or key changed) and (re)creates the two triggers. Idempotent.
CREATE FUNCTION fingerprint_capture_enable(
    tbl regclass,
    key_columns text[] DEFAULT NULL,
    old_images boolean DEFAULT false,
    skip_in_replica boolean DEFAULT false
) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel record;
    v_name text;
    v_cols text[];
    v_types text[];
    v_sig text[];
    v_classes text[];
    v_keys text[];
    v_key text;
    v_latest fingerprint.capture_tables;
    v_version integer;
    v_args text[];
    v_current text[];
    v_enabled "char";
    v_want "char";
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.relkind, n.nspname, c.relname INTO rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    IF rel.relkind = 'p' THEN
        RAISE EXCEPTION 'cannot capture changes of partitioned table "%.%"', rel.nspname, rel.relname
            USING ERRCODE = 'feature_not_supported', HINT = 'Enable capture on each partition.';
    ELSIF rel.relkind IS DISTINCT FROM 'r' THEN
        RAISE EXCEPTION '"%.%" is not a table', rel.nspname, rel.relname USING ERRCODE = 'wrong_object_type';
    END IF;
    v_name := rel.nspname || '.' || rel.relname;

    SELECT array_agg(a.attname::text ORDER BY a.attnum),
           array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum),
           array_agg(a.atttypid || ':' || a.atttypmod || ':' || a.attname ORDER BY a.attnum)
    INTO v_cols, v_types, v_sig
    FROM pg_attribute a WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped;
    IF v_cols IS NULL THEN
        RAISE EXCEPTION 'table "%" has no columns', v_name USING ERRCODE = 'invalid_table_definition';
    END IF;
    v_classes := fingerprint.column_classes(tbl);

    IF key_columns IS NULL THEN
        SELECT array_agg(a.attname::text ORDER BY k.ord) INTO v_keys
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = tbl AND i.indisprimary;
        IF v_keys IS NULL THEN
            RAISE EXCEPTION 'table "%" has no primary key', v_name
                USING ERRCODE = 'invalid_table_definition',
                      HINT = 'Pass key_columns naming NOT NULL columns that identify a row.';
        END IF;
    ELSE
        IF cardinality(key_columns) = 0 THEN
            RAISE EXCEPTION 'key_columns of table "%" must not be empty', v_name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        FOREACH v_key IN ARRAY key_columns LOOP
            IF v_key IS NULL OR NOT v_key = ANY (v_cols) THEN
                RAISE EXCEPTION 'key column "%" of table "%" does not exist', v_key, v_name
                    USING ERRCODE = 'undefined_column';
            END IF;
            IF NOT (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = v_key) THEN
                RAISE EXCEPTION 'key column "%" of table "%" must be NOT NULL', v_key, v_name
                    USING ERRCODE = 'invalid_table_definition',
                          HINT = 'A nullable column cannot identify a row.';
            END IF;
        END LOOP;
        IF (SELECT count(DISTINCT k) FROM unnest(key_columns) k) <> cardinality(key_columns) THEN
            RAISE EXCEPTION 'key_columns of table "%" name a column twice', v_name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_keys := key_columns;
    END IF;

    SELECT * INTO v_latest FROM fingerprint.capture_tables t
    WHERE t.table_name = v_name ORDER BY t.schema_version DESC LIMIT 1 FOR UPDATE;
    IF FOUND AND v_latest.column_names = v_cols AND v_latest.column_types = v_types
            AND v_latest.key_columns = v_keys THEN
        v_version := v_latest.schema_version;
        UPDATE fingerprint.capture_tables t
        SET relid = tbl, old_images = fingerprint_capture_enable.old_images,
            skip_in_replica = fingerprint_capture_enable.skip_in_replica, enabled = true,
            column_classes = v_classes
        WHERE t.table_name = v_name AND t.schema_version = v_version;
    ELSE
        v_version := coalesce(v_latest.schema_version, 0) + 1;
        UPDATE fingerprint.capture_tables t SET enabled = false WHERE t.table_name = v_name;
        INSERT INTO fingerprint.capture_tables (table_name, schema_version, schema_name, relation_name, relid,
            column_names, column_types, column_classes, key_columns, old_images, skip_in_replica, enabled)
        VALUES (v_name, v_version, rel.nspname, rel.relname, tbl, v_cols, v_types, v_classes, v_keys,
            fingerprint_capture_enable.old_images, fingerprint_capture_enable.skip_in_replica, true);
    END IF;

    -- A renamed table is registered under its new name; the old name's rows stay readable.
    UPDATE fingerprint.capture_tables t SET enabled = false
    WHERE t.relid = tbl AND t.table_name <> v_name AND t.enabled;

    -- The trigger arguments carry everything the C trigger needs, so it never queries.
    v_args := ARRAY[v_name, v_version::text, fingerprint_capture_enable.old_images::text,
                    fingerprint_capture_enable.skip_in_replica::text, cardinality(v_keys)::text]
              || v_keys || v_sig;
    -- Unchanged triggers are left alone (no lock is taken twice for nothing).
    SELECT string_to_array(encode(tg.tgargs, 'escape'), '\000'), tg.tgenabled INTO v_current, v_enabled
    FROM pg_trigger tg WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture';
    v_want := CASE WHEN fingerprint_capture_enable.skip_in_replica THEN 'O' ELSE 'A' END;
    IF v_current IS NOT NULL AND v_current[1:cardinality(v_args)] = v_args AND v_enabled = v_want
            AND cardinality(v_current) = cardinality(v_args) + 1   -- tgargs ends with a NUL
            AND EXISTS (SELECT 1 FROM pg_trigger tg
                        WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture_truncate'
                          AND tg.tgenabled = v_enabled) THEN
        RETURN v_version;
    END IF;
    IF v_current IS NOT NULL THEN
        EXECUTE format('DROP TRIGGER fingerprint_capture ON %s', tbl);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture_truncate') THEN
        EXECUTE format('DROP TRIGGER fingerprint_capture_truncate ON %s', tbl);
    END IF;
    EXECUTE format('CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION fingerprint.capture_trigger(%s)',
                   tbl, (SELECT string_agg(quote_literal(a), ', ') FROM unnest(v_args) a));
    EXECUTE format('CREATE TRIGGER fingerprint_capture_truncate AFTER TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION fingerprint.capture_trigger(%s)',
                   tbl, (SELECT string_agg(quote_literal(a), ', ') FROM unnest(v_args) a));
    -- Ordinary triggers do not fire under session_replication_role = replica; capture
    -- that must see a replica-role writer (a logical replication subscriber, a replayer)
    -- needs ENABLE ALWAYS.
    IF NOT fingerprint_capture_enable.skip_in_replica THEN
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER fingerprint_capture, '
                       'ENABLE ALWAYS TRIGGER fingerprint_capture_truncate', tbl);
    END IF;
    RETURN v_version;
END;
$$;

-- Stops capture of a table: drops its triggers. The log and the registry are kept (old
-- changes stay readable). Returns false when capture was not on. Idempotent.
CREATE FUNCTION fingerprint_capture_disable(tbl regclass) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_had boolean;
    v_trigger name;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    v_had := false;
    FOR v_trigger IN
        SELECT tg.tgname FROM pg_trigger tg
        WHERE tg.tgrelid = tbl AND tg.tgname IN ('fingerprint_capture', 'fingerprint_capture_truncate')
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', v_trigger, tbl);
        v_had := true;
    END LOOP;
    UPDATE fingerprint.capture_tables t SET enabled = false WHERE t.relid = tbl AND t.enabled;
    RETURN v_had;
END;
$$;

-- After ALTER TABLE on a captured table, capture is re-enabled with the same options so
-- that the new column list gets a new schema version in the same transaction. If that
-- fails (a key column was dropped), the ALTER fails: capture never logs images that
-- follow an unregistered column list. (The trigger also checks, and refuses to log.)
-- SECURITY DEFINER: it runs on every ALTER TABLE, by any role, and reads the registry.
CREATE FUNCTION fingerprint.capture_after_alter() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT DISTINCT ON (ct.relid) ct.relid, ct.key_columns, ct.old_images, ct.skip_in_replica,
               ct.column_names, ct.column_types
        FROM fingerprint.capture_tables ct
        JOIN pg_event_trigger_ddl_commands() d ON d.objid = ct.relid
        WHERE ct.enabled AND d.classid = 'pg_class'::regclass
        ORDER BY ct.relid, ct.schema_version DESC
    LOOP
        -- Nothing to do when the columns are the registered ones (this also ends the
        -- recursion through enable's own ALTER TABLE ... ENABLE ALWAYS TRIGGER).
        CONTINUE WHEN (SELECT array_agg(a.attname::text ORDER BY a.attnum) = t.column_names
                              AND array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) = t.column_types
                       FROM pg_attribute a WHERE a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped);
        PERFORM @extschema@.fingerprint_capture_enable(t.relid::regclass, t.key_columns, t.old_images,
                                                       t.skip_in_replica);
    END LOOP;
END;
$$;

CREATE EVENT TRIGGER fingerprint_capture_after_alter ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION fingerprint.capture_after_alter();

-- A dropped table's registration is marked disabled (its triggers went with it).
CREATE FUNCTION fingerprint.capture_after_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE fingerprint.capture_tables t SET enabled = false
    FROM pg_event_trigger_dropped_objects() d
    WHERE t.enabled AND d.classid = 'pg_class'::regclass AND d.objid = t.relid AND d.objsubid = 0;
END;
$$;

CREATE EVENT TRIGGER fingerprint_capture_after_drop ON sql_drop
    EXECUTE FUNCTION fingerprint.capture_after_drop();

-- ---- Consumption: snapshot batches ------------------------------------------------------

-- Registers a consumer whose first batch starts after start_snapshot (default: now). For
-- the copy seam, register before the copy, then call again with the copy's snapshot
-- (allowed until the consumer's first batch). Returns the start snapshot.
CREATE FUNCTION fingerprint.register_consumer(consumer text, start_snapshot pg_snapshot DEFAULT NULL)
RETURNS pg_snapshot
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_start pg_snapshot := coalesce(start_snapshot, pg_current_snapshot());
    v_horizon xid8;
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT s.horizon INTO v_horizon FROM fingerprint.cleanup_state s FOR UPDATE;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = register_consumer.consumer FOR UPDATE;
    IF FOUND AND start_snapshot IS NULL THEN
        RETURN c.start_snapshot;
    END IF;
    IF pg_snapshot_xmin(v_start) < v_horizon THEN
        RAISE EXCEPTION 'cannot start consumer "%" at snapshot %', consumer, v_start
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('fingerprint.cleanup() already removed changes of transactions before %s.', v_horizon),
                  HINT = 'Register the consumer before taking the copy.';
    END IF;
    IF NOT FOUND THEN
        INSERT INTO fingerprint.consumers (consumer, start_snapshot, last_snapshot)
        VALUES (register_consumer.consumer, v_start, v_start);
        RETURN v_start;
    END IF;
    IF c.last_batch <> 0 OR c.batch_id IS NOT NULL THEN
        RAISE EXCEPTION 'consumer "%" has already taken batches; its start cannot move', consumer
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE fingerprint.consumers k SET start_snapshot = v_start, last_snapshot = v_start
    WHERE k.consumer = register_consumer.consumer;
    RETURN v_start;
END;
$$;

-- Forgets a consumer (its unconsumed changes become removable). False if unknown.
CREATE FUNCTION fingerprint.unregister_consumer(consumer text) RETURNS boolean
    LANGUAGE sql SET search_path = pg_catalog, pg_temp
AS $$
    WITH d AS (DELETE FROM fingerprint.consumers k WHERE k.consumer = unregister_consumer.consumer RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM d);
$$;

-- The consumer's open batch, or a new one ending at the current snapshot; NULL when no
-- transaction has committed changes since the last batch. Calling it again before
-- finish_batch returns the same batch.
CREATE FUNCTION fingerprint.next_batch(consumer text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
    v_snapshot pg_snapshot;
BEGIN
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = next_batch.consumer FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object',
            HINT = 'Call fingerprint.register_consumer first.';
    END IF;
    IF c.batch_id IS NOT NULL THEN
        RETURN c.batch_id;
    END IF;
    v_snapshot := pg_current_snapshot();
    IF NOT EXISTS (
        SELECT 1 FROM fingerprint.change_log l
        WHERE l.txid >= pg_snapshot_xmin(c.last_snapshot) AND l.txid < pg_snapshot_xmax(v_snapshot)
          AND pg_visible_in_snapshot(l.txid, v_snapshot) AND NOT pg_visible_in_snapshot(l.txid, c.last_snapshot)) THEN
        -- Nothing new: every change visible now was visible before, so moving the position
        -- loses nothing and keeps the next search short.
        UPDATE fingerprint.consumers k SET last_snapshot = v_snapshot WHERE k.consumer = next_batch.consumer;
        RETURN NULL;
    END IF;
    UPDATE fingerprint.consumers k
    SET batch_id = c.last_batch + 1, batch_snapshot = v_snapshot, batch_opened_at = clock_timestamp()
    WHERE k.consumer = next_batch.consumer;
    RETURN c.last_batch + 1;
END;
$$;

-- The changes of the consumer's open batch: committed after its previous batch's snapshot
-- and by this batch's snapshot, in capture order.
CREATE FUNCTION fingerprint.batch_changes(consumer text, batch_id bigint)
RETURNS SETOF fingerprint.change_log
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
BEGIN
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = batch_changes.consumer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object';
    END IF;
    IF c.batch_id IS DISTINCT FROM batch_changes.batch_id THEN
        RAISE EXCEPTION 'batch % is not the open batch of consumer "%"', batch_id, consumer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = CASE WHEN c.batch_id IS NULL THEN 'The consumer has no open batch; its last finished batch is '
                                     || c.last_batch || '.'
                                ELSE 'Its open batch is ' || c.batch_id || '.' END;
    END IF;
    RETURN QUERY
    SELECT l.* FROM fingerprint.change_log l
    WHERE l.txid >= pg_snapshot_xmin(c.last_snapshot) AND l.txid < pg_snapshot_xmax(c.batch_snapshot)
      AND pg_visible_in_snapshot(l.txid, c.batch_snapshot) AND NOT pg_visible_in_snapshot(l.txid, c.last_snapshot)
    ORDER BY l.seq;
END;
$$;

-- Confirms a batch: the consumer moves past it. True when it was the open batch, false
-- when it was already finished (a retry after a lost reply); an error otherwise.
CREATE FUNCTION fingerprint.finish_batch(consumer text, batch_id bigint) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
BEGIN
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = finish_batch.consumer FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object';
    END IF;
    IF c.batch_id = finish_batch.batch_id THEN
        UPDATE fingerprint.consumers k
        SET last_batch = c.batch_id, last_snapshot = c.batch_snapshot, batch_id = NULL, batch_snapshot = NULL,
            batch_opened_at = NULL, last_finished_at = clock_timestamp()
        WHERE k.consumer = finish_batch.consumer;
        RETURN true;
    ELSIF c.batch_id IS NULL AND finish_batch.batch_id <= c.last_batch THEN
        RETURN false;
    END IF;
    RAISE EXCEPTION 'batch % is not the open batch of consumer "%"', batch_id, consumer
        USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;

-- Removes at most max_rows changes that every consumer has passed (committed before the
-- oldest consumer position); returns how many. Nothing is removed while no consumer is
-- registered. Call it in a loop (one short transaction per call) until it returns 0.
CREATE FUNCTION fingerprint.cleanup(max_rows integer DEFAULT 10000) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_horizon xid8;
    v_removed bigint;
BEGIN
    IF max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'max_rows must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM 1 FROM fingerprint.cleanup_state FOR UPDATE;
    SELECT min(pg_snapshot_xmin(k.last_snapshot)) INTO v_horizon FROM fingerprint.consumers k;
    IF v_horizon IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM fingerprint.change_log l
    WHERE l.ctid = ANY (ARRAY(SELECT l2.ctid FROM fingerprint.change_log l2 WHERE l2.txid < v_horizon
                              LIMIT max_rows));
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    UPDATE fingerprint.cleanup_state
    SET horizon = greatest(horizon, v_horizon), removed = removed + v_removed, last_cleanup = clock_timestamp();
    RETURN v_removed;
END;
$$;

-- ---- Renderings ---------------------------------------------------------------------------

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

-- ---- Incremental fingerprints -------------------------------------------------------------

CREATE FUNCTION fingerprint_advance_transfn(internal, text, text, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_advance_transfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_advance_finalfn(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'fingerprint_advance_finalfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A stored table fingerprint advanced over changes (ORDER BY seq): for each row, minus
-- old_fingerprint, plus new_fingerprint; 'T' resets to the empty table. The start is the
-- first argument of the first row. No rows give NULL.
CREATE AGGREGATE fingerprint_advance(start_fingerprint text, op text, old_fingerprint text, new_fingerprint text) (
    SFUNC = fingerprint_advance_transfn,
    STYPE = internal,
    FINALFUNC = fingerprint_advance_finalfn
);
