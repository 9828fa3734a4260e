#!/usr/bin/python3
"""MariaDB capture of tables whose names hold a quote, a backslash, a double quote, a
backtick, a dot or an accent (docs/capture.md, "Table names").

    mariadb_names.py PLUGIN_DIR

Up to 1.4 the capture triggers spelled the registration ('db.tbl') with QUOTE(), which the
server shows again in information_schema.TRIGGERS re-escaped ('q\\'t' as 'q''t'), so
next_batch found no capture trigger of such a table and refused; and under sql_mode
NO_BACKSLASH_ESCAPES the generated DDL did not even parse. Here:

- current release: every name is enabled three ways (capture_apply; the DDL of
  capture_ddl_with run by a client in the usual sql_mode; and by a client with
  NO_BACKSLASH_ESCAPES), written to from sessions in both modes (an update that changes
  nothing logs nothing), every log row names its table exactly, next_batch_per_table and
  next_batch hand the changes out (consumer sessions in both modes), the replayed copies
  equal the sources, capture_check is ok, and disable drops the triggers;
- upgrade: the same names enabled by 1.4's install.sql (tests/mysql/upgrade), written to,
  then the current install.sql loaded: the 1.4 triggers are still recognised (next_batch
  goes on, capture_check ok), and enabling again replaces them.
"""

import os
import subprocess
import sys

from mariadb_common import INSTALL_SQL, ROOT, Replayer, Server, call, check, main_guard, query, quote, table_fingerprint

NAMES = ("q'uo\"te", "b\\sl", "x\\'y", "back`tick", "d.ot", "caf\u00e9", "end\\")
BACKSLASH_ESCAPES_OFF = "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"


class OldServer(Server):
    """A Server with 1.4's install.sql as released instead of the current one."""

    def __enter__(self):
        subprocess.run([os.path.join(ROOT, "scripts", "mariadb_server.sh"), "start", self.dir, self.plugin_dir],
                       check=True)
        self.load(os.path.join(ROOT, "tests", "mysql", "upgrade", "install-1.4.sql"))
        return self

    def load(self, path):
        with open(path, "rb") as script:
            subprocess.run(self.client_args(), stdin=script, check=True, stdout=subprocess.DEVNULL)


def enable_by_client(conn, table, no_backslash_escapes):
    """Runs the statements of capture_ddl_with one per query, as a client does."""
    if no_backslash_escapes:
        query(conn, BACKSLASH_ESCAPES_OFF)
    statements = [row["statement"] for row in
                  call(conn, "CALL fingerprint.capture_ddl_with(%s, 'enable', NULL, FALSE)", (table,))]
    check(len(statements) == 4, "%s: %d statements" % (table, len(statements)))
    for statement in statements:
        with conn.cursor() as cur:
            cur.execute(statement)  # no arguments: sent exactly as printed
            while cur.nextset():
                pass
    query(conn, "SET SESSION sql_mode = DEFAULT")


def write(conn, table, base, no_backslash_escapes):
    """Three inserts, an update that changes a row, one that changes nothing, a delete."""
    if no_backslash_escapes:
        query(conn, BACKSLASH_ESCAPES_OFF)
    target = quote(table.split(".", 1)[0]) + "." + quote(table.split(".", 1)[1])
    for i in range(3):
        query(conn, "INSERT INTO " + target + " VALUES (%s, %s)", (base + i, "v'\\%d" % i))
    query(conn, "UPDATE " + target + " SET v = CONCAT(v, 'x') WHERE id = %s", (base,))
    query(conn, "UPDATE " + target + " SET v = v WHERE id = %s", (base + 1,))
    query(conn, "DELETE FROM " + target + " WHERE id = %s", (base + 2,))
    query(conn, "SET SESSION sql_mode = DEFAULT")


def logged(conn, table):
    return query(conn, "SELECT op FROM fingerprint.change_log WHERE BINARY table_name = BINARY %s ORDER BY seq",
                 (table,))


def make_tables(admin, dbs):
    for db in dbs:
        query(admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % quote(db))
        for name in NAMES:
            query(admin, "CREATE TABLE %s.%s (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB"
                  % (quote(db), quote(name)))


class CopyReplayer(Replayer):
    """Replays the changes of db.tbl into copy_db.tbl."""

    def apply_change(self, cur, change):
        self.target_db = "copy_" + change["table_name"].split(".", 1)[0]
        super().apply_change(cur, change)


def consume(server, dbs, no_backslash_escapes):
    """Drains the log (consumer 'names') into the copies; each copy then equals its source."""
    replayer = CopyReplayer(server, "names", "copy_" + dbs[0], batch_size=7)
    if no_backslash_escapes:
        query(replayer.source, BACKSLASH_ESCAPES_OFF)
    replayer.drain()
    replayer.close()
    conn = server.connect()
    for db in dbs:
        for name in NAMES:
            source = table_fingerprint(conn, db + "." + name)
            check(table_fingerprint(conn, "copy_" + db + "." + name) == source,
                  "the copy of %s.%s differs from the source" % (db, name))
    conn.close()


