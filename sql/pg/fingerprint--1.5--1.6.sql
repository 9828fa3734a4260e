-- fingerprint 1.5 -> 1.6 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.4--1.5.sql are
-- released and never edited; every change since 1.5 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.6.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.6 changes:
--  * fingerprint.version() reports 1.6 (it reads pg_extension.extversion).
--  * fingerprint.change_log: vacuum_truncate = false, so vacuum keeps the log's emptied
--    pages for the next writers instead of truncating them (capture_log.sql).

ALTER TABLE fingerprint.change_log SET (vacuum_truncate = false);
