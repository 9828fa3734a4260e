-- ==== Arguments: checks every routine shares, the UDFs' error strings ====

-- Returns a fingerprint unchanged; turns an error string ("error: column ...", what the
-- UDFs return for a value they cannot encode) into SQLSTATE 22023 carrying that text.
DROP FUNCTION IF EXISTS fingerprint.checked//
CREATE FUNCTION fingerprint.checked(fp TEXT CHARACTER SET utf8mb4)
RETURNS VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'passes a fingerprint through, raises SQLSTATE 22023 for an error string'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF LEFT(fp, 7) = 'error: ' THEN
        SET v_message = LEFT(fp, 512);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    RETURN fp;
END//

-- Returns an image unchanged; turns an error string from fingerprint_image (an image
-- starts with a class tag byte, never with 'e') into SQLSTATE 22023 carrying that text.
DROP FUNCTION IF EXISTS fingerprint.checked_image//
CREATE FUNCTION fingerprint.checked_image(image LONGBLOB)
RETURNS LONGBLOB
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'passes an image through, raises SQLSTATE 22023 for an error string'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF LEFT(image, 7) = 'error: ' THEN
        SET v_message = CONVERT(LEFT(image, 512) USING utf8mb4);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    RETURN image;
END//

-- Refuses NULL for a helper's schema or table argument (the public procedures pass
-- checked values; a direct call with NULL gets this message instead of an odd one).
DROP PROCEDURE IF EXISTS fingerprint.check_table_arguments//
CREATE PROCEDURE fingerprint.check_table_arguments(
    IN p_schema TEXT CHARACTER SET utf8mb4,
    IN p_table TEXT CHARACTER SET utf8mb4,
    IN p_caller VARCHAR(64) CHARACTER SET utf8mb4)
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'refuses a NULL schema or table argument of a helper'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF p_schema IS NULL OR p_table IS NULL THEN
        SET v_message = CONCAT('fingerprint.', COALESCE(p_caller, '?'), ': the schema and table must not be NULL');
        SIGNAL SQLSTATE '42000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- Refuses a missing or invalid argument: SQLSTATE 22023 with p_message unless p_ok is
-- TRUE (NULL counts as FALSE, so `p_consumer <> ''` also refuses NULL). The public
-- procedures check their consumer names, batch ids, sizes and versions with it.
DROP PROCEDURE IF EXISTS fingerprint.check_argument//
CREATE PROCEDURE fingerprint.check_argument(IN p_ok BOOLEAN, IN p_message VARCHAR(512) CHARACTER SET utf8mb4)
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'refuses an argument: SQLSTATE 22023 unless the check holds'
BEGIN
    IF NOT COALESCE(p_ok, FALSE) THEN
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = p_message;
    END IF;
END//

-- Refuses (SQLSTATE 25000) a call of fingerprint.<p_routine> inside a transaction: the
-- procedures that commit their own work (capture_baseline, capture_check, next_batch,
-- finish_batch) call it first.
DROP PROCEDURE IF EXISTS fingerprint.check_outside_transaction//
CREATE PROCEDURE fingerprint.check_outside_transaction(IN p_routine VARCHAR(64) CHARACTER SET utf8mb4)
NOT DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'refuses a call inside a transaction'
BEGIN
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF @@in_transaction THEN
        SET v_message = CONCAT('fingerprint.', COALESCE(p_routine, '?'), ' must be called outside a transaction');
        SIGNAL SQLSTATE '25000' SET MESSAGE_TEXT = v_message;
    END IF;
END//

-- The algorithm argument checked against the core's list of algorithms (the UDF
-- fingerprint_algorithm, fingerprint/algorithm.hpp): the name of a known one, the default
-- (xxh3) for NULL or ''; anything else is refused with SQLSTATE 22023 naming the ones
-- there are.
DROP FUNCTION IF EXISTS fingerprint.checked_algorithm//
CREATE FUNCTION fingerprint.checked_algorithm(p_algorithm VARCHAR(64) CHARACTER SET utf8mb4)
RETURNS VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin
DETERMINISTIC NO SQL SQL SECURITY INVOKER
COMMENT 'the algorithm argument, checked; the default for NULL'
BEGIN
    DECLARE v_name VARCHAR(512) CHARACTER SET utf8mb4
        DEFAULT CONVERT(fingerprint_algorithm(NULLIF(p_algorithm, '')) USING utf8mb4);
    DECLARE v_message VARCHAR(512) CHARACTER SET utf8mb4;
    IF LEFT(v_name, 7) = 'error: ' THEN
        SET v_message = SUBSTRING(v_name, 8);
        SIGNAL SQLSTATE '22023' SET MESSAGE_TEXT = v_message;
    END IF;
    RETURN v_name;
END//
