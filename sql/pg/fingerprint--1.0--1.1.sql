-- fingerprint 1.0 -> 1.1 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql is 1.0 as released and is never edited; every change since is
-- here. An update keeps fingerprint.change_log, the registrations and the consumers
-- (docs/upgrading.md). CREATE EXTENSION fingerprint runs 1.0, then this script.
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.1 changes:
--  * The capture trigger trusts only fingerprint.capture_tables, looked up by the
--    trigger's relation OID: a trigger that calls it on an unregistered table, under
--    another name or with arguments is refused, so no role can forge log rows for
--    another table. Triggers take no arguments any more.
--  * A table's name in the log and the registry is quote_ident(schema).quote_ident(table)
--    ("a.b".c and a."b.c" differ; ordinary names are unchanged: public.orders).
--  * Registrations are keyed by relation OID. A captured table that is renamed (ALTER
--    TABLE RENAME / SET SCHEMA, ALTER SCHEMA RENAME) keeps being captured under its new
--    name, as a new schema version; a dropped and recreated table is a new table.
--  * Only the two triggers enable created (capture_tables.trigger_oids), in enable's exact
--    form, are trusted; CREATE TRIGGER of look-alikes on a captured table is refused.
--  * While capture is on, DDL that changes stored values without row triggers is
--    refused: table rewrites, any type or typmod change of an existing column, enum label
--    renames, a key column made nullable; judged by relation OID, whatever the table is
--    called now, also where a parent's command recurses into a captured child. The event
--    triggers are ENABLE ALWAYS (they fire under session_replication_role = replica).
--  * enable and disable lock the table before reading triggers and registration, and
--    refuse REPEATABLE READ / SERIALIZABLE (except enable called by the event trigger).
--  * Consumer snapshots count the caller's own transaction as in progress; a start
--    snapshot that counts a running transaction as seen is refused.
--  * NULL arguments are refused with a message everywhere; every object says who may
--    call it and what it writes (COMMENT ON).
--  * fingerprint.version().

-- ---- Locks ------------------------------------------------------------------------------
-- The update re-creates the capture triggers of every captured table (DROP TRIGGER takes
-- ACCESS EXCLUSIVE), and those locks are held until the update commits. They are all
-- taken here, first, in one order (by OID), so that the update never holds one captured
-- table while waiting for another halfway through (docs/upgrading.md: set lock_timeout
-- and retry, in a quiet period).
DO $$
DECLARE
    v_rel oid;
BEGIN
    FOR v_rel IN
        SELECT DISTINCT tg.tgrelid FROM pg_catalog.pg_trigger tg
        WHERE tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure ORDER BY tg.tgrelid
    LOOP
        EXECUTE pg_catalog.format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_rel::regclass);
    END LOOP;
END;
$$;

-- ---- The registry: column signature, lookup by OID, quoted names ------------------------

-- One "typeoid:typmod:name" per live column: what the trigger checks the table against.
ALTER TABLE fingerprint.capture_tables ADD COLUMN column_signature text[];
COMMENT ON COLUMN fingerprint.capture_tables.table_name IS
    'quote_ident(schema) || ''.'' || quote_ident(table) when the version was registered';
COMMENT ON COLUMN fingerprint.capture_tables.relid IS
    'the relation captured; at most one enabled row per relid, which the capture trigger reads';
CREATE INDEX capture_tables_relid ON fingerprint.capture_tables (relid);
-- The OIDs of the two triggers enable created ({row trigger, truncate trigger}): the
-- capture trigger trusts a call only from one of these, in exactly the form enable gave
-- it. NULL while enable is (re)creating them.
ALTER TABLE fingerprint.capture_tables ADD COLUMN trigger_oids oid[];
COMMENT ON COLUMN fingerprint.capture_tables.trigger_oids IS
    'the capture triggers fingerprint_capture_enable created ({row, truncate}); no other trigger is trusted';

-- 1.0 logged schema || '.' || table unquoted. Names that need quotes move to the quoted
-- form, in the registry and in the log rows of the same (name, version), so that the log
-- keeps joining its registration. Ordinary names are already in that form: no row moves.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT t.table_name AS old_name, t.schema_version,
               pg_catalog.quote_ident(t.schema_name) || '.' || pg_catalog.quote_ident(t.relation_name) AS new_name
        FROM fingerprint.capture_tables t
        WHERE t.table_name <> pg_catalog.quote_ident(t.schema_name) || '.' || pg_catalog.quote_ident(t.relation_name)
    LOOP
        UPDATE fingerprint.change_log l SET table_name = r.new_name
        WHERE l.table_name = r.old_name AND l.schema_version = r.schema_version;
        UPDATE fingerprint.capture_tables t SET table_name = r.new_name
        WHERE t.table_name = r.old_name AND t.schema_version = r.schema_version;
    END LOOP;
END;
$$;

-- ---- The trigger ------------------------------------------------------------------------

-- 1.1's C function checks its relation against the registry. (The library still exports
-- 1.0's symbol, with 1.0's behaviour, for installs not yet updated.)
CREATE OR REPLACE FUNCTION fingerprint.capture_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'fingerprint_capture_trigger_v11'
    LANGUAGE C;

-- Every backend drops its cached capture entry of the table at commit. Only the table's
-- owner (or a superuser) may call it.
CREATE FUNCTION fingerprint.capture_invalidate(tbl regclass) RETURNS void
    AS 'MODULE_PATHNAME', 'fingerprint_capture_invalidate'
    LANGUAGE C STRICT;

-- ---- Enable / disable -------------------------------------------------------------------

