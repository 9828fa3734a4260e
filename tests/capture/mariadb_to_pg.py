#!/usr/bin/python3
"""Cross-engine seam: changes captured on MariaDB, applied to PostgreSQL through the JSON
renderings of fingerprint.changes (jsonb_populate_record), give the same table_fingerprint
on both engines (docs/capture.md).

    mariadb_to_pg.py PLUGIN_DIR

Needs the PostgreSQL extension installed (it loads it from the system directories: run it
under the lock of docs, e.g. `flock /tmp/fingerprint-pg.lock ctest -R cross`).
"""

import json
import os
import subprocess
import sys
import tempfile

import psycopg2

from mariadb_common import ROOT, Server, call, check, enable_capture, main_guard, query, table_fingerprint

MARIADB_TABLE = """CREATE TABLE src.t (
    id INT PRIMARY KEY, i BIGINT, d DECIMAL(12,3), f DOUBLE, s VARCHAR(50), c CHAR(5), b VARBINARY(20),
    dt DATE, ts TIMESTAMP(6) NULL, dtm DATETIME(3), tm TIME(6), j JSON, uu UUID) ENGINE=InnoDB"""
PG_TABLE = """CREATE TABLE t (
    id integer PRIMARY KEY, i bigint, d numeric(12,3), f double precision, s varchar(50), c char(5), b bytea,
    dt date, ts timestamptz, dtm timestamp(3), tm time(6), j jsonb, uu uuid)"""


def pg_value(value):
    """A JSON-rendered value as jsonb_populate_record reads it: bytes as bytea text."""
    if isinstance(value, dict) and set(value) == {"$bytes"}:
        return "\\x" + value["$bytes"]
    return value


def apply_to_pg(pg, changes):
    with pg.cursor() as cur:
        for change in changes:
            if change["old_key"] is not None:
                cur.execute("DELETE FROM t USING jsonb_populate_record(NULL::t, %s::jsonb) k WHERE t.id = k.id",
                            (change["old_key"].decode(),))
            cur.execute("DELETE FROM t USING jsonb_populate_record(NULL::t, %s::jsonb) k WHERE t.id = k.id",
                        (change["key"].decode(),))
            if change["op"] in ("I", "U"):
                after = {k: pg_value(v) for k, v in json.loads(change["after"]).items()}
                cur.execute("INSERT INTO t SELECT * FROM jsonb_populate_record(NULL::t, %s::jsonb)", (json.dumps(after),))
    pg.commit()


def run(plugin_dir):
    work = tempfile.mkdtemp(prefix="fp-capture-pg-")
    os.chmod(work, 0o755)
    port = os.environ.get("CAPTURE_PG_PORT", "55471")
    subprocess.run([os.path.join(ROOT, "scripts", "pg_server.sh"), "start", work, port], check=True)
    try:
        pg = psycopg2.connect(host=work, port=port, user="postgres", dbname="postgres")
        with pg.cursor() as cur:
            cur.execute("CREATE EXTENSION fingerprint")
            cur.execute("SET TimeZone = 'UTC'")
            cur.execute(PG_TABLE)
        pg.commit()
        with Server(plugin_dir) as server:
            admin = server.connect()
            query(admin, "CREATE DATABASE src CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            query(admin, MARIADB_TABLE)
            enable_capture(server, "src.t")
            with admin.cursor() as cur:
                cur.execute("SET time_zone = '+02:00'")
                for statement in [
                    "INSERT INTO src.t (id) VALUES (1)",
                    "INSERT INTO src.t VALUES (2, -9000000000, -12.500, 0.1, 'Zoë 😀', 'ab  ', x'00ff', '2024-02-29', "
                    "'2024-06-01 12:00:00.25', '2024-06-01 12:00:00.125', '23:59:59.999999', "
                    "'{\"b\": [1, 2.50], \"a\": null}', '123E4567-E89B-12D3-A456-426614174000')",
                    "INSERT INTO src.t (id, s, f, j) VALUES (3, REPEAT('x', 50), -0.0, '[1e2, \"t\\\\there\"]')",
                    "UPDATE src.t SET s = 'changed', d = 1 WHERE id = 2",
                    "UPDATE src.t SET id = 10 WHERE id = 1",
                    "UPDATE src.t SET id = 0 WHERE id = 2",
                    "UPDATE src.t SET id = 2 WHERE id = 3",
                    "UPDATE src.t SET id = 3 WHERE id = 0",
                    "DELETE FROM src.t WHERE id = 10",
                    "INSERT INTO src.t (id, b) VALUES (4, x'')",
                ]:
                    cur.execute(statement)
            batches = 0
            while True:
                rows = call(admin, "CALL fingerprint.next_batch('pg', 3)")
                if not rows:
                    break
                apply_to_pg(pg, call(admin, "CALL fingerprint.batch_changes(%s)", (rows[0]["batch_id"],)))
                call(admin, "CALL fingerprint.finish_batch('pg', %s)", (rows[0]["batch_id"],))
                batches += 1
            mariadb_fp = table_fingerprint(admin, "src.t")
            with pg.cursor() as cur:
                cur.execute("SELECT table_fingerprint('public.t')")
                pg_fp = cur.fetchone()[0]
            print("%d batches\nmariadb    %s\npostgresql %s" % (batches, mariadb_fp, pg_fp))
            check(batches >= 3, "too few batches")
            check(mariadb_fp == pg_fp, "the PostgreSQL copy differs from the MariaDB source")
            admin.close()
        pg.close()
    finally:
        subprocess.run([os.path.join(ROOT, "scripts", "pg_server.sh"), "stop", work], check=False)
        subprocess.run(["rm", "-rf", work], check=False)
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1]))
