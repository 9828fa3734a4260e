-- Change capture (1.1): only registered relations are logged, under their own quoted
-- name; renames keep capture on under the new name; a dropped and recreated table is a
-- new table; a disabled capture is no longer trusted (issue 8, classes 1 and 2).
\set VERBOSITY terse
CREATE SCHEMA trust;
CREATE TABLE trust.k (id int PRIMARY KEY, v text);
SELECT fingerprint_capture_enable('trust.k') AS version;
SELECT tgname, tgnargs FROM pg_trigger WHERE tgrelid = 'trust.k'::regclass ORDER BY 1;

-- ---- forged log rows ------------------------------------------------------------------------
-- A role that owns a table of its own (TRIGGER privilege and nothing on schema fingerprint)
-- attaches fingerprint's trigger with hand-written arguments naming trust.k.
CREATE ROLE regress_forger;
CREATE SCHEMA forge AUTHORIZATION regress_forger;
GRANT USAGE ON SCHEMA fingerprint TO regress_forger;
SET ROLE regress_forger;
CREATE TABLE forge.mine (id int PRIMARY KEY, v text);
CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON forge.mine FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger('trust.k', '1', 'false', 'false', '1', 'id', '23:-1:id', '25:-1:v');
INSERT INTO forge.mine VALUES (1, 'forged');
DROP TRIGGER fingerprint_capture ON forge.mine;
-- Without arguments, under the real trigger's name: still not a registered relation.
CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON forge.mine FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();
INSERT INTO forge.mine VALUES (2, 'forged');
CREATE TRIGGER fingerprint_capture_truncate AFTER TRUNCATE ON forge.mine FOR EACH STATEMENT
    EXECUTE FUNCTION fingerprint.capture_trigger();
TRUNCATE forge.mine;
DROP TRIGGER fingerprint_capture ON forge.mine;
DROP TRIGGER fingerprint_capture_truncate ON forge.mine;
INSERT INTO forge.mine VALUES (3, 'plain');
-- USAGE on schema fingerprint grants nothing: no registering, no consuming.
SELECT fingerprint_capture_enable('forge.mine');
SELECT fingerprint.register_consumer('forger');
SELECT fingerprint.finish_batch('reader', 1);
SELECT count(*) FROM fingerprint.change_log;
RESET ROLE;
-- A role with only the TRIGGER privilege on a captured table adds a second trigger: every
-- write through it is refused (a second trigger would log every row twice).
GRANT USAGE ON SCHEMA trust TO regress_forger;
GRANT TRIGGER ON trust.k TO regress_forger;
SET ROLE regress_forger;
-- Refused when created (event trigger fingerprint_capture_guard_triggers) ...
CREATE TRIGGER again AFTER INSERT ON trust.k FOR EACH ROW EXECUTE FUNCTION fingerprint.capture_trigger();
RESET ROLE;
-- ... and, with that event trigger off, refused at every write: only the trigger OIDs
-- enable stored in the registration are trusted.
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers DISABLE;
SET ROLE regress_forger;
CREATE TRIGGER again AFTER INSERT ON trust.k FOR EACH ROW EXECUTE FUNCTION fingerprint.capture_trigger();
RESET ROLE;
INSERT INTO trust.k VALUES (1, 'twice?');
DROP TRIGGER again ON trust.k;
-- The real trigger with hand-written arguments replacing enable's: refused too.
DROP TRIGGER fingerprint_capture ON trust.k;
CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON trust.k FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger('trust.other', '7', 'true', 'false', '1', 'id', '23:-1:id', '25:-1:v');
INSERT INTO trust.k VALUES (1, 'renamed?');
SELECT fingerprint_capture_enable('trust.k') AS "enable repairs it";
INSERT INTO trust.k VALUES (1, 'one');
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers ENABLE ALWAYS;
SELECT table_name, schema_version, op FROM fingerprint.change_log ORDER BY seq;
REVOKE ALL ON trust.k FROM regress_forger;
REVOKE ALL ON SCHEMA trust FROM regress_forger;

-- ---- a disabled capture is no longer trusted (same session: cached entry) ----------------------
SELECT fingerprint_capture_disable('trust.k') AS disabled;
CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON trust.k FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();
INSERT INTO trust.k VALUES (2, 'after disable');
DROP TRIGGER fingerprint_capture ON trust.k;
SELECT fingerprint_capture_enable('trust.k') AS "enabled again";
INSERT INTO trust.k VALUES (2, 'two');
SELECT count(*) AS "log rows of trust.k" FROM fingerprint.change_log WHERE table_name = 'trust.k';

-- ---- unambiguous names ----------------------------------------------------------------------
CREATE SCHEMA "a.b";
CREATE SCHEMA a;
CREATE TABLE "a.b".c (id int PRIMARY KEY, v text);
CREATE TABLE a."b.c" (id int PRIMARY KEY, v text);
CREATE TABLE a."Quote""d name" (id int PRIMARY KEY, v text);
CREATE TABLE a."select" (id int PRIMARY KEY, v text);
CREATE TABLE a."ünï cödé" (id int PRIMARY KEY, v text);
CREATE TABLE a.plain (id int PRIMARY KEY, v text);
SELECT fingerprint_capture_enable(t) AS version
FROM unnest(ARRAY['"a.b".c', 'a."b.c"', 'a."Quote""d name"', 'a."select"', 'a."ünï cödé"', 'a.plain']) t;
INSERT INTO "a.b".c VALUES (1, 'x');
INSERT INTO a."b.c" VALUES (1, 'y');
INSERT INTO a."Quote""d name" VALUES (1, 'q');
INSERT INTO a."select" VALUES (1, 's');
INSERT INTO a."ünï cödé" VALUES (1, 'u');
INSERT INTO a.plain VALUES (1, 'p');
SELECT l.table_name, l.schema_version, t.relid::regclass AS relation, l.table_name::regclass = t.relid AS "name resolves"
FROM fingerprint.change_log l JOIN fingerprint.capture_tables t USING (table_name, schema_version)
WHERE t.schema_name IN ('a', 'a.b') ORDER BY l.seq;

