-- capture_registry.sql: schema fingerprint and the registry of captured tables
-- (docs/capture.md). Who may write the registry decides who may enable capture: it carries
-- no grants, so by default only superusers and the extension's owner.

-- Change capture lives in schema fingerprint (created here, which is why the extension
-- is not relocatable): the log, the registry of captured tables, the consumers and their
-- batches. The C trigger writes the log directly (no SQL per row); everything a DBA
-- calls is SQL. Extension tables are dumped by pg_dump (pg_extension_config_dump).
CREATE SCHEMA fingerprint;
COMMENT ON SCHEMA fingerprint IS 'fingerprint change capture: log, captured tables, consumers (docs/capture.md)';

-- One row per (table, schema version): the column list the images of that version follow.
CREATE TABLE fingerprint.capture_tables (
    table_name text NOT NULL,
    schema_version integer NOT NULL,
    schema_name text NOT NULL,
    relation_name text NOT NULL,
    relid oid NOT NULL,
    column_names text[] NOT NULL,
    column_types text[] NOT NULL,
    column_classes text[] NOT NULL,
    key_columns text[] NOT NULL,
    old_images boolean NOT NULL,
    skip_in_replica boolean NOT NULL,
    enabled boolean NOT NULL,
    enabled_at timestamptz NOT NULL DEFAULT now(),
    column_signature text[],           -- NULL only in a registration 1.0 made
    trigger_oids oid[],                -- NULL while enable (re)creates the triggers
    identity text NOT NULL DEFAULT 'key' CONSTRAINT capture_tables_identity_check CHECK (identity IN ('key', 'row')),
    PRIMARY KEY (table_name, schema_version)
);
COMMENT ON COLUMN fingerprint.capture_tables.table_name IS
    'quote_ident(schema) || ''.'' || quote_ident(table) when the version was registered';
COMMENT ON COLUMN fingerprint.capture_tables.relid IS
    'the relation captured; at most one enabled row per relid, which the capture trigger reads';
COMMENT ON COLUMN fingerprint.capture_tables.identity IS
    'key: key_columns identify a row (a primary key or named NOT NULL columns); row: the table has no usable unique key, key_columns are all columns and the whole row is its identity (duplicates allowed, replayed as a multiset)';
COMMENT ON COLUMN fingerprint.capture_tables.trigger_oids IS
    'the capture triggers fingerprint_capture_enable created ({row, truncate}); no other trigger is trusted';

-- The capture trigger finds its registration by relation OID.
CREATE INDEX capture_tables_relid ON fingerprint.capture_tables (relid);

SELECT pg_catalog.pg_extension_config_dump('fingerprint.capture_tables', '');
COMMENT ON TABLE fingerprint.capture_tables IS
    'The registry: one row per captured table and schema version (the columns its images follow). Written by fingerprint_capture_enable/_disable and the DDL event triggers; no grants, so by default only superusers and the extension owner enable capture.';

-- enable and disable refuse REPEATABLE READ / SERIALIZABLE (their reads could predate the
-- lock they wait for), except for enable called by the after-ALTER event trigger, which
-- marks its call here: a row only this backend's uncommitted transaction sees, removed
-- before the event trigger returns. No role but the owner can write or read it.
CREATE TABLE fingerprint.capture_event_calls (backend integer NOT NULL, token text NOT NULL);
REVOKE ALL ON fingerprint.capture_event_calls FROM PUBLIC;
COMMENT ON TABLE fingerprint.capture_event_calls IS
    'Internal: marks fingerprint_capture_enable calls made by the after-ALTER event trigger; never holds committed rows.';
