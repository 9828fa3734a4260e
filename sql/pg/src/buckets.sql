-- buckets.sql: bucketed fingerprints and row listings, the drill-down behind
-- `fingerprint diff` (docs/diff.md): table_columns, bucket_fingerprints, bucket_rows.

-- Every live column of a table in ordinal order: its type, the value class fingerprint
-- gives it (exact, approx, string, date, timestamp, time, json or unsupported) and its
-- position in the primary key (NULL when not in it).
CREATE FUNCTION table_columns(tbl regclass)
RETURNS TABLE("position" integer, column_name text, data_type text, value_class text, key_position integer)
    AS 'MODULE_PATHNAME', 'table_columns'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION table_columns(regclass) IS
    'Roles with SELECT on tbl or one of its columns (checked before tbl is locked; catalog information only). Writes nothing. NULL tbl gives no rows.';

-- The fingerprint of every non-empty bucket of a table, from one pass over it. A row's
-- bucket is a hash of its key (the primary key, or key_columns) modulo buckets; the
-- fingerprints of all buckets add up to table_fingerprint over the same columns. filter
-- is a boolean SQL expression over the table's columns, run with the caller's
-- privileges. PARALLEL UNSAFE for the same reason as table_fingerprint.
CREATE FUNCTION bucket_fingerprints(
    tbl regclass,
    buckets integer,
    key_columns text[] DEFAULT NULL,
    include_columns text[] DEFAULT NULL,
    exclude_columns text[] DEFAULT NULL,
    filter text DEFAULT NULL,
    algorithm text DEFAULT 'xxh3'
) RETURNS TABLE(bucket integer, "rows" bigint, fingerprint text)
    AS 'MODULE_PATHNAME', 'bucket_fingerprints'
    LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION bucket_fingerprints(regclass, integer, text[], text[], text[], text, text) IS
    'Any role with SELECT on the columns read; the filter runs with the caller''s rights. Writes nothing. NULL tbl gives no rows; NULL buckets or algorithm is an error; NULL filter means no filter.';

-- The rows of the given buckets: key image (the canonical bytes of the key, identical on
-- every engine), key as a JSON array, row fingerprint and, with_images, the canonical
-- bytes of the fingerprinted columns. Ordered by bucket, key_image, fingerprint.
CREATE FUNCTION bucket_rows(
    tbl regclass,
    buckets integer,
    bucket_ids integer[],
    key_columns text[] DEFAULT NULL,
    include_columns text[] DEFAULT NULL,
    exclude_columns text[] DEFAULT NULL,
    filter text DEFAULT NULL,
    algorithm text DEFAULT 'xxh3',
    with_images boolean DEFAULT false
) RETURNS TABLE(bucket integer, key_image bytea, key_json text, fingerprint text, row_image bytea)
    AS 'MODULE_PATHNAME', 'bucket_rows'
    LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION bucket_rows(regclass, integer, integer[], text[], text[], text[], text, text, boolean) IS
    'Any role with SELECT on the columns read; the filter runs with the caller''s rights. Writes nothing. NULL tbl gives no rows; NULL buckets, bucket_ids (or an element), algorithm or with_images is an error.';
