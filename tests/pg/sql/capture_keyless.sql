-- Whole-row identity (docs/capture.md, "Tables without a unique key"): a table with
-- neither a primary key nor a usable unique key is captured with the whole row as its
-- identity; duplicates and NULLs are logged as they are, and the incremental fingerprint
-- stays exact when one of two identical rows changes.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = notice;
CREATE SCHEMA kl;

-- A usable unique key (unique, NOT NULL columns, no predicate, no expression) is named in
-- the refusal's hint instead.
CREATE TABLE kl.uniq (a int NOT NULL, b int NOT NULL, c text, CONSTRAINT uniq_ab UNIQUE (b, a));
SELECT fingerprint_capture_enable('kl.uniq');
-- Not usable: a nullable column, a predicate, an expression: whole-row identity.
CREATE TABLE kl.weak (a int, b int NOT NULL, c text);
CREATE UNIQUE INDEX weak_a ON kl.weak (a);
CREATE UNIQUE INDEX weak_b_partial ON kl.weak (b) WHERE b > 0;
CREATE UNIQUE INDEX weak_lower ON kl.weak (lower(c));
SELECT fingerprint_capture_enable('kl.weak') AS "weak keys: whole row";

CREATE TABLE kl.history (tid int, delta int, note text);
SELECT fingerprint_capture_enable('kl.history') AS version;
SELECT fingerprint_capture_enable('kl.history') AS "idempotent";
SELECT table_name, schema_version, identity, key_columns FROM fingerprint.capture_tables
WHERE table_name LIKE 'kl.%' ORDER BY 1, 2;
SELECT table_name, identity FROM fingerprint.capture_tables WHERE table_name NOT LIKE 'kl.%' AND identity <> 'key';

SELECT fingerprint.register_consumer('kl', pg_current_snapshot()) IS NOT NULL AS registered;
INSERT INTO kl.history VALUES (1, 10, 'a'), (1, 10, 'a'), (2, NULL, NULL), (2, NULL, NULL);
-- One of two identical rows changes, one of two identical rows goes.
UPDATE kl.history SET delta = 11 WHERE ctid = (SELECT ctid FROM kl.history WHERE tid = 1 LIMIT 1);
DELETE FROM kl.history WHERE ctid = (SELECT ctid FROM kl.history WHERE tid = 2 LIMIT 1);
BEGIN;
INSERT INTO kl.history VALUES (3, 3, 'rolled back');
ROLLBACK;
SELECT op, key, old_key, after, key = coalesce(after, key) AS "key is the row"
FROM fingerprint.changes WHERE table_name = 'kl.history' ORDER BY seq;
SELECT op, before FROM fingerprint.debezium_changes WHERE source->>'table' = 'history' ORDER BY seq;
-- The log moves the table fingerprint exactly (a multiset: counts, not keys).
SELECT fingerprint_advance('fp1:xxh3:0:' || repeat('0', 32), op, old_fingerprint, new_fingerprint ORDER BY seq)
       = table_fingerprint('kl.history') AS "advanced = table_fingerprint"
FROM fingerprint.change_log WHERE table_name = 'kl.history';
SELECT fingerprint.next_batch('kl') AS batch \gset
SELECT count(*) AS "batch changes" FROM fingerprint.batch_changes('kl', :batch) WHERE table_name = 'kl.history';
SELECT fingerprint.finish_batch('kl', :batch);
SELECT fingerprint.unregister_consumer('kl');

-- A nullable column stays nullable (no column of a whole-row identity must be NOT NULL).
ALTER TABLE kl.history ALTER COLUMN tid SET NOT NULL;
ALTER TABLE kl.history ALTER COLUMN tid DROP NOT NULL;
-- A column added: registered again over the new column list.
ALTER TABLE kl.history ADD COLUMN at date;
INSERT INTO kl.history VALUES (4, 4, 'after add', NULL);
-- Given a primary key: registered again with it (identity key).
DELETE FROM kl.history WHERE tid IS DISTINCT FROM 4;
ALTER TABLE kl.history ADD PRIMARY KEY (tid);
UPDATE kl.history SET note = 'keyed' WHERE tid = 4;
SELECT table_name, schema_version, identity, key_columns, enabled FROM fingerprint.capture_tables
WHERE table_name = 'kl.history' ORDER BY 2;
SELECT op, schema_version, key, old_key FROM fingerprint.changes WHERE table_name = 'kl.history' ORDER BY seq;
-- Re-enabled on an unchanged keyless table after a disable: the same version.
SELECT fingerprint_capture_disable('kl.weak');
SELECT fingerprint_capture_enable('kl.weak') AS "same version";
-- The key a unique index makes unique is not dropped while capture is on (duplicate keys
-- would be logged as one row): the primary key the whole-row table was given is kept.
ALTER TABLE kl.history DROP CONSTRAINT history_pkey;
CREATE TABLE kl.k (id int PRIMARY KEY, v int, w int, CONSTRAINT k_v_key UNIQUE (v));
SELECT fingerprint_capture_enable('kl.k') AS version;
INSERT INTO kl.k VALUES (1, 1, 1);
ALTER TABLE kl.k DROP CONSTRAINT k_pkey;
ALTER TABLE kl.k DROP COLUMN id;
-- A unique index over the key columns is left: the primary key may go, that index not.
CREATE UNIQUE INDEX k_id ON kl.k (id);
ALTER TABLE kl.k DROP CONSTRAINT k_pkey;
DROP INDEX kl.k_id;
-- A unique key over other columns is not the captured key.
ALTER TABLE kl.k DROP CONSTRAINT k_v_key;
SELECT table_name, schema_version, identity, key_columns, enabled FROM fingerprint.capture_tables
WHERE table_name IN ('kl.k', 'kl.history') ORDER BY 1, 2;
-- Key columns named at enable without a unique index over them are the user's choice:
-- dropping another index does not touch them.
CREATE TABLE kl.named (id int NOT NULL, v int, CONSTRAINT named_v_key UNIQUE (v));
SELECT fingerprint_capture_enable('kl.named', key_columns => '{id}') AS version;
ALTER TABLE kl.named DROP CONSTRAINT named_v_key;
-- Once capture is off, the key may go.
SELECT fingerprint_capture_disable('kl.k');
DROP INDEX kl.k_id;
SELECT fingerprint_capture_disable('kl.named');
SELECT fingerprint_capture_disable('kl.weak'), fingerprint_capture_disable('kl.history');
DROP SCHEMA kl CASCADE;