CREATE OR REPLACE FUNCTION fingerprint_capture_enable(
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
    v_max integer;
    v_version integer;
    v_want "char";
    v_trusted oid[];
    v_oids oid[];
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'table must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF fingerprint_capture_enable.old_images IS NULL OR fingerprint_capture_enable.skip_in_replica IS NULL THEN
        RAISE EXCEPTION 'old_images and skip_in_replica of table % must not be NULL', tbl
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.relkind, n.nspname, c.relname INTO rel
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'relation with OID % does not exist', tbl::oid USING ERRCODE = 'undefined_table';
    END IF;
    v_name := quote_ident(rel.nspname) || '.' || quote_ident(rel.relname);
    IF rel.relkind = 'p' THEN
        RAISE EXCEPTION 'cannot capture changes of partitioned table %', v_name
            USING ERRCODE = 'feature_not_supported', HINT = 'Enable capture on each partition.';
    ELSIF rel.relkind IS DISTINCT FROM 'r' THEN
        RAISE EXCEPTION '% is not a table', v_name USING ERRCODE = 'wrong_object_type';
    END IF;
    -- Under REPEATABLE READ or SERIALIZABLE every query below reads the transaction's
    -- snapshot, which may predate the lock: a concurrent enable or disable that committed
    -- while this one waited would be invisible. Refused there, except for the call the
    -- after-ALTER event trigger makes (fingerprint.capture_in_event_call): holding the table
    -- is not enough, a snapshot taken before the lock stays stale.
    IF current_setting('transaction_isolation') <> 'read committed'
       AND NOT fingerprint.capture_in_event_call() THEN
        RAISE EXCEPTION '% of table % must run in a READ COMMITTED transaction', 'fingerprint_capture_enable', tbl
            USING ERRCODE = 'invalid_transaction_state',
                  HINT = 'Call it in its own transaction at the default isolation level.';
    END IF;
    -- The lock CREATE TRIGGER takes, first: an enable or disable of the same table running
    -- meanwhile has committed (or rolled back) before anything below is read, so the
    -- triggers and the registration read here are the current ones.
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', tbl);
    SELECT n.nspname, c.relname INTO rel.nspname, rel.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    v_name := quote_ident(rel.nspname) || '.' || quote_ident(rel.relname);
    -- The triggers the current registration trusts (created by an earlier enable).
    SELECT t.trigger_oids INTO v_trusted FROM fingerprint.capture_tables t
    WHERE t.relid = tbl AND t.enabled ORDER BY t.schema_version DESC LIMIT 1;

    SELECT array_agg(a.attname::text ORDER BY a.attnum),
           array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum),
           array_agg(a.atttypid || ':' || a.atttypmod || ':' || a.attname ORDER BY a.attnum)
    INTO v_cols, v_types, v_sig
    FROM pg_attribute a WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped;
    IF v_cols IS NULL THEN
        RAISE EXCEPTION 'table % has no columns', v_name USING ERRCODE = 'invalid_table_definition';
    END IF;
    v_classes := fingerprint.column_classes(tbl);

    IF key_columns IS NULL THEN
        SELECT array_agg(a.attname::text ORDER BY k.ord) INTO v_keys
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = tbl AND i.indisprimary;
        IF v_keys IS NULL THEN
            RAISE EXCEPTION 'table % has no primary key', v_name
                USING ERRCODE = 'invalid_table_definition',
                      HINT = 'Pass key_columns naming NOT NULL columns that identify a row.';
        END IF;
    ELSE
        IF cardinality(key_columns) = 0 THEN
            RAISE EXCEPTION 'key_columns of table % must not be empty', v_name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF array_position(key_columns, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'key_columns of table % must not contain NULL', v_name
                USING ERRCODE = 'null_value_not_allowed';
        END IF;
        FOREACH v_key IN ARRAY key_columns LOOP
            IF v_key IS NULL OR NOT v_key = ANY (v_cols) THEN
                RAISE EXCEPTION 'key column "%" of table % does not exist', v_key, v_name
                    USING ERRCODE = 'undefined_column';
            END IF;
            IF NOT (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = v_key) THEN
                RAISE EXCEPTION 'key column "%" of table % must be NOT NULL', v_key, v_name
                    USING ERRCODE = 'invalid_table_definition',
                          HINT = 'A nullable column cannot identify a row.';
            END IF;
        END LOOP;
        IF (SELECT count(DISTINCT k) FROM unnest(key_columns) k) <> cardinality(key_columns) THEN
            RAISE EXCEPTION 'key_columns of table % name a column twice', v_name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_keys := key_columns;
    END IF;

    -- A registration is this relation's (by OID) under its current name. It is reused when
    -- it is still the name's latest version and its columns and key are the current ones;
    -- otherwise a new version follows the name's latest (log rows join on name + version,
    -- so a recreated table under an old name never shares a version with the old table).
    SELECT max(t.schema_version) INTO v_max FROM fingerprint.capture_tables t WHERE t.table_name = v_name;
    SELECT * INTO v_latest FROM fingerprint.capture_tables t
    WHERE t.relid = tbl AND t.table_name = v_name ORDER BY t.schema_version DESC LIMIT 1 FOR UPDATE;
    IF FOUND AND v_latest.schema_version = v_max AND v_latest.key_columns = v_keys
            AND (v_latest.column_signature = v_sig
                 OR (v_latest.column_signature IS NULL     -- registered by 1.0
                     AND v_latest.column_names = v_cols AND v_latest.column_types = v_types)) THEN
        v_version := v_latest.schema_version;
        UPDATE fingerprint.capture_tables t
        SET old_images = fingerprint_capture_enable.old_images,
            skip_in_replica = fingerprint_capture_enable.skip_in_replica, enabled = true,
            column_classes = v_classes, column_types = v_types, column_signature = v_sig, trigger_oids = NULL
        WHERE t.table_name = v_name AND t.schema_version = v_version;
    ELSE
        v_version := coalesce(v_max, 0) + 1;
        INSERT INTO fingerprint.capture_tables (table_name, schema_version, schema_name, relation_name, relid,
            column_names, column_types, column_classes, key_columns, old_images, skip_in_replica, enabled,
            column_signature)
        VALUES (v_name, v_version, rel.nspname, rel.relname, tbl, v_cols, v_types, v_classes, v_keys,
            fingerprint_capture_enable.old_images, fingerprint_capture_enable.skip_in_replica, true, v_sig);
    END IF;
    -- One enabled registration per relation (older versions, older names) and per name
    -- (a dropped table's, when the drop event trigger did not run).
    UPDATE fingerprint.capture_tables t SET enabled = false
    WHERE t.enabled AND (t.relid = tbl OR t.table_name = v_name)
      AND NOT (t.table_name = v_name AND t.schema_version = v_version);

    -- The triggers take no arguments: the C trigger reads this registration. Only the two
    -- triggers an earlier enable created (their OIDs are in the registration) are kept, and
    -- only in exactly enable's form; anything else under these names (a look-alike made
    -- after a DROP TRIGGER, a WHEN clause, UPDATE OF columns, a constraint trigger) is
    -- dropped and both are created again.
    v_want := CASE WHEN fingerprint_capture_enable.skip_in_replica THEN 'O' ELSE 'A' END;
    SELECT array_agg(tg.oid ORDER BY tg.tgtype) INTO v_oids FROM pg_trigger tg
    WHERE tg.tgrelid = tbl AND tg.oid = ANY (coalesce(v_trusted, '{}'))
      AND tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure
      AND tg.tgnargs = 0 AND tg.tgenabled = v_want AND tg.tgqual IS NULL
      AND coalesce(array_length(tg.tgattr::int2[], 1), 0) = 0
      AND tg.tgconstraint = 0 AND NOT tg.tgisinternal AND NOT tg.tgdeferrable AND NOT tg.tginitdeferred
      AND tg.tgoldtable IS NULL AND tg.tgnewtable IS NULL AND tg.tgparentid = 0
      AND ((tg.tgname = 'fingerprint_capture' AND tg.tgtype = 29)               -- AFTER ROW I/U/D
           OR (tg.tgname = 'fingerprint_capture_truncate' AND tg.tgtype = 32));  -- AFTER TRUNCATE
    IF coalesce(cardinality(v_oids), 0) <> 2 THEN
        IF EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture') THEN
            EXECUTE format('DROP TRIGGER fingerprint_capture ON %s', tbl);
        END IF;
        IF EXISTS (SELECT 1 FROM pg_trigger tg WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture_truncate') THEN
            EXECUTE format('DROP TRIGGER fingerprint_capture_truncate ON %s', tbl);
        END IF;
        EXECUTE format('CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON %s '
                       'FOR EACH ROW EXECUTE FUNCTION fingerprint.capture_trigger()', tbl);
        EXECUTE format('CREATE TRIGGER fingerprint_capture_truncate AFTER TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION fingerprint.capture_trigger()', tbl);
        -- Ordinary triggers do not fire under session_replication_role = replica; capture
        -- that must see a replica-role writer (a logical replication subscriber, a
        -- replayer) needs ENABLE ALWAYS.
        IF NOT fingerprint_capture_enable.skip_in_replica THEN
            EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER fingerprint_capture, '
                           'ENABLE ALWAYS TRIGGER fingerprint_capture_truncate', tbl);
        END IF;
        v_oids := ARRAY[(SELECT tg.oid FROM pg_trigger tg WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture'),
                        (SELECT tg.oid FROM pg_trigger tg WHERE tg.tgrelid = tbl AND tg.tgname = 'fingerprint_capture_truncate')];
    END IF;
    UPDATE fingerprint.capture_tables t SET trigger_oids = v_oids
    WHERE t.table_name = v_name AND t.schema_version = v_version;
    -- Options may have changed without any trigger change: backends re-read the registry.
    PERFORM fingerprint.capture_invalidate(tbl);
    RETURN v_version;
END;
$$;

CREATE OR REPLACE FUNCTION fingerprint_capture_disable(tbl regclass) RETURNS boolean
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
    -- The lock CREATE TRIGGER takes, first: a concurrent enable of this table has committed
    -- (its triggers and registration are then read and undone below) or rolled back.
    IF EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = tbl) THEN
        -- Under REPEATABLE READ or SERIALIZABLE every query below reads the transaction's
        -- snapshot, which may predate the lock: a concurrent enable or disable that committed
        -- while this one waited would be invisible (disable would answer false while capture
        -- stays on). Always refused there, whatever the transaction holds.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
            RAISE EXCEPTION '% of table % must run in a READ COMMITTED transaction', 'fingerprint_capture_disable', tbl
                USING ERRCODE = 'invalid_transaction_state',
                      HINT = 'Call it in its own transaction at the default isolation level.';
        END IF;
        EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', tbl);
    END IF;
    FOR v_trigger IN
        SELECT tg.tgname FROM pg_trigger tg
        WHERE tg.tgrelid = tbl AND tg.tgname IN ('fingerprint_capture', 'fingerprint_capture_truncate')
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', v_trigger, tbl);
        v_had := true;
    END LOOP;
    UPDATE fingerprint.capture_tables t SET enabled = false WHERE t.relid = tbl AND t.enabled;
    -- A disabled registration is no longer trusted by any backend, whatever trigger remains.
    IF EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = tbl) THEN
        PERFORM fingerprint.capture_invalidate(tbl);
    END IF;
    RETURN v_had;
