-- Change capture (1.1) against DDL and look-alike triggers (issue 8 hardening):
-- DDL that changes stored values without firing row triggers is refused while capture is
-- on; only the triggers enable created, in enable's exact form, write the log; a key
-- column stays NOT NULL; consumer registration and catalog helpers refuse bad input.
\set VERBOSITY terse
CREATE SCHEMA ddl;
CREATE TYPE ddl.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN ddl.mood_d AS ddl.mood;
CREATE TABLE ddl.u (id int PRIMARY KEY, v text, n int NOT NULL DEFAULT 0);
CREATE TABLE ddl.e (id int PRIMARY KEY, m ddl.mood);
CREATE TABLE ddl.ed (id int PRIMARY KEY, md ddl.mood_d);
INSERT INTO ddl.u VALUES (1, 'a', 1), (2, 'b', 2);
INSERT INTO ddl.e VALUES (1, 'ok');
SELECT fingerprint_capture_enable('ddl.u') AS version;
SELECT fingerprint_capture_enable('ddl.e') AS version;
SELECT fingerprint_capture_enable('ddl.ed') AS version;
SELECT count(*) AS log_before FROM fingerprint.change_log \gset

-- ---- table rewrites are refused --------------------------------------------------------------
ALTER TABLE ddl.u ALTER COLUMN v TYPE text USING upper(v);              -- same type, new values
ALTER TABLE ddl.u ALTER COLUMN id TYPE int USING id + 100;              -- the key column
ALTER TABLE ddl.u ALTER COLUMN n TYPE bigint;                           -- a rewriting type change
ALTER TABLE ddl.u ADD COLUMN r double precision DEFAULT random();       -- volatile default
ALTER TABLE ddl.u ADD COLUMN s serial;                                  -- ditto (nextval)
ALTER TABLE ddl.u SET UNLOGGED;
ALTER TABLE ddl.u ALTER COLUMN v TYPE varchar(10);                      -- a length check rewrites too
SELECT v, n FROM ddl.u ORDER BY id;                                     -- nothing changed
-- Type changes that rewrite nothing are refused too: they can change what values read
-- (int -> oid: -1 reads 4294967295; text -> bpchar: trailing spaces dropped).
ALTER TABLE ddl.u ALTER COLUMN v TYPE varchar;                          -- binary coercible: no rewrite
ALTER TABLE ddl.u ALTER COLUMN n TYPE oid;
ALTER TABLE ddl.u ALTER COLUMN v TYPE bpchar;
-- DDL that changes no existing column goes on (a new schema version where the columns change).
ALTER TABLE ddl.u ADD COLUMN c int DEFAULT 7;                           -- stored default, no rewrite
INSERT INTO ddl.u VALUES (3, 'c', 3);
SELECT schema_version, column_signature IS NOT NULL AS signed, enabled FROM fingerprint.capture_tables
WHERE relid = 'ddl.u'::regclass ORDER BY schema_version;
-- The documented way: disable, alter, (copy again), enable.
SELECT fingerprint_capture_disable('ddl.u') AS disabled;
ALTER TABLE ddl.u ALTER COLUMN v TYPE text USING upper(v);
SELECT fingerprint_capture_enable('ddl.u') AS version;
UPDATE ddl.u SET v = lower(v) WHERE id = 1;
-- A table that is not captured is not concerned.
CREATE TABLE ddl.free (id int PRIMARY KEY, v text);
ALTER TABLE ddl.free ALTER COLUMN v TYPE text USING upper(v);

-- ---- enum label renames -----------------------------------------------------------------------
ALTER TYPE ddl.mood RENAME VALUE 'ok' TO 'fine';                        -- ddl.e and ddl.ed (a domain) store it
SELECT enum_range(NULL::ddl.mood);
ALTER TYPE ddl.mood ADD VALUE 'ecstatic';                               -- stored rows unchanged
SELECT fingerprint_capture_disable('ddl.e');
ALTER TYPE ddl.mood RENAME VALUE 'ok' TO 'fine';                        -- ddl.ed still captured
SELECT fingerprint_capture_disable('ddl.ed');
ALTER TYPE ddl.mood RENAME VALUE 'ok' TO 'fine';                        -- nothing captured stores it
SELECT enum_range(NULL::ddl.mood);
CREATE TYPE ddl.other AS ENUM ('x');
ALTER TYPE ddl.other RENAME VALUE 'x' TO 'y';                           -- not stored by captured tables

-- ---- key columns stay NOT NULL ----------------------------------------------------------------
CREATE TABLE ddl.k (a int NOT NULL, b text);
SELECT fingerprint_capture_enable('ddl.k', ARRAY['a']) AS version;
ALTER TABLE ddl.k ALTER COLUMN a DROP NOT NULL;
ALTER TABLE ddl.k ALTER COLUMN b SET NOT NULL;                          -- other columns are free
INSERT INTO ddl.k VALUES (1, 'x');
SELECT fingerprint_capture_disable('ddl.k') AS disabled;
ALTER TABLE ddl.k ALTER COLUMN a DROP NOT NULL;

