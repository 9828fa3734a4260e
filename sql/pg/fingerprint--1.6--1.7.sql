-- fingerprint 1.6 -> 1.7 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.5--1.6.sql are
-- released and never edited; every change since 1.6 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.7.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.7 changes:
--  * fingerprint.version() reports 1.7 (it reads pg_extension.extversion).
--  * fingerprint_capture_intact(tbl): whether fingerprint_capture_enable(tbl) would change
--    nothing, read without enable's lock (the CLI's migrate asks it instead of restating
--    enable's rules). Enable now shares its rules with it: capture_type_class (C: a
--    type's value class from the catalogs, no table opened), capture_column_lists,
--    capture_primary_key, capture_registration_kept and capture_enable_triggers (new),
--    fingerprint_capture_enable (replaced; same behaviour).

-- The value class column_classes gives a column of this type and typmod, from the
-- catalogs alone (no relation opened, so no lock on any table): 'unsupported' where
-- column_classes raises its error. The same C rule (ClassifyType) as column_classes.
CREATE FUNCTION fingerprint.capture_type_class(typeoid oid, typmod integer) RETURNS text
    AS 'MODULE_PATHNAME', 'fingerprint_type_class'
    LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION fingerprint.capture_type_class(oid, integer) IS
    'Any role (catalog information only). The value class of a column of that type and typmod, or unsupported; writes nothing. NULL gives NULL.';

-- The columns enable registers for a relation, in column order: their names, their types
-- as format_type spells them, the column signature (capture_column_signature) and their
-- value classes (capture_type_class: what column_classes, which enable calls under its
-- lock to refuse an unsupported type by name, gives; read here without opening the table).
CREATE FUNCTION fingerprint.capture_column_lists(tbl regclass, OUT names text[], OUT types text[],
                                                 OUT signature text[], OUT classes text[])
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT array_agg(a.attname::text ORDER BY a.attnum),
           array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum),
           fingerprint.capture_column_signature(tbl),
           array_agg(fingerprint.capture_type_class(a.atttypid, a.atttypmod) ORDER BY a.attnum)
    FROM pg_attribute a WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
$$;
COMMENT ON FUNCTION fingerprint.capture_column_lists(regclass) IS
    'Any role. A relation''s live columns as enable registers them: names, types, signature, value classes (catalog information only); writes nothing. NULL gives NULLs.';

-- The primary key's columns of a table, in key order, or NULL when it has none: the key
-- enable registers when it is given no key_columns.
CREATE FUNCTION fingerprint.capture_primary_key(tbl regclass) RETURNS text[]
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT array_agg(a.attname::text ORDER BY k.ord)
    FROM pg_index i
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = tbl AND i.indisprimary
$$;
COMMENT ON FUNCTION fingerprint.capture_primary_key(regclass) IS
    'Any role (catalog information only). The primary key''s columns of a table in key order, or NULL; writes nothing.';