END;
$$;

-- After pg_dump/pg_restore into another database (or any copy that gives tables new
-- OIDs), registrations carry the old OIDs and the restored capture triggers refuse writes.
-- This enables capture again, with the registered key and options, on every table that has
-- enable's trigger and an enabled registration under its current name but another OID.
-- Returns the tables it re-attached.
CREATE FUNCTION fingerprint.capture_reattach() RETURNS SETOF regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT DISTINCT ON (c.oid) c.oid::regclass AS rel, t.key_columns, t.old_images, t.skip_in_replica
        FROM fingerprint.capture_tables t
        JOIN pg_class c ON c.relkind = 'r'
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE t.enabled AND t.relid <> c.oid
          AND t.table_name = quote_ident(n.nspname) || '.' || quote_ident(c.relname)
          AND EXISTS (SELECT 1 FROM pg_trigger tg
                      WHERE tg.tgrelid = c.oid AND tg.tgname = 'fingerprint_capture'
                        AND tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure)
          AND NOT EXISTS (SELECT 1 FROM fingerprint.capture_tables e WHERE e.relid = c.oid AND e.enabled)
        ORDER BY c.oid, t.schema_version DESC
    LOOP
        PERFORM @extschema@.fingerprint_capture_enable(r.rel, r.key_columns, r.old_images, r.skip_in_replica);
        RETURN NEXT r.rel;
    END LOOP;
END;
$$;

-- ---- DDL on captured tables -------------------------------------------------------------

-- enable and disable refuse REPEATABLE READ / SERIALIZABLE (their reads could predate the
-- lock they wait for), except for enable called by the after-ALTER event trigger, which
-- marks its call here: a row only this backend's uncommitted transaction sees, removed
-- before the event trigger returns. No role but the owner can write or read it.
CREATE TABLE fingerprint.capture_event_calls (backend integer NOT NULL, token text NOT NULL);
REVOKE ALL ON fingerprint.capture_event_calls FROM PUBLIC;
COMMENT ON TABLE fingerprint.capture_event_calls IS
    'Internal: marks fingerprint_capture_enable calls made by the after-ALTER event trigger; never holds committed rows.';
CREATE FUNCTION fingerprint.capture_in_event_call() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT EXISTS (SELECT 1 FROM fingerprint.capture_event_calls e WHERE e.backend = pg_backend_pid()) $$;

-- A registration is live for a relation when the relation still carries a trigger enable
-- created for it (its OID is in trigger_oids) or, failing that (after pg_upgrade gave the
-- triggers new OIDs), the relation still has the registered name. Every DDL refusal below
-- judges by relation OID through this test, never by the current name alone: renaming a
-- captured table away does not switch the refusals off. Only a relation that merely took a
-- registered OID (pg_restore into another cluster) and has neither is not concerned.
CREATE FUNCTION fingerprint.capture_registration_live(t fingerprint.capture_tables) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.enabled AND EXISTS (
        SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = t.relid
          AND (EXISTS (SELECT 1 FROM pg_trigger tg
                       WHERE tg.tgrelid = t.relid AND tg.oid = ANY (coalesce(t.trigger_oids, '{}'))
                         AND tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure)
               OR t.table_name = quote_ident(n.nspname) || '.' || quote_ident(c.relname)))
