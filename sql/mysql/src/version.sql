-- ==== The release installed ====

-- SELECT fingerprint.version() returns the release of this script: CMake's
-- FINGERPRINT_RELEASE, put in by the build (sql/mysql/assemble.cmake). Created last: it
-- exists only once everything above has been installed.
CREATE FUNCTION fingerprint.version()
RETURNS VARCHAR(16) CHARACTER SET ascii
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'the fingerprint release installed'
RETURN '@FINGERPRINT_RELEASE@'//

DELIMITER ;

SET SESSION sql_mode = @fingerprint_saved_sql_mode;
SET @fingerprint_saved_sql_mode = NULL;
