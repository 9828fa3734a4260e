-- Every procedure and stored function of the fingerprint database, and every UDF, with
-- NULL in each argument in turn (the others valid): a clear error or the documented
-- answer (docs/mysql.md: NULL means the default for the optional arguments of the _with
-- procedures and of capture_ddl_with's key and old_images), never a silent wrong one
-- (issue 8, class 7). Generated once from information_schema.PARAMETERS; keep it in step
-- with the routines. The server must survive all of it.
SET NAMES utf8mb4;
CREATE DATABASE t_null CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_null;
CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO t VALUES (1, 'a'), (2, 'b');
CALL fingerprint.capture_apply('t_null.t', 'enable');
INSERT INTO t VALUES (3, 'c');
CALL fingerprint.next_batch('c', 10);
SET @b = (SELECT MAX(batch_id) FROM fingerprint.capture_batches);

-- Procedures.
CALL fingerprint.batch_changes(NULL);
CALL fingerprint.bucket_fingerprints(NULL, 4);
CALL fingerprint.bucket_fingerprints('t_null.t', NULL);
CALL fingerprint.bucket_fingerprints_json(NULL, 4, 'id', 'id,v', 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_json('t_null.t', NULL, 'id', 'id,v', 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_json('t_null.t', 4, NULL, 'id,v', 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_json('t_null.t', 4, 'id', NULL, 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_json('t_null.t', 4, 'id', 'id,v', NULL, 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_json('t_null.t', 4, 'id', 'id,v', 'v', NULL, 'xxh3');
CALL fingerprint.bucket_fingerprints_json('t_null.t', 4, 'id', 'id,v', 'v', 'id > 0', NULL);
CALL fingerprint.bucket_fingerprints_with(NULL, 4, 'id', 'id,v', 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_with('t_null.t', NULL, 'id', 'id,v', 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_with('t_null.t', 4, NULL, 'id,v', 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_with('t_null.t', 4, 'id', NULL, 'v', 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_with('t_null.t', 4, 'id', 'id,v', NULL, 'id > 0', 'xxh3');
CALL fingerprint.bucket_fingerprints_with('t_null.t', 4, 'id', 'id,v', 'v', NULL, 'xxh3');
CALL fingerprint.bucket_fingerprints_with('t_null.t', 4, 'id', 'id,v', 'v', 'id > 0', NULL);
CALL fingerprint.bucket_key_columns(NULL, 't', 'id', '', @o1, @o2, @o3);
CALL fingerprint.bucket_key_columns('t_null', NULL, 'id', '', @o1, @o2, @o3);
CALL fingerprint.bucket_key_columns('t_null', 't', NULL, '', @o1, @o2, @o3);
CALL fingerprint.bucket_key_columns('t_null', 't', 'id', NULL, @o1, @o2, @o3);
CALL fingerprint.bucket_rows(NULL, 4, '0,1,2,3');
CALL fingerprint.bucket_rows('t_null.t', NULL, '0,1,2,3');
CALL fingerprint.bucket_rows('t_null.t', 4, NULL);
CALL fingerprint.bucket_rows_with(NULL, 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', NULL, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, NULL, 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, '0,1,2,3', NULL, 'id,v', 'v', 'id > 0', 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, '0,1,2,3', 'id', NULL, 'v', 'id > 0', 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, '0,1,2,3', 'id', 'id,v', NULL, 'id > 0', 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', NULL, 'xxh3', TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', NULL, TRUE);
CALL fingerprint.bucket_rows_with('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', NULL);
CALL fingerprint.bucket_table(NULL, @o1, @o2);
CALL fingerprint.capture_ddl(NULL, 'enable');
CALL fingerprint.capture_ddl('t_null.t', NULL);
CALL fingerprint.capture_ddl_with(NULL, 'enable', 'id', FALSE);
CALL fingerprint.capture_ddl_with('t_null.t', NULL, 'id', FALSE);
CALL fingerprint.capture_ddl_with('t_null.t', 'enable', NULL, FALSE);
CALL fingerprint.capture_ddl_with('t_null.t', 'enable', 'id', NULL);
CALL fingerprint.capture_apply(NULL, 'enable');
CALL fingerprint.capture_apply('t_null.t', NULL);
CALL fingerprint.capture_apply_with(NULL, 'enable', 'id', FALSE);
CALL fingerprint.capture_apply_with('t_null.t', NULL, 'id', FALSE);
CALL fingerprint.capture_apply_with('t_null.t', 'enable', NULL, FALSE);
CALL fingerprint.capture_apply_with('t_null.t', 'enable', 'id', NULL);
CALL fingerprint.capture_baseline(NULL, 1, '');
CALL fingerprint.capture_baseline('t_null.t', NULL, '');
CALL fingerprint.capture_baseline('t_null.t', 1, NULL);
CALL fingerprint.capture_check(NULL);
CALL fingerprint.capture_columns(NULL, 't', @o1, @o2, @o3, @o4, @o5, @o6, @o7, @o8);
CALL fingerprint.capture_columns('t_null', NULL, @o1, @o2, @o3, @o4, @o5, @o6, @o7, @o8);
CALL fingerprint.capture_resolve(NULL, @o1, @o2);
CALL fingerprint.capture_stopped(NULL, 3, NULL);
CALL fingerprint.capture_stopped('t_null.none', NULL, NULL);
CALL fingerprint.capture_drop_triggers(NULL, 't');
CALL fingerprint.capture_drop_triggers('t_null', NULL);
CALL fingerprint.capture_verify(NULL);
CALL fingerprint.capture_verify_table(NULL, NULL);
CALL fingerprint.capture_verify_table('x', NULL);
SELECT fingerprint.file_name_bytes(NULL) AS file_name_bytes,
       fingerprint.capture_trigger_belongs(NULL, 'INSERT', 'x', 't', 'd.t') AS belongs;
CALL fingerprint.capture_table_fp(NULL, 't');
CALL fingerprint.capture_table_fp('t_null', NULL);
CALL fingerprint.check_column_list(NULL, 't', 'id', @o1);
CALL fingerprint.check_column_list('t_null', NULL, 'id', @o1);
CALL fingerprint.check_column_list('t_null', 't', NULL, @o1);
CALL fingerprint.check_readable(NULL, 't', 'fingerprint');
CALL fingerprint.check_readable('t_null', NULL, 'fingerprint');
CALL fingerprint.check_readable('t_null', 't', NULL);
CALL fingerprint.chosen_columns(NULL, 't', 't_null.t', 'id,v', 'v', @o1, @o2, @o3);
CALL fingerprint.chosen_columns('t_null', NULL, 't_null.t', 'id,v', 'v', @o1, @o2, @o3);
CALL fingerprint.chosen_columns('t_null', 't', NULL, 'id,v', 'v', @o1, @o2, @o3);
CALL fingerprint.chosen_columns('t_null', 't', 't_null.t', NULL, 'v', @o1, @o2, @o3);
CALL fingerprint.chosen_columns('t_null', 't', 't_null.t', 'id,v', NULL, @o1, @o2, @o3);
CALL fingerprint.consumer_lock_take(NULL);
CALL fingerprint.finish_batch(NULL, @b);
CALL fingerprint.finish_batch('c', NULL);
CALL fingerprint.next_batch(NULL, 10);
CALL fingerprint.next_batch('c', 0);
CALL fingerprint.row_fingerprints(NULL);
CALL fingerprint.row_fingerprints_with(NULL, 'id,v', 'v', 'xxh3');
CALL fingerprint.row_fingerprints_with('t_null.t', NULL, 'v', 'xxh3');
CALL fingerprint.row_fingerprints_with('t_null.t', 'id,v', NULL, 'xxh3');
CALL fingerprint.row_fingerprints_with('t_null.t', 'id,v', 'v', NULL);
CALL fingerprint.run_buckets(NULL, 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', NULL, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, NULL, 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', NULL, 'id,v', 'v', 'id > 0', 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', NULL, 'v', 'id > 0', 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', 'id,v', NULL, 'id > 0', 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', NULL, 'xxh3', TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', NULL, TRUE, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', NULL, FALSE, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE, NULL, FALSE);
CALL fingerprint.run_buckets('t_null.t', 4, '0,1,2,3', 'id', 'id,v', 'v', 'id > 0', 'xxh3', TRUE, FALSE, NULL);
CALL fingerprint.run_fingerprint(NULL, 'id,v', 'v', 'xxh3', FALSE);
CALL fingerprint.run_fingerprint('t_null.t', NULL, 'v', 'xxh3', FALSE);
CALL fingerprint.run_fingerprint('t_null.t', 'id,v', NULL, 'xxh3', FALSE);
CALL fingerprint.run_fingerprint('t_null.t', 'id,v', 'v', NULL, FALSE);
CALL fingerprint.run_fingerprint('t_null.t', 'id,v', 'v', 'xxh3', NULL);
CALL fingerprint.table_columns(NULL);
CALL fingerprint.table_fingerprint(NULL);
CALL fingerprint.table_fingerprint_with(NULL, 'id,v', 'v', 'xxh3');
CALL fingerprint.table_fingerprint_with('t_null.t', NULL, 'v', 'xxh3');
CALL fingerprint.table_fingerprint_with('t_null.t', 'id,v', NULL, 'xxh3');
CALL fingerprint.table_fingerprint_with('t_null.t', 'id,v', 'v', NULL);

-- Stored functions.
SELECT fingerprint.capture_argument(NULL, 'v', 'int', 'int(11)', FALSE, 'utf8mb4') AS capture_argument_null_1;
SELECT fingerprint.capture_argument('NEW', NULL, 'int', 'int(11)', FALSE, 'utf8mb4') AS capture_argument_null_2;
SELECT fingerprint.capture_argument('NEW', 'v', NULL, 'int(11)', FALSE, 'utf8mb4') AS capture_argument_null_3;
SELECT fingerprint.capture_argument('NEW', 'v', 'int', NULL, FALSE, 'utf8mb4') AS capture_argument_null_4;
SELECT fingerprint.capture_argument('NEW', 'v', 'int', 'int(11)', NULL, 'utf8mb4') AS capture_argument_null_5;
SELECT fingerprint.capture_argument('NEW', 'v', 'int', 'int(11)', FALSE, NULL) AS capture_argument_null_6;
SELECT fingerprint.capture_trigger_name(NULL, 'i') AS capture_trigger_name_null_1;
SELECT fingerprint.capture_trigger_name('t', NULL) AS capture_trigger_name_null_2;
SELECT fingerprint.capture_trigger_name_1_0(NULL, 'i') AS capture_trigger_name_1_0_null_1;
SELECT fingerprint.capture_trigger_name_1_0('t', NULL) AS capture_trigger_name_1_0_null_2;
SELECT fingerprint.capture_trigger_of(NULL, 't', 'i') AS capture_trigger_of_null_1;
SELECT fingerprint.capture_trigger_of('t_null', NULL, 'i') AS capture_trigger_of_null_2;
SELECT fingerprint.capture_trigger_of('t_null', 't', NULL) AS capture_trigger_of_null_3;
SELECT fingerprint.checked(NULL) AS checked_null_1;
SELECT fingerprint.checked_image(NULL) AS checked_image_null_1;
SELECT fingerprint.column_argument(NULL, 'int', 'int(11)', FALSE, 'utf8mb4') AS column_argument_null_1;
SELECT fingerprint.column_argument('v', NULL, 'int(11)', FALSE, 'utf8mb4') AS column_argument_null_2;
SELECT fingerprint.column_argument('v', 'int', NULL, FALSE, 'utf8mb4') AS column_argument_null_3;
SELECT fingerprint.column_argument('v', 'int', 'int(11)', NULL, 'utf8mb4') AS column_argument_null_4;
SELECT fingerprint.column_argument('v', 'int', 'int(11)', FALSE, NULL) AS column_argument_null_5;
SELECT fingerprint.column_class(NULL, 'int(11)', FALSE) AS column_class_null_1;
SELECT fingerprint.column_class('int', NULL, FALSE) AS column_class_null_2;
SELECT fingerprint.column_class('int', 'int(11)', NULL) AS column_class_null_3;
SELECT fingerprint.quote_name(NULL) AS quote_name_null_1;
SELECT fingerprint.same_column_name(NULL, 'V') AS same_column_name_null_1;
SELECT fingerprint.same_column_name('v', NULL) AS same_column_name_null_2;
SELECT fingerprint.value_class(NULL) AS value_class_null_1;
SELECT fingerprint.version();

-- UDFs: NULL in each argument, over the table's rows (NULL values are ordinary inputs;
-- a NULL spec, image or op is refused in init or answered with NULL or an error string).
SELECT id, HEX(row_fingerprint(NULL, id, v)) AS row_fingerprint_null_1 FROM t ORDER BY id;
SELECT id, HEX(row_fingerprint('xxh3:is', NULL, v)) AS row_fingerprint_null_2 FROM t ORDER BY id;
SELECT id, HEX(row_fingerprint('xxh3:is', id, NULL)) AS row_fingerprint_null_3 FROM t ORDER BY id;
SELECT fingerprint_agg(NULL, id, v) AS fingerprint_agg_null_1 FROM t;
SELECT fingerprint_agg('xxh3:is', NULL, v) AS fingerprint_agg_null_2 FROM t;
SELECT fingerprint_agg('xxh3:is', id, NULL) AS fingerprint_agg_null_3 FROM t;
SELECT fingerprint_buckets(NULL, '4:i', id, id, v) AS fingerprint_buckets_null_1 FROM t;
SELECT fingerprint_buckets('xxh3:is', NULL, id, id, v) AS fingerprint_buckets_null_2 FROM t;
SELECT fingerprint_buckets('xxh3:is', '4:i', NULL, id, v) AS fingerprint_buckets_null_3 FROM t;
SELECT fingerprint_buckets('xxh3:is', '4:i', id, NULL, v) AS fingerprint_buckets_null_4 FROM t;
SELECT fingerprint_buckets('xxh3:is', '4:i', id, id, NULL) AS fingerprint_buckets_null_5 FROM t;
SELECT id, HEX(fingerprint_bucket_of(NULL, id)) AS fingerprint_bucket_of_null_1 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_bucket_of('4:i', NULL)) AS fingerprint_bucket_of_null_2 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image(NULL, id, v)) AS fingerprint_image_null_1 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image('is', NULL, v)) AS fingerprint_image_null_2 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image('is', id, NULL)) AS fingerprint_image_null_3 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_key_json(NULL, id, v)) AS fingerprint_key_json_null_1 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_key_json('is', NULL, v)) AS fingerprint_key_json_null_2 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_key_json('is', id, NULL)) AS fingerprint_key_json_null_3 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_capture_row(NULL, id, v)) AS fingerprint_capture_row_null_1 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_capture_row('xxh3:is/1', NULL, v)) AS fingerprint_capture_row_null_2 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_capture_row('xxh3:is/1', id, NULL)) AS fingerprint_capture_row_null_3 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image_json(NULL, 'id,v')) AS fingerprint_image_json_null_1 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image_json(fingerprint_image('is', id, v), NULL)) AS fingerprint_image_json_null_2 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image_diff(NULL, fingerprint_image('is', id, 'z'), 'id,v')) AS fingerprint_image_diff_null_1 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image_diff(fingerprint_image('is', id, v), NULL, 'id,v')) AS fingerprint_image_diff_null_2 FROM t ORDER BY id;
SELECT id, HEX(fingerprint_image_diff(fingerprint_image('is', id, v), fingerprint_image('is', id, 'z'), NULL)) AS fingerprint_image_diff_null_3 FROM t ORDER BY id;
SELECT fingerprint_advance(NULL, 'I', NULL, row_fingerprint('xxh3:is', id, v)) AS fingerprint_advance_null_1 FROM t;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', NULL, NULL, row_fingerprint('xxh3:is', id, v)) AS fingerprint_advance_null_2 FROM t;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, row_fingerprint('xxh3:is', id, v)) AS fingerprint_advance_null_3 FROM t;
SELECT fingerprint_advance('fp1:xxh3:0:00000000000000000000000000000000', 'I', NULL, NULL) AS fingerprint_advance_null_4 FROM t;
-- The UDFs and helpers of 1.2: the capture row accessor, the algorithm list, and the
-- routines every procedure shares (names, lists, the primary key, argument checks, the
-- capture trigger template).
SELECT id, HEX(fingerprint_capture_part(NULL, 'key')) AS fingerprint_capture_part_null_1 FROM t ORDER BY id;
SELECT fingerprint_capture_part(fingerprint_capture_row('xxh3:is/1', 1, 'a'), NULL) AS fingerprint_capture_part_null_2;
SELECT fingerprint_algorithm(NULL) AS fingerprint_algorithm_null_1;
CALL fingerprint.split_table(NULL, FALSE, @o1, @o2);
CALL fingerprint.split_table('t_null.t', NULL, @o1, @o2);
SELECT @o1 AS split_table_null_2_schema, @o2 AS split_table_null_2_table;
SET @rest = NULL;
CALL fingerprint.next_list_item(@rest, @o1);
SELECT @rest AS next_list_item_null_rest, @o1 AS next_list_item_null_item;
SELECT fingerprint.primary_key(NULL, 't') AS primary_key_null_1, fingerprint.primary_key('t_null', NULL) AS primary_key_null_2;
CALL fingerprint.check_argument(NULL, 'refused: the check is NULL');
CALL fingerprint.check_argument(TRUE, NULL);
CALL fingerprint.check_outside_transaction(NULL);
SELECT fingerprint.checked_algorithm(NULL) AS checked_algorithm_null_1;
SELECT fingerprint.value_argument(NULL, 'v', 'timestamp', 'timestamp', FALSE, NULL) AS value_argument_null_1,
       fingerprint.value_argument('NEW', NULL, 'int', 'int(11)', FALSE, 'utf8mb4') AS value_argument_null_2;
