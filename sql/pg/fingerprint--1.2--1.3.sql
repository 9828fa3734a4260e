-- fingerprint 1.2 -> 1.3 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.1--1.2.sql are
-- released and never edited; every change since 1.2 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.3.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.3 changes:
--  * fingerprint.version() reports 1.3 (it reads pg_extension.extversion).
--  * Tables without any usable unique key are captured with whole-row identity:
--    capture_tables.identity ('key' | 'row'), fingerprint.capture_unique_key, and new
--    fingerprint_capture_enable, capture_reattach and capture_after_alter.
--  * Dropping the last unique index that makes a captured table's key columns unique
--    (DROP CONSTRAINT / INDEX / COLUMN) is refused: fingerprint.captured_unique_keys,
--    capture_before_key_ddl, capture_refuse_key_drop and their two event triggers.

-- ---- Whole-row identity (tables without a usable unique key) ----------------------------
-- fingerprint_capture_enable without key_columns on a table with neither a primary key nor
-- a usable unique key registers it with identity 'row' (key_columns: every column).
-- Registrations made before read as 'key'.
-- (Added without a default, then filled: a default on ADD COLUMN would leave a "missing
-- value" in the catalog that a fresh install does not have.)
ALTER TABLE fingerprint.capture_tables ADD COLUMN identity text;
UPDATE fingerprint.capture_tables SET identity = 'key';
ALTER TABLE fingerprint.capture_tables
    ALTER COLUMN identity SET DEFAULT 'key',
    ALTER COLUMN identity SET NOT NULL,
    ADD CONSTRAINT capture_tables_identity_check CHECK (identity IN ('key', 'row'));
COMMENT ON COLUMN fingerprint.capture_tables.identity IS
    'key: key_columns identify a row (a primary key or named NOT NULL columns); row: the table has no usable unique key, key_columns are all columns and the whole row is its identity (duplicates allowed, replayed as a multiset)';

CREATE FUNCTION fingerprint.capture_unique_key(tbl regclass) RETURNS text[]
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ARRAY[quote_ident(ic.relname)] || array_agg(a.attname::text ORDER BY k.ord)
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = tbl AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
      AND k.ord <= i.indnkeyatts
      AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS z(attnum, ord)
                      LEFT JOIN pg_attribute za ON za.attrelid = i.indrelid AND za.attnum = z.attnum
                      WHERE z.ord <= i.indnkeyatts AND (za.attnum IS NULL OR NOT za.attnotnull))
    GROUP BY ic.relname
    ORDER BY ic.relname
    LIMIT 1
$$;
COMMENT ON FUNCTION fingerprint.capture_unique_key(regclass) IS
    'Any role (catalog information only). The first usable unique key of a table ({index, columns...}) or NULL; writes nothing.';

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
    IF FOUND AND v_latest.schema_version = v_max AND v_latest.key_columns = v_keys
            AND v_latest.identity = v_identity
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
COMMENT ON FUNCTION fingerprint_capture_enable(regclass, text[], boolean, boolean) IS
    'The table''s owner, with write access to fingerprint.capture_tables (by default: superusers and the extension owner). Writes the registry and the table''s two capture triggers. NULL tbl, old_images or skip_in_replica is an error; NULL key_columns means the primary key, or whole-row identity for a table without any usable unique key.';

CREATE OR REPLACE FUNCTION fingerprint.capture_reattach() RETURNS SETOF regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT DISTINCT ON (c.oid) c.oid::regclass AS rel,
               CASE t.identity WHEN 'row' THEN NULL ELSE t.key_columns END AS key_columns,
               t.old_images, t.skip_in_replica
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
COMMENT ON FUNCTION fingerprint.capture_reattach() IS
    'As fingerprint_capture_enable, for each table it re-attaches (after pg_dump/pg_restore gave tables new OIDs). Writes the registry and those tables'' capture triggers.';

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
               ct.column_signature, ct.identity
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
        -- (Whole-row identity allows NULLs: no column of it needs NOT NULL.)
        SELECT k INTO v_col FROM unnest(t.key_columns) k
        JOIN pg_attribute a ON a.attrelid = t.relid AND a.attname = k AND NOT a.attisdropped
        WHERE NOT a.attnotnull AND t.identity = 'key' LIMIT 1;
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
        -- A whole-row identity table given a primary key is registered again with that
        -- key (a new schema version, identity 'key').
        CONTINUE WHEN t.column_signature = v_sig
                  AND t.table_name = (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                      WHERE c.oid = t.relid)
                  AND NOT (t.identity = 'row'
                           AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.relid AND i.indisprimary));
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
        -- Whole-row identity: the key is derived again (all columns as they are now, or the
        -- primary key the table was given).
        IF t.identity = 'row' THEN
            v_keys := NULL;
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
COMMENT ON FUNCTION fingerprint.capture_after_alter() IS
    'Event trigger only (SECURITY DEFINER). Re-registers a captured table after ALTER TABLE / ALTER SCHEMA changed its columns or name.';

-- ---- A captured table keeps the unique key its key columns stand on ------------------------

