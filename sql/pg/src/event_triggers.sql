-- event_triggers.sql: DDL on captured tables (docs/capture.md). After ALTER, a captured
-- table is registered again (new column list or name: a new schema version); a dropped
-- table's registration is disabled; DDL that changes stored values without firing row
-- triggers (rewrites, type changes, enum label renames), dropping the unique key a
-- captured key stands on, and look-alike capture triggers are refused. Every function here is SECURITY DEFINER: it runs on DDL by any role and reads
-- (or writes) the registry with the owner's rights.

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
CREATE FUNCTION fingerprint.capture_after_alter() RETURNS event_trigger
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

CREATE EVENT TRIGGER fingerprint_capture_after_alter ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'ALTER SCHEMA', 'ALTER INDEX', 'ALTER VIEW', 'ALTER MATERIALIZED VIEW',
                 'ALTER FOREIGN TABLE', 'ALTER SEQUENCE', 'ALTER TYPE', 'ALTER EXTENSION')
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
COMMENT ON FUNCTION fingerprint.capture_after_drop() IS
    'Event trigger only (SECURITY DEFINER). Marks the registration of a dropped table disabled.';

CREATE EVENT TRIGGER fingerprint_capture_after_drop ON sql_drop
    EXECUTE FUNCTION fingerprint.capture_after_drop();

-- ---- DDL that changes stored values without row triggers -----------------------------------

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
COMMENT ON FUNCTION fingerprint.capture_refuse_rewrite() IS
    'Event trigger only (SECURITY DEFINER). Refuses a table rewrite (ALTER TABLE / ALTER TYPE) of a captured table; writes nothing.';

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
COMMENT ON FUNCTION fingerprint.captured_enum_labels() IS
    'The extension owner (EXECUTE revoked from PUBLIC; SECURITY DEFINER, for the ALTER TYPE event triggers). The labels of enums stored by captured tables; writes nothing.';

-- ALTER TYPE: the labels are noted before the command and compared after it.
CREATE FUNCTION fingerprint.capture_before_alter_type() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('fingerprint_capture.enum_labels', fingerprint.captured_enum_labels()::text, true);
END;
$$;
COMMENT ON FUNCTION fingerprint.capture_before_alter_type() IS
    'Event trigger only (SECURITY DEFINER). Notes the enum labels of captured tables before ALTER TYPE (a transaction-local setting).';

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
COMMENT ON FUNCTION fingerprint.capture_after_alter_type() IS
    'Event trigger only (SECURITY DEFINER). Refuses ALTER TYPE ... RENAME VALUE of an enum stored by a captured table; writes nothing.';

CREATE EVENT TRIGGER fingerprint_capture_before_alter_type ON ddl_command_start
    WHEN TAG IN ('ALTER TYPE')
    EXECUTE FUNCTION fingerprint.capture_before_alter_type();
CREATE EVENT TRIGGER fingerprint_capture_after_alter_type ON ddl_command_end
    WHEN TAG IN ('ALTER TYPE')
    EXECUTE FUNCTION fingerprint.capture_after_alter_type();

-- ---- Capture triggers are made by enable only ----------------------------------------------

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
COMMENT ON FUNCTION fingerprint.capture_guard_triggers() IS
    'Event trigger only (SECURITY DEFINER). Refuses CREATE TRIGGER of capture triggers (or their names) on a captured table outside fingerprint_capture_enable; writes nothing.';

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

COMMENT ON EVENT TRIGGER fingerprint_capture_after_alter IS
    'Runs fingerprint.capture_after_alter(): a captured table renamed or given other columns is registered again.';
COMMENT ON EVENT TRIGGER fingerprint_capture_after_drop IS
    'Runs fingerprint.capture_after_drop(): a dropped table''s registration is disabled.';
COMMENT ON EVENT TRIGGER fingerprint_capture_refuse_rewrite IS
    'Runs fingerprint.capture_refuse_rewrite(): a rewrite of a captured table is refused.';
COMMENT ON EVENT TRIGGER fingerprint_capture_before_alter_type IS
    'Runs fingerprint.capture_before_alter_type(): notes the enum labels captured tables store.';
COMMENT ON EVENT TRIGGER fingerprint_capture_after_alter_type IS
    'Runs fingerprint.capture_after_alter_type(): a rename of an enum label a captured table stores is refused.';
COMMENT ON EVENT TRIGGER fingerprint_capture_guard_triggers IS
    'Runs fingerprint.capture_guard_triggers(): capture triggers on a captured table are made by fingerprint_capture_enable only.';

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
