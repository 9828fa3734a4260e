-- Every supported type, known answers and the equalities the canonical encoding promises.
\set VERBOSITY terse
SET TimeZone = 'UTC';

-- Known answers of PostgreSQL-only values (numerics beyond the file's, bit strings),
-- hashed by hand with xxhsum as tests/core/vectors/encoding.tsv is; the file's own vectors
-- are checked by the vectors test (tests/pg/sql/vectors.sql), generated from the file.
SELECT name, fp, fp = expected AS matches
FROM (VALUES
    ('numeric 1e100',   row_fingerprint(ROW(1e100)),                         'fp1:xxh3:aeb692c734c21c408fc17d83d45471d4'),
    ('numeric 1e-300',  row_fingerprint(ROW(1e-300)),                        'fp1:xxh3:f12928baa47c244a4c49cc6b4326cee9'),
    ('numeric long',    row_fingerprint(ROW(-123456789012345678901234567890.000000000000000000000000000000000000000000000000000000000000000000001)),
                                                                             'fp1:xxh3:2ae5a4219ffdafccbf739e6df969fd8e'),
    ('bit 101',         row_fingerprint(ROW(B'101')),                        'fp1:xxh3:532b93b23d5ff7eb6c3aeef0385e7d99')
) AS v(name, fp, expected);

-- Exact numbers are one class, equal by value: integers, booleans, numeric, oid, bit.
SELECT row_fingerprint(ROW(1.50)) = row_fingerprint(ROW(1.5))          AS "1.50 = 1.5",
       row_fingerprint(ROW(1.500)) = row_fingerprint(ROW(1.5))         AS "1.500 = 1.5",
       row_fingerprint(ROW(2)) = row_fingerprint(ROW(2.00))            AS "2 = 2.00",
       row_fingerprint(ROW(-0.00)) = row_fingerprint(ROW(0))           AS "-0.00 = 0",
       row_fingerprint(ROW(true)) = row_fingerprint(ROW(1))            AS "true = 1",
       row_fingerprint(ROW(false)) = row_fingerprint(ROW(0))           AS "false = 0",
       row_fingerprint(ROW(7::smallint)) = row_fingerprint(ROW(7::bigint)) AS "int2 = int8",
       row_fingerprint(ROW(7::integer)) = row_fingerprint(ROW(7::numeric(10,3))) AS "int4 = numeric(10,3)",
       row_fingerprint(ROW(4000000000::oid)) = row_fingerprint(ROW(4000000000::bigint)) AS "oid = int8",
       row_fingerprint(ROW(B'101')) = row_fingerprint(ROW(5))          AS "B'101' = 5",
       row_fingerprint(ROW(B'00000101'::varbit)) = row_fingerprint(ROW(5)) AS "varbit = 5",
       row_fingerprint(ROW(repeat('1', 64)::bit(64))) = row_fingerprint(ROW(18446744073709551615)) AS "bit(64) max",
       row_fingerprint(ROW(''::varbit)) = row_fingerprint(ROW(0))       AS "empty varbit = 0",
       row_fingerprint(ROW(123456789012345678::bigint)) = row_fingerprint(ROW(123456789012345678.000)) AS "int8 = numeric",
       row_fingerprint(ROW(1.0000000000000000000000000000000000000000000000000000000000000000000000000000))
           = row_fingerprint(ROW(1)) AS "numeric dscale 76 = 1";

-- Approximate numbers: IEEE doubles, float4 widens exactly, -0.0 = 0.0.
SELECT row_fingerprint(ROW(0.1::real)) = row_fingerprint(ROW(0.10000000149011612::float8)) AS "float4 0.1 = float8",
       row_fingerprint(ROW(0.1::real)) <> row_fingerprint(ROW(0.1::float8)) AS "float4 0.1 <> float8 0.1",
       row_fingerprint(ROW('-0'::float8)) = row_fingerprint(ROW(0::float8))  AS "-0.0 = 0.0",
       row_fingerprint(ROW('-0'::real)) = row_fingerprint(ROW(0::float8))    AS "float4 -0 = 0.0",
       row_fingerprint(ROW(1.5::float8)) <> row_fingerprint(ROW(1.5))         AS "float 1.5 <> numeric 1.5";

-- Strings and bytes are one class.
SELECT row_fingerprint(ROW('abc'::text)) = row_fingerprint(ROW('abc'::bytea))     AS "text = bytea",
       row_fingerprint(ROW('abc'::text)) = row_fingerprint(ROW('abc'::varchar(10))) AS "text = varchar",
       row_fingerprint(ROW('abc'::text)) = row_fingerprint(ROW('abc  '::char(5)))  AS "text = char(5)",
       row_fingerprint(ROW('abc'::text)) = row_fingerprint(ROW('abc'::name))        AS "text = name",
       row_fingerprint(ROW('a'::text)) = row_fingerprint(ROW('a'::"char"))          AS "text = ""char""",
       row_fingerprint(ROW(''::text)) = row_fingerprint(ROW(''::"char"))            AS "'' = empty ""char""",
       row_fingerprint(ROW('  '::char(2))) = row_fingerprint(ROW(''::text))        AS "blank char(2) = ''",
       row_fingerprint(ROW('abc '::text)) <> row_fingerprint(ROW('abc'::text))      AS "text keeps trailing space",
       row_fingerprint(ROW('abc')) = row_fingerprint(ROW('abc'::text))              AS "untyped literal = text",
       row_fingerprint(ROW('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid))
           = row_fingerprint(ROW('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid))    AS "uuid case",
       row_fingerprint(ROW('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid))
           = row_fingerprint(ROW('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::text))    AS "uuid = lower-case text";

-- Enums hash as their label; domains as their base type.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE DOMAIN short_text AS varchar(20);
CREATE DOMAIN padded AS char(6);
SELECT row_fingerprint(ROW('happy'::mood)) = row_fingerprint(ROW('happy'::text))     AS "enum = label",
       row_fingerprint(ROW('sad'::mood)) <> row_fingerprint(ROW('happy'::mood))      AS "enum values differ",
       row_fingerprint(ROW(5::positive_int)) = row_fingerprint(ROW(5))               AS "int domain",
       row_fingerprint(ROW('hi'::short_text)) = row_fingerprint(ROW('hi'::text))     AS "text domain",
       row_fingerprint(ROW('hi'::padded)) = row_fingerprint(ROW('hi'::text))         AS "char domain";
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
SELECT row_fingerprint(ROW('meh'::mood)) = row_fingerprint(ROW('meh'::text)) AS "added enum value";

-- Temporal values: one instant, whatever the zone it was written in.
SELECT row_fingerprint(ROW('2024-01-01 12:00'::timestamp))
           = row_fingerprint(ROW('2024-01-01 12:00+00'::timestamptz))  AS "timestamp = timestamptz at UTC",
       row_fingerprint(ROW('2024-01-01 12:00+00'::timestamptz))
           = row_fingerprint(ROW('2024-01-01 21:00+09'::timestamptz))  AS "same instant, other offset",
       row_fingerprint(ROW('2024-02-29 12:34:56.789'::timestamp(3)))
           = row_fingerprint(ROW('2024-02-29 12:34:56.789'::timestamp(6))) AS "timestamp(3) = timestamp(6)",
       row_fingerprint(ROW('2024-02-29 12:34:56.789'::timestamp(0)))
           = row_fingerprint(ROW('2024-02-29 12:34:57'::timestamp))     AS "timestamp(0) rounds",
       row_fingerprint(ROW('12:34:56.5'::time(1))) = row_fingerprint(ROW('12:34:56.500000'::time(6))) AS "time(1) = time(6)",
       row_fingerprint(ROW('2000-01-01'::date)) <> row_fingerprint(ROW('2000-01-01'::timestamp)) AS "date <> timestamp",
       row_fingerprint(ROW('00:00:00'::time)) <> row_fingerprint(ROW(0))                 AS "time 0 <> 0";

-- NULL, '' and 0 differ; column boundaries count; column order counts.
SELECT row_fingerprint(ROW(NULL::text)) <> row_fingerprint(ROW(''::text))      AS "NULL <> ''",
       row_fingerprint(ROW(NULL::integer)) <> row_fingerprint(ROW(0))          AS "NULL <> 0",
       row_fingerprint(ROW(''::text)) <> row_fingerprint(ROW(0))               AS "'' <> 0",
       row_fingerprint(ROW('0'::text)) <> row_fingerprint(ROW(0))              AS "'0' <> 0",
       row_fingerprint(ROW(false)) <> row_fingerprint(ROW(NULL::boolean))      AS "false <> NULL",
       row_fingerprint(ROW('x0', 'y')) <> row_fingerprint(ROW('x', '0y'))      AS "('x0','y') <> ('x','0y')",
       row_fingerprint(ROW(1, 2)) <> row_fingerprint(ROW(2, 1))                AS "order counts",
       row_fingerprint(ROW(NULL::int, NULL::int)) <> row_fingerprint(ROW(NULL::int)) AS "column count counts",
       row_fingerprint(ROW(1, 'a'::text)) = row_fingerprint(ROW(1::bigint, 'a'::varchar)) AS "types within a class",
       row_fingerprint(NULL::record) IS NULL                                   AS "NULL record is NULL";

-- Table rows: column names do not matter, dropped columns are skipped, values stored
-- on disk (short headers, compressed, out of line) read the same as in memory.
CREATE TABLE stored (id integer, gone text, amount numeric(12,4), body text, bin bytea, doc jsonb);
ALTER TABLE stored ALTER COLUMN bin SET STORAGE EXTERNAL;
INSERT INTO stored VALUES
    (1, 'x', 1.5, 'short', '\x01', '{"a": 1}'),
    (2, 'y', -12345678.9, repeat('compressible ', 50000), decode(repeat('00ff', 100000), 'hex'),
     jsonb_build_object('big', repeat('z', 100000), 'n', 1e-20));
ALTER TABLE stored DROP COLUMN gone;
SELECT s.id,
       row_fingerprint(s) = row_fingerprint(ROW(s.id, s.amount, s.body, s.bin, s.doc)) AS "stored = in memory",
       row_fingerprint(s) = CASE s.id
           WHEN 1 THEN row_fingerprint(ROW(1, 1.5, 'short'::text, '\x01'::bytea, '{"a": 1}'::jsonb))
           ELSE row_fingerprint(ROW(2, -12345678.9, repeat('compressible ', 50000),
                                    decode(repeat('00ff', 100000), 'hex'),
                                    jsonb_build_object('big', repeat('z', 100000), 'n', 1e-20)))
       END AS "stored = literal",
       row_fingerprint(s) AS fp
FROM stored s ORDER BY s.id;
SELECT pg_column_size(body) < octet_length(body) AS body_compressed FROM stored WHERE id = 2;

-- Stored numerics have 1-byte varlena headers, so their digits are unaligned; long ones
-- (more than 32 base-10000 digits) take the other copy path.
CREATE TABLE numbers (n numeric);
INSERT INTO numbers VALUES (1.5), (-0.001), (1e100), (-1e-300), (repeat('9', 200)::numeric),
    (('-' || repeat('12345', 40) || '.' || repeat('6789', 30))::numeric), ('NaN'), ('-Infinity'), (0);
SELECT count(*) AS numbers,
       bool_and(row_fingerprint(x) = row_fingerprint(ROW(n::text::numeric))) AS "stored = in memory"
FROM numbers x;
-- Known answers hashed by hand with xxhsum (tag 01, length, digits).
SELECT row_fingerprint(x) FROM numbers x WHERE n = repeat('9', 200)::numeric
UNION ALL
SELECT row_fingerprint(x) FROM numbers x WHERE n < -1e100 AND n > '-Infinity';
SELECT bool_or(row_fingerprint(x) = 'fp1:xxh3:fe1b4270d8ab0beae53fe903a463eefa') AS "200 nines",
       bool_or(row_fingerprint(x) = 'fp1:xxh3:a55bbea69cbdac412c3cc4ec19d6485f') AS "long negative"
FROM numbers x;
