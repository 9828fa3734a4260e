-- fingerprint for MariaDB: removes the UDFs and the `fingerprint` database with its
-- procedures. Idempotent: running it again, or before install.sql, is harmless.
--
--   mariadb < sql/mysql/uninstall.sql     (installed: share/fingerprint/mysql/uninstall.sql)
--
-- The library file stays in the plugin directory; delete it by hand if you wish (after
-- this script, so that no registration in mysql.func still points at it).

-- Refuses while capture triggers exist: they call fingerprint_capture_row, and without it
-- every INSERT, UPDATE and DELETE on their tables would fail. Disable capture first
-- (CALL fingerprint.capture_ddl('db.tbl', 'disable'), docs/capture.md).
DELIMITER //
BEGIN NOT ATOMIC
    DECLARE v_message VARCHAR(512);
    DECLARE v_table TEXT;
    SET v_table = (SELECT CONCAT(EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE) FROM information_schema.TRIGGERS
                    WHERE ACTION_STATEMENT LIKE '%fingerprint_capture_row(%' LIMIT 1);
    IF v_table IS NOT NULL THEN
        SET v_message = CONCAT('change capture is still enabled on ', v_table,
                               ': disable it (fingerprint.capture_ddl) before uninstalling');
        SIGNAL SQLSTATE '55000' SET MESSAGE_TEXT = v_message;
    END IF;
END//
DELIMITER ;

DROP DATABASE IF EXISTS fingerprint;
DROP FUNCTION IF EXISTS row_fingerprint;
DROP FUNCTION IF EXISTS fingerprint_agg;
DROP FUNCTION IF EXISTS fingerprint_buckets;
DROP FUNCTION IF EXISTS fingerprint_bucket_of;
DROP FUNCTION IF EXISTS fingerprint_image;
DROP FUNCTION IF EXISTS fingerprint_key_json;
DROP FUNCTION IF EXISTS fingerprint_capture_row;
DROP FUNCTION IF EXISTS fingerprint_image_json;
DROP FUNCTION IF EXISTS fingerprint_image_diff;
DROP FUNCTION IF EXISTS fingerprint_advance;
DROP FUNCTION IF EXISTS fingerprint_capture_part;
DROP FUNCTION IF EXISTS fingerprint_algorithm;
