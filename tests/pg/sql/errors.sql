-- Every error path, with messages that name what is wrong.
\set VERBOSITY terse

-- Unsupported types name the column and its type, before any row is read.
CREATE TABLE unsupported (id integer, span interval, price money);
SELECT table_fingerprint('unsupported');
SELECT table_fingerprint('unsupported', exclude_columns => '{span}');
SELECT table_fingerprint('unsupported', include_columns => '{id}') IS NOT NULL AS "supported columns only";
SELECT fingerprint_agg(u) FROM unsupported u;
SELECT fingerprint_agg(ROW(u.id, u.span)) FROM unsupported u;
SELECT fingerprint_agg(ROW(u.id)) FROM unsupported u;
INSERT INTO unsupported VALUES (1, '1 day', 1);
SELECT fingerprint_agg(u) FROM unsupported u;
SELECT row_fingerprint(ROW(1, interval '1 day'));
SELECT row_fingerprint(ROW(1, ARRAY[1, 2]));
SELECT row_fingerprint(ROW(ROW(1, 2)));
SELECT row_fingerprint(ROW('12:00+02'::timetz));
SELECT row_fingerprint(ROW('127.0.0.1'::inet));
SELECT row_fingerprint(ROW(int4range(1, 5)));
SELECT row_fingerprint(ROW('<a/>'::xml));
SELECT row_fingerprint(ROW('a b'::tsvector));
SELECT row_fingerprint(ROW(point(1, 2)));
CREATE DOMAIN span AS interval;
SELECT row_fingerprint(ROW(NULL::span));
\set VERBOSITY default
SELECT row_fingerprint(ROW(NULL::interval));
\set VERBOSITY terse

-- Bit strings longer than 64 bits.
SELECT row_fingerprint(ROW(repeat('1', 65)::bit(65)));
\set VERBOSITY default
SELECT row_fingerprint(ROW(repeat('1', 65)::varbit));
-- Values the core refuses: the column, its type, and the core's reason.
SELECT row_fingerprint(ROW((repeat('[', 300) || repeat(']', 300))::json));
SELECT row_fingerprint(ROW('[1e400]'::jsonb));
\set VERBOSITY terse
CREATE TABLE long_bits (b bit(100));
SELECT table_fingerprint('long_bits');

-- Unknown columns, nothing selected, NULL names.
CREATE TABLE small (a integer, "B" text);
SELECT table_fingerprint('small', include_columns => '{a,nope}');
SELECT table_fingerprint('small', exclude_columns => '{b}');
SELECT table_fingerprint('small', include_columns => '{ctid}');
SELECT table_fingerprint('small', exclude_columns => '{a,B}');
SELECT table_fingerprint('small', include_columns => '{}');
SELECT table_fingerprint('small', include_columns => ARRAY['a', NULL]);
ALTER TABLE small DROP COLUMN a;
SELECT table_fingerprint('small', include_columns => '{a}');

-- Unknown tables and objects that are not tables.
SELECT table_fingerprint('no_such_table');
SELECT table_fingerprint('no_schema.small');
CREATE SEQUENCE seq;
SELECT table_fingerprint('seq');
CREATE INDEX small_idx ON small ("B");
SELECT table_fingerprint('small_idx');

-- Invalid or NULL algorithms.
SELECT row_fingerprint(ROW(1), 'md5');
SELECT row_fingerprint(ROW(1), 'XXH3');
SELECT row_fingerprint(ROW(1), NULL) IS NULL AS "NULL algorithm (strict)";
SELECT fingerprint_agg(v, 'crc32') FROM (VALUES (1)) v;
SELECT fingerprint_agg(v, 'crc32') FROM (VALUES (1)) v WHERE false;
SELECT fingerprint_agg(v, NULL) FROM (VALUES (1)) v;
SELECT fingerprint_agg(v, NULL) FROM (VALUES (1)) v WHERE false;
SELECT table_fingerprint('small', algorithm => 'sha1');
SELECT table_fingerprint('small', algorithm => NULL);

-- Permissions are those of a plain SELECT.
CREATE ROLE fingerprint_reader;
SET ROLE fingerprint_reader;
SELECT table_fingerprint('small');
RESET ROLE;
DROP ROLE fingerprint_reader;