def current(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        ways = {"by_apply": None, "by_client": False, "by_client_nbe": True}
        make_tables(admin, list(ways) + ["copy_" + db for db in ways])
        for db, nbe in ways.items():
            for name in NAMES:
                table = db + "." + name
                if nbe is None:
                    status = call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", (table,))[0]["status"]
                    check(status == "capture enabled", "%s: %s" % (table, status))
                else:
                    enable_by_client(admin, table, nbe)
                bodies = query(admin, "SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS "
                                      "WHERE BINARY EVENT_OBJECT_SCHEMA = BINARY %s "
                                      "AND BINARY EVENT_OBJECT_TABLE = BINARY %s", (db, name))
                check(len(bodies) == 3, "%s has %d triggers" % (table, len(bodies)))
        for db, nbe in ways.items():
            for name in NAMES:
                table = db + "." + name
                write(admin, table, 10, nbe)
                write(admin, table, 20, not nbe)
                ops = [row[0] for row in logged(admin, table)]
                check(ops == ["I", "I", "I", "U", "D"] * 2, "%s logged %s" % (table, ops))
        stray = query(admin, "SELECT DISTINCT table_name FROM fingerprint.change_log WHERE table_name NOT IN "
                             "(SELECT table_name FROM fingerprint.capture_state)")
        check(not stray, "log rows under names nobody registered: %s" % stray)
        # The consumer per table (the call that refused), then whole batches, in both modes.
        consumer = server.connect()
        query(consumer, BACKSLASH_ESCAPES_OFF)
        # (the open batch is handed out again to the replayer, the same consumer)
        rows = call(consumer, "CALL fingerprint.next_batch_per_table('names', 1000)")
        check(rows and rows[0]["refused"] is None and rows[0]["changes"] == 3 * len(NAMES) * 10,
              "next_batch_per_table: %s" % rows)
        consumer.close()
        for db, nbe in ways.items():
            write(admin, db + "." + NAMES[0], 30, bool(nbe))
        consume(server, list(ways), True)
        for db in ways:
            for name in NAMES:
                status = call(admin, "CALL fingerprint.capture_check(%s)", (db + "." + name,))[0]["status"]
                check(status == "ok", "capture_check of %s.%s: %s" % (db, name, status))
        for name in NAMES:
            call(admin, "CALL fingerprint.capture_apply(%s, 'disable')", ("by_client_nbe." + name,))
        left = query(admin, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'by_client_nbe'")
        check(left[0][0] == 0, "disable left %d triggers" % left[0][0])
        print("ok   %d names enabled 3 ways, written and consumed in both sql_modes" % len(NAMES))


def upgraded(plugin_dir):
    with OldServer(plugin_dir) as server:
        admin = server.connect()
        make_tables(admin, ["src", "copy_src"])
        for name in NAMES:
            status = call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", ("src." + name,))[0]["status"]
            check(status == "capture enabled", "1.4 enable of %s: %s" % (name, status))
            write(admin, "src." + name, 10, False)
        before = query(admin, "SELECT seq, table_name FROM fingerprint.change_log ORDER BY seq")
        server.load(INSTALL_SQL)
        check(query(admin, "SELECT seq, table_name FROM fingerprint.change_log ORDER BY seq") == before,
              "the upgrade changed the log")
        for name in NAMES:
            write(admin, "src." + name, 20, False)  # by the 1.4 triggers
            status = call(admin, "CALL fingerprint.capture_check(%s)", ("src." + name,))[0]["status"]
            check(status == "ok", "capture_check of src.%s under the 1.4 triggers: %s" % (name, status))
        consume(server, ["src"], False)
        for name in NAMES:
            status = call(admin, "CALL fingerprint.capture_apply(%s, 'enable')", ("src." + name,))[0]["status"]
            check(status == "capture enabled", "re-enable of %s: %s" % (name, status))
            count = query(admin, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'src' "
                                 "AND BINARY EVENT_OBJECT_TABLE = BINARY %s", (name,))[0][0]
            check(count == 3, "src.%s has %d triggers after re-enabling" % (name, count))
            write(admin, "src." + name, 30, True)
        consume(server, ["src"], True)
        print("ok   1.4's triggers of the same names recognised after the upgrade, then replaced")


def run(plugin_dir):
    current(plugin_dir)
    upgraded(plugin_dir)
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) == 2:
        main_guard(lambda: run(sys.argv[1]))
    else:
        print(__doc__)
        sys.exit(2)
