"""Upgrading a MariaDB install of fingerprint 1.0, 1.1, 1.2, 1.3, 1.4, 1.5 or 1.6 in place keeps the change log and
the consumer's position (issue 8, class 10; docs/upgrading.md).

The old release's install.sql as released (tests/mysql/upgrade/install-1.0.sql or
install-1.1.sql, install-1.2.sql, install-1.3.sql, install-1.4.sql, install-1.5.sql or install-1.6.sql, never edited) is loaded into a server whose plugin dir holds the current
fingerprint_udf.so (which must still serve every UDF the old release registers). Capture
is enabled on a table and on a table with a 60-character name (1.0 gave its triggers the
names that could collide), changes are written, a consumer takes a batch and stops
mid-consumption, more changes are written. Then the current, assembled install.sql is
loaded (twice: the second run must change nothing), and:

- fingerprint.version() is the release; the log, registrations and the open batch are kept,
  and the log's virtual columns (read at byte offsets before 1.2, by
  fingerprint_capture_part since) give every logged row the same images and fingerprints;
- the consumer finishes its open batch and drains the log into a copy, which equals the
  source; more changes are captured by the 1.0 triggers and then by re-enabled ones;
- the incremental fingerprint (the log-adjusted fingerprint advanced over the log with
  fingerprint_advance) equals table_fingerprint at every step (also via capture_check);
- from 1.0: re-enabling keeps 1.0's trigger names (never two triggers that both log), and
  disable drops exactly the table's three triggers; a table named like 1.0's shortened
  trigger names is refused, then captured beside the long one once that is re-enabled.

    /usr/bin/python3 tests/capture/mariadb_upgrade.py PLUGIN_DIR [1.0|1.1|1.2|1.3|1.4|1.5|1.6]
"""

import hashlib
import os
import subprocess
import sys

import pymysql

from mariadb_common import INSTALL_SQL, ROOT, Replayer, Server, call, check, main_guard, query, table_fingerprint

RELEASES = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")
INSTALL = INSTALL_SQL
LONG = "l" * 60
# The plain trigger names of this 58-character table are the names 1.0 gave LONG's.
COLLIDING = "l" * 49 + "_" + hashlib.md5(LONG.encode()).hexdigest()[:8]
TABLES = ("src.t", "src." + LONG)


class OldServer(Server):
    """A Server with an old release's install.sql loaded instead of the current one."""

    def __init__(self, plugin_dir, release):
        super().__init__(plugin_dir)
        self.release = release

    def __enter__(self):
        subprocess.run([os.path.join(ROOT, "scripts", "mariadb_server.sh"), "start", self.dir, self.plugin_dir],
                       check=True)
        self.load(os.path.join(ROOT, "tests", "mysql", "upgrade", "install-%s.sql" % self.release))
        return self

    def load(self, path):
        with open(path, "rb") as script:
            subprocess.run(self.client_args(), stdin=script, check=True, stdout=subprocess.DEVNULL)


def quoted(table):
    schema, name = table.split(".", 1)
    return "`%s`.`%s`" % (schema, name)


def write(conn, start, count):
    for table in TABLES:
        for n in range(start, start + count):
            query(conn, "INSERT INTO " + quoted(table) + " VALUES (%s, %s, %s)", (n, "v%d" % n, '{"n": %d}' % n))
        query(conn, "UPDATE " + quoted(table) + " SET v = CONCAT(v, '+') WHERE id %% 3 = 0 AND id >= %s", (start,))
        query(conn, "DELETE FROM " + quoted(table) + " WHERE id %% 5 = 0 AND id >= %s", (start,))


def incremental_equals_table(conn, label):
    """fingerprint_advance of the log-adjusted fingerprint over the table's log rows must be
    table_fingerprint, computed here directly and by capture_check."""
    for table in TABLES:
        start = query(conn, "SELECT fingerprint FROM fingerprint.capture_state WHERE table_name = %s", (table,))[0][0]
        advanced = query(conn, "SELECT fingerprint_advance(%s, op, old_fingerprint, new_fingerprint) "
                               "FROM fingerprint.change_log WHERE table_name = %s", (start, table))[0][0] or start
        advanced = advanced.decode() if isinstance(advanced, bytes) else advanced
        actual = table_fingerprint(conn, table)
        check(advanced == actual, "%s: %s advanced over its log is %s, the table has %s"
              % (label, table, advanced, actual))
        rows = call(conn, "CALL fingerprint.capture_check(%s)", (table,))
        check(rows and rows[0]["status"] == "ok", "%s: capture_check(%s): %r" % (label, table, rows))
    print("ok   %s: incremental fingerprint equals table_fingerprint" % label)


