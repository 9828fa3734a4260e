-- uninstall.sql removes everything and is harmless to repeat; install.sql afterwards
-- (twice) brings everything back. Runs last: it drops what the other tests use. The
-- scripts run in a second client (run_tests.sh exports MYSQL_UNIX_PORT) so that their
-- text is not echoed here; that client prints nothing unless a statement fails.
CREATE DATABASE t_uninstall;
CREATE TABLE t_uninstall.t (id INT PRIMARY KEY, v TEXT);
INSERT INTO t_uninstall.t VALUES (1, 'one');
SELECT name, ret, dl, type FROM mysql.func ORDER BY name;

system mariadb --no-defaults -u root < sql/mysql/uninstall.sql
system mariadb --no-defaults -u root < sql/mysql/uninstall.sql
SELECT COUNT(*) AS registered_functions FROM mysql.func WHERE dl = 'fingerprint_udf.so';
SELECT COUNT(*) AS fingerprint_database FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'fingerprint';
SELECT row_fingerprint('i', 1);
CALL fingerprint.table_fingerprint('t_uninstall.t');

system mariadb --no-defaults -u root < sql/mysql/install.sql
system mariadb --no-defaults -u root < sql/mysql/install.sql
SELECT name, ret, dl, type FROM mysql.func ORDER BY name;
SELECT ROUTINE_TYPE, ROUTINE_NAME, SECURITY_TYPE FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA = 'fingerprint' ORDER BY ROUTINE_TYPE, ROUTINE_NAME;
CALL fingerprint.table_fingerprint('t_uninstall.t');
SELECT fingerprint_agg('is', id, v) AS direct FROM t_uninstall.t;
DROP DATABASE t_uninstall;
