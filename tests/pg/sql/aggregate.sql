-- fingerprint_agg: order-independent, counts duplicates, skips NULL records, never NULL.
\set VERBOSITY terse

CREATE TABLE items (id integer, name text, price numeric(10,2));
INSERT INTO items VALUES (1, 'apple', 1.50), (2, 'pear', 2.00), (3, NULL, NULL);

-- Known answer: the row count and the sum modulo 2^128 of the row hashes.
SELECT fingerprint_agg(i) FROM items i;
SELECT fingerprint_agg(i, 'sha256') FROM items i;

-- The same rows in any order give the same fingerprint.
SELECT (SELECT fingerprint_agg(i) FROM (SELECT * FROM items ORDER BY id) i)
     = (SELECT fingerprint_agg(i) FROM (SELECT * FROM items ORDER BY id DESC) i) AS "order independent",
       (SELECT fingerprint_agg(ROW(id, name, price)) FROM items)
     = (SELECT fingerprint_agg(i) FROM items i) AS "ROW() = whole row",
       (SELECT fingerprint_agg(i) FROM items i)
     = (SELECT fingerprint_agg(v) FROM (VALUES (3, NULL::text, NULL::numeric), (1, 'apple', 1.5), (2, 'pear', 2)) v)
                                                  AS "same values, other spelling";

-- Duplicates are counted: two equal rows are not one.
SELECT fingerprint_agg(v) FROM (VALUES (1), (1)) v;
SELECT fingerprint_agg(v) FROM (VALUES (1)) v;
SELECT (SELECT fingerprint_agg(v) FROM (VALUES (1), (1)) v) <> (SELECT fingerprint_agg(v) FROM (VALUES (1)) v) AS "duplicates count",
       (SELECT fingerprint_agg(v) FROM (VALUES (1), (2)) v) <> (SELECT fingerprint_agg(v) FROM (VALUES (1), (1), (2), (2)) v) AS "all doubled differs";

-- No rows: the empty fingerprint, never NULL (MySQL gives the same).
CREATE TABLE empty_table (a integer);
SELECT fingerprint_agg(e) FROM empty_table e;
SELECT fingerprint_agg(e, 'sha256') FROM empty_table e;
SELECT fingerprint_agg(e, 'xxh3') FROM empty_table e;
SELECT fingerprint_agg(i) FROM items i WHERE false;

-- NULL records (holes of an outer join) are skipped; a row of NULLs is a row.
SELECT fingerprint_agg(e) AS holes_only FROM items i LEFT JOIN empty_table e ON true;
SELECT fingerprint_agg(ROW(NULL::int)) AS one_row_of_nulls;
SELECT fingerprint_agg(NULL::record) AS null_record;

-- GROUP BY: one fingerprint per group; a group equals the aggregate of its rows.
SELECT price IS NULL AS no_price, fingerprint_agg(i) FROM items i GROUP BY 1 ORDER BY 1;
SELECT (SELECT fingerprint_agg(i) FROM items i WHERE price IS NOT NULL)
     = (SELECT fingerprint_agg(i) FROM items i GROUP BY price IS NULL HAVING bool_and(price IS NOT NULL)) AS "group = filter";

-- The algorithm must be the same for every row of a group.
SELECT fingerprint_agg(v, CASE WHEN x = 1 THEN 'xxh3' ELSE 'sha256' END) FROM (VALUES (1), (2)) v(x);
SELECT fingerprint_agg(v, a) FROM (VALUES ('sha256'), ('sha256')) v(a);

-- The algorithm of an empty aggregate comes from a parameter too (PL/pgSQL, generic plan).
CREATE FUNCTION empty_fp(algorithm text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN (SELECT fingerprint_agg(e, algorithm) FROM empty_table e);
END $$;
SET plan_cache_mode = force_generic_plan;
SELECT empty_fp('sha256'), empty_fp('xxh3');
RESET plan_cache_mode;
PREPARE empty_stmt(text) AS SELECT fingerprint_agg(e, $1) FROM empty_table e;
EXECUTE empty_stmt('sha256');

-- As a window function (no combine step there).
SELECT id, fingerprint_agg(i) OVER (ORDER BY id) FROM items i ORDER BY id;
