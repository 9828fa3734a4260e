-- The cross-engine rows, MySQL/MariaDB side: the same logical rows as pg_data.sql, with
-- other declared scales (DECIMAL(10,2) against numeric(12,4)), JSON in another key order
-- and spacing, TIMESTAMPs typed in a +05:30 session, and a latin1 column.
SET time_zone = '+05:30';
SET NAMES utf8mb4;
CREATE TABLE everything (
    id BIGINT PRIMARY KEY,
    i8 BIGINT, i4 INT, i2 SMALLINT, u8 BIGINT UNSIGNED, amount DECIMAL(10,2), flag BOOLEAN,
    f4 FLOAT, f8 DOUBLE,
    name VARCHAR(100) CHARACTER SET utf8mb4, latin VARCHAR(50) CHARACTER SET latin1, code CHAR(8),
    body LONGTEXT, bin LONGBLOB, uid UUID,
    d DATE, ts0 DATETIME(0), ts3 DATETIME(3), ts6 DATETIME(6), tstz TIMESTAMP(6) NULL, tm TIME(6),
    doc JSON, mood ENUM('sad', 'ok', 'happy')
) DEFAULT CHARSET = utf8mb4;
INSERT INTO everything VALUES
(1, 42, 7, 3, 12345, 1.50, TRUE, 0.1, 0.1,
 'hello', 'café', 'ab', 'plain', X'0001', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
 '2024-02-29', '2024-02-29 12:34:56', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.789012',
 '2024-02-29 18:04:56.789012', '12:34:56.789012',
 '{"a":{"x":"é","y":null},"b":[1,2]}', 'happy'),
(2, 9223372036854775807, 2147483647, 32767, 18446744073709551615, 99999999.99, TRUE, 3.4e38, 1e308,
 '😀 four-byte 𝄞', 'ÿ', 'zzzzzzzz', REPEAT('0123456789', 20000), UNHEX(REPEAT('00FF', 100000)),
 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
 '9999-12-31', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999',
 '2038-01-19 08:44:07.999999', '23:59:59.999999',
 '[100, 1, 0, "tab\\there", {"k": 1, "k": 2}]', 'sad'),
(3, -9223372036854775808, -2147483648, -32768, 0, -0.00, FALSE, -0.0, -0.0,
 '', '', '', '', '', '00000000-0000-0000-0000-000000000000',
 '1000-01-01', '1000-01-01 00:00:00', '1000-01-01 00:00:00', '1000-01-01 00:00:00',
 '1970-01-01 05:30:01', '00:00:00', '{ }', 'ok'),
(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(5, 0, 0, 0, 1, 0.01, FALSE, 1.5, 0.30000000000000004,
 'x0', 'y', 'a b', 'trailing ', X'00', '123E4567-E89B-12D3-A456-426614174000',
 '2000-02-29', '2000-02-29 00:00:00', '2000-02-29 00:00:00.5', '2000-02-29 00:00:00.000001',
 '2000-03-01 05:29:59.5', '00:00:00.000001', '"just a string"', 'ok');

CREATE TABLE composite (a INT, b VARCHAR(10), v TEXT, PRIMARY KEY (a, b));
INSERT INTO composite VALUES (2, 'x', NULL), (1, 'y', 'two'), (1, 'x', 'one');

-- No primary key: InnoDB keeps rows in insertion order, so dups_reordered really is
-- stored the other way round.
CREATE TABLE dups (k INT, v VARCHAR(10));
INSERT INTO dups VALUES (1, 'a'), (1, 'a'), (2, 'b');
CREATE TABLE dups_reordered (k INT, v VARCHAR(10));
INSERT INTO dups_reordered VALUES (2, 'b'), (1, 'a'), (1, 'a');
