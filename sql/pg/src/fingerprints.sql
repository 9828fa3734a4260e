-- fingerprints.sql: row and table fingerprints (docs/postgresql.md).
-- row_fingerprint, the order-independent aggregate fingerprint_agg with its support
-- functions, and table_fingerprint. Part of the current version's install script, which
-- the build assembles from sql/pg/src/ (sql/pg/CMakeLists.txt, docs/upgrading.md).

-- The fingerprint of one row: fp1:<algorithm>:<32 hex digits>. A NULL record gives NULL.
CREATE FUNCTION row_fingerprint(record) RETURNS text
    AS 'MODULE_PATHNAME', 'row_fingerprint'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION row_fingerprint(record, algorithm text) RETURNS text
    AS 'MODULE_PATHNAME', 'row_fingerprint'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION row_fingerprint(record) IS
    'Any role. Reads its argument only; writes nothing. NULL gives NULL.';
COMMENT ON FUNCTION row_fingerprint(record, text) IS
    'Any role. Reads its arguments only; writes nothing. NULL record or algorithm gives NULL.';

-- fingerprint_agg support functions. The state is internal (a fixed 40-byte struct in
-- the aggregate context); it crosses process boundaries as a 33-byte bytea.
CREATE FUNCTION fingerprint_agg_transfn(internal, record) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_transfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_transfn(internal, record, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_transfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_finalfn(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'fingerprint_agg_finalfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_combinefn(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_combinefn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_serialfn(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'fingerprint_agg_serialfn'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION fingerprint_agg_deserialfn(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_agg_deserialfn'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fingerprint_agg_transfn(internal, record) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_transfn(internal, record, text) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_finalfn(internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_combinefn(internal, internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_serialfn(internal) IS 'Support function of fingerprint_agg; writes nothing.';
COMMENT ON FUNCTION fingerprint_agg_deserialfn(bytea, internal) IS 'Support function of fingerprint_agg; writes nothing.';

-- The order-independent fingerprint of a set of rows: fp1:<algorithm>:<rows>:<32 hex>.
-- NULL records (outer-join holes) are skipped; no rows give fp1:xxh3:0:000...0.
CREATE AGGREGATE fingerprint_agg(record) (
    SFUNC = fingerprint_agg_transfn,
    STYPE = internal,
    FINALFUNC = fingerprint_agg_finalfn,
    COMBINEFUNC = fingerprint_agg_combinefn,
    SERIALFUNC = fingerprint_agg_serialfn,
    DESERIALFUNC = fingerprint_agg_deserialfn,
    PARALLEL = SAFE
);

CREATE AGGREGATE fingerprint_agg(record, algorithm text) (
    SFUNC = fingerprint_agg_transfn,
    STYPE = internal,
    FINALFUNC = fingerprint_agg_finalfn,
    COMBINEFUNC = fingerprint_agg_combinefn,
    SERIALFUNC = fingerprint_agg_serialfn,
    DESERIALFUNC = fingerprint_agg_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE fingerprint_agg(record) IS
    'Any role. Reads the rows it is given; writes nothing. NULL rows are skipped.';
COMMENT ON AGGREGATE fingerprint_agg(record, text) IS
    'Any role. Reads the rows it is given; writes nothing. A NULL algorithm is an error.';

-- fingerprint_agg over a whole table (partitions and inheritance children included),
-- optionally over some of its columns. It runs a query through SPI, hence PARALLEL
-- UNSAFE: the outer query stays serial so that the inner one may use parallel workers.
CREATE FUNCTION table_fingerprint(
    tbl regclass,
    include_columns text[] DEFAULT NULL,
    exclude_columns text[] DEFAULT NULL,
    algorithm text DEFAULT 'xxh3'
) RETURNS text
    AS 'MODULE_PATHNAME', 'table_fingerprint'
    LANGUAGE C STABLE PARALLEL UNSAFE;
COMMENT ON FUNCTION table_fingerprint(regclass, text[], text[], text) IS
    'Any role with SELECT on every fingerprinted column of tbl. Writes nothing. NULL tbl gives NULL; NULL algorithm is an error; NULL column lists mean all columns / none excluded (a NULL element is an error).';
