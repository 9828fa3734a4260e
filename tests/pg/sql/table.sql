-- table_fingerprint: fingerprint_agg over the whole table, or over some of its columns.
\set VERBOSITY terse

CREATE TABLE orders (id bigint, customer text, amount numeric(12,2), placed date, note text);
INSERT INTO orders
SELECT g, 'customer ' || (g % 17), (g * 7 % 1000) / 4.0, date '2024-01-01' + g % 366,
       CASE WHEN g % 5 = 0 THEN NULL ELSE repeat('n', g % 13) END
FROM generate_series(1, 1000) g;

SELECT table_fingerprint('orders');
SELECT table_fingerprint('orders') = (SELECT fingerprint_agg(o) FROM orders o) AS "= fingerprint_agg",
       table_fingerprint('orders', algorithm => 'sha256')
           = (SELECT fingerprint_agg(o, 'sha256') FROM orders o)              AS "sha256 = fingerprint_agg",
       table_fingerprint('public.orders'::regclass) = table_fingerprint('orders') AS "qualified name";
SELECT table_fingerprint('orders', algorithm => 'sha256');

-- Included and excluded columns, always taken in table order.
SELECT table_fingerprint('orders', include_columns => '{id,amount}')
           = (SELECT fingerprint_agg(ROW(id, amount)) FROM orders)            AS "include",
       table_fingerprint('orders', include_columns => '{amount,id}')
           = (SELECT fingerprint_agg(ROW(id, amount)) FROM orders)            AS "include order ignored",
       table_fingerprint('orders', exclude_columns => '{note}')
           = (SELECT fingerprint_agg(ROW(id, customer, amount, placed)) FROM orders) AS "exclude",
       table_fingerprint('orders', '{id,customer,note}', '{note}')
           = (SELECT fingerprint_agg(ROW(id, customer)) FROM orders)           AS "include and exclude",
       table_fingerprint('orders', '{id,id}')
           = (SELECT fingerprint_agg(ROW(id)) FROM orders)                     AS "repeated name",
       table_fingerprint('orders', exclude_columns => '{}') = table_fingerprint('orders') AS "empty exclude";

-- Changes show; putting the table back restores the fingerprint.
SELECT table_fingerprint('orders') AS before,
       table_fingerprint('orders', exclude_columns => '{amount}') AS before_without_amount \gset
BEGIN;
UPDATE orders SET amount = amount + 0.01 WHERE id = 500;
SELECT table_fingerprint('orders') <> :'before' AS "update shows",
       table_fingerprint('orders', exclude_columns => '{amount}') = :'before_without_amount' AS "excluded column hidden";
UPDATE orders SET amount = amount - 0.01 WHERE id = 500;
SELECT table_fingerprint('orders') = :'before' AS "restored";
DELETE FROM orders WHERE id = 1;
SELECT table_fingerprint('orders') AS after_delete;
ROLLBACK;

-- Dropped columns are skipped; rewriting the table changes nothing.
CREATE TABLE evolving (a integer, b text, c numeric);
INSERT INTO evolving VALUES (1, 'one', 1.0), (2, 'two', 2.0);
CREATE TABLE evolved (a integer, c numeric);
INSERT INTO evolved VALUES (1, 1), (2, 2);
ALTER TABLE evolving DROP COLUMN b;
SELECT table_fingerprint('evolving') = table_fingerprint('evolved') AS "dropped column skipped";
VACUUM FULL evolving;
SELECT table_fingerprint('evolving') = table_fingerprint('evolved') AS "after VACUUM FULL";
ALTER TABLE evolved ADD COLUMN d text DEFAULT 'x';
SELECT table_fingerprint('evolved', exclude_columns => '{d}') = table_fingerprint('evolving') AS "added column excluded",
       table_fingerprint('evolved')
           = (SELECT fingerprint_agg(ROW(a, c, 'x'::text)) FROM evolved) AS "default of added column read";

-- Partitions (and inheritance children) are included, as a plain SELECT includes them.
CREATE TABLE measurements (at date, value double precision) PARTITION BY RANGE (at);
CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO measurements VALUES ('2023-06-01', 1.5), ('2024-06-01', 2.5), ('2024-07-01', NULL);
CREATE TABLE flat_measurements AS SELECT * FROM measurements;
SELECT table_fingerprint('measurements');
SELECT table_fingerprint('measurements') = table_fingerprint('flat_measurements') AS "partitions included",
       table_fingerprint('measurements_2024') = (SELECT fingerprint_agg(m) FROM measurements m WHERE at >= '2024-01-01')
                                                                                   AS "one partition";
CREATE TABLE parent (a integer);
CREATE TABLE child (b text) INHERITS (parent);
INSERT INTO parent VALUES (1);
INSERT INTO child VALUES (2, 'two');
SELECT table_fingerprint('parent') = (SELECT fingerprint_agg(ROW(a)) FROM (VALUES (1), (2)) v(a)) AS "children included";

-- Awkward names are quoted; views and materialized views work.
CREATE SCHEMA "Odd Schema";
CREATE TABLE "Odd Schema"."Mixed ""Case"" table" ("select" integer, "a,b" text, "T" text);
INSERT INTO "Odd Schema"."Mixed ""Case"" table" VALUES (1, 'x', 'y');
SELECT table_fingerprint('"Odd Schema"."Mixed ""Case"" table"')
           = (SELECT fingerprint_agg(ROW(1, 'x'::text, 'y'::text))) AS "quoted names",
       table_fingerprint('"Odd Schema"."Mixed ""Case"" table"', '{"a,b",T}')
           = (SELECT fingerprint_agg(ROW('x'::text, 'y'::text))) AS "quoted include";
CREATE TABLE t (t integer);
INSERT INTO t VALUES (42);
SELECT table_fingerprint('t') = (SELECT fingerprint_agg(ROW(42))) AS "column named like the alias";
CREATE VIEW cheap_orders AS SELECT id, amount FROM orders WHERE amount < 10;
CREATE MATERIALIZED VIEW cheap_orders_mv AS SELECT * FROM cheap_orders;
SELECT table_fingerprint('cheap_orders') = table_fingerprint('cheap_orders_mv') AS "view = materialized view";

-- The extension may live in a schema that is not on the search path.
SELECT current_database() AS home_db \gset
CREATE DATABASE fingerprint_other_schema;
\c fingerprint_other_schema
CREATE SCHEMA fp;
CREATE EXTENSION fingerprint SCHEMA fp;
CREATE TABLE public.orders AS SELECT g AS id, g * 1.5 AS amount FROM generate_series(1, 10) g;
SET search_path = pg_catalog;
SELECT fp.table_fingerprint('public.orders') = fp.fingerprint_agg(o) AS "relocated"
FROM public.orders o;
\c :home_db
DROP DATABASE fingerprint_other_schema;

-- A NULL table gives NULL.
SELECT table_fingerprint(NULL) IS NULL AS "NULL table";
