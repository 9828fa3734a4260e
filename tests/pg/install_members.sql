-- Lists what extension fingerprint consists of in the current database, one line per
-- fact, in a stable order (tests/pg/install_paths.sh diffs two databases' listings).
-- pg_dump --binary-upgrade (also diffed) shows the definitions; this shows what it
-- prints by OID or not at all: which objects are members, their comments, owners and
-- initial privileges, the event triggers' state, and the configuration tables.
\pset footer off

SELECT 'extension' AS what, e.extname, e.extversion, e.extrelocatable, n.nspname AS schema,
       pg_get_userbyid(e.extowner) AS owner,
       ARRAY(SELECT c::regclass::text FROM unnest(e.extconfig) c) AS config_tables, e.extcondition
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'fingerprint';

-- Members, their comments and owners.
SELECT 'member' AS what, pg_describe_object(d.classid, d.objid, 0) AS object,
       CASE d.classid
           WHEN 'pg_proc'::regclass THEN (SELECT pg_get_userbyid(p.proowner) FROM pg_proc p WHERE p.oid = d.objid)
           WHEN 'pg_class'::regclass THEN (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = d.objid)
           WHEN 'pg_namespace'::regclass THEN (SELECT pg_get_userbyid(s.nspowner) FROM pg_namespace s WHERE s.oid = d.objid)
           WHEN 'pg_event_trigger'::regclass THEN (SELECT pg_get_userbyid(t.evtowner) FROM pg_event_trigger t WHERE t.oid = d.objid)
           WHEN 'pg_type'::regclass THEN (SELECT pg_get_userbyid(t.typowner) FROM pg_type t WHERE t.oid = d.objid)
       END AS owner,
       (SELECT s.description FROM pg_description s
        WHERE s.classoid = d.classid AND s.objoid = d.objid AND s.objsubid = 0) AS comment
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'fingerprint'
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
ORDER BY 2;

-- Column comments of member tables.
SELECT 'column comment' AS what, pg_describe_object(s.classoid, s.objoid, s.objsubid) AS object, s.description
FROM pg_description s JOIN pg_depend d ON d.classid = s.classoid AND d.objid = s.objoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'fingerprint'
WHERE s.objsubid > 0
ORDER BY 2;

-- The privileges the extension's scripts left (what pg_dump restores as the baseline).
SELECT 'initial privileges' AS what, pg_describe_object(i.classoid, i.objoid, i.objsubid) AS object, i.privtype,
       i.initprivs
FROM pg_init_privs i JOIN pg_depend d ON d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'fingerprint'
ORDER BY 2;

-- Functions: attributes and definition (the body, SET clauses, SECURITY DEFINER).
SELECT 'function' AS what, p.oid::regprocedure AS function, p.prokind, p.provolatile, p.proparallel,
       p.prosecdef, p.proisstrict, p.proleakproof, p.proconfig, p.proacl,
       CASE WHEN p.prokind = 'a' THEN NULL ELSE md5(pg_get_functiondef(p.oid)) END AS definition_md5
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'fingerprint'
ORDER BY p.oid::regprocedure::text;

-- Event triggers: when they fire, in which session_replication_role, what they run.
SELECT 'event trigger' AS what, t.evtname, t.evtevent, t.evtenabled, t.evttags, t.evtfoid::regprocedure
FROM pg_event_trigger t ORDER BY 2;

-- Relations: kind, options, ACL; and the rows of the configuration tables.
SELECT 'relation' AS what, c.oid::regclass AS relation, c.relkind, c.reloptions, c.relacl, c.relpersistence
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'fingerprint'
ORDER BY c.oid::regclass::text;
SELECT 'cleanup_state' AS what, s.* FROM fingerprint.cleanup_state s;
SELECT 'rows' AS what, (SELECT count(*) FROM fingerprint.capture_tables) AS capture_tables,
       (SELECT count(*) FROM fingerprint.change_log) AS change_log,
       (SELECT count(*) FROM fingerprint.consumers) AS consumers;
