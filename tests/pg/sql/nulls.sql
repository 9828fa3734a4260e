-- NULL in every argument of every SQL-callable function: an error naming the argument,
-- or the documented answer (COMMENT ON of each function), never an action on someone
-- else's data (issue 8, class 3).
\set VERBOSITY terse
SELECT fingerprint.version() AS version;   -- the installed default version
CREATE TABLE nul (id int PRIMARY KEY, v text);
INSERT INTO nul VALUES (1, 'a'), (2, 'b');

-- ---- fingerprints: NULL rows are documented answers, NULL options are errors ----------------
SELECT row_fingerprint(NULL::record) IS NULL AS "row NULL";
SELECT row_fingerprint(ROW(1), NULL) IS NULL AS "algorithm NULL (strict)";
SELECT fingerprint_agg(NULL::record) AS "agg of NULL rows";
SELECT fingerprint_agg(n, NULL) FROM nul n;
SELECT table_fingerprint(NULL);
SELECT table_fingerprint('nul', NULL, NULL, NULL);
SELECT table_fingerprint('nul', NULL, NULL) = table_fingerprint('nul') AS "NULL column lists = all columns";
SELECT table_fingerprint('nul', ARRAY[NULL]);
SELECT table_fingerprint('nul', NULL, ARRAY[NULL]);
SELECT * FROM table_columns(NULL);
SELECT * FROM bucket_fingerprints(NULL, 4);
SELECT * FROM bucket_fingerprints('nul', NULL);
SELECT * FROM bucket_fingerprints('nul', 4, ARRAY[NULL]);
SELECT * FROM bucket_fingerprints('nul', 4, algorithm => NULL);
SELECT count(*) AS "NULL filter = no filter" FROM bucket_fingerprints('nul', 4, filter => NULL);
SELECT * FROM bucket_rows(NULL, 4, ARRAY[0]);
SELECT * FROM bucket_rows('nul', NULL, ARRAY[0]);
SELECT * FROM bucket_rows('nul', 4, NULL);
SELECT * FROM bucket_rows('nul', 4, ARRAY[NULL]::int[]);
SELECT * FROM bucket_rows('nul', 4, ARRAY[0], with_images => NULL);
SELECT * FROM bucket_rows('nul', 4, ARRAY[0], algorithm => NULL);
SELECT fingerprint_image_json(NULL) IS NULL AS "image NULL", fingerprint_image_json(NULL, ARRAY['a']) IS NULL AS "image NULL",
       fingerprint_image_json('\x0100000001'::bytea, NULL) IS NULL AS "names NULL";
SELECT fingerprint.column_classes(NULL) IS NULL AS "column_classes NULL";

-- ---- fingerprint_advance ---------------------------------------------------------------------
SELECT fingerprint_advance(NULL, 'I', NULL, 'fp1:xxh3:00000000000000000000000000000000');
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', NULL, NULL, NULL);
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, NULL);
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'D', NULL, NULL);
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'T', NULL, NULL) AS "T resets";

-- ---- capture ---------------------------------------------------------------------------------
SELECT fingerprint_capture_enable(NULL);
SELECT fingerprint_capture_enable('nul', NULL, NULL);
SELECT fingerprint_capture_enable('nul', NULL, false, NULL);
SELECT fingerprint_capture_enable('nul', ARRAY[NULL]);
SELECT fingerprint_capture_enable('nul', NULL) AS "NULL key_columns = primary key";
SELECT fingerprint_capture_intact(NULL) IS NULL AS "capture_intact NULL (strict)";
SELECT fingerprint_capture_intact('nul') AS "capture_intact after enable";
SELECT fingerprint.capture_primary_key(NULL) IS NULL AS "capture_primary_key NULL";
SELECT fingerprint.capture_type_class(NULL, -1) IS NULL AS "capture_type_class NULL type",
       fingerprint.capture_type_class('int4'::regtype, NULL) IS NULL AS "capture_type_class NULL typmod";
SELECT (fingerprint.capture_column_lists(NULL)).names IS NULL AS "capture_column_lists NULL";
SELECT fingerprint.capture_enable_triggers(NULL, NULL, NULL) IS NULL AS "capture_enable_triggers NULL";
SELECT fingerprint.capture_registration_kept(NULL, NULL, NULL, NULL, NULL, NULL) AS "capture_registration_kept NULL";
SELECT fingerprint_capture_disable(NULL);
SELECT fingerprint.capture_invalidate(NULL) IS NULL AS "capture_invalidate NULL (strict)";
SELECT fingerprint.capture_trigger();

-- ---- consumers: two of them, one mid-batch; NULLs never touch the other's batch ---------------
SELECT fingerprint.register_consumer('alice') IS NOT NULL AS alice, fingerprint.register_consumer('bob') IS NOT NULL AS bob;
INSERT INTO nul VALUES (3, 'c');
SELECT fingerprint.next_batch('alice') AS alice_batch, fingerprint.next_batch('bob') AS bob_batch;
SELECT fingerprint.register_consumer(NULL);
SELECT fingerprint.register_consumer(NULL, pg_current_snapshot());
SELECT fingerprint.register_consumer('alice', NULL)::text = start_snapshot::text AS "NULL start = keep"
FROM fingerprint.consumers WHERE consumer = 'alice';
SELECT fingerprint.next_batch(NULL);
SELECT fingerprint.batch_changes(NULL, 1);
SELECT fingerprint.batch_changes('alice', NULL);
SELECT fingerprint.batch_changes_json(NULL, 1);
SELECT fingerprint.batch_changes_json('alice', NULL);
SELECT fingerprint.finish_batch(NULL, 1);
SELECT fingerprint.finish_batch('alice', NULL);
SELECT fingerprint.finish_batch(NULL, NULL);
SELECT fingerprint.unregister_consumer(NULL);
SELECT fingerprint.cleanup(NULL);
SELECT consumer, last_batch, batch_id FROM fingerprint.consumers ORDER BY consumer;
SELECT fingerprint.finish_batch('alice', 1) AS "alice finishes her own";
SELECT consumer, last_batch, batch_id FROM fingerprint.consumers ORDER BY consumer;
SELECT fingerprint.unregister_consumer('alice'), fingerprint.unregister_consumer('bob');

-- ---- every SQL-callable object says who may call it and what it writes ------------------------
SELECT p.oid::regprocedure AS "function without a comment"
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'fingerprint'
WHERE obj_description(p.oid, 'pg_proc') IS NULL ORDER BY 1;
SELECT fingerprint_capture_disable('nul');
DROP TABLE nul;
