-- fingerprint 1.6 -> 1.7 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and the update scripts up to fingerprint--1.5--1.6.sql are
-- released and never edited; every change since 1.6 is here, and also in the topic files
-- (sql/pg/src/) that the build assembles into fingerprint--1.7.sql for a fresh install.
-- tests/pg/install_paths.sh checks that both ways end with the same objects. An update
-- keeps fingerprint.change_log, the registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.7 changes:
--  * fingerprint.version() reports 1.7 (it reads pg_extension.extversion).