SELECT table_name, schema_version, op FROM fingerprint.change_log ORDER BY seq OFFSET :log_before;

-- ---- look-alike capture triggers -------------------------------------------------------------
-- Creating one on a captured table is refused; with that event trigger off (a superuser
-- did it), the trigger function refuses every call of a trigger enable did not create,
-- and enable replaces whatever does not match its own exactly.
CREATE TABLE ddl.t (id int PRIMARY KEY, v text);
SELECT fingerprint_capture_enable('ddl.t') AS version;
CREATE ROLE regress_owner;
GRANT USAGE ON SCHEMA fingerprint TO regress_owner;
ALTER TABLE ddl.t OWNER TO regress_owner;
GRANT USAGE ON SCHEMA ddl TO regress_owner;
SET ROLE regress_owner;
DROP TRIGGER fingerprint_capture_truncate ON ddl.t;
CREATE TRIGGER fingerprint_capture_truncate AFTER INSERT OR UPDATE OR DELETE ON ddl.t FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();
CREATE OR REPLACE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON ddl.t FOR EACH ROW
    WHEN (false) EXECUTE FUNCTION fingerprint.capture_trigger();
CREATE TRIGGER x AFTER INSERT ON ddl.t FOR EACH ROW WHEN (false) EXECUTE FUNCTION fingerprint.capture_trigger();
RESET ROLE;
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers DISABLE;
SELECT tgoid AS row_oid FROM (SELECT oid AS tgoid FROM pg_trigger WHERE tgrelid = 'ddl.t'::regclass
                              AND tgname = 'fingerprint_capture') x \gset
SET ROLE regress_owner;
-- A row trigger under the truncate trigger's name: rows would be logged twice.
DROP TRIGGER fingerprint_capture_truncate ON ddl.t;
CREATE TRIGGER fingerprint_capture_truncate AFTER INSERT OR UPDATE OR DELETE ON ddl.t FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();
INSERT INTO ddl.t VALUES (1, 'twice?');
RESET ROLE;
SELECT fingerprint_capture_enable('ddl.t') AS "enable repairs it";
SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = 'ddl.t'::regclass ORDER BY 1;
INSERT INTO ddl.t VALUES (1, 'once');
-- The same OID replaced in place (CREATE OR REPLACE TRIGGER) with WHEN (false) or UPDATE OF v:
-- changes would be skipped silently; enable does not accept it as "already right".
SELECT oid AS row_oid FROM pg_trigger WHERE tgrelid = 'ddl.t'::regclass AND tgname = 'fingerprint_capture' \gset
SET ROLE regress_owner;
CREATE OR REPLACE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON ddl.t FOR EACH ROW
    WHEN (false) EXECUTE FUNCTION fingerprint.capture_trigger();
RESET ROLE;
SELECT oid = :row_oid AS "same oid", tgqual IS NOT NULL AS "has when" FROM pg_trigger
WHERE tgrelid = 'ddl.t'::regclass AND tgname = 'fingerprint_capture';
SELECT fingerprint_capture_enable('ddl.t') AS "enable repairs it";
SELECT oid = :row_oid AS "same oid", tgqual IS NOT NULL AS "has when" FROM pg_trigger
WHERE tgrelid = 'ddl.t'::regclass AND tgname = 'fingerprint_capture';
SELECT oid AS row_oid FROM pg_trigger WHERE tgrelid = 'ddl.t'::regclass AND tgname = 'fingerprint_capture' \gset
SET ROLE regress_owner;
CREATE OR REPLACE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OF v OR DELETE ON ddl.t FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();
INSERT INTO ddl.t VALUES (2, 'update of v');                            -- refused: not enable's form
RESET ROLE;
SELECT fingerprint_capture_enable('ddl.t') AS "enable repairs it";
SELECT oid = :row_oid AS "same oid", tgattr::text AS tgattr FROM pg_trigger
WHERE tgrelid = 'ddl.t'::regclass AND tgname = 'fingerprint_capture';
-- A constraint trigger under the name.
DROP TRIGGER fingerprint_capture ON ddl.t;
CREATE CONSTRAINT TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON ddl.t
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fingerprint.capture_trigger();
INSERT INTO ddl.t VALUES (3, 'constraint');
SELECT fingerprint_capture_enable('ddl.t') AS "enable repairs it";
SELECT tgname, tgtype, tgconstraint <> 0 AS "constraint" FROM pg_trigger WHERE tgrelid = 'ddl.t'::regclass ORDER BY 1;
UPDATE ddl.t SET v = 'updated' WHERE id = 1;
TRUNCATE ddl.t;
-- The registered trigger renamed away, an exact look-alike under its name: refused (the
-- registered OID still exists on the table, under another name, and is refused by name).
ALTER TRIGGER fingerprint_capture ON ddl.t RENAME TO zzz;
CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON ddl.t FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();
INSERT INTO ddl.t VALUES (4, 'look-alike');
DROP TRIGGER zzz ON ddl.t;
DROP TRIGGER fingerprint_capture ON ddl.t;
SELECT fingerprint_capture_enable('ddl.t') AS "enable repairs it";
-- Registered trigger OIDs that exist nowhere on the table (pg_upgrade keeps relation OIDs,
-- not trigger OIDs): the triggers of those names in exactly enable's form stand in, and
-- enable records their OIDs again.
UPDATE fingerprint.capture_tables SET trigger_oids = '{1,2}' WHERE relid = 'ddl.t'::regclass AND enabled;
SELECT fingerprint.capture_invalidate('ddl.t');
INSERT INTO ddl.t VALUES (5, 'after pg_upgrade');
SELECT fingerprint_capture_enable('ddl.t') AS version;
SELECT t.trigger_oids = ARRAY(SELECT oid FROM pg_trigger WHERE tgrelid = 'ddl.t'::regclass ORDER BY tgtype)
    AS "trigger oids recorded"