-- A registration with identity 'key' whose key columns a unique index makes unique (a
-- primary key, a unique constraint or index: valid, not partial, no expressions, its key
-- columns among the registered ones) must not lose the last such index while capture is
-- on: duplicate keys would be logged as inserts of an existing key, and a key-based
-- consumer would merge rows the source keeps apart. DROP CONSTRAINT, DROP INDEX, DROP
-- COLUMN and drops that cascade to the index are refused (the command fails). Key columns
-- named at enable without any unique index over them are the user's promise, not the
-- catalog's: such tables are not concerned. The key is noted before the command
-- (ddl_command_start) and checked when the index is gone (sql_drop, before any other
-- event trigger of the command can run DDL of its own).

-- The tables whose registered key columns a unique index makes unique (live, enabled,
-- identity 'key').
CREATE FUNCTION fingerprint.captured_unique_keys() RETURNS oid[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(DISTINCT t.relid ORDER BY t.relid), '{}')
    FROM fingerprint.capture_tables t
    WHERE t.enabled AND t.identity = 'key' AND fingerprint.capture_registration_live(t)
      AND EXISTS (SELECT 1 FROM pg_index i
                  WHERE i.indrelid = t.relid AND i.indisunique AND i.indisvalid
                    AND i.indpred IS NULL AND i.indexprs IS NULL
                    AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                                    WHERE k.ord <= i.indnkeyatts
                                      AND (a.attname IS NULL OR NOT a.attname::text = ANY (t.key_columns))))
$$;

-- It reads the registry with its owner's rights: only the event triggers call it.
REVOKE EXECUTE ON FUNCTION fingerprint.captured_unique_keys() FROM PUBLIC;
COMMENT ON FUNCTION fingerprint.captured_unique_keys() IS
    'The extension owner (EXECUTE revoked from PUBLIC; SECURITY DEFINER, for the key-drop event triggers). The captured tables whose key columns a unique index makes unique; writes nothing.';

CREATE FUNCTION fingerprint.capture_before_key_ddl() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('fingerprint_capture.unique_keys', fingerprint.captured_unique_keys()::text, true);
END;
$$;
COMMENT ON FUNCTION fingerprint.capture_before_key_ddl() IS
    'Event trigger only (SECURITY DEFINER). Notes the captured tables whose key a unique index backs, before DDL that can drop an index (a transaction-local setting).';

CREATE FUNCTION fingerprint.capture_refuse_key_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_before oid[];
    r record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() d
                   WHERE d.object_type IN ('index', 'table constraint')) THEN
        RETURN;
    END IF;
    v_before := nullif(current_setting('fingerprint_capture.unique_keys', true), '')::oid[];
    IF v_before IS NULL THEN
        RETURN;
    END IF;
    FOR r IN
        SELECT t.relid::regclass AS rel, t.key_columns
        FROM fingerprint.capture_tables t
        WHERE t.relid = ANY (v_before) AND NOT t.relid = ANY (fingerprint.captured_unique_keys())
          AND t.enabled AND t.identity = 'key' AND fingerprint.capture_registration_live(t)
          AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.relid)
        ORDER BY t.relid
    LOOP
        RAISE EXCEPTION 'cannot drop the last unique key over key columns (%) of captured table %',
            array_to_string(r.key_columns, ', '), r.rel
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Capture identifies rows by those columns; without a unique key, duplicate keys would be logged as one row.',
                  HINT = format('Add another unique index or constraint over (%s) first, or call fingerprint_capture_disable(%L) first.',
                                array_to_string(r.key_columns, ', '), r.rel::text);
    END LOOP;
END;
$$;
COMMENT ON FUNCTION fingerprint.capture_refuse_key_drop() IS
    'Event trigger only (SECURITY DEFINER). Refuses dropping the last unique index that makes a captured table''s key columns unique; writes nothing.';

CREATE EVENT TRIGGER fingerprint_capture_before_key_ddl ON ddl_command_start
    WHEN TAG IN ('ALTER TABLE', 'ALTER INDEX', 'DROP INDEX', 'DROP OWNED', 'DROP TYPE', 'DROP DOMAIN',
                 'DROP FUNCTION', 'DROP COLLATION', 'DROP OPERATOR CLASS', 'DROP OPERATOR FAMILY')
    EXECUTE FUNCTION fingerprint.capture_before_key_ddl();
CREATE EVENT TRIGGER fingerprint_capture_refuse_key_drop ON sql_drop
    EXECUTE FUNCTION fingerprint.capture_refuse_key_drop();
ALTER EVENT TRIGGER fingerprint_capture_before_key_ddl ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_refuse_key_drop ENABLE ALWAYS;
COMMENT ON EVENT TRIGGER fingerprint_capture_before_key_ddl IS
    'Runs fingerprint.capture_before_key_ddl(): notes the captured tables whose key a unique index backs.';
COMMENT ON EVENT TRIGGER fingerprint_capture_refuse_key_drop IS
    'Runs fingerprint.capture_refuse_key_drop(): dropping the last unique key of a captured table''s key columns is refused.';
