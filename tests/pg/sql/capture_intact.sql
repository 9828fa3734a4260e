-- fingerprint_capture_intact(tbl) (docs/capture.md): true exactly when
-- fingerprint_capture_enable(tbl) would change nothing. After enable it is true, and an
-- enable then keeps the registration and both triggers as they are; each thing that
-- makes enable change something makes it false, and enable makes it true again (asked in
-- a statement of its own: a STABLE function sees the snapshot its statement started
-- with, not what an enable in the same statement wrote). The DDL
-- event triggers re-register (or refuse) most changes by themselves: they are switched
-- off where a change must reach the table unregistered.
\set VERBOSITY terse
SET client_min_messages = warning;
CREATE SCHEMA ci;
CREATE TABLE ci.t (id int PRIMARY KEY, k int NOT NULL, v varchar(10));
SELECT fingerprint_capture_intact('ci.t') AS "not captured yet";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "after enable";
-- An enable of an intact capture changes nothing: same version, options and triggers.
CREATE TEMP TABLE before AS SELECT t.* FROM fingerprint.capture_tables t WHERE t.relid = 'ci.t'::regclass;
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT count(*) AS "rows changed by the second enable"
FROM (SELECT * FROM fingerprint.capture_tables t WHERE t.relid = 'ci.t'::regclass EXCEPT SELECT * FROM before) changed;
DROP TABLE before;

-- ---- the table's columns and name, with the after-ALTER event trigger off ----------------
ALTER EVENT TRIGGER fingerprint_capture_after_alter DISABLE;
ALTER TABLE ci.t ADD COLUMN extra int;
SELECT fingerprint_capture_intact('ci.t') AS "after ADD COLUMN";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER TABLE ci.t ALTER COLUMN v TYPE varchar(20);            -- a typmod change, no rewrite
SELECT fingerprint_capture_intact('ci.t') AS "after a type change";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER TABLE ci.t RENAME TO t2;
SELECT fingerprint_capture_intact('ci.t2') AS "after RENAME";
SELECT fingerprint_capture_enable('ci.t2') AS version;
SELECT fingerprint_capture_intact('ci.t2') AS "re-enabled";
ALTER TABLE ci.t2 RENAME TO t;
SELECT fingerprint_capture_intact('ci.t') AS "renamed back";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER EVENT TRIGGER fingerprint_capture_after_alter ENABLE ALWAYS;
ALTER TABLE ci.t DROP COLUMN extra;                          -- re-registered by the event trigger
SELECT fingerprint_capture_intact('ci.t') AS "after DROP COLUMN (event trigger on)";

-- ---- the key ------------------------------------------------------------------------------
SELECT fingerprint_capture_enable('ci.t', ARRAY['k']) AS version;
SELECT fingerprint_capture_intact('ci.t') AS "registered with another key";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER EVENT TRIGGER fingerprint_capture_before_key_ddl DISABLE;
ALTER EVENT TRIGGER fingerprint_capture_refuse_key_drop DISABLE;
ALTER TABLE ci.t DROP CONSTRAINT t_pkey, ADD PRIMARY KEY (id, k);
SELECT fingerprint_capture_intact('ci.t') AS "after a primary key change";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER TABLE ci.t DROP CONSTRAINT t_pkey;
SELECT fingerprint_capture_intact('ci.t') AS "primary key dropped";
ALTER EVENT TRIGGER fingerprint_capture_before_key_ddl ENABLE ALWAYS;
ALTER EVENT TRIGGER fingerprint_capture_refuse_key_drop ENABLE ALWAYS;
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "whole-row identity";
ALTER TABLE ci.t ADD PRIMARY KEY (id);    -- the event trigger registers the new key itself
SELECT fingerprint_capture_intact('ci.t') AS "primary key added";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";

-- ---- the options ----------------------------------------------------------------------------
SELECT fingerprint_capture_enable('ci.t', NULL, true) AS version;
SELECT fingerprint_capture_intact('ci.t') AS "with old images";
SELECT fingerprint_capture_enable('ci.t', NULL, false, true) AS version;
SELECT fingerprint_capture_intact('ci.t') AS "skip_in_replica";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";

-- ---- the triggers ---------------------------------------------------------------------------
DROP TRIGGER fingerprint_capture_truncate ON ci.t;
SELECT fingerprint_capture_intact('ci.t') AS "truncate trigger dropped";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER TABLE ci.t DISABLE TRIGGER fingerprint_capture;
SELECT fingerprint_capture_intact('ci.t') AS "row trigger disabled";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER TABLE ci.t ENABLE TRIGGER fingerprint_capture;        -- ENABLE, not enable's ENABLE ALWAYS
SELECT fingerprint_capture_intact('ci.t') AS "row trigger ENABLE (origin only)";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers DISABLE;
DROP TRIGGER fingerprint_capture ON ci.t;
CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON ci.t
    FOR EACH ROW WHEN (pg_trigger_depth() >= 0) EXECUTE FUNCTION fingerprint.capture_trigger();
ALTER TABLE ci.t ENABLE ALWAYS TRIGGER fingerprint_capture;
ALTER EVENT TRIGGER fingerprint_capture_guard_triggers ENABLE ALWAYS;
SELECT fingerprint_capture_intact('ci.t') AS "row trigger replaced by one with a WHEN";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";

-- ---- disabled, other relations, NULL --------------------------------------------------------
SELECT fingerprint_capture_disable('ci.t');
SELECT fingerprint_capture_intact('ci.t') AS "disabled";
CREATE VIEW ci.v AS SELECT 1 AS one;
SELECT fingerprint_capture_intact('ci.v') AS "a view";
SELECT fingerprint_capture_intact(NULL) IS NULL AS "NULL gives NULL";
SELECT fingerprint.capture_type_class('int4'::regtype, -1) AS int4, fingerprint.capture_type_class('point'::regtype, -1) AS point,
       fingerprint.capture_type_class(NULL, -1) IS NULL AS "NULL type";
SELECT fingerprint_capture_enable('ci.t') AS version;
SELECT fingerprint_capture_intact('ci.t') AS "re-enabled";

-- ---- who may ask: USAGE on schema fingerprint and SELECT on the registry ------------------
CREATE ROLE regress_intact;
GRANT USAGE ON SCHEMA ci TO regress_intact;
SET ROLE regress_intact;
SELECT fingerprint_capture_intact('ci.t');
RESET ROLE;
GRANT USAGE ON SCHEMA fingerprint TO regress_intact;
SET ROLE regress_intact;
SELECT fingerprint_capture_intact('ci.t');
RESET ROLE;
GRANT SELECT ON fingerprint.capture_tables TO regress_intact;
SET ROLE regress_intact;
SELECT fingerprint_capture_intact('ci.t') AS "with SELECT on the registry (none on the table)";
RESET ROLE;
REVOKE ALL ON fingerprint.capture_tables FROM regress_intact;
REVOKE ALL ON SCHEMA ci FROM regress_intact;
REVOKE ALL ON SCHEMA fingerprint FROM regress_intact;
DROP ROLE regress_intact;

SELECT fingerprint_capture_disable('ci.t');
DROP SCHEMA ci CASCADE;