CALL fingerprint.capture_key(NULL, 't', NULL, @o1, @o2, @o3);
CALL fingerprint.capture_key('t_null', 't', NULL, @o1, @o2, @o3);
SELECT @o1 AS capture_key_null_3_names, @o2 AS capture_key_null_3_positions;
CALL fingerprint.capture_register(NULL, 't', 'id,v', 'is', 'id', 'key', FALSE, MD5(''), '[]', @o1);
SELECT fingerprint.capture_update_statement('t_null', 't', NULL, 'c', 'c2', 'l', NULL) AS capture_update_statement_null_3,
       fingerprint.capture_trigger_body(NULL, 'r', 's') IS NULL AS capture_trigger_body_null_1,
       fingerprint.capture_trigger_ddl('t_null', 't', NULL, 'b') IS NULL AS capture_trigger_ddl_null_3,
       fingerprint.capture_call(NULL, 'n', 'a') IS NULL AS capture_call_null_1;
SELECT fingerprint.bucket_ids(NULL, 4) AS bucket_ids_null_1;
SELECT fingerprint.bucket_ids('1, 2', NULL) AS bucket_ids_null_2;
CALL fingerprint.bucket_key_lookup(NULL, 't', 'id', @o1, @o2, @o3, @o4);
CALL fingerprint.bucket_key_lookup('t_null', 't', NULL, @o1, @o2, @o3, @o4);
SELECT @o1 AS bucket_key_lookup_null_3_by_key;
SELECT fingerprint.json_checks(NULL, 't') AS json_checks_null_1, fingerprint.json_checks('t_null', NULL) AS json_checks_null_2,
       fingerprint.is_json_column(NULL, 'v') AS is_json_column_null_1,
       fingerprint.is_json_column(CONCAT(CHAR(0), 'json_valid(`v`)', CHAR(0)), NULL) AS is_json_column_null_2;

