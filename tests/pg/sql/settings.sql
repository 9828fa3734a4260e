-- Session settings change how values print, never their fingerprints: values are read
-- in binary, not through output functions.
\set VERBOSITY terse
SET TimeZone = 'UTC';
CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE sample (
    id integer, d date, ts timestamp(3), tstz timestamptz, t time, f4 real, f8 double precision,
    n numeric(20,6), b bytea, j json, jb jsonb, c color, u uuid
);
INSERT INTO sample VALUES
    (1, '2024-02-29', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.789012+00', '23:59:59.999999',
     0.1, 0.30000000000000004, 1234.5, '\xdeadbeef', '{"b": 1.50, "a": 2}', '{"b": 1.50, "a": 2}', 'green',
     'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
    (2, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59-08', '00:00:00', 3.4e38, 1e-300,
     -0.000001, '\x', '[]', '[]', 'red', NULL);

SELECT table_fingerprint('sample') AS table_fp,
       (SELECT fingerprint_agg(s) FROM sample s) AS agg_fp,
       (SELECT string_agg(row_fingerprint(s), ',' ORDER BY id) FROM sample s) AS row_fps
\gset

SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Pacific/Chatham';
SET extra_float_digits = -15;
SET bytea_output = 'escape';
SET IntervalStyle = 'sql_standard';
SELECT ts, tstz, f8, b FROM sample WHERE id = 1;
SELECT table_fingerprint('sample') = :'table_fp' AS "table unchanged",
       (SELECT fingerprint_agg(s) FROM sample s) = :'agg_fp' AS "aggregate unchanged",
       (SELECT string_agg(row_fingerprint(s), ',' ORDER BY id) FROM sample s) = :'row_fps' AS "rows unchanged";

SET DateStyle = 'German';
SET TimeZone = 'America/Los_Angeles';
SET extra_float_digits = 3;
SELECT ts, tstz, f8 FROM sample WHERE id = 1;
SELECT table_fingerprint('sample') = :'table_fp' AS "table unchanged",
       (SELECT fingerprint_agg(s) FROM sample s) = :'agg_fp' AS "aggregate unchanged",
       (SELECT string_agg(row_fingerprint(s), ',' ORDER BY id) FROM sample s) = :'row_fps' AS "rows unchanged";

-- A timestamptz literal written in a session zone is the same instant as in UTC.
SET TimeZone = 'Asia/Kolkata';
SELECT row_fingerprint(ROW('2024-02-29 18:04:56.789012'::timestamptz))
       = (SELECT row_fingerprint(ROW(tstz)) FROM sample WHERE id = 1) AS "local literal, same instant";
RESET ALL;
