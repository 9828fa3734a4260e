-- Change capture (docs/capture.md): the C trigger, the log format, batches, the JSON and
-- Debezium renderings, incremental fingerprints and cleanup. Multi-session behaviour
-- (concurrency, long transactions, the copy seam, killed readers) is in tests/capture/.
\set VERBOSITY terse
SET TIME ZONE 'Europe/Paris';  -- images are session-independent; renderings are UTC
CREATE SCHEMA cap;
CREATE TABLE cap.items (id int PRIMARY KEY, name text, price numeric(10,2), seen timestamptz, doc jsonb);

-- A helper view: the log with stable columns (no seq, txid or time).
CREATE VIEW cap.log AS
SELECT row_number() OVER (ORDER BY seq) AS n, op, table_name, schema_version, changed_columns,
       key, old_key, after, before,
       old_fingerprint IS NOT NULL AS has_old_fp, new_fingerprint IS NOT NULL AS has_new_fp
FROM fingerprint.changes;

-- ---- enable / disable -----------------------------------------------------------------
SELECT fingerprint_capture_enable('cap.items') AS version;
SELECT oid AS trigger_oid FROM pg_trigger WHERE tgrelid = 'cap.items'::regclass AND tgname = 'fingerprint_capture' \gset
SELECT fingerprint_capture_enable('cap.items') AS "same version, idempotent";
SELECT oid = :trigger_oid AS "unchanged trigger left alone" FROM pg_trigger
WHERE tgrelid = 'cap.items'::regclass AND tgname = 'fingerprint_capture';
SELECT table_name, schema_version, column_names, column_types, column_classes, key_columns, old_images,
       skip_in_replica, enabled
FROM fingerprint.capture_tables ORDER BY 1, 2;
SELECT tgname, tgenabled, tgtype FROM pg_trigger WHERE tgrelid = 'cap.items'::regclass ORDER BY tgname;

-- ---- every operation ------------------------------------------------------------------
INSERT INTO cap.items VALUES (1, 'apple', 1.50, '2024-03-01 12:00:00+01', '{"tags": ["red"], "kg": 1.0}'),
                             (2, 'pear', NULL, NULL, NULL);
UPDATE cap.items SET price = 2.25 WHERE id = 1;
UPDATE cap.items SET name = name WHERE id = 1;           -- an exact no-op: not logged
UPDATE cap.items SET price = 2.250 WHERE id = 1;         -- same stored value: not logged
UPDATE cap.items SET id = 3 WHERE id = 2;                -- primary-key update
DELETE FROM cap.items WHERE id = 1;
SELECT n, op, changed_columns, key, old_key, after, before, has_old_fp, has_new_fp FROM cap.log;
-- The logged fingerprints are row_fingerprint of the rows.
SELECT l.new_fingerprint = row_fingerprint(i) AS "new_fingerprint = row_fingerprint"
FROM fingerprint.change_log l JOIN cap.items i ON i.id = 3
WHERE l.op = 'U' AND l.old_key_image IS NOT NULL;
-- The images render back to the rows (jsonb_populate_record, timestamps in UTC).
SET TIME ZONE 'UTC';
SELECT row_fingerprint(jsonb_populate_record(NULL::cap.items, c.after)) = c.new_fingerprint AS "image round trip"
FROM fingerprint.changes c WHERE c.after IS NOT NULL ORDER BY c.seq;
SET TIME ZONE 'Europe/Paris';

-- The incremental fingerprint over the log equals a full recomputation.
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', op, old_fingerprint, new_fingerprint
                           ORDER BY seq) = table_fingerprint('cap.items') AS "advance = table_fingerprint"
FROM fingerprint.change_log WHERE table_name = 'cap.items';