-- Whether enable keeps registration t (the relation's latest under its current name) as
-- the schema version for the given key, identity and columns: t is still the latest
-- version of its name, and its key, identity and columns are those. Otherwise enable
-- registers a new version (log rows join on name + version).
CREATE FUNCTION fingerprint.capture_registration_kept(t fingerprint.capture_tables, want_keys text[],
                                                      want_identity text, want_names text[], want_types text[],
                                                      want_signature text[]) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(t.schema_version = (SELECT max(m.schema_version) FROM fingerprint.capture_tables m
                                        WHERE m.table_name = t.table_name)
                    AND t.key_columns = want_keys AND t.identity = want_identity
                    AND (t.column_signature = want_signature
                         OR (t.column_signature IS NULL     -- registered by 1.0
                             AND t.column_names = want_names AND t.column_types = want_types)), false)
$$;
COMMENT ON FUNCTION fingerprint.capture_registration_kept(fingerprint.capture_tables, text[], text, text[], text[], text[]) IS
    'Any role with SELECT on the registry. Whether fingerprint_capture_enable keeps a registration as the schema version for that key and those columns; writes nothing.';

-- Enable's two capture triggers on a relation: those of `trusted` (the OIDs a
-- registration recorded) that are still exactly in the form enable creates them
-- (skip_in_replica: ENABLE, else ENABLE ALWAYS), {row, truncate}; anything else under
-- their names (a look-alike made after a DROP TRIGGER, a WHEN clause, UPDATE OF columns,
-- a constraint trigger) is not. Enable keeps them only when both are; else it drops and
-- creates both again.
CREATE FUNCTION fingerprint.capture_enable_triggers(tbl regclass, trusted oid[], skip_in_replica boolean)
    RETURNS oid[]
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT array_agg(tg.oid ORDER BY tg.tgtype) FROM pg_trigger tg
    WHERE tg.tgrelid = tbl AND tg.oid = ANY (coalesce(trusted, '{}'))
      AND tg.tgfoid = 'fingerprint.capture_trigger()'::regprocedure
      AND tg.tgnargs = 0 AND tg.tgenabled = CASE WHEN skip_in_replica THEN 'O' ELSE 'A' END
      AND tg.tgqual IS NULL
      AND coalesce(array_length(tg.tgattr::int2[], 1), 0) = 0
      AND tg.tgconstraint = 0 AND NOT tg.tgisinternal AND NOT tg.tgdeferrable AND NOT tg.tginitdeferred
      AND tg.tgoldtable IS NULL AND tg.tgnewtable IS NULL AND tg.tgparentid = 0
      AND ((tg.tgname = 'fingerprint_capture' AND tg.tgtype = 29)               -- AFTER ROW I/U/D
           OR (tg.tgname = 'fingerprint_capture_truncate' AND tg.tgtype = 32))  -- AFTER TRUNCATE
$$;
COMMENT ON FUNCTION fingerprint.capture_enable_triggers(regclass, oid[], boolean) IS
    'Any role (catalog information only). The trusted capture triggers of a table still in fingerprint_capture_enable''s exact form, {row, truncate}; writes nothing.';