-- ---- renames: capture goes on under the new name, as a new schema version ----------------------
CREATE TABLE a.r (id int PRIMARY KEY, v text);
INSERT INTO a.r VALUES (1, 'before capture');
SELECT table_fingerprint('a.r') AS r_start \gset
SELECT oid AS r_oid FROM pg_class WHERE oid = 'a.r'::regclass \gset
SELECT fingerprint_capture_enable('a.r', old_images => true) AS version;
INSERT INTO a.r VALUES (2, 'r');
ALTER TABLE a.r RENAME TO "R 2";
INSERT INTO a."R 2" VALUES (3, 'R 2');
ALTER TABLE a."R 2" RENAME TO r;                        -- back again
UPDATE a.r SET v = 'back' WHERE id = 2;
ALTER TABLE a.r SET SCHEMA "a.b";
DELETE FROM "a.b".r WHERE id = 1;
ALTER SCHEMA "a.b" RENAME TO "a.b2";
INSERT INTO "a.b2".r VALUES (4, 'schema renamed');
ALTER TABLE "a.b2".r RENAME COLUMN v TO w;              -- a new column list
ALTER TABLE "a.b2".r RENAME COLUMN id TO ident;         -- the key column: key follows it
UPDATE "a.b2".r SET w = 'after column renames' WHERE ident = 4;
SELECT table_name, schema_version, key_columns, column_names, enabled FROM fingerprint.capture_tables
WHERE relid = :r_oid ORDER BY enabled_at, table_name, schema_version;
SELECT l.table_name, l.schema_version, l.op, l.changed_columns FROM fingerprint.change_log l
JOIN fingerprint.capture_tables t USING (table_name, schema_version) WHERE t.relid = :r_oid ORDER BY l.seq;
-- Every change of the relation, across its names, advances its fingerprint to today's.
SELECT fingerprint_advance(:'r_start', l.op, l.old_fingerprint, l.new_fingerprint ORDER BY l.seq)
       = table_fingerprint('"a.b2".r') AS "advance across renames"
FROM fingerprint.change_log l JOIN fingerprint.capture_tables t USING (table_name, schema_version)
WHERE t.relid = :r_oid;
-- A new column: a new version, and writes go on.
ALTER TABLE "a.b2".r ADD COLUMN extra int DEFAULT 7;
INSERT INTO "a.b2".r VALUES (5, 'extra', 8);
SELECT table_name, schema_version, column_names FROM fingerprint.capture_tables WHERE relid = :r_oid AND enabled;

-- A rename the event trigger did not see: writes are refused, never logged under the old name.
ALTER EVENT TRIGGER fingerprint_capture_after_alter DISABLE;
ALTER TABLE "a.b2".r RENAME TO r3;
INSERT INTO "a.b2".r3 VALUES (6, 'unseen rename', 9);
ALTER EVENT TRIGGER fingerprint_capture_after_alter ENABLE ALWAYS;
SELECT fingerprint_capture_enable('"a.b2".r3', old_images => true) AS "enabled under the new name";
INSERT INTO "a.b2".r3 VALUES (6, 'after enable', 9);
SELECT table_name, schema_version, op FROM fingerprint.change_log ORDER BY seq DESC LIMIT 1;

-- ---- drop and recreate: a new table ------------------------------------------------------------
DROP TABLE a.plain;
CREATE TABLE a.plain (id int PRIMARY KEY, v text);
INSERT INTO a.plain VALUES (2, 'not captured until enabled');
SELECT count(*) AS "a.plain log rows (the old table's)" FROM fingerprint.change_log WHERE table_name = 'a.plain';
SELECT fingerprint_capture_enable('a.plain') AS "new version for the new table";
INSERT INTO a.plain VALUES (3, 'captured');
SELECT table_name, schema_version, relid = 'a.plain'::regclass AS "the new table", enabled
FROM fingerprint.capture_tables WHERE table_name = 'a.plain' ORDER BY schema_version;
SELECT schema_version, op FROM fingerprint.change_log WHERE table_name = 'a.plain' ORDER BY seq;

-- ---- option changes reach the cached entry ----------------------------------------------------
SELECT fingerprint_capture_enable('a.plain', old_images => true) AS "same version, old images on";
DELETE FROM a.plain WHERE id = 3;
SELECT op, old_image IS NOT NULL AS has_old_image FROM fingerprint.change_log
WHERE table_name = 'a.plain' ORDER BY seq DESC LIMIT 1;

-- ---- capture_invalidate: owners only ------------------------------------------------------------
SELECT 'a.plain'::regclass::oid AS plain_oid \gset
SET ROLE regress_forger;
SELECT fingerprint.capture_invalidate(:plain_oid);
RESET ROLE;

SET client_min_messages = warning;
DROP SCHEMA trust, forge, a, "a.b2" CASCADE;
RESET client_min_messages;
REVOKE ALL ON SCHEMA fingerprint FROM regress_forger;
DROP ROLE regress_forger;
SELECT count(*) AS "still enabled after DROP" FROM fingerprint.capture_tables WHERE enabled;
