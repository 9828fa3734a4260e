-- Change capture (1.1) against DDL that reaches a captured table indirectly (second
-- hostile pass): renames by other tags (ALTER INDEX / VIEW on a table) and renaming away
-- do not switch the refusals off; a parent's command recursing into a captured child or
-- partition, or a typed table's type, is checked and re-registered or refused; the event
-- triggers fire under session_replication_role = replica; consumer snapshots count the
-- caller's own transaction as running; REPEATABLE READ disable is refused.
\set VERBOSITY terse
CREATE SCHEMA rec;
CREATE TYPE rec.mood AS ENUM ('sad', 'ok');
CREATE TABLE rec.w (id int PRIMARY KEY, v text, m rec.mood);
INSERT INTO rec.w VALUES (1, 'a', 'ok');
SELECT fingerprint_capture_enable('rec.w') AS version;
SELECT count(*) AS log_before FROM fingerprint.change_log \gset

-- ---- renames by every tag are seen; refusals follow the OID --------------------------------
ALTER INDEX rec.w RENAME TO w_tmp;                                      -- tag ALTER INDEX renames the table
SELECT table_name, schema_version, enabled FROM fingerprint.capture_tables
WHERE relid = 'rec.w_tmp'::regclass ORDER BY schema_version, table_name;
ALTER TABLE rec.w_tmp ALTER v TYPE text USING upper(v);                 -- a rewrite: refused under any name
ALTER TYPE rec.mood RENAME VALUE 'ok' TO 'fine';                        -- refused under any name
CREATE TRIGGER x AFTER INSERT ON rec.w_tmp FOR EACH ROW
    EXECUTE FUNCTION fingerprint.capture_trigger();                     -- refused under any name
ALTER VIEW rec.w_tmp RENAME COLUMN v TO vv;                             -- tag ALTER VIEW renames a column
INSERT INTO rec.w_tmp VALUES (2, 'b', 'sad');                           -- still captured
ALTER INDEX rec.w_tmp RENAME TO w;
ALTER TABLE rec.w RENAME COLUMN vv TO v;
UPDATE rec.w SET v = 'c' WHERE id = 2;
SELECT v, m FROM rec.w ORDER BY id;                                     -- nothing changed unlogged
SELECT table_name, schema_version, op FROM fingerprint.change_log ORDER BY seq OFFSET :log_before;

-- ---- type changes that rewrite nothing but change values -------------------------------------
CREATE TABLE rec.ty (id int PRIMARY KEY, n int, s text);
INSERT INTO rec.ty VALUES (1, -1, 'x  ');
SELECT fingerprint_capture_enable('rec.ty') AS version;
ALTER TABLE rec.ty ALTER n TYPE oid;
ALTER TABLE rec.ty ALTER s TYPE bpchar;
ALTER TABLE rec.ty ADD COLUMN c int DEFAULT 1;                          -- allowed: a constant default
ALTER TABLE rec.ty DROP COLUMN c;                                       -- allowed
SELECT n, s FROM rec.ty;

-- ---- inheritance: a parent's command recursing into a captured child ----------------------------
CREATE TABLE rec.parent (id int NOT NULL, v text);
CREATE TABLE rec.child () INHERITS (rec.parent);
SELECT fingerprint_capture_enable('rec.child', ARRAY['id']) AS version;
ALTER TABLE rec.parent ALTER id DROP NOT NULL;                          -- would make the child's key nullable
ALTER TABLE rec.parent ALTER v TYPE varchar;                            -- a type change of the child
ALTER TABLE rec.parent RENAME COLUMN v TO w;                            -- re-registered
ALTER TABLE rec.parent ADD COLUMN x int DEFAULT 3;                      -- re-registered
INSERT INTO rec.child VALUES (1, 'child', 4);                           -- writes go on
SELECT table_name, schema_version, column_names, enabled FROM fingerprint.capture_tables
WHERE relid = 'rec.child'::regclass ORDER BY schema_version;

-- ---- partitions ------------------------------------------------------------------------------------
CREATE TABLE rec.pt (id int NOT NULL, v text) PARTITION BY RANGE (id);
CREATE TABLE rec.pt1 PARTITION OF rec.pt FOR VALUES FROM (0) TO (100);
SELECT fingerprint_capture_enable('rec.pt1', ARRAY['id']) AS version;
ALTER TABLE rec.pt ALTER v TYPE varchar(20);                            -- refused
ALTER TABLE rec.pt RENAME COLUMN v TO w;                                -- re-registered
INSERT INTO rec.pt VALUES (5, 'partition');                             -- writes go on
SELECT table_name, schema_version, column_names FROM fingerprint.capture_tables
WHERE relid = 'rec.pt1'::regclass AND enabled;