-- Starts (or restarts) capture of a table: registers its column list (a new schema
-- version when columns, key or name changed) and (re)creates the two triggers. Idempotent.
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
    v_trusted oid[];
    v_oids oid[];
    v_unique text[];
    v_identity text := 'key';
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

    SELECT l.names, l.types, l.signature INTO v_cols, v_types, v_sig FROM fingerprint.capture_column_lists(tbl) l;
    IF v_cols IS NULL THEN
        RAISE EXCEPTION 'table % has no columns', v_name USING ERRCODE = 'invalid_table_definition';
    END IF;
    v_classes := fingerprint.column_classes(tbl);

    IF key_columns IS NULL THEN
        v_keys := fingerprint.capture_primary_key(tbl);
        IF v_keys IS NULL THEN
            -- No primary key. A usable unique key (fingerprint.capture_unique_key) would
            -- identify rows as well: the user names it (an explicit choice, as a primary
            -- key would be). Without one, the whole row is the identity (as REPLICA
            -- IDENTITY FULL): the key image is the row image, NULLs and duplicates
            -- included. The after-ALTER event trigger's re-enable never refuses: it
            -- keeps whole-row identity.
            v_unique := fingerprint.capture_unique_key(tbl);
            IF v_unique IS NOT NULL AND NOT fingerprint.capture_in_event_call() THEN
                RAISE EXCEPTION 'table % has no primary key', v_name
                    USING ERRCODE = 'invalid_table_definition',
                          HINT = format('Its unique key %s identifies a row: pass key_columns => %L.',
                                        v_unique[1], v_unique[2:]);
            END IF;
            v_identity := 'row';
            v_keys := v_cols;
            IF NOT fingerprint.capture_in_event_call() THEN
                RAISE NOTICE 'table % has no primary key and no usable unique key: captured with whole-row identity', v_name
                    USING DETAIL = 'Every column identifies a row; duplicate rows are kept apart only by count, so a replayer applies its changes as a multiset (a delete removes one equal row).';
            END IF;
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
    IF FOUND AND fingerprint.capture_registration_kept(v_latest, v_keys, v_identity, v_cols, v_types, v_sig) THEN
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
            column_signature, identity)
        VALUES (v_name, v_version, rel.nspname, rel.relname, tbl, v_cols, v_types, v_classes, v_keys,
            fingerprint_capture_enable.old_images, fingerprint_capture_enable.skip_in_replica, true, v_sig,
            v_identity);
    END IF;
    -- One enabled registration per relation (older versions, older names) and per name
    -- (a dropped table's, when the drop event trigger did not run).
    UPDATE fingerprint.capture_tables t SET enabled = false
    WHERE t.enabled AND (t.relid = tbl OR t.table_name = v_name)
      AND NOT (t.table_name = v_name AND t.schema_version = v_version);

    -- The triggers take no arguments: the C trigger reads this registration. Only the two
    -- triggers an earlier enable created (their OIDs are in the registration) are kept, and
    -- only in exactly enable's form (fingerprint.capture_enable_triggers); otherwise both
    -- are dropped and created again.
    v_oids := fingerprint.capture_enable_triggers(tbl, v_trusted, fingerprint_capture_enable.skip_in_replica);
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
COMMENT ON FUNCTION fingerprint_capture_enable(regclass, text[], boolean, boolean) IS
    'The table''s owner, with write access to fingerprint.capture_tables (by default: superusers and the extension owner). Writes the registry and the table''s two capture triggers. NULL tbl, old_images or skip_in_replica is an error; NULL key_columns means the primary key, or whole-row identity for a table without any usable unique key.';

-- Whether capture of a table is on and intact: fingerprint_capture_enable(tbl) (no
-- key_columns, no old images, not skip_in_replica: what `fingerprint migrate` runs) would
-- change nothing. Its registration is enabled and the only enabled one of the relation
-- and of its current name, enable would keep it (capture_registration_kept: the latest
-- version of the name, of the current columns and key) with the same options and column
-- classes, and the two triggers it trusts are in enable's form (capture_enable_triggers).
-- Read from the catalogs and the registry only, without opening the table (no lock on
-- it), so a client can skip enable's SHARE ROW EXCLUSIVE lock, which waits for every
-- transaction open on the table.
-- False for what enable refuses (not a table, a unique key but no primary key).
CREATE FUNCTION fingerprint_capture_intact(tbl regclass) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_name text;
    v_cols record;
    v_keys text[];
    v_identity text := 'key';
    v_latest fingerprint.capture_tables;
BEGIN
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) INTO v_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl AND c.relkind = 'r';
    IF v_name IS NULL THEN
        RETURN false;
    END IF;
    SELECT * INTO v_latest FROM fingerprint.capture_tables t
    WHERE t.relid = tbl AND t.table_name = v_name ORDER BY t.schema_version DESC LIMIT 1;
    IF NOT FOUND OR NOT v_latest.enabled OR v_latest.old_images OR v_latest.skip_in_replica
       OR EXISTS (SELECT 1 FROM fingerprint.capture_tables t
                  WHERE t.enabled AND (t.relid = tbl OR t.table_name = v_name)
                    AND NOT (t.table_name = v_name AND t.schema_version = v_latest.schema_version)) THEN
        RETURN false;
    END IF;
    SELECT l.names, l.types, l.signature, l.classes INTO v_cols FROM fingerprint.capture_column_lists(tbl) l;
    v_keys := fingerprint.capture_primary_key(tbl);
    IF v_keys IS NULL THEN
        IF fingerprint.capture_unique_key(tbl) IS NOT NULL THEN
            RETURN false;          -- enable refuses: the unique key is to be named
        END IF;
        v_identity := 'row';
        v_keys := v_cols.names;
    END IF;
    RETURN fingerprint.capture_registration_kept(v_latest, v_keys, v_identity, v_cols.names, v_cols.types,
                                                 v_cols.signature)
       AND v_latest.column_signature = v_cols.signature AND v_latest.column_types = v_cols.types
       AND cardinality(v_latest.trigger_oids) = 2
       AND v_latest.trigger_oids = fingerprint.capture_enable_triggers(tbl, v_latest.trigger_oids, false)
       AND v_latest.column_classes = v_cols.classes;
END;
$$;
COMMENT ON FUNCTION fingerprint_capture_intact(regclass) IS
    'Roles with USAGE on schema fingerprint and SELECT on fingerprint.capture_tables (by default: superusers and the extension owner). Whether fingerprint_capture_enable(tbl) would change nothing (catalog information and the registry only, no lock on tbl); writes nothing. NULL gives NULL.';