def triggers(conn, table):
    schema, name = table.split(".", 1)
    return sorted(r[0] for r in query(conn, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE "
                                            "TRIGGER_SCHEMA = %s AND BINARY EVENT_OBJECT_TABLE = BINARY %s",
                                      (schema, name)))


def state(conn):
    return (query(conn, "SELECT seq, op, table_name, capture_new, capture_old, key_image, old_key_image, new_image, "
                        "old_image, old_fingerprint, new_fingerprint FROM fingerprint.change_log ORDER BY seq"),
            query(conn, "SELECT table_name, schema_version, column_names, key_columns FROM fingerprint.capture_tables "
                        "ORDER BY table_name, schema_version"),
            query(conn, "SELECT table_name, schema_version, enabled, fingerprint FROM fingerprint.capture_state "
                        "ORDER BY table_name"),
            query(conn, "SELECT batch_id, consumer, seqs, finished_at FROM fingerprint.capture_batches ORDER BY batch_id"))


def refuse_colliding(admin, old_long_triggers):
    """From 1.0: enabling the colliding table is refused naming the long table (whose 1.0 trigger
    names it would take), and its disable leaves the long table's triggers alone."""
    try:
        call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", ("src." + COLLIDING,))
        refused = None
    except pymysql.err.MySQLError as error:
        refused = error.args[1]
    check(refused is not None and "already exists on table src." + LONG in refused
          and "capture trigger from fingerprint 1.0" in refused,
          "enable of the colliding table: %r" % refused)
    call(admin, "CALL fingerprint.capture_apply(%s, 'disable')", ("src." + COLLIDING,))
    check(triggers(admin, "src." + LONG) == old_long_triggers,
          "disable of the colliding table touched %s's triggers: %r" % (LONG, triggers(admin, "src." + LONG)))
    print("ok   enable of %s refused (%s); its disable left the long table's triggers" % (COLLIDING, refused))


