-- fingerprint 1.1 -> 1.2 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql and fingerprint--1.0--1.1.sql are released and never edited;
-- every change since 1.1 is here. An update keeps fingerprint.change_log, the
-- registrations and the consumers (docs/upgrading.md).
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit

-- What 1.2 changes:
--  * fingerprint.version() reports 1.2 (it reads pg_extension.extversion).
