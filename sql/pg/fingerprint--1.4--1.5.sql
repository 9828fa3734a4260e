-- fingerprint 1.4 -> 1.5 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.3--1.4.sql are
-- released and never edited; every change since 1.4 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.5.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.5 changes:
--  * fingerprint.version() reports 1.5 (it reads pg_extension.extversion).
