-- Bucket tests, PostgreSQL side (run_cross.sh section 6); mysql_buckets.sql holds the
-- same logical rows. Text keys sort by bytes here ("C"), case-insensitively there.
SET TimeZone = 'UTC';
CREATE TABLE bk_text (name text COLLATE "C" PRIMARY KEY, v integer);
INSERT INTO bk_text VALUES ('Zebra', 1), ('apple', 2), ('Äpfel', 3), ('b', 4), ('B-2', 5), ('zz top', 6),
    ('😀', 7), ('', 8), ('trailing ', 9), ('Ölfass', 10);
-- A uuid key: PostgreSQL uuid; MariaDB CHAR(36) (bk_uuid) and UUID (bk_uuid_t).
CREATE TABLE bk_uuid (id uuid PRIMARY KEY, v text);
INSERT INTO bk_uuid VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'one'),
    ('00000000-0000-0000-0000-000000000000', 'two'), ('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', NULL),
    ('123e4567-e89b-12d3-a456-426614174000', 'four');
-- Enough rows for many buckets; a key-less copy.
CREATE TABLE bk_big (id integer PRIMARY KEY, name text, amount numeric(12,2), at timestamp(6));
INSERT INTO bk_big SELECT g, 'name ' || g, g * 0.25, timestamp '2024-01-01' + g * interval '1 minute 0.5 second'
FROM generate_series(1, 3000) g;
CREATE TABLE bk_nokey (k integer, v text);
INSERT INTO bk_nokey SELECT g % 50, 'v' || (g % 7) FROM generate_series(1, 400) g;