$$;

-- The column signature of a relation as enable records it: "typeoid:typmod:name" per live
-- column, in column order.
CREATE FUNCTION fingerprint.capture_column_signature(rel oid) RETURNS text[]
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT array_agg(a.atttypid || ':' || a.atttypmod || ':' || a.attname ORDER BY a.attnum)
    FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
$$;

-- After any command that can rename a relation or its columns, or change its columns
-- (ALTER TABLE / INDEX / VIEW / MATERIALIZED VIEW / FOREIGN TABLE / SEQUENCE / TYPE /
-- SCHEMA / EXTENSION: RENAME, RENAME COLUMN/ATTRIBUTE, SET SCHEMA (also of an extension's
-- member tables), ADD/DROP COLUMN, also when the
-- command recursed from an inheritance or partition parent or a typed table's type),
-- every live registration whose name or columns changed is checked and re-enabled with
-- the same options, in the same transaction: a new column list or name gets a new schema
-- version, and writes go on. Refused instead (the command fails): a key column made
-- nullable, and any type or typmod change of an existing column (even one that rewrites
-- nothing: int -> oid or text -> bpchar change what the values read and fingerprint as,
-- with no row trigger firing). Every registration is checked, not only the relations
-- pg_event_trigger_ddl_commands() names, because a parent's command recurses into
-- children it does not name.
-- SECURITY DEFINER: it runs on every such command, by any role, and writes the registry.
CREATE OR REPLACE FUNCTION fingerprint.capture_after_alter() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
    v_sig text[];
    v_old text[];
    v_new text[];
    v_keys text[];
    v_col text;
    v_hint text;
    v_token text;
BEGIN
    FOR t IN
        SELECT ct.relid, ct.table_name, ct.schema_version, ct.key_columns, ct.old_images, ct.skip_in_replica,
               ct.column_signature
        FROM fingerprint.capture_tables ct
        -- A registration without a signature is 1.0's, not moved to 1.1 (yet: the update
        -- moves each one after judging its trigger; one it could not move refuses writes).
        WHERE ct.enabled AND ct.column_signature IS NOT NULL AND fingerprint.capture_registration_live(ct)
        ORDER BY ct.relid
    LOOP
        -- Read again: a re-enable earlier in this loop (or nested in it) may have changed it.
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM fingerprint.capture_tables ct
                                  WHERE ct.relid = t.relid AND ct.enabled
                                    AND ct.table_name = t.table_name AND ct.schema_version = t.schema_version);
        v_hint := format('Call fingerprint_capture_disable(%L), alter the table, copy it to the target again, then call fingerprint_capture_enable(%L).',
                         (SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = t.relid),
                         (SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = t.relid));
        -- A key column made nullable (DROP NOT NULL) could log rows with NULL keys, which
        -- identify nothing: refused while capture is on.
        SELECT k INTO v_col FROM unnest(t.key_columns) k
        JOIN pg_attribute a ON a.attrelid = t.relid AND a.attname = k AND NOT a.attisdropped
        WHERE NOT a.attnotnull LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'key column "%" of captured table % must stay NOT NULL', v_col, t.relid::regclass
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'Capture identifies rows by their key; a NULL key identifies nothing.',
                      HINT = format('Call fingerprint_capture_disable(%L) first, or enable capture with other key columns.',
                                    t.relid::regclass::text);
        END IF;
        v_sig := fingerprint.capture_column_signature(t.relid);
        -- Nothing to do when name and columns are the registered ones (this also ends the
        -- recursion through enable's own ALTER TABLE ... ENABLE ALWAYS TRIGGER).
        CONTINUE WHEN t.column_signature = v_sig
                  AND t.table_name = (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                      WHERE c.oid = t.relid);
        v_keys := t.key_columns;
        IF t.column_signature IS NOT NULL THEN
            v_old := ARRAY(SELECT regexp_replace(s, '^[^:]*:[^:]*:', '') FROM unnest(t.column_signature) s);
            v_new := ARRAY(SELECT regexp_replace(s, '^[^:]*:[^:]*:', '') FROM unnest(v_sig) s);
            -- A column still under its registered name keeps its type and typmod.
            SELECT o.name INTO v_col
            FROM unnest(t.column_signature, v_old) AS o(sig, name)
            JOIN unnest(v_sig, v_new) AS n(sig, name) ON n.name = o.name
            WHERE n.sig <> o.sig LIMIT 1;
            -- A rename (RENAME COLUMN / ATTRIBUTE keeps the live columns and their order,
            -- and is never combined with other changes) keeps the types in place.
            IF NOT FOUND AND cardinality(v_old) = cardinality(v_new) AND v_old <> v_new THEN
                SELECT v_new[o.i] INTO v_col
                FROM unnest(t.column_signature, v_sig) WITH ORDINALITY AS o(sig, new_sig, i)
                WHERE regexp_replace(o.sig, '^([^:]*:[^:]*):.*$', '\1')
                      <> regexp_replace(o.new_sig, '^([^:]*:[^:]*):.*$', '\1')
                LIMIT 1;
                IF NOT FOUND THEN
                    v_col := NULL;
                END IF;
            END IF;
            IF v_col IS NOT NULL THEN
                RAISE EXCEPTION 'cannot change the type of column "%" of captured table %', v_col, t.relid::regclass
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          DETAIL = 'A type change alters what stored values read and fingerprint as, without firing row triggers, so the change log would miss it.',
                          HINT = v_hint;
            END IF;
            -- A renamed key column stays the key under its new name.
            IF cardinality(v_old) = cardinality(v_new) THEN
                v_keys := ARRAY(SELECT coalesce(v_new[array_position(v_old, k)], k)
                                FROM unnest(t.key_columns) WITH ORDINALITY AS u(k, o) ORDER BY o);
            END IF;
        END IF;
        -- enable refuses REPEATABLE READ except for this call (capture_in_event_call).
        v_token := gen_random_uuid()::text;
        INSERT INTO fingerprint.capture_event_calls (backend, token) VALUES (pg_backend_pid(), v_token);
        PERFORM @extschema@.fingerprint_capture_enable(t.relid::regclass, v_keys, t.old_images,
                                                       t.skip_in_replica);
        DELETE FROM fingerprint.capture_event_calls e WHERE e.token = v_token;
    END LOOP;
END;
$$;

DROP EVENT TRIGGER fingerprint_capture_after_alter;
CREATE EVENT TRIGGER fingerprint_capture_after_alter ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER SCHEMA', 'ALTER INDEX', 'ALTER VIEW', 'ALTER MATERIALIZED VIEW',
                 'ALTER FOREIGN TABLE', 'ALTER SEQUENCE', 'ALTER TYPE', 'ALTER EXTENSION')
    EXECUTE FUNCTION fingerprint.capture_after_alter();

