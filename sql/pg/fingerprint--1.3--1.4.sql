-- fingerprint 1.3 -> 1.4 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.2--1.3.sql are
-- released and never edited; every change since 1.3 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.4.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.4 changes:
--  * fingerprint.version() reports 1.4 (it reads pg_extension.extversion).
--  * fingerprint.change_log_seq: INCREMENT BY 1000. The capture trigger numbers a
--    statement's log rows when it writes them, one nextval per 1,000 rows instead of one
--    per row (docs/capture.md, "Sequence"); existing rows keep their seq, later ones are
--    larger.

ALTER SEQUENCE fingerprint.change_log_seq INCREMENT BY 1000;
COMMENT ON SEQUENCE fingerprint.change_log_seq IS
    'fingerprint.change_log.seq: one nextval numbers up to 1,000 log rows when they are written (capture order, not commit order). Used only by the capture trigger; no grants.';
