-- Text reaches the core as UTF-8 whatever the database encoding: UTF8 is passed through,
-- other encodings are converted, SQL_ASCII (any bytes) is validated.
\set VERBOSITY terse
SELECT current_database() AS home_db \gset
CREATE TYPE accent AS ENUM ('café', 'thé');
SELECT row_fingerprint(ROW('café'::text, 'naïve'::varchar(10), 'ÿ'::char(3), 'é'::name,
                           '{"é": "ü", "z": [1.5]}'::jsonb, '{"z": [1.50], "é": "ü"}'::json,
                           'thé'::accent)) AS utf8_fp \gset
SELECT :'utf8_fp' AS utf8_fp;

CREATE DATABASE fingerprint_latin1 ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';
CREATE DATABASE fingerprint_sql_ascii ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';

\c fingerprint_latin1
SET client_encoding = 'UTF8';
SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database();
CREATE EXTENSION fingerprint;
CREATE TYPE accent AS ENUM ('café', 'thé');
CREATE TABLE latin (t text, v varchar(10), c char(3), n name, jb jsonb, j json, a accent);
INSERT INTO latin VALUES ('café', 'naïve', 'ÿ', 'é', '{"é": "ü", "z": [1.5]}', '{"z": [1.50], "é": "ü"}', 'thé');
SELECT row_fingerprint(l) = :'utf8_fp' AS "LATIN1 = UTF8", octet_length(convert_to(t, 'LATIN1')) AS latin1_bytes
FROM latin l;
-- bucket_rows gives the key as JSON text in the database encoding.
ALTER TABLE latin ADD PRIMARY KEY (t);
SELECT key_json, fingerprint_image_json(key_image) AS key_jsonb FROM bucket_rows('latin', 1, '{0}');

\c fingerprint_sql_ascii
SET client_encoding = 'SQL_ASCII';
CREATE EXTENSION fingerprint;
CREATE TYPE accent AS ENUM ('café', 'thé');
CREATE TABLE ascii (t text, v varchar(10), c char(3), n name, jb jsonb, j json, a accent);
INSERT INTO ascii VALUES ('café', 'naïve', 'ÿ', 'é', '{"é": "ü", "z": [1.5]}', '{"z": [1.50], "é": "ü"}', 'thé');
SELECT row_fingerprint(x) = :'utf8_fp' AS "SQL_ASCII holding UTF-8 = UTF8", octet_length(t) AS utf8_bytes
FROM ascii x;
-- Bytes that are not UTF-8 are refused in text, accepted in bytea.
\set VERBOSITY default
SELECT row_fingerprint(ROW(E'caf\xe9'::text));
SELECT row_fingerprint(ROW(E'"caf\xe9"'::json));
\set VERBOSITY terse
SELECT row_fingerprint(ROW(E'caf\xe9'::bytea)) IS NOT NULL AS "bytea takes any bytes";

\c :home_db
DROP DATABASE fingerprint_latin1;
DROP DATABASE fingerprint_sql_ascii;