-- ---- DDL that changes stored values without row triggers -------------------------------
-- A table rewrite (ALTER TABLE ... ALTER COLUMN ... TYPE ... USING, ADD COLUMN with a
-- volatile default, SET ACCESS METHOD, SET LOGGED, ALTER TYPE of a typed table's type)
-- writes every row again with no row trigger firing, so the log would miss every change
-- it makes; an enum label rename changes the fingerprint of every stored row that holds
-- it. Both are refused while capture of an affected table is on (docs/capture.md):
-- disable capture, alter, copy the table again, enable capture.

-- table_rewrite fires before the rewrite starts. SECURITY DEFINER: it reads the registry
-- on behalf of any role that alters a table. Here and below a registration concerns its
-- relation by OID whatever the relation is called now (fingerprint.capture_registration_live:
-- renaming the table away and back does not open a window); only a relation that merely
-- took a registered OID (pg_restore into another cluster: neither enable's triggers nor
-- the registered name) is not concerned.
CREATE FUNCTION fingerprint.capture_refuse_rewrite() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rel oid := pg_event_trigger_table_rewrite_oid();
    v_name text;
BEGIN
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) INTO v_name
    FROM fingerprint.capture_tables t
    JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE t.relid = v_rel AND t.enabled AND fingerprint.capture_registration_live(t)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '% would rewrite every row of captured table %', tg_tag, v_name
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'A rewrite changes stored rows without firing row triggers, so the change log would miss those changes.',
                  HINT = format('Call fingerprint_capture_disable(%L), alter the table, copy it to the target again, then call fingerprint_capture_enable(%L).',
                                v_name, v_name);
    END IF;
END;
$$;

CREATE EVENT TRIGGER fingerprint_capture_refuse_rewrite ON table_rewrite
    EXECUTE FUNCTION fingerprint.capture_refuse_rewrite();

-- The labels of every enum a captured table stores (directly, in an array, a domain or a
-- range), with the captured tables holding it: {"enum label oid": ["label", "table", ...]}.
CREATE FUNCTION fingerprint.captured_enum_labels() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE used(typ, tbl) AS (
        SELECT a.atttypid, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
        FROM fingerprint.capture_tables t
        JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE t.enabled AND fingerprint.capture_registration_live(t)
        UNION
        SELECT v.typ, u.tbl
        FROM used u JOIN pg_type ty ON ty.oid = u.typ
        CROSS JOIN LATERAL (VALUES (ty.typbasetype), (ty.typelem),
                                   ((SELECT r.rngsubtype FROM pg_range r WHERE r.rngtypid = ty.oid))) AS v(typ)
        WHERE v.typ IS NOT NULL AND v.typ <> 0
    )
    SELECT coalesce(jsonb_object_agg(e.oid::text, jsonb_build_array(e.enumlabel) || tables), '{}')
    FROM (SELECT u.typ, jsonb_agg(DISTINCT u.tbl) AS tables FROM used u GROUP BY u.typ) x
    JOIN pg_enum e ON e.enumtypid = x.typ
$$;

-- It reads the registry with its owner's rights: only the event triggers call it.
REVOKE EXECUTE ON FUNCTION fingerprint.captured_enum_labels() FROM PUBLIC;

-- ALTER TYPE: the labels are noted before the command and compared after it.
CREATE FUNCTION fingerprint.capture_before_alter_type() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('fingerprint_capture.enum_labels', fingerprint.captured_enum_labels()::text, true);
END;
$$;

CREATE FUNCTION fingerprint.capture_after_alter_type() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT b.value ->> 0 AS old_label, e.enumlabel AS new_label, format_type(e.enumtypid, NULL) AS type_name,
               (SELECT string_agg(x, ', ') FROM jsonb_array_elements_text(b.value) WITH ORDINALITY AS j(x, i)
                WHERE i > 1) AS tables
        FROM jsonb_each(coalesce(nullif(current_setting('fingerprint_capture.enum_labels', true), ''), '{}')::jsonb) b
        JOIN pg_enum e ON e.oid = b.key::oid
        WHERE e.enumlabel <> b.value ->> 0
    LOOP
        RAISE EXCEPTION 'cannot rename value "%" of enum % while it is stored in captured table %',
            r.old_label, r.type_name, r.tables
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Renaming a label changes the fingerprint of every stored row holding it without logging a change.',
                  HINT = 'Disable capture of those tables (fingerprint_capture_disable), rename the value, copy the tables to the target again, then enable capture.';
    END LOOP;
END;
$$;

CREATE EVENT TRIGGER fingerprint_capture_before_alter_type ON ddl_command_start
    WHEN TAG IN ('ALTER TYPE')
    EXECUTE FUNCTION fingerprint.capture_before_alter_type();
CREATE EVENT TRIGGER fingerprint_capture_after_alter_type ON ddl_command_end
    WHEN TAG IN ('ALTER TYPE')
    EXECUTE FUNCTION fingerprint.capture_after_alter_type();

-- ---- Capture triggers are made by enable only ------------------------------------------
-- CREATE [OR REPLACE] TRIGGER on a captured table that calls fingerprint.capture_trigger()
-- or takes one of its trigger names is refused while capture is on: a look-alike would log
-- rows twice (a row trigger named fingerprint_capture_truncate) or skip them (WHEN, UPDATE
-- OF). enable clears capture_tables.trigger_oids while it creates its own.
CREATE FUNCTION fingerprint.capture_guard_triggers() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT tg.tgname, tg.tgrelid::regclass AS rel
        FROM pg_event_trigger_ddl_commands() d
        JOIN pg_trigger tg ON tg.oid = d.objid
        WHERE d.classid = 'pg_trigger'::regclass
          AND (tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure
               OR tg.tgname IN ('fingerprint_capture', 'fingerprint_capture_truncate'))
          AND EXISTS (SELECT 1 FROM fingerprint.capture_tables t
                      JOIN pg_class c ON c.oid = t.relid JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE t.relid = tg.tgrelid AND t.enabled AND t.trigger_oids IS NOT NULL
                        AND fingerprint.capture_registration_live(t))
    LOOP
        RAISE EXCEPTION 'trigger "%" on captured table % may only be created by fingerprint_capture_enable', r.tgname, r.rel
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('Call fingerprint_capture_enable(%L) to repair capture triggers.', r.rel::text);
    END LOOP;
END;
$$;

CREATE EVENT TRIGGER fingerprint_capture_guard_triggers ON ddl_command_end
    WHEN TAG IN ('CREATE TRIGGER')
    EXECUTE FUNCTION fingerprint.capture_guard_triggers();