-- 1.7: capture_intact and what enable shares with it (columns, kept version, trigger bodies).
SELECT fingerprint.capture_intact('t_null.t') AS capture_intact_named_key;
SELECT fingerprint.capture_intact(NULL);
CALL fingerprint.capture_column_lists(NULL, 't', @o1, @o2, @o3, @o4, @o5, @o6, @o7, @o8);
SELECT @o1 AS capture_column_lists_null_1_classes, @o7 AS capture_column_lists_null_1_count;
CALL fingerprint.capture_column_lists('t_null', NULL, @o1, @o2, @o3, @o4, @o5, @o6, @o7, @o8);
SELECT @o1 AS capture_column_lists_null_2_classes, @o7 AS capture_column_lists_null_2_count;
SELECT fingerprint.capture_kept_version(NULL, 't', 'id', 'key', FALSE, MD5('')) AS capture_kept_version_null_1,
       fingerprint.capture_kept_version('t_null', 't', NULL, 'key', FALSE, MD5('')) AS capture_kept_version_null_3,
       fingerprint.capture_kept_version('t_null', 't', 'id', 'key', FALSE, NULL) AS capture_kept_version_null_6,
       fingerprint.capture_registration_signature(NULL, NULL, NULL, NULL) IS NOT NULL AS capture_registration_signature_null,
       fingerprint.capture_bodies_sha2(NULL, 'u', 'd') AS capture_bodies_sha2_null_1;
CALL fingerprint.capture_trigger_bodies('t_null', 't', NULL, 'key', 1, FALSE, NULL, '1', 'n', 'o', @o1, @o2, @o3);
SELECT @o1 IS NULL AS capture_trigger_bodies_null_classes_insert;

-- Nothing above finished the open batch or changed the log.
SELECT consumer, finished_at, changes FROM fingerprint.capture_batches WHERE batch_id = @b;
SELECT COUNT(*) AS logged FROM fingerprint.change_log WHERE table_name = 't_null.t';
CALL fingerprint.finish_batch('c', @b);
CALL fingerprint.capture_apply('t_null.t', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 't_null.t';
DROP DATABASE t_null;
