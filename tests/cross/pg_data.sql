-- The cross-engine rows, PostgreSQL side. mysql_data.sql holds the same logical rows
-- spelled the MySQL way (other scales, key orders, time zones); the fingerprints of the
-- two must be identical.
CREATE EXTENSION IF NOT EXISTS fingerprint;
SET TimeZone = 'UTC';
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE everything (
    id bigint PRIMARY KEY,
    i8 bigint, i4 integer, i2 smallint, u8 numeric(20,0), amount numeric(12,4), flag boolean,
    f4 real, f8 double precision,
    name varchar(100), latin varchar(50), code char(8), body text, bin bytea, uid uuid,
    d date, ts0 timestamp(0), ts3 timestamp(3), ts6 timestamp(6), tstz timestamptz, tm time(6),
    doc jsonb, mood mood
);
INSERT INTO everything VALUES
(1, 42, 7, 3, 12345, 1.5, true, 0.1, 0.1,
 'hello', 'café', 'ab', 'plain', '\x0001', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
 '2024-02-29', '2024-02-29 12:34:56', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.789012',
 '2024-02-29 12:34:56.789012+00', '12:34:56.789012',
 '{"b": [1, 2.0], "a": {"y": null, "x": "é"}}', 'happy'),
(2, 9223372036854775807, 2147483647, 32767, 18446744073709551615, 99999999.99, true, 3.4e38, 1e308,
 '😀 four-byte 𝄞', 'ÿ', 'zzzzzzzz', repeat('0123456789', 20000), decode(repeat('00ff', 100000), 'hex'),
 'ffffffff-ffff-ffff-ffff-ffffffffffff',
 '9999-12-31', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999',
 '2038-01-19 03:14:07.999999+00', '23:59:59.999999',
 '[1e2, 1.000, -0, "tab\there", {"k": 1, "k": 2}]', 'sad'),
(3, -9223372036854775808, -2147483648, -32768, 0, -0.00, false, '-0', '-0',
 '', '', '', '', '\x', '00000000-0000-0000-0000-000000000000',
 '1000-01-01', '1000-01-01 00:00:00', '1000-01-01 00:00:00', '1000-01-01 00:00:00',
 '1970-01-01 00:00:01+00', '00:00:00', '{}', 'ok'),
(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(5, 0, 0, 0, 1, 0.01, false, 1.5, 0.30000000000000004,
 'x0', 'y', 'a b', 'trailing ', '\x00', '123e4567-e89b-12d3-a456-426614174000',
 '2000-02-29', '2000-02-29 00:00:00', '2000-02-29 00:00:00.5', '2000-02-29 00:00:00.000001',
 '2000-02-29 23:59:59.5+00', '00:00:00.000001', '"just a string"', 'ok');

CREATE TABLE composite (a integer, b varchar(10), v text, PRIMARY KEY (a, b));
INSERT INTO composite VALUES (1, 'x', 'one'), (1, 'y', 'two'), (2, 'x', NULL);

CREATE TABLE dups (k integer, v varchar(10));
INSERT INTO dups VALUES (1, 'a'), (1, 'a'), (2, 'b');

-- The same rows written in the opposite physical order.
CREATE TABLE everything_reordered (LIKE everything INCLUDING ALL);
INSERT INTO everything_reordered SELECT * FROM everything ORDER BY id DESC;