FROM fingerprint.capture_tables t WHERE t.relid = 'ddl.t'::regclass AND t.enabled;
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers ENABLE ALWAYS;
SELECT table_name, op, changed_columns FROM fingerprint.change_log WHERE table_name = 'ddl.t' ORDER BY seq;

-- ---- enable and disable read committed state ------------------------------------------------
-- Under REPEATABLE READ their reads could predate the table lock they wait for: refused,
-- unless the transaction held the table already (an ALTER TABLE re-registering it).
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT fingerprint_capture_disable('ddl.t');
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT fingerprint_capture_enable('ddl.t');
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
ALTER TABLE ddl.t RENAME TO t_rr;
INSERT INTO ddl.t_rr VALUES (6, 'renamed under repeatable read');
ALTER TABLE ddl.t_rr RENAME TO t;
COMMIT;
SELECT table_name, schema_version, enabled FROM fingerprint.capture_tables
WHERE relid = 'ddl.t'::regclass ORDER BY 1, 2;

-- ---- consumers ---------------------------------------------------------------------------------
SELECT fingerprint.register_consumer('');
SELECT fingerprint.register_consumer('future', '99999999:99999999:');
SELECT fingerprint.register_consumer('now', pg_current_snapshot()) IS NOT NULL AS registered;
SELECT count(*) AS consumers FROM fingerprint.consumers WHERE consumer IN ('', 'future', 'now');
SELECT fingerprint.unregister_consumer('now');

-- ---- catalog helpers check the relation and the caller's rights before any lock --------------
SELECT fingerprint.column_classes(0);
SELECT * FROM table_columns(0);
CREATE ROLE regress_nobody;
GRANT USAGE ON SCHEMA ddl, fingerprint TO regress_nobody;
SELECT 'ddl.u'::regclass::oid AS u_oid \gset
SET ROLE regress_nobody;
SELECT fingerprint.column_classes(:u_oid);
SELECT * FROM table_columns(:u_oid);
RESET ROLE;
GRANT SELECT (id) ON ddl.u TO regress_nobody;                           -- one column is enough
SET ROLE regress_nobody;
SELECT count(*) AS columns FROM table_columns(:u_oid);
RESET ROLE;

-- An enum's owner without rights on the registry is refused just the same.
CREATE TYPE ddl.owned AS ENUM ('a');
CREATE TABLE ddl.eo (id int PRIMARY KEY, m ddl.owned);
SELECT fingerprint_capture_enable('ddl.eo') AS version;
ALTER TYPE ddl.owned OWNER TO regress_owner;
SET ROLE regress_owner;
ALTER TYPE ddl.owned RENAME VALUE 'a' TO 'b';
SELECT fingerprint.captured_enum_labels();                              -- the event triggers' helper only
RESET ROLE;
ALTER TYPE ddl.owned OWNER TO CURRENT_USER;

SELECT fingerprint_capture_disable('ddl.t');
DROP TABLE ddl.t;
REVOKE ALL ON SCHEMA fingerprint FROM regress_owner;
REVOKE ALL ON SCHEMA ddl FROM regress_owner;
DROP ROLE regress_owner;
REVOKE ALL ON ddl.u FROM regress_nobody;
REVOKE ALL ON SCHEMA ddl, fingerprint FROM regress_nobody;
DROP ROLE regress_nobody;
