-- fingerprint for MariaDB: removes the UDFs and the `fingerprint` database with its
-- procedures. Idempotent: running it again, or before install.sql, is harmless.
--
--   mariadb < sql/mysql/uninstall.sql
--
-- The library file stays in the plugin directory; delete it by hand if you wish (after
-- this script, so that no registration in mysql.func still points at it).

DROP DATABASE IF EXISTS fingerprint;
DROP FUNCTION IF EXISTS row_fingerprint;
DROP FUNCTION IF EXISTS fingerprint_agg;
