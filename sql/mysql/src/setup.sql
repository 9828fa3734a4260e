-- ==== Setup: sql_mode, the UDFs, the database ====

-- fingerprint for MariaDB: registers the UDFs and creates the `fingerprint` database with
-- the procedures that call them. Idempotent: running it again changes nothing.
--
--   mariadb < <build>/sql/mysql/install.sql      (installed: share/fingerprint/mysql/install.sql)
--
-- It also upgrades an older install in place (docs/upgrading.md): tables are created if
-- missing and never dropped (fingerprint.change_log, the capture registrations and the
-- consumer's batches are kept), routines are replaced, and a UDF whose registration
-- differs (return type, kind or library) is dropped and registered again. The release
-- installed is SELECT fingerprint.version(), created last (no such function: 1.0).
--
-- Needs fingerprint_udf.so in the server's plugin directory (SELECT @@plugin_dir) and a
-- user allowed to CREATE and DROP FUNCTION (SELECT, INSERT and DELETE on mysql.func) and
-- to create a database.
-- Written for MariaDB 10.5 and later (CREATE FUNCTION IF NOT EXISTS, CHECK_CONSTRAINTS
-- with TABLE_NAME); docs/mysql.md says what MySQL 8 would need.

-- The routines keep the sql_mode they were created under; make it a known one.
SET @fingerprint_saved_sql_mode = @@session.sql_mode;
SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

DELIMITER //

-- Until this script has finished, the install is no complete release.
DROP FUNCTION IF EXISTS fingerprint.version//

-- The UDFs of fingerprint_udf.so: (name, return type as mysql.func stores it: 0 STRING,
-- 1 REAL, 2 INTEGER; kind). One registered differently (by an older release) is dropped
-- and registered again; CREATE FUNCTION IF NOT EXISTS alone never updates one. An
-- unchanged registration is left alone, so that running this again drops nothing that
-- live capture triggers call.
BEGIN NOT ATOMIC
    DECLARE v_done BOOLEAN DEFAULT FALSE;
    DECLARE v_name VARCHAR(64) CHARACTER SET utf8mb4;
    DECLARE v_ret INT;
    DECLARE v_kind VARCHAR(16) CHARACTER SET ascii;
    DECLARE v_udfs CURSOR FOR
        WITH wanted (name, ret, kind) AS (
            VALUES ('row_fingerprint', 0, 'function'), ('fingerprint_agg', 0, 'aggregate'),
                   ('fingerprint_buckets', 0, 'aggregate'), ('fingerprint_bucket_of', 2, 'function'),
                   ('fingerprint_image', 0, 'function'), ('fingerprint_key_json', 0, 'function'),
                   ('fingerprint_capture_row', 0, 'function'), ('fingerprint_image_json', 0, 'function'),
                   ('fingerprint_image_diff', 0, 'function'), ('fingerprint_advance', 0, 'aggregate'),
                   ('fingerprint_capture_part', 0, 'function'), ('fingerprint_algorithm', 0, 'function'))
        SELECT name, ret, kind FROM wanted;
    DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = TRUE;
    OPEN v_udfs;
    register: LOOP
        FETCH v_udfs INTO v_name, v_ret, v_kind;
        IF v_done THEN
            LEAVE register;
        END IF;
        IF EXISTS (SELECT 1 FROM mysql.func WHERE name = v_name
                      AND NOT (ret = v_ret AND type = v_kind AND dl = 'fingerprint_udf.so')) THEN
            SET @fingerprint_install_sql = CONCAT('DROP FUNCTION ', v_name);
            PREPARE fingerprint_install_statement FROM @fingerprint_install_sql;
            EXECUTE fingerprint_install_statement;
            DEALLOCATE PREPARE fingerprint_install_statement;
        END IF;
        SET @fingerprint_install_sql = CONCAT('CREATE ', IF(v_kind = 'aggregate', 'AGGREGATE ', ''),
                                              'FUNCTION IF NOT EXISTS ', v_name, ' RETURNS ',
                                              ELT(v_ret + 1, 'STRING', 'REAL', 'INTEGER'),
                                              ' SONAME ''fingerprint_udf.so''');
        PREPARE fingerprint_install_statement FROM @fingerprint_install_sql;
        EXECUTE fingerprint_install_statement;
        DEALLOCATE PREPARE fingerprint_install_statement;
    END LOOP;
    CLOSE v_udfs;
    SET @fingerprint_install_sql = NULL;
END//

CREATE DATABASE IF NOT EXISTS fingerprint CHARACTER SET utf8mb4 COLLATE utf8mb4_bin//
