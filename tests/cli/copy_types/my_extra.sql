-- MySQL/MariaDB types beyond the cross-engine corpus, for copy_types_real: unsigned
-- integers of every width, TINYINT(1) holding 2, YEAR, BIT(64), SET, ENUM labels with a
-- quote and a backslash, FLOAT, latin1 (cp1252's euro sign), CHAR, TEXT and BLOB sizes,
-- BINARY(n), TIMESTAMP with ON UPDATE, TIME with a fraction, defaults, indexes.
SET NAMES utf8mb4;
SET time_zone = '+00:00';
CREATE TABLE my_extra (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    tb TINYINT(1) DEFAULT 1,
    ti TINYINT UNSIGNED, si SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, iu INT UNSIGNED,
    y YEAR DEFAULT 2024,
    b BIT(64), b5 BIT(5),
    s SET('a', 'b', 'c') DEFAULT 'a,c',
    e ENUM('x''y', 'b\\c', 'plain') DEFAULT 'plain',
    f FLOAT DEFAULT 1.5,
    l1 VARCHAR(20) CHARACTER SET latin1 DEFAULT 'café',
    ch CHAR(5) DEFAULT 'ab',
    tt TINYTEXT, mt MEDIUMTEXT,
    bn BINARY(4), vb VARBINARY(10), tbl TINYBLOB,
    dt DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
    ts TIMESTAMP(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    tm TIME(2),
    du DECIMAL(30,10) UNSIGNED DEFAULT 0.5,
    j JSON, u UUID DEFAULT UUID(),
    KEY by_code (ch, y), UNIQUE KEY by_vb (vb), KEY by_text (mt(20)), FULLTEXT KEY ft (tt)
) DEFAULT CHARSET = utf8mb4;
INSERT INTO my_extra (tb, ti, si, mi, mu, iu, y, b, b5, s, e, f, l1, ch, tt, mt, bn, vb, tbl, dt, ts, tm, du, j, u)
VALUES
(2, 255, 65535, -8388608, 16777215, 4294967295, 1901, b'1111111111111111111111111111111111111111111111111111111111111111',
 31, 'a,c', 'x''y', 0.1, '€uro ÿ', 'ab', 't', 'm', X'00010200', X'FF00', X'', '9999-12-31 23:59:59.999999',
 '2038-01-19 03:14:07.999', '23:59:59.99', 12345678901234567890.0123456789, '{"k": [1, 2.0]}',
 '123e4567-e89b-12d3-a456-426614174000'),
(0, 0, 0, 8388607, 0, 0, 0, b'0', 0, '', 'b\\c', -3.4e38, '', '', '', '', X'00000000', X'', NULL,
 '1000-01-01 00:00:00', '1970-01-01 00:00:01', '00:00:00.01', 0, '[]', '00000000-0000-0000-0000-000000000000'),
(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL);

-- Every row but the first holds one value PostgreSQL cannot hold.
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
CREATE TABLE my_refused (id INT PRIMARY KEY, d DATE, dt DATETIME, tm TIME, tx TEXT);
INSERT INTO my_refused VALUES
(1, '2024-01-01', '2024-01-01 00:00:00', '12:00:00', 'fine'),
(2, '0000-00-00', NULL, NULL, NULL),
(3, NULL, '2024-02-30 00:00:00', NULL, NULL),
(4, NULL, NULL, '30:00:00', NULL),
(5, NULL, NULL, '-01:00:00', NULL),
(6, NULL, NULL, NULL, CONCAT('a', CHAR(0), 'b'));

-- An AUTO_INCREMENT column holding only values below 1: the PostgreSQL identity's
-- sequence cannot be set to them (after_load starts it at 1 instead).
SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO';
CREATE TABLE my_counter (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
INSERT INTO my_counter VALUES (-5, 1), (0, 2);

-- Copied into a PostgreSQL table made by hand (boolean, uuid, numeric(6,2)); the row
-- with 2 is refused, the test deletes it and compares the fingerprints.
CREATE TABLE my_existing (id INT PRIMARY KEY, flag TINYINT(1), u CHAR(36) CHARACTER SET ascii,
                          amount DECIMAL(10,2), at DATETIME);
INSERT INTO my_existing VALUES (1, 1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1234.50, '2024-02-29 12:00:00'),
                               (2, 0, NULL, -9999.99, NULL), (3, 2, NULL, NULL, NULL);