-- ---- key swap in one statement (deferrable key) -----------------------------------------
CREATE TABLE cap.pair (id int, v text, CONSTRAINT pair_pk PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED);
SELECT fingerprint_capture_enable('cap.pair', old_images => true) AS version;
INSERT INTO cap.pair VALUES (1, 'one'), (2, 'two');
UPDATE cap.pair SET id = 3 - id;
SELECT n, op, changed_columns, key, old_key, after, before FROM cap.log WHERE table_name = 'cap.pair';
-- Replayed in seq order (delete the old key if it still holds the old row, upsert the
-- new row) the swap lands correctly on a copy.
CREATE TABLE cap.pair_copy (id int PRIMARY KEY, v text);
INSERT INTO cap.pair_copy VALUES (1, 'one'), (2, 'two');
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT * FROM fingerprint.changes WHERE table_name = 'cap.pair' AND op = 'U' ORDER BY seq LOOP
        DELETE FROM cap.pair_copy p USING jsonb_populate_record(NULL::cap.pair_copy, c.old_key) k
        WHERE p.id = k.id AND row_fingerprint(p) = c.old_fingerprint;
        INSERT INTO cap.pair_copy SELECT * FROM jsonb_populate_record(NULL::cap.pair_copy, c.after)
        ON CONFLICT (id) DO UPDATE SET v = excluded.v;
    END LOOP;
END $$;
SELECT * FROM cap.pair_copy ORDER BY id;
SELECT table_fingerprint('cap.pair') = table_fingerprint('cap.pair_copy') AS "swap replayed";

-- ---- NULL in every column class ---------------------------------------------------------
CREATE TABLE cap.classes (k int PRIMARY KEY, i bigint, b boolean, d numeric, f float8, r real, t text,
                          c char(3), by bytea, u uuid, dt date, ts timestamp, tz timestamptz, tm time,
                          j json, jb jsonb, bt bit(8));
SELECT fingerprint_capture_enable('cap.classes') AS version;
SELECT column_classes FROM fingerprint.capture_tables WHERE table_name = 'cap.classes';
INSERT INTO cap.classes (k) VALUES (1);
INSERT INTO cap.classes VALUES (2, -9223372036854775808, true, -0.000, '-0', 'NaN', 'é', 'ab ', '\x00ff',
    'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29', '2024-02-29 23:59:59.999999',
    '2024-02-29 23:59:59.5+05', '24:00', '{"b": 1, "a": [1.50]}', '{"b": 1, "a": [1.50]}', B'10100101');
UPDATE cap.classes SET i = 1, b = NULL WHERE k = 1;
SELECT n, op, after FROM cap.log WHERE table_name = 'cap.classes';
SELECT count(*) AS rows, bool_and(l.new_fingerprint = row_fingerprint(x)) AS "fingerprints of NULL and non-NULL rows"
FROM cap.classes x CROSS JOIN LATERAL (
    SELECT ch.new_fingerprint FROM fingerprint.changes ch
    WHERE ch.table_name = 'cap.classes' AND (ch.key->>'k')::int = x.k ORDER BY ch.seq DESC LIMIT 1) l;

-- ---- a 200 KB value, updated and not updated --------------------------------------------
CREATE TABLE cap.docs (id int PRIMARY KEY, title text, body text);
SELECT fingerprint_capture_enable('cap.docs') AS version;
INSERT INTO cap.docs SELECT 1, 'first', string_agg(md5(g::text), '') FROM generate_series(1, 6250) g;
SELECT pg_relation_size(reltoastrelid) > 0 AS "body is TOASTed", (SELECT octet_length(body) FROM cap.docs)
FROM pg_class WHERE oid = 'cap.docs'::regclass;
UPDATE cap.docs SET title = 'renamed';                    -- body unchanged (same TOAST pointer)
UPDATE cap.docs SET body = body || 'x';                   -- body changed
SELECT n, op, changed_columns, has_old_fp, has_new_fp FROM cap.log WHERE table_name = 'cap.docs';
SELECT octet_length(new_image) AS image_bytes, new_fingerprint = (SELECT row_fingerprint(d) FROM cap.docs d)
       AS "last image = row"
FROM fingerprint.change_log WHERE table_name = 'cap.docs' ORDER BY seq DESC LIMIT 1;
SELECT length(after->>'body') AS body_chars FROM fingerprint.changes WHERE table_name = 'cap.docs' ORDER BY seq;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', op, old_fingerprint, new_fingerprint
                           ORDER BY seq) = table_fingerprint('cap.docs') AS "advance = table_fingerprint"
FROM fingerprint.change_log WHERE table_name = 'cap.docs';

