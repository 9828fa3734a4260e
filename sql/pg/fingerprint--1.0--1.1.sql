-- fingerprint 1.0 -> 1.1 (ALTER EXTENSION fingerprint UPDATE).
-- fingerprint--1.0.sql is 1.0 as released and is never edited; every change since is
-- here. An update keeps fingerprint.change_log, the registrations and the consumers.
\echo Use "ALTER EXTENSION fingerprint UPDATE" to load this file. \quit
