-- json and jsonb: both reach the core as JSON text and are canonicalized there (keys
-- sorted by UTF-8 bytes, last duplicate wins, no whitespace, numbers as canonical
-- decimals), so json and jsonb holding the same document are equal.
\set VERBOSITY terse

-- Known answers: tests/core/vectors/encoding.tsv, and one hashed by hand with xxhsum
-- from its canonical text {"a":[1,2.5,"x\u000ay"],"b":null}.
SELECT name, fp, fp = expected AS matches
FROM (VALUES
    ('json sorted',    row_fingerprint(ROW('{"b":1, "a":[1.0,"x",true,null]}'::json)),  'fp1:xxh3:72caa1856ded7789ac7ca6687540ffd9'),
    ('jsonb sorted',   row_fingerprint(ROW('{"b":1, "a":[1.0,"x",true,null]}'::jsonb)), 'fp1:xxh3:72caa1856ded7789ac7ca6687540ffd9'),
    ('json numbers',   row_fingerprint(ROW('[1e2, 100, 1.50, -0, 0.0001e4]'::json)),    'fp1:xxh3:36861441be2994e9331c916c229f3ed7'),
    ('jsonb numbers',  row_fingerprint(ROW('[1e2, 100, 1.50, -0, 0.0001e4]'::jsonb)),   'fp1:xxh3:36861441be2994e9331c916c229f3ed7'),
    ('json dup key',   row_fingerprint(ROW('{"a":1,"a":2}'::json)),                     'fp1:xxh3:5f0334db5997a6a9448f9b543a5232ba'),
    ('jsonb dup key',  row_fingerprint(ROW('{"a":1,"a":2}'::jsonb)),                    'fp1:xxh3:5f0334db5997a6a9448f9b543a5232ba'),
    ('json escapes',   row_fingerprint(ROW('"\u00e9\n\"\/"'::json)),                    'fp1:xxh3:a6feebd5f5b0d63c55da2bfee3534a2f'),
    ('jsonb escapes',  row_fingerprint(ROW('"\u00e9\n\"\/"'::jsonb)),                   'fp1:xxh3:a6feebd5f5b0d63c55da2bfee3534a2f'),
    ('json key bytes', row_fingerprint(ROW('{"é":1,"z":2,"Z":3}'::json)),               'fp1:xxh3:a7ee3d9b4ad83885c463b57e61993018'),
    ('jsonb key bytes', row_fingerprint(ROW('{"é":1,"z":2,"Z":3}'::jsonb)),             'fp1:xxh3:a7ee3d9b4ad83885c463b57e61993018'),
    ('json null',      row_fingerprint(ROW('null'::json)),                              'fp1:xxh3:2186f91fc620368deab0fd525466c485'),
    ('jsonb null',     row_fingerprint(ROW('null'::jsonb)),                             'fp1:xxh3:2186f91fc620368deab0fd525466c485'),
    ('jsonb control',  row_fingerprint(ROW('{"b": null, "a": [1, 2.50, "x\ny"]}'::jsonb)), 'fp1:xxh3:0c879851cd58d7d2cf31be949c893b99')
) AS v(name, fp, expected);

-- json = jsonb whatever the key order, whitespace and number spelling.
SELECT a AS document, row_fingerprint(ROW(a::json)) = row_fingerprint(ROW(b::jsonb)) AS "json = jsonb"
FROM (VALUES
    ('{"a": 1, "b": [true, false, null]}', '{"b":[true,false,null],"a":1}'),
    ('{"x": {"z": 1, "y": 2}, "w": []}',  '{ "w" : [ ] , "x" : { "y" : 2 , "z" : 1 } }'),
    ('[1.0, 1, 1e0, 10e-1, 0.1e1]',       '[1, 1, 1, 1, 1]'),
    ('[-0, 0.0, -0.0e5]',                 '[0, 0, 0]'),
    ('[123456789012345678901234567890.123456789]', '[1.23456789012345678901234567890123456789e29]'),
    ('[1e-20, 0.00000000000000000001]',   '[1E-20, 1e-20]'),
    ('[12345.6789e10, -0.5]',             '[123456789000000, -5e-1]'),
    ('"tab\there \\ \"quoted\" \u0001"',  '"tab\u0009here \\ \"quoted\" \u0001"'),
    ('"\ud83d\ude00 and é"',              '"😀 and \u00e9"'),
    ('{"deep": [[[[{"a": [[]]}]]]]}',      '{"deep":[[[[{"a":[[]]}]]]]}'),
    ('{}',                                '{}'),
    ('[]',                                '[]'),
    ('""',                                '""'),
    ('true',                              'true'),
    ('-12.500',                           '-12.5')
) AS v(a, b);

-- Different documents differ.
SELECT row_fingerprint(ROW('{"a": 1}'::jsonb)) <> row_fingerprint(ROW('{"a": "1"}'::jsonb)) AS "number <> string",
       row_fingerprint(ROW('[1, 2]'::jsonb)) <> row_fingerprint(ROW('[2, 1]'::jsonb))       AS "array order counts",
       row_fingerprint(ROW('{"a": null}'::jsonb)) <> row_fingerprint(ROW('{}'::jsonb))      AS "null member <> absent",
       row_fingerprint(ROW('"abc"'::jsonb)) <> row_fingerprint(ROW('abc'::text))           AS "json string <> text",
       row_fingerprint(ROW('1'::jsonb)) <> row_fingerprint(ROW(1))                          AS "json 1 <> 1",
       row_fingerprint(ROW('null'::jsonb)) <> row_fingerprint(ROW(NULL::jsonb))             AS "json null <> SQL NULL";

-- Large and stored documents.
CREATE TABLE docs (id integer, j json, jb jsonb);
INSERT INTO docs
SELECT 1, d::json, d::jsonb
FROM (SELECT json_agg(json_build_object('k' || g, g * 1.5, 'tag', repeat('t', g % 7)))::text AS d
      FROM generate_series(1, 5000) g) s;
SELECT row_fingerprint(ROW(j)) = row_fingerprint(ROW(jb)) AS "stored json = stored jsonb",
       length(j::text) > 100000 AS large
FROM docs;