-- ---- TRUNCATE ---------------------------------------------------------------------------
SELECT table_fingerprint('cap.items') AS before_truncate \gset
INSERT INTO cap.items VALUES (10, 'x', 1, NULL, NULL);
TRUNCATE cap.items;
INSERT INTO cap.items VALUES (11, 'y', 2, NULL, NULL);
SELECT n, op, key, after FROM cap.log WHERE table_name = 'cap.items' AND n > 6;
SELECT fingerprint_advance(:'before_truncate', op, old_fingerprint, new_fingerprint ORDER BY seq)
       = table_fingerprint('cap.items') AS "advance across TRUNCATE"
FROM fingerprint.change_log WHERE table_name = 'cap.items' AND seq > (
    SELECT max(seq) FROM fingerprint.change_log WHERE table_name = 'cap.items' AND op = 'D');

-- ---- schema versions ------------------------------------------------------------------------
ALTER TABLE cap.items ADD COLUMN stock int DEFAULT 0;    -- re-registered by the event trigger
INSERT INTO cap.items (id, name) VALUES (12, 'z');
SELECT table_name, schema_version, column_names, enabled FROM fingerprint.capture_tables
WHERE table_name = 'cap.items' ORDER BY 2;
SELECT n, op, schema_version, after FROM cap.log WHERE table_name = 'cap.items' AND n > 9;
ALTER TABLE cap.items DROP COLUMN stock;
SELECT fingerprint_capture_enable('cap.items') AS "version after drop (event trigger made it)";
-- The trigger refuses to log against a column list nobody registered (event trigger off).
ALTER EVENT TRIGGER fingerprint_capture_after_alter DISABLE;
ALTER TABLE cap.items ADD COLUMN note text;
INSERT INTO cap.items (id, name) VALUES (13, 'w');
SELECT fingerprint_capture_enable('cap.items') AS "version after re-enable";
INSERT INTO cap.items (id, name) VALUES (13, 'w');
ALTER EVENT TRIGGER fingerprint_capture_after_alter ENABLE ALWAYS;

-- ---- replica role ---------------------------------------------------------------------------
CREATE TABLE cap.echo (id int PRIMARY KEY);
SELECT fingerprint_capture_enable('cap.echo', skip_in_replica => true) AS version;
SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'cap.echo'::regclass ORDER BY 1;
SET session_replication_role = replica;
INSERT INTO cap.echo VALUES (1);                         -- a replayer's write: not captured
INSERT INTO cap.pair VALUES (7, 'seven');                -- default: captured in replica mode too
RESET session_replication_role;
INSERT INTO cap.echo VALUES (2);
SELECT table_name, op, after FROM fingerprint.changes WHERE table_name IN ('cap.echo', 'cap.pair') AND op = 'I'
ORDER BY seq;

-- ---- batches ----------------------------------------------------------------------------------
SELECT fingerprint.register_consumer('reader') IS NOT NULL AS registered;
SELECT fingerprint.next_batch('reader') AS batch;        -- nothing committed since registration
INSERT INTO cap.echo VALUES (3);
UPDATE cap.echo SET id = 4 WHERE id = 3;
SELECT fingerprint.next_batch('reader') AS batch;
SELECT fingerprint.next_batch('reader') AS "same batch until finished";
SELECT op, table_name, after, old_key FROM fingerprint.batch_changes_json('reader', 1);
SELECT fingerprint.finish_batch('reader', 1) AS finished, fingerprint.finish_batch('reader', 1) AS "again";
SELECT fingerprint.next_batch('reader') AS batch;
SELECT fingerprint.batch_changes('reader', 1);
SELECT fingerprint.finish_batch('reader', 5);
SELECT fingerprint.next_batch('nobody');
SELECT fingerprint.register_consumer('reader', pg_current_snapshot());

-- ---- Debezium envelope ------------------------------------------------------------------------
SELECT op, before, after, source - 'txId' - 'ts_ms' - 'seq' - 'db' AS source
FROM fingerprint.debezium_changes WHERE source->>'table' = 'echo' ORDER BY seq;

-- ---- cleanup -------------------------------------------------------------------------------------
SELECT count(*) > 0 AS "log has rows" FROM fingerprint.change_log;
SELECT fingerprint.cleanup() > 0 AS "removed consumed changes";
SELECT count(*) AS "left after cleanup" FROM fingerprint.change_log;
SELECT fingerprint.register_consumer('late', '1:1:') ;
SELECT fingerprint.unregister_consumer('reader'), fingerprint.unregister_consumer('reader');
SELECT fingerprint.cleanup() AS "no consumer: nothing removed";

