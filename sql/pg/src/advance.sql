-- advance.sql: incremental fingerprints. fingerprint_advance moves a stored table
-- fingerprint over logged changes (docs/capture.md).

CREATE FUNCTION fingerprint_advance_transfn(internal, text, text, text, text) RETURNS internal
    AS 'MODULE_PATHNAME', 'fingerprint_advance_transfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION fingerprint_advance_finalfn(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'fingerprint_advance_finalfn'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION fingerprint_advance_transfn(internal, text, text, text, text) IS 'Support function of fingerprint_advance; writes nothing.';
COMMENT ON FUNCTION fingerprint_advance_finalfn(internal) IS 'Support function of fingerprint_advance; writes nothing.';

-- A stored table fingerprint advanced over changes (ORDER BY seq): for each row, minus
-- old_fingerprint, plus new_fingerprint; 'T' resets to the empty table. The start is the
-- first argument of the first row. No rows give NULL.
CREATE AGGREGATE fingerprint_advance(start_fingerprint text, op text, old_fingerprint text, new_fingerprint text) (
    SFUNC = fingerprint_advance_transfn,
    STYPE = internal,
    FINALFUNC = fingerprint_advance_finalfn
);
COMMENT ON AGGREGATE fingerprint_advance(text, text, text, text) IS
    'Any role. Reads its arguments only; writes nothing. A NULL start (first row) or op is an error; a NULL old/new fingerprint is an absent row (nothing removed/added).';