def run(plugin_dir, release):
    from_1_0 = release == "1.0"
    with OldServer(plugin_dir, release) as server:
        admin = server.connect()
        if from_1_0:
            check(not query(admin, "SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'fingerprint' "
                                   "AND ROUTINE_NAME = 'version'"), "1.0 has no fingerprint.version()")
        else:
            old_version = query(admin, "SELECT fingerprint.version()")[0][0]
            check(old_version == release, "the old install says fingerprint.version() %r" % old_version)
        for db in ("src", "dst"):
            query(admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % db)
            for table in TABLES:
                name = table.split(".", 1)[1]
                query(admin, "CREATE TABLE %s.`%s` (id INT PRIMARY KEY, v VARCHAR(20), j JSON)" % (db, name))
        for table in TABLES:
            call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", (table,))
        old_long_triggers = triggers(admin, "src." + LONG)
        check(len(old_long_triggers) == 3 and all(t.startswith("fpc_" if from_1_0 else "fph_") for t in old_long_triggers),
              "%s triggers of the long table: %r" % (release, old_long_triggers))
        write(admin, 1, 30)
        # The consumer takes a batch and stops before applying it; more changes follow.
        batch = call(admin, "CALL fingerprint.next_batch('upgrader', 20)")[0]
        write(admin, 100, 10)
        incremental_equals_table(admin, "1.0")
        before = state(admin)
        # A UDF registered with another signature (as a release that changed it would find
        # it) must be registered again, not kept by CREATE FUNCTION IF NOT EXISTS.
        query(admin, "DROP FUNCTION fingerprint_bucket_of")
        query(admin, "CREATE FUNCTION fingerprint_bucket_of RETURNS REAL SONAME 'fingerprint_udf.so'")

        server.load(INSTALL)
        after_once = state(admin)
        server.load(INSTALL)
        check(state(admin) == after_once, "loading install.sql a second time changed the capture state")
        check(after_once == before, "the upgrade changed the log, registrations, state or batches")
        version = query(admin, "SELECT fingerprint.version()")[0][0]
        check(version == "1.7", "fingerprint.version() is %r" % version)
        udfs = query(admin, "SELECT COUNT(*) FROM mysql.func WHERE dl = 'fingerprint_udf.so'")[0][0]
        check(udfs == 12, "%d UDFs registered after the upgrade" % udfs)
        expressions = query(admin, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                                   "'fingerprint' AND TABLE_NAME = 'change_log' AND IS_GENERATED = 'ALWAYS' AND "
                                   "GENERATION_EXPRESSION NOT LIKE '%%fingerprint_capture_part%%'")
        check(not expressions, "virtual columns of the log still cut at byte offsets: %r" % (expressions,))
        # Up to 1.2 the key images were BLOB, which cut a whole-row key image past 64 KiB.
        short = query(admin, "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                             "'fingerprint' AND TABLE_NAME = 'change_log' AND COLUMN_NAME IN "
                             "('key_image', 'old_key_image', 'new_image', 'old_image') "
                             "AND DATA_TYPE <> 'longblob'")
        check(not short, "image columns of the log that are not LONGBLOB after the upgrade: %r" % (short,))
        ret = query(admin, "SELECT ret FROM mysql.func WHERE name = 'fingerprint_bucket_of'")[0][0]
        check(ret == 2, "fingerprint_bucket_of was not registered again as INTEGER (ret %r)" % ret)
        print("ok   upgraded %s to %s in place: log (%d changes, read alike by the new virtual columns), "
              "registrations and open batch %d kept" % (release, version, len(before[0]), batch["batch_id"]))
        incremental_equals_table(admin, "after the upgrade")

        # The collision of issue 8: a table named like 1.0's shortened trigger names of
        # LONG. enable refuses naming the other table; disable drops none of LONG's triggers.
        query(admin, "CREATE TABLE src.`%s` (id INT PRIMARY KEY, v VARCHAR(20), j JSON)" % COLLIDING)
        if from_1_0:
            refuse_colliding(admin, old_long_triggers)

        # The old release's triggers keep capturing; the consumer resumes its open batch.
        write(admin, 200, 10)
        replayer = Replayer(server, "upgrader", "dst", batch_size=25)
        resumed = call(admin, "CALL fingerprint.next_batch('upgrader', 25)")[0]
        check(resumed["batch_id"] == batch["batch_id"], "next_batch handed out %r, not the open batch %r"
              % (resumed, batch))
        replayer.drain()
        for table in TABLES:
            copy = "dst." + table.split(".", 1)[1]
            check(table_fingerprint(admin, table) == table_fingerprint(admin, copy), "%s and its copy differ" % table)
        print("ok   the open batch was finished after the upgrade; the copies equal the sources")
        incremental_equals_table(admin, "drained")

        # Re-enabling replaces the old triggers in place; capture goes on; disable drops them.
        for table in TABLES:
            call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", (table,))
        check(triggers(admin, "src." + LONG) == old_long_triggers,
              "re-enabling renamed the old release's triggers: %r" % triggers(admin, "src." + LONG))
        write(admin, 300, 10)
        incremental_equals_table(admin, "re-enabled")
        replayer.drain()
        for table in TABLES:
            copy = "dst." + table.split(".", 1)[1]
            check(table_fingerprint(admin, table) == table_fingerprint(admin, copy), "%s and its copy differ" % table)
        replayer.close()
        for table in TABLES:
            call(admin, "CALL fingerprint.capture_apply(%s, 'disable')", (table,))
            check(triggers(admin, table) == [], "%s still has triggers %r" % (table, triggers(admin, table)))
        print("ok   re-enabled with the old release's trigger names, consumed, disabled")

        # Enabled again after the disable, the long table gets 1.1's names, and the
        # colliding table can be captured beside it.
        for table in ("src." + LONG, "src." + COLLIDING):
            call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", (table,))
        new_names = triggers(admin, "src." + LONG)
        check(len(new_names) == 3 and all(t.startswith("fph_") for t in new_names), "long table: %r" % new_names)
        check(len(triggers(admin, "src." + COLLIDING)) == 3, "colliding table: %r" % triggers(admin, "src." + COLLIDING))
        for table in ("src." + LONG, "src." + COLLIDING):
            call(admin, "CALL fingerprint.capture_apply(%s, 'disable')", (table,))
            check(triggers(admin, table) == [], "%s still has triggers %r" % (table, triggers(admin, table)))
        print("ok   enabled again: the long table's triggers renamed %s..., the colliding table captured beside it"
              % new_names[0][:12])
        admin.close()
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] not in RELEASES):
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "1.0"))
