-- Bucket tests, MariaDB side: the rows of pg_buckets.sql, with a case-insensitive text
-- key and uuids in a CHAR(36) and in a UUID column (typed in upper case there).
SET time_zone = '+00:00';
SET NAMES utf8mb4;
CREATE TABLE bk_text (name VARCHAR(50) COLLATE utf8mb4_general_ci PRIMARY KEY, v INT) DEFAULT CHARSET = utf8mb4;
INSERT INTO bk_text VALUES ('Zebra', 1), ('apple', 2), ('Äpfel', 3), ('b', 4), ('B-2', 5), ('zz top', 6),
    ('😀', 7), ('', 8), ('trailing ', 9), ('Ölfass', 10);
CREATE TABLE bk_uuid (id CHAR(36) CHARACTER SET ascii PRIMARY KEY, v TEXT);
INSERT INTO bk_uuid VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'one'),
    ('00000000-0000-0000-0000-000000000000', 'two'), ('ffffffff-ffff-ffff-ffff-ffffffffffff', NULL),
    ('123e4567-e89b-12d3-a456-426614174000', 'four');
CREATE TABLE bk_uuid_t (id UUID PRIMARY KEY, v TEXT);
INSERT INTO bk_uuid_t VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'one'),
    ('00000000-0000-0000-0000-000000000000', 'two'), ('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', NULL),
    ('123E4567-E89B-12D3-A456-426614174000', 'four');
CREATE TABLE bk_big (id INT PRIMARY KEY, name TEXT, amount DECIMAL(10,2), at DATETIME(6));
INSERT INTO bk_big SELECT seq, CONCAT('name ', seq), seq * 0.25,
    TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq * 60500000 MICROSECOND
FROM seq_1_to_3000;
CREATE TABLE bk_nokey (k INT, v VARCHAR(10));
INSERT INTO bk_nokey SELECT seq % 50, CONCAT('v', seq % 7) FROM seq_1_to_400;