-- ---- The event triggers fire in every session_replication_role ---------------------------
-- ENABLE (origin) event triggers do not fire under session_replication_role = replica,
-- which a superuser, or a role granted SET on that parameter (PostgreSQL 15), may set;
-- the ENABLE ALWAYS capture triggers keep logging there. The refusals and re-registration
-- must hold there too.
ALTER EVENT TRIGGER fingerprint_capture_after_alter ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_after_drop ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_refuse_rewrite ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_before_alter_type ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_after_alter_type ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers ENABLE ALWAYS;

-- ---- Consumption: NULL arguments refused ------------------------------------------------

-- The current snapshot, with this transaction's own xid (when it has one) counted as in
-- progress. pg_current_snapshot() leaves the caller's own xid out of xip, so a snapshot
-- taken in a transaction that has an xid (next_batch's own FOR UPDATE assigns one) would
-- count the caller's captured writes, earlier or later in that transaction, as consumed.
CREATE FUNCTION fingerprint.snapshot_excluding_own() RETURNS pg_snapshot
    LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN x.own IS NULL OR x.own >= pg_snapshot_xmax(x.s) OR pg_visible_in_snapshot(x.own, x.s) = false
                THEN x.s
                ELSE (least(pg_snapshot_xmin(x.s), x.own)::text || ':' || pg_snapshot_xmax(x.s)::text || ':'
                      || (SELECT string_agg(v::text, ',' ORDER BY v)
                          FROM (SELECT pg_snapshot_xip(x.s) AS v UNION SELECT x.own) u))::pg_snapshot
           END
    FROM (SELECT pg_current_snapshot() AS s, pg_current_xact_id_if_assigned() AS own) x
$$;


CREATE OR REPLACE FUNCTION fingerprint.register_consumer(consumer text, start_snapshot pg_snapshot DEFAULT NULL)
RETURNS pg_snapshot
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_start pg_snapshot := coalesce(start_snapshot, fingerprint.snapshot_excluding_own());
    v_horizon xid8;
    v_running xid8;
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF consumer = '' THEN
        RAISE EXCEPTION 'consumer name must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- A snapshot from the future would count transactions not yet started as seen: their
    -- changes would be skipped.
    IF pg_snapshot_xmax(v_start) > pg_snapshot_xmax(pg_current_snapshot()) THEN
        RAISE EXCEPTION 'cannot start consumer "%" at snapshot %: it is later than the current snapshot',
            consumer, v_start
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The current snapshot is %s.', pg_current_snapshot()),
                  HINT = 'Pass a snapshot taken on this server (pg_current_snapshot() of the copy''s transaction).';
    END IF;
    -- A snapshot that counts a transaction still in progress as seen (below its xmax, not
    -- in its xip) would skip that transaction's changes when it commits.
    SELECT r INTO v_running FROM pg_snapshot_xip(fingerprint.snapshot_excluding_own()) r
    WHERE r < pg_snapshot_xmax(v_start) AND pg_visible_in_snapshot(r, v_start) ORDER BY r LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot start consumer "%" at snapshot %: transaction % is still in progress', consumer, v_start, v_running
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The snapshot counts that transaction as seen; its changes would never be delivered.',
                  HINT = 'Pass a snapshot taken on this server (pg_current_snapshot() of the copy''s transaction).';
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

CREATE OR REPLACE FUNCTION fingerprint.unregister_consumer(consumer text) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    DELETE FROM fingerprint.consumers k WHERE k.consumer = unregister_consumer.consumer;
    RETURN FOUND;
END;
$$;

CREATE OR REPLACE FUNCTION fingerprint.next_batch(consumer text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
    v_snapshot pg_snapshot;
BEGIN
    IF consumer IS NULL THEN
        RAISE EXCEPTION 'consumer must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = next_batch.consumer FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object',
            HINT = 'Call fingerprint.register_consumer first.';
    END IF;
    IF c.batch_id IS NOT NULL THEN
        RETURN c.batch_id;
    END IF;
    -- This transaction's own xid (the FOR UPDATE above assigned one) stays in progress in
    -- the batch snapshot: its captured writes belong to a later batch.
    v_snapshot := fingerprint.snapshot_excluding_own();
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

CREATE OR REPLACE FUNCTION fingerprint.batch_changes(consumer text, batch_id bigint)
RETURNS SETOF fingerprint.change_log
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL OR batch_id IS NULL THEN
        RAISE EXCEPTION 'consumer and batch_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
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

-- The ownership test is explicit (IS NOT DISTINCT FROM, and NULLs refused first): no
-- NULL makes it pass or fall through to another consumer's batch.
CREATE OR REPLACE FUNCTION fingerprint.finish_batch(consumer text, batch_id bigint) RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c fingerprint.consumers;
BEGIN
    IF consumer IS NULL OR batch_id IS NULL THEN
        RAISE EXCEPTION 'consumer and batch_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO c FROM fingerprint.consumers k WHERE k.consumer = finish_batch.consumer FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'consumer "%" is not registered', consumer USING ERRCODE = 'undefined_object';
    END IF;
    IF c.batch_id IS NOT NULL AND c.batch_id = finish_batch.batch_id THEN
        UPDATE fingerprint.consumers k
        SET last_batch = c.batch_id, last_snapshot = c.batch_snapshot, batch_id = NULL, batch_snapshot = NULL,
            batch_opened_at = NULL, last_finished_at = clock_timestamp()
        WHERE k.consumer = c.consumer;
        RETURN true;
    ELSIF c.batch_id IS NULL AND finish_batch.batch_id <= c.last_batch THEN
        RETURN false;
    END IF;
    RAISE EXCEPTION 'batch % is not the open batch of consumer "%"', batch_id, consumer
        USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;

-- ---- Version ----------------------------------------------------------------------------

-- The installed version of the extension's SQL objects ('1.1'); MariaDB has the same call.
CREATE FUNCTION fingerprint.version() RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT e.extversion::text FROM pg_catalog.pg_extension e WHERE e.extname = 'fingerprint' $$;

-- ---- Existing captures move to 1.1 --------------------------------------------------------

-- Every table 1.0 captured is enabled again: its triggers are re-created without
-- arguments and its column signature is recorded. A table whose columns and name are
-- unchanged keeps its schema version (consumers mid-batch see nothing change); a table
-- renamed under 1.0, or one that shared its unquoted name with another table, gets a
-- version under its quoted current name. One that cannot be enabled (its columns changed
-- without re-registration, which 1.0's trigger already refused) is reported and keeps
-- failing writes until it is enabled again.
--
-- 1.0 trusted a trigger's arguments, so a trigger is migrated only when an enabled 1.0
-- registration vouches for it: the name and version in its arguments are a registration's,
-- and that registration is of this very relation (its relid) or carries this relation's
-- own 1.0 name (schema.table unquoted: a database restored from pg_dump has new OIDs).
-- Any other trigger calling fingerprint.capture_trigger() (made by hand, e.g. on a role's
-- own table with arguments naming another table) is reported with a WARNING and left as it
-- is: from now on the trigger refuses every write of its table (nothing is logged) until
-- the table's owner drops it or fingerprint_capture_enable is called on the table.
DO $$
DECLARE
    t record;
    v_args text[];
    v_start integer;
    v_keys integer;
    v_relids oid[] := '{}';
    v_argss text[] := '{}';
    v_all text[] := '{}';     -- each vouched trigger's arguments, as a text[] literal
BEGIN
    -- Every trigger is judged against the registrations as 1.0 left them, before any is
    -- enabled (enabling one table changes the registrations another is judged by).
    FOR t IN
        SELECT tg.tgrelid, tg.tgname, tg.tgargs,
               n.nspname || '.' || c.relname AS name_10
        FROM pg_catalog.pg_trigger tg
        JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE tg.tgname = 'fingerprint_capture' AND tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure
        ORDER BY tg.tgrelid
    LOOP
        -- tgargs: NUL-terminated strings in the database encoding.
        v_args := '{}';
        v_start := 0;
        FOR i IN 0 .. pg_catalog.length(t.tgargs) - 1 LOOP
            IF pg_catalog.get_byte(t.tgargs, i) = 0 THEN
                v_args := v_args || pg_catalog.convert_from(pg_catalog.substr(t.tgargs, v_start + 1, i - v_start),
                                                            pg_catalog.getdatabaseencoding());
                v_start := i + 1;
            END IF;
        END LOOP;
        IF pg_catalog.cardinality(v_args) < 6 OR NOT EXISTS (
                SELECT 1 FROM fingerprint.capture_tables r
                WHERE r.enabled
                  AND r.schema_name || '.' || r.relation_name = v_args[1]
                  AND r.schema_version::text = v_args[2]
                  AND (r.relid = t.tgrelid
                       -- By name only when the registered relation does not hold that name
                       -- elsewhere: it exists no more (the restore case), or it still has the
                       -- very same 1.0 name (two tables 1.0 logged under one name). A table
                       -- that took the old name of a registered table renamed since is not
                       -- vouched for.
                       OR (v_args[1] = t.name_10
                           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class k
                                           JOIN pg_catalog.pg_namespace kn ON kn.oid = k.relnamespace
                                           WHERE k.oid = r.relid AND kn.nspname || '.' || k.relname <> t.name_10)))) THEN
            RAISE WARNING 'trigger "%" on table % was not made by fingerprint_capture_enable for that table; capture of it is not enabled',
                t.tgname, t.tgrelid::regclass
                USING DETAIL = pg_catalog.format('Its arguments name %s, which no enabled registration of this table matches.',
                                                 coalesce(pg_catalog.quote_literal(v_args[1]), 'nothing')),
                      HINT = 'Writes to the table are refused while the trigger exists: drop it, or call fingerprint_capture_enable on the table.';
            CONTINUE;
        END IF;
        v_relids := v_relids || t.tgrelid;
        v_argss := v_argss || v_args[1];
        v_all := v_all || v_args::text;
    END LOOP;
    FOR i IN 1 .. coalesce(pg_catalog.cardinality(v_relids), 0) LOOP
        v_args := v_all[i]::text[];
        BEGIN
            v_keys := v_args[5]::integer;
            PERFORM @extschema@.fingerprint_capture_enable(v_relids[i]::regclass, v_args[6:5 + v_keys],
                                                           v_args[3]::boolean, v_args[4]::boolean);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'capture of table % could not be moved to fingerprint 1.1: %', v_relids[i]::regclass, SQLERRM
                USING HINT = 'Fix the table, then call fingerprint_capture_enable on it.';
        END;
    END LOOP;
    -- 1.0 logged schema || '.' || table unquoted: two tables could share one name in the
    -- rows it wrote ("a.b".c and a."b.c" as a.b.c). Those rows cannot be split now.
    FOR t IN
        SELECT a.name, pg_catalog.string_agg(a.rel::regclass::text, ' and ' ORDER BY a.rel) AS tables
        FROM unnest(v_argss, v_relids) AS a(name, rel)
        GROUP BY a.name HAVING pg_catalog.count(*) > 1
    LOOP
        RAISE WARNING 'fingerprint 1.0 logged tables % under one name, %', t.tables, t.name
            USING DETAIL = 'Change log rows written before this update under that name cannot be told apart; from now on each table logs under its own quoted name.',
                  HINT = 'Copy those tables to the target again rather than replaying their earlier log rows (docs/upgrading.md).';
    END LOOP;
END;
$$;

-- ---- Who may call what ------------------------------------------------------------------
-- Functions run with the caller's rights unless marked SECURITY DEFINER. Schema
-- fingerprint and its tables carry no grants: by default only the extension's owner and
-- superusers use capture and consumption; a DBA grants more (docs/capture.md).

COMMENT ON FUNCTION row_fingerprint(record) IS
    'Any role. Reads its argument only; writes nothing. NULL gives NULL.';
COMMENT ON FUNCTION row_fingerprint(record, text) IS
    'Any role. Reads its arguments only; writes nothing. NULL record or algorithm gives NULL.';
COMMENT ON AGGREGATE fingerprint_agg(record) IS
    'Any role. Reads the rows it is given; writes nothing. NULL rows are skipped.';
COMMENT ON AGGREGATE fingerprint_agg(record, text) IS
    'Any role. Reads the rows it is given; writes nothing. A NULL algorithm is an error.';
COMMENT ON FUNCTION table_fingerprint(regclass, text[], text[], text) IS
    'Any role with SELECT on every fingerprinted column of tbl. Writes nothing. NULL tbl gives NULL; NULL algorithm is an error; NULL column lists mean all columns / none excluded (a NULL element is an error).';
COMMENT ON FUNCTION table_columns(regclass) IS
    'Roles with SELECT on tbl or one of its columns (checked before tbl is locked; catalog information only). Writes nothing. NULL tbl gives no rows.';
COMMENT ON FUNCTION bucket_fingerprints(regclass, integer, text[], text[], text[], text, text) IS
    'Any role with SELECT on the columns read; the filter runs with the caller''s rights. Writes nothing. NULL tbl gives no rows; NULL buckets or algorithm is an error; NULL filter means no filter.';
COMMENT ON FUNCTION bucket_rows(regclass, integer, integer[], text[], text[], text[], text, text, boolean) IS
    'Any role with SELECT on the columns read; the filter runs with the caller''s rights. Writes nothing. NULL tbl gives no rows; NULL buckets, bucket_ids (or an element), algorithm or with_images is an error.';
COMMENT ON FUNCTION fingerprint_image_json(bytea, text[]) IS
    'Any role. Reads its arguments only; writes nothing. NULL gives NULL.';
COMMENT ON FUNCTION fingerprint_image_json(bytea) IS
    'Any role. Reads its argument only; writes nothing. NULL gives NULL.';
COMMENT ON AGGREGATE fingerprint_advance(text, text, text, text) IS
    'Any role. Reads its arguments only; writes nothing. A NULL start (first row) or op is an error; a NULL old/new fingerprint is an absent row (nothing removed/added).';
COMMENT ON FUNCTION fingerprint_capture_enable(regclass, text[], boolean, boolean) IS
    'The table''s owner, with write access to fingerprint.capture_tables (by default: superusers and the extension owner). Writes the registry and the table''s two capture triggers. NULL tbl, old_images or skip_in_replica is an error; NULL key_columns means the primary key.';
COMMENT ON FUNCTION fingerprint_capture_disable(regclass) IS
    'The table''s owner, with write access to fingerprint.capture_tables. Drops the table''s capture triggers and marks its registration disabled. NULL is an error.';
COMMENT ON FUNCTION fingerprint.capture_trigger() IS
    'Trigger only. Writes fingerprint.change_log for relations fingerprint_capture_enable registered (by OID), under their registered name; any other use is refused.';
COMMENT ON FUNCTION fingerprint.capture_invalidate(regclass) IS
    'The table''s owner. Makes every backend re-read the table''s capture registration; writes nothing. NULL gives NULL (nothing done).';
COMMENT ON FUNCTION fingerprint.column_classes(regclass) IS
    'Roles with SELECT on tbl or one of its columns (checked before tbl is locked; catalog information only). Writes nothing. NULL gives NULL.';
COMMENT ON FUNCTION fingerprint.capture_after_alter() IS
    'Event trigger only (SECURITY DEFINER). Re-registers a captured table after ALTER TABLE / ALTER SCHEMA changed its columns or name.';
COMMENT ON FUNCTION fingerprint.capture_in_event_call() IS
    'Any role (SECURITY DEFINER). Whether fingerprint_capture_enable runs for the after-ALTER event trigger in this backend; writes nothing.';
COMMENT ON FUNCTION fingerprint.capture_registration_live(fingerprint.capture_tables) IS
    'Any role with SELECT on the registry. Whether a registration concerns its relation (enable''s triggers or the registered name still on it); writes nothing.';
COMMENT ON FUNCTION fingerprint.capture_column_signature(oid) IS
    'Any role. A relation''s live columns as "typeoid:typmod:name" (catalog information only); writes nothing. NULL gives NULL.';
COMMENT ON FUNCTION fingerprint.snapshot_excluding_own() IS
    'Any role. pg_current_snapshot() with the caller''s own transaction counted as in progress; writes nothing.';
COMMENT ON FUNCTION fingerprint.capture_refuse_rewrite() IS
    'Event trigger only (SECURITY DEFINER). Refuses a table rewrite (ALTER TABLE / ALTER TYPE) of a captured table; writes nothing.';
COMMENT ON FUNCTION fingerprint.captured_enum_labels() IS
    'The extension owner (EXECUTE revoked from PUBLIC; SECURITY DEFINER, for the ALTER TYPE event triggers). The labels of enums stored by captured tables; writes nothing.';
COMMENT ON FUNCTION fingerprint.capture_before_alter_type() IS
    'Event trigger only (SECURITY DEFINER). Notes the enum labels of captured tables before ALTER TYPE (a transaction-local setting).';
COMMENT ON FUNCTION fingerprint.capture_after_alter_type() IS
    'Event trigger only (SECURITY DEFINER). Refuses ALTER TYPE ... RENAME VALUE of an enum stored by a captured table; writes nothing.';
COMMENT ON FUNCTION fingerprint.capture_guard_triggers() IS
    'Event trigger only (SECURITY DEFINER). Refuses CREATE TRIGGER of capture triggers (or their names) on a captured table outside fingerprint_capture_enable; writes nothing.';
COMMENT ON FUNCTION fingerprint.capture_after_drop() IS
    'Event trigger only (SECURITY DEFINER). Marks the registration of a dropped table disabled.';
COMMENT ON FUNCTION fingerprint.register_consumer(text, pg_snapshot) IS
    'Roles with write access to fingerprint.consumers and fingerprint.cleanup_state. Writes only the named consumer''s row. NULL consumer is an error; NULL start_snapshot means now.';
COMMENT ON FUNCTION fingerprint.unregister_consumer(text) IS
    'Roles with DELETE on fingerprint.consumers. Deletes only the named consumer. NULL is an error.';
COMMENT ON FUNCTION fingerprint.next_batch(text) IS
    'Roles with write access to fingerprint.consumers and SELECT on the log. Writes only the named consumer''s row. NULL is an error.';
COMMENT ON FUNCTION fingerprint.batch_changes(text, bigint) IS
    'Roles with SELECT on fingerprint.consumers and the log. Writes nothing. NULL consumer or batch_id is an error.';
COMMENT ON FUNCTION fingerprint.batch_changes_json(text, bigint) IS
    'As fingerprint.batch_changes. Writes nothing. NULL consumer or batch_id is an error.';
COMMENT ON FUNCTION fingerprint.finish_batch(text, bigint) IS
    'Roles with write access to fingerprint.consumers. Finishes only the named consumer''s own open batch. NULL consumer or batch_id is an error.';
COMMENT ON FUNCTION fingerprint.cleanup(integer) IS
    'Roles with DELETE on the log and write access to fingerprint.cleanup_state. Removes only changes every consumer has passed. NULL or non-positive max_rows is an error.';
COMMENT ON FUNCTION fingerprint.capture_reattach() IS
    'As fingerprint_capture_enable, for each table it re-attaches (after pg_dump/pg_restore gave tables new OIDs). Writes the registry and those tables'' capture triggers.';
COMMENT ON FUNCTION fingerprint.version() IS
    'Any role. The installed extension version (pg_extension.extversion); writes nothing.';
COMMENT ON VIEW fingerprint.changes IS
    'The log with images as JSON (read access to the log and registry needed).';
COMMENT ON VIEW fingerprint.debezium_changes IS
    'The log as Debezium envelopes (read access to the log and registry needed).';
COMMENT ON FUNCTION fingerprint_agg_transfn(internal, record) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_transfn(internal, record, text) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_finalfn(internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_combinefn(internal, internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_serialfn(internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_deserialfn(bytea, internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_advance_transfn(internal, text, text, text, text) IS 'Support function of fingerprint_advance; writes nothing.';
COMMENT ON FUNCTION fingerprint_advance_finalfn(internal) IS 'Support function of fingerprint_advance; writes nothing.';
