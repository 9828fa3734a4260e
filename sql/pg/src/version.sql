-- version.sql: the installed version of the extension's SQL objects; MariaDB has the same
-- call (docs/upgrading.md).

CREATE FUNCTION fingerprint.version() RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT e.extversion::text FROM pg_catalog.pg_extension e WHERE e.extname = 'fingerprint' $$;
COMMENT ON FUNCTION fingerprint.version() IS
    'Any role. The installed extension version (pg_extension.extversion); writes nothing.';
