-- fingerprint 1.1 -> 1.2 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and fingerprint--1.0--1.1.sql are released and never edited;
-- every change since 1.1 is here, and also in the topic files (sql/pg/src/) that the
-- build assembles into fingerprint--1.2.sql for a fresh install. tests/pg/install_paths.sh
-- checks that both ways end with the same objects. An update keeps
-- fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.2 changes:
--  * fingerprint.version() reports 1.2 (it reads pg_extension.extversion).
--  * Every user-facing object has a COMMENT: the tables and the sequence of schema
--    fingerprint and the event triggers too (1.1 commented every function and view).

COMMENT ON TABLE fingerprint.capture_tables IS
    'The registry: one row per captured table and schema version (the columns its images follow). Written by fingerprint_capture_enable/_disable and the DDL event triggers; no grants, so by default only superusers and the extension owner enable capture.';
COMMENT ON TABLE fingerprint.change_log IS
    'The change log: one row per captured change. Written only by fingerprint.capture_trigger(), removed by fingerprint.cleanup(); no grants (a DBA grants SELECT to consumers).';
COMMENT ON SEQUENCE fingerprint.change_log_seq IS
    'fingerprint.change_log.seq: taken when the capture trigger fires (capture order, not commit order).';
COMMENT ON TABLE fingerprint.consumers IS
    'One row per consumer: where it stands (last finished batch and snapshot) and its open batch. Written by the consumer functions with their caller''s rights; no grants.';
COMMENT ON TABLE fingerprint.cleanup_state IS
    'One row: the horizon below which fingerprint.cleanup() removed changes, and how many. Written by cleanup, read by register_consumer; no grants.';

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