-- ---- typed tables ----------------------------------------------------------------------------------
CREATE TYPE rec.shape AS (id int, v text);
CREATE TABLE rec.typed OF rec.shape (PRIMARY KEY (id));
SELECT fingerprint_capture_enable('rec.typed') AS version;
ALTER TYPE rec.shape RENAME ATTRIBUTE v TO w CASCADE;                   -- re-registered
ALTER TYPE rec.shape ADD ATTRIBUTE z int CASCADE;                       -- re-registered
ALTER TYPE rec.shape ALTER ATTRIBUTE z TYPE bigint CASCADE;             -- refused
INSERT INTO rec.typed VALUES (1, 'typed', 2);                           -- writes go on
SELECT table_name, schema_version, column_names FROM fingerprint.capture_tables
WHERE relid = 'rec.typed'::regclass AND enabled;

-- ---- session_replication_role = replica does not switch the event triggers off -----------------
SELECT evtname, evtenabled FROM pg_event_trigger WHERE evtname LIKE 'fingerprint%' ORDER BY 1;
CREATE ROLE regress_replica;
GRANT SET ON PARAMETER session_replication_role TO regress_replica;
GRANT USAGE ON SCHEMA rec TO regress_replica;
ALTER TABLE rec.ty OWNER TO regress_replica;
SET ROLE regress_replica;
SET session_replication_role = replica;
ALTER TABLE rec.ty ALTER s TYPE text USING upper(s);                    -- refused
ALTER TABLE rec.ty ADD COLUMN r int DEFAULT 9;                          -- re-registered
INSERT INTO rec.ty VALUES (2, 2, 'y', 0);                               -- logged under the new version
RESET session_replication_role;
RESET ROLE;
SELECT table_name, schema_version, op FROM fingerprint.change_log WHERE table_name = 'rec.ty' ORDER BY seq;
ALTER TABLE rec.ty OWNER TO CURRENT_USER;

-- ---- REPEATABLE READ: holding the table is not enough ---------------------------------------------
BEGIN ISOLATION LEVEL REPEATABLE READ;
LOCK TABLE rec.ty IN ACCESS EXCLUSIVE MODE;
SELECT fingerprint_capture_disable('rec.ty');
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
LOCK TABLE rec.ty IN ACCESS EXCLUSIVE MODE;
SELECT fingerprint_capture_enable('rec.ty');
ROLLBACK;
SET fingerprint_capture.event_call = 'on';                              -- no setting opens it
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT fingerprint_capture_disable('rec.ty');
ROLLBACK;
RESET fingerprint_capture.event_call;
SELECT count(*) AS event_calls_left FROM fingerprint.capture_event_calls;

-- ---- consumers: the caller's own transaction is in progress ------------------------------------
SELECT fingerprint.register_consumer('own') IS NOT NULL AS registered;
INSERT INTO rec.ty VALUES (3, 3, 'z', 0);
BEGIN;
INSERT INTO rec.ty VALUES (4, 4, 'own earlier', 0);                     -- this transaction has an xid
SELECT fingerprint.next_batch('own') AS batch \gset
INSERT INTO rec.ty VALUES (5, 5, 'own later', 0);
SELECT pg_visible_in_snapshot(pg_current_xact_id(), batch_snapshot) AS "own xid counted as seen"
FROM fingerprint.consumers WHERE consumer = 'own';
COMMIT;
SELECT (SELECT count(*) FROM fingerprint.batch_changes('own', :batch) b WHERE b.table_name = 'rec.ty') AS in_batch;
SELECT fingerprint.finish_batch('own', :batch);
SELECT fingerprint.next_batch('own') IS NOT NULL AS "own rows in a later batch";
SELECT count(*) AS own_rows FROM fingerprint.batch_changes('own', :batch + 1) b WHERE b.table_name = 'rec.ty';
SELECT fingerprint.unregister_consumer('own');

SELECT fingerprint_capture_disable(r) FROM unnest(ARRAY['rec.w', 'rec.ty', 'rec.child', 'rec.pt1', 'rec.typed']::regclass[]) r;
REVOKE ALL ON SCHEMA rec FROM regress_replica;
REVOKE SET ON PARAMETER session_replication_role FROM regress_replica;
DROP ROLE regress_replica;

-- ---- the tags the after-ALTER event trigger listens to ----------------------------------------
-- (ALTER EXTENSION ... SET SCHEMA moves member tables, which may be captured.)
SELECT unnest(evttags) AS tag FROM pg_event_trigger WHERE evtname = 'fingerprint_capture_after_alter' ORDER BY 1;
DROP SCHEMA rec CASCADE;
