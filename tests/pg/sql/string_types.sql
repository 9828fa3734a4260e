-- String-valued extension types (docs/FORMAT.md, "String types"): a base type of the
-- string category that is binary coercible to text (citext) is fingerprinted as text,
-- so equal bytes give equal fingerprints whatever the type; other types stay refused.
\set VERBOSITY terse
CREATE EXTENSION citext;
CREATE EXTENSION hstore;
CREATE TABLE s_citext (id int PRIMARY KEY, name citext, note citext);
CREATE TABLE s_text (id int PRIMARY KEY, name text, note varchar(20));
INSERT INTO s_citext VALUES (1, 'Alice', 'é ü'), (2, 'BOB', NULL), (3, '', 'x');
INSERT INTO s_text VALUES (1, 'Alice', 'é ü'), (2, 'BOB', NULL), (3, '', 'x');
SELECT table_fingerprint('s_citext') = table_fingerprint('s_text') AS "citext table = text table";
SELECT bool_and(row_fingerprint(c) = row_fingerprint(t)) AS "rows equal"
FROM s_citext c JOIN s_text t USING (id);
-- Case differences citext compares equal are still different bytes: different fingerprints.
SELECT row_fingerprint(ROW('Alice'::citext)) = row_fingerprint(ROW('alice'::citext)) AS "case kept";
SELECT row_fingerprint(ROW('Alice'::citext)) = row_fingerprint(ROW('Alice'::text)) AS "citext = text";
-- A domain over citext is citext.
CREATE DOMAIN short_ci AS citext CHECK (length(VALUE) < 10);
SELECT row_fingerprint(ROW('Alice'::short_ci)) = row_fingerprint(ROW('Alice'::text)) AS "domain over citext";
SELECT column_name, data_type, value_class FROM table_columns('s_citext');
SELECT * FROM bucket_fingerprints('s_citext', 2) EXCEPT SELECT * FROM bucket_fingerprints('s_text', 2);
-- Capture logs citext as text.
SELECT fingerprint_capture_enable('s_citext') AS version;
INSERT INTO s_citext VALUES (4, 'Dave', 'd');
SELECT fingerprint_image_json(new_image, ARRAY['id', 'name', 'note']) AS after,
       new_fingerprint = (SELECT row_fingerprint(t) FROM (VALUES (4, 'Dave'::text, 'd'::text)) t) AS "= text row"
FROM fingerprint.change_log WHERE table_name = 'public.s_citext';
SELECT fingerprint_capture_disable('s_citext');
-- Not strings: refused, naming the column and the type.
SELECT row_fingerprint(ROW('a=>1'::hstore));
CREATE TABLE s_hstore (id int PRIMARY KEY, h hstore);
SELECT table_fingerprint('s_hstore');
SELECT fingerprint_capture_enable('s_hstore');
SELECT row_fingerprint(ROW('1 day'::interval));
DROP TABLE s_citext, s_text, s_hstore;
DROP DOMAIN short_ci;
DROP EXTENSION hstore;
DROP EXTENSION citext;