-- ---- errors -------------------------------------------------------------------------------------
CREATE TABLE cap.nokey (a int, b int NOT NULL UNIQUE);  -- a usable unique key: named, not guessed
SELECT fingerprint_capture_enable('cap.nokey');
SELECT fingerprint_capture_enable('cap.nokey', ARRAY['c']);
SELECT fingerprint_capture_enable('cap.nokey', ARRAY['a']);
SELECT fingerprint_capture_enable('cap.nokey', ARRAY['b']) AS "named key";
SELECT fingerprint_capture_enable('cap.missing');
SELECT fingerprint_capture_enable(NULL);
CREATE TABLE cap.shapes (id int PRIMARY KEY, p point);
SELECT fingerprint_capture_enable('cap.shapes');
CREATE VIEW cap.v AS SELECT 1 AS id;
SELECT fingerprint_capture_enable('cap.v');
SELECT fingerprint_image_json('\x01000000013100'::bytea, ARRAY['a', 'b']);
SELECT fingerprint_image_json('\x0100000001'::bytea);
SELECT fingerprint_image_json('\x010000000131000300000002c3a9'::bytea);
SELECT fingerprint_advance('nonsense', 'I', NULL, 'fp1:xxh3:00000000000000000000000000000000');
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'X', NULL, NULL);
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, 'fp1:sha256:00000000000000000000000000000000');
SELECT fingerprint_advance(start, op, o, n) FROM (VALUES ('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, NULL)) v(start, op, o, n) WHERE false;

-- ---- disable ---------------------------------------------------------------------------------------
SELECT count(*) AS logged_before FROM fingerprint.change_log WHERE table_name = 'cap.items' \gset
SELECT fingerprint_capture_disable('cap.items') AS disabled, fingerprint_capture_disable('cap.items') AS again;
INSERT INTO cap.items (id, name) VALUES (20, 'not captured');
SELECT count(*) - :logged_before AS "captured after disable" FROM fingerprint.change_log
WHERE table_name = 'cap.items';
SELECT tgname FROM pg_trigger WHERE tgrelid = 'cap.items'::regclass;
SELECT table_name, schema_version, enabled FROM fingerprint.capture_tables WHERE table_name = 'cap.items' ORDER BY 2;

-- ---- privileges ------------------------------------------------------------------------------------
-- A role with no rights on schema fingerprint writes to its captured table (the trigger
-- writes the log directly) and alters its tables (the event trigger runs as the owner).
CREATE ROLE regress_capture_app;
CREATE SCHEMA app AUTHORIZATION regress_capture_app;
CREATE TABLE app.orders (id int PRIMARY KEY, v text);
ALTER TABLE app.orders OWNER TO regress_capture_app;
SELECT fingerprint_capture_enable('app.orders') AS version;
SET ROLE regress_capture_app;
INSERT INTO app.orders VALUES (1, 'written by a role without rights on the log');
ALTER TABLE app.orders ADD COLUMN note text;
UPDATE app.orders SET note = 'after ALTER';
CREATE TABLE app.other (id int);
ALTER TABLE app.other ADD COLUMN x int;
SELECT count(*) FROM fingerprint.change_log;
RESET ROLE;
SELECT schema_version, column_names FROM fingerprint.capture_tables WHERE table_name = 'app.orders' ORDER BY 1;
SELECT op, schema_version, after FROM fingerprint.changes WHERE table_name = 'app.orders' ORDER BY seq;

-- ---- dropping captured tables ----------------------------------------------------------------------
SET client_min_messages = warning;
DROP SCHEMA cap CASCADE;
DROP SCHEMA app CASCADE;
RESET client_min_messages;
DROP ROLE regress_capture_app;
SELECT count(*) AS "still enabled after DROP" FROM fingerprint.capture_tables WHERE enabled;
SELECT fingerprint.register_consumer('last') IS NOT NULL AS registered;
SELECT fingerprint.next_batch('last') AS batch;
SELECT fingerprint.unregister_consumer('last');

-- ---- the extension outside the search path ---------------------------------------------------
-- Not relocatable (it creates schema fingerprint), but it can be created in any schema.
SELECT current_database() AS home_db \gset
CREATE DATABASE regress_capture_schema;
\c regress_capture_schema
CREATE SCHEMA fp;
CREATE EXTENSION fingerprint SCHEMA fp;
SET search_path = pg_catalog;
CREATE TABLE public.t (id int PRIMARY KEY, v text);
SELECT fp.fingerprint_capture_enable('public.t') AS version;
INSERT INTO public.t VALUES (1, 'x'), (2, 'y');
UPDATE public.t SET v = 'z' WHERE id = 2;
DELETE FROM public.t WHERE id = 1;
SELECT d.op, l.schema_version, d.after, d.source->>'table' AS "table" FROM fingerprint.debezium_changes d
JOIN fingerprint.change_log l USING (seq) ORDER BY seq;
SELECT fp.fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', op, old_fingerprint,
                              new_fingerprint ORDER BY seq) = fp.table_fingerprint('public.t') AS "advance"
FROM fingerprint.change_log;
\c :home_db
DROP DATABASE regress_capture_schema;

-- ---- unusual trigger set-ups (each once crashed the server or is refused) -------------------
CREATE SCHEMA cap2;
CREATE TABLE cap2.m (id int PRIMARY KEY, v text);
-- Hand-made triggers with a key column count that overflowed the argument check.
CREATE TRIGGER bad AFTER INSERT ON cap2.m FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger('cap2.m', '1', 'false', 'false', '2147483647');
INSERT INTO cap2.m VALUES (1, 'a');
DROP TRIGGER bad ON cap2.m;
CREATE TRIGGER bad AFTER INSERT ON cap2.m FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger('cap2.m', '1', 'false', 'false', '2147483645', 'id');
INSERT INTO cap2.m VALUES (1, 'a');
DROP TRIGGER bad ON cap2.m;
-- BEFORE, statement-level INSERT, INSTEAD OF on a view, a direct call: refused.
CREATE TRIGGER bad BEFORE INSERT ON cap2.m FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger('cap2.m', '1', 'false', 'false', '1', 'id', '23:-1:id', '25:-1:v');
INSERT INTO cap2.m VALUES (1, 'a');
DROP TRIGGER bad ON cap2.m;
CREATE TRIGGER bad AFTER INSERT ON cap2.m FOR EACH STATEMENT
    EXECUTE FUNCTION fingerprint.capture_trigger('cap2.m', '1', 'false', 'false', '1', 'id', '23:-1:id', '25:-1:v');
INSERT INTO cap2.m VALUES (1, 'a');
DROP TRIGGER bad ON cap2.m;
CREATE VIEW cap2.mv AS SELECT * FROM cap2.m;
CREATE TRIGGER bad INSTEAD OF INSERT ON cap2.mv FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger('cap2.m', '1', 'false', 'false', '1', 'id', '23:-1:id', '25:-1:v');
INSERT INTO cap2.mv VALUES (1, 'a');
DROP VIEW cap2.mv;
SELECT fingerprint.capture_trigger();
SELECT count(*) AS "nothing logged" FROM fingerprint.change_log WHERE table_name = 'cap2.m';

-- Rows stored before ADD COLUMN ... DEFAULT have no bytes for the column: the trigger reads
-- the stored default, as SELECT does (it used to log NULL for it in old images).
INSERT INTO cap2.m VALUES (1, 'a'), (2, 'b');
SELECT fingerprint_capture_enable('cap2.m', old_images => true) AS version;
ALTER TABLE cap2.m ADD COLUMN z int DEFAULT 5;
SELECT table_fingerprint('cap2.m') AS cap2_start \gset
UPDATE cap2.m SET v = 'bb' WHERE id = 2;
DELETE FROM cap2.m WHERE id = 1;
SELECT op, schema_version, fingerprint_image_json(old_image) AS old, fingerprint_image_json(new_image) AS new,
       changed_columns
FROM fingerprint.change_log WHERE table_name = 'cap2.m' ORDER BY seq;
SELECT fingerprint_advance(:'cap2_start', op, old_fingerprint, new_fingerprint ORDER BY seq)
       = table_fingerprint('cap2.m') AS "advance over old rows"
FROM fingerprint.change_log WHERE table_name = 'cap2.m';
SET client_min_messages = warning;
DROP SCHEMA cap2 CASCADE;
RESET client_min_messages;
