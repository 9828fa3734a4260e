#!/usr/bin/python3
"""PostgreSQL: upgrading a capturing install, and capture trust across sessions (issue 8).

Scenarios (one CTest each, see CMakeLists.txt):

  upgrade    CREATE EXTENSION fingerprint VERSION '1.0' (the shipped 1.0 script, run by
             the library now installed, as after a binary upgrade); capture on a table
             and on one whose name needs quotes; changes written; a consumer takes a
             batch and stays mid-batch; a session that already captured keeps writing
             across ALTER EXTENSION fingerprint UPDATE; then the consumer re-reads and
             finishes its batch and consumes the rest, more changes are captured, and the
             fingerprint advanced over every consumed change equals table_fingerprint.
             Nothing is lost or duplicated; 1.1's guarantees hold after the update.
  restore    pg_dump of a capturing database restored into another: the restored tables
             have new OIDs, so their writes are refused (never logged under a stale
             registration) until fingerprint.capture_reattach(); then capture goes on.
  sessions   a backend that cached a table's capture entry sees, at its next write,
             what other sessions committed: options changed by enable, a rename, a
             disable (a hand-made trigger left behind is then refused).
  race       enable and disable of one table racing each other (one waits for the
             other's table lock): the later one wins completely, never a registration
             that disagrees with the triggers.
  upgrade_trust
             1.0 -> 1.1 with a forged 1.0 trigger on a role's own table (arguments naming
             another table) and two tables 1.0 logged under one name: the forged trigger
             is reported and not migrated, the ambiguous name is reported with both
             tables; an update that cannot get its table locks within lock_timeout fails
             whole and succeeds when retried.

Usage: pg_upgrade_test.py SCENARIO [BUILT_MODULE]
"""
import subprocess
import sys
import threading
import time

import psycopg2

from checks import Failure, check
from pg_capture_test import EMPTY_FP, Cluster, check_installed

WEIRD = '"Mixed Case"."ta.ble"'


def fetch(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def one(conn, sql, args=None):
    return fetch(conn, sql, args)[0][0]


def expect_error(conn, sql, fragment):
    try:
        fetch(conn, sql)
    except psycopg2.Error as e:
        check(fragment in str(e), f"{sql}: unexpected error {e}")
        return
    raise Failure(f"{sql}: no error (expected '{fragment}')")


class Consumer:
    """Reads batches and keeps every change it has consumed (seq, op, old, new fingerprint)."""

    def __init__(self, conn, name):
        self.conn, self.name, self.changes = conn, name, []
        fetch(conn, "SELECT fingerprint.register_consumer(%s)", (name,))

    def take(self):
        batch = one(self.conn, "SELECT fingerprint.next_batch(%s)", (self.name,))
        if batch is None:
            return None, []
        rows = fetch(self.conn, "SELECT seq, op, old_fingerprint, new_fingerprint, table_name "
                                "FROM fingerprint.batch_changes(%s, %s)", (self.name, batch))
        return batch, rows

    def finish(self, batch, rows):
        check(one(self.conn, "SELECT fingerprint.finish_batch(%s, %s)", (self.name, batch)) is True,
              f"batch {batch} did not finish")
        self.changes += rows

    def drain(self):
        while True:
            batch, rows = self.take()
            if batch is None:
                return
            self.finish(batch, rows)

    def advanced(self, *table_names):
        mine = sorted(r for r in self.changes if r[4] in table_names)
        if not mine:
            return EMPTY_FP
        return one(self.conn, "SELECT fingerprint_advance(%s, op, o, n ORDER BY seq) "
                              "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS c(seq, op, o, n)",
                   (EMPTY_FP, [r[0] for r in mine], [r[1] for r in mine], [r[2] for r in mine],
                    [r[3] for r in mine]))


def write_round(conn, table, start, count):
    with conn.cursor() as cur:
        for i in range(start, start + count):
            cur.execute(f"INSERT INTO {table} VALUES (%s, %s, %s)", (i, f"row {i}", i * 1.5))
        cur.execute(f"UPDATE {table} SET name = name || ' updated' WHERE id %% 3 = 0 AND id >= %s", (start,))
        cur.execute(f"DELETE FROM {table} WHERE id %% 7 = 0 AND id >= %s", (start,))
    conn.commit()


def upgrade():
    cluster = Cluster()
    try:
        admin = cluster.connect("postgres")
        fetch(admin, "CREATE DATABASE src")
        admin.close()
        db = cluster.connect("src")
        fetch(db, "CREATE EXTENSION fingerprint VERSION '1.0'")
        check(one(db, "SELECT extversion FROM pg_extension WHERE extname = 'fingerprint'") == "1.0", "not 1.0")
        fetch(db, 'CREATE SCHEMA "Mixed Case"')
        for table in ("items", WEIRD):
            fetch(db, f"CREATE TABLE {table} (id int PRIMARY KEY, name text, price numeric(10,2))")
            fetch(db, "SELECT fingerprint_capture_enable(%s)", (table,))
        # Renamed while 1.0 captured it: 1.0 kept logging it under its old name.
        fetch(db, "CREATE TABLE old_name (id int PRIMARY KEY, name text, price numeric(10,2))")
        fetch(db, "SELECT fingerprint_capture_enable('old_name')")
        fetch(db, "ALTER TABLE old_name RENAME TO new_name")
        consumer = Consumer(db, "migration")

        writer = cluster.connect("src", autocommit=False)   # stays open across the update
        write_round(writer, "items", 1, 30)
        write_round(writer, WEIRD, 1, 10)
        write_round(writer, "new_name", 100, 3)
        check(one(db, "SELECT count(*) FROM fingerprint.change_log WHERE table_name = 'public.old_name'") > 0,
              "1.0 did not log the renamed table under its old name (the case this test covers)")
        batch, rows = consumer.take()
        check(batch == 1 and len(rows) > 0, f"first batch {batch} with {len(rows)} rows")
        # Mid-batch: more writes from the session that already captured under 1.0 SQL.
        write_round(writer, "items", 31, 10)
        logged_before = one(db, "SELECT count(*) FROM fingerprint.change_log")

        fetch(db, "ALTER EXTENSION fingerprint UPDATE")
        check(one(db, "SELECT fingerprint.version()") == "1.7", "fingerprint.version() is not 1.7")
        check(one(db, "SELECT count(*) FROM fingerprint.change_log") == logged_before,
              "the update changed the number of log rows")
        check(one(db, "SELECT count(*) FROM fingerprint.consumers WHERE consumer = 'migration' AND batch_id = 1") == 1,
              "the consumer lost its open batch")
        # Registrations kept their versions and moved to the quoted name.
        regs = fetch(db, "SELECT table_name, schema_version, enabled, column_signature IS NOT NULL "
                         "FROM fingerprint.capture_tables ORDER BY 1, 2")
        print("registrations after the update:", regs)
        check(('"Mixed Case"."ta.ble"', 1, True, True) in regs and ("public.items", 1, True, True) in regs,
              f"registrations after the update: {regs}")
        check(one(db, "SELECT count(*) FROM fingerprint.change_log WHERE table_name = 'Mixed Case.ta.ble'") == 0,
              "1.0's unquoted name is still in the log")
        check(one(db, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'fingerprint_capture%' AND tgnargs > 0") == 0,
              "1.0 triggers with arguments are left")

        check(("public.new_name", 1, True, True) in regs, f"the table renamed under 1.0: {regs}")
        # The consumer re-reads its open batch (same rows) and finishes it.
        again = fetch(db, "SELECT seq, op, old_fingerprint, new_fingerprint, table_name "
                          "FROM fingerprint.batch_changes('migration', 1)")
        # Same changes; only names that need quotes read differently (now quoted).
        check([r[:4] for r in again] == [r[:4] for r in rows], "the open batch reads differently after the update")
        check({r[4] for r in again} == {"public.items", WEIRD, "public.old_name"}, f"names in the open batch: {({r[4] for r in again})}")
        consumer.finish(batch, again)
        # The session that wrote under 1.0 keeps writing, now through 1.1's trigger.
        write_round(writer, "items", 41, 20)
        write_round(writer, WEIRD, 11, 10)
        write_round(writer, "new_name", 1, 5)
        check(one(db, "SELECT count(*) FROM fingerprint.change_log WHERE table_name = 'public.new_name'") > 0,
              "the table renamed under 1.0 is not logged under its name after the update")
        fresh = cluster.connect("src", autocommit=False)
        write_round(fresh, "items", 61, 10)
        consumer.drain()

        total = one(db, "SELECT count(*) FROM fingerprint.change_log")
        check(len(consumer.changes) == total, f"consumed {len(consumer.changes)} of {total} changes")
        check(len({r[0] for r in consumer.changes}) == total, "a change was consumed twice")
        for table, names in (("items", ["public.items"]), (WEIRD, [WEIRD]),
                             ("new_name", ["public.old_name", "public.new_name"])):
            full = one(db, "SELECT table_fingerprint(%s)", (table,))
            advanced = consumer.advanced(*names)
            print(f"{table}: table_fingerprint {full}, advanced {advanced}")
            check(advanced == full, f"{table}: the advanced fingerprint differs from table_fingerprint")

        # 1.1's guarantees hold on the updated install.
        fetch(db, "CREATE TABLE forged (id int PRIMARY KEY, name text, price numeric(10,2))")
        fetch(db, "CREATE TRIGGER fingerprint_capture AFTER INSERT ON forged FOR EACH ROW EXECUTE FUNCTION "
                  "fingerprint.capture_trigger('public.items', '1', 'false', 'false', '1', 'id', "
                  "'23:-1:id', '25:-1:name', '1700:655366:price')")
        expect_error(db, "INSERT INTO forged VALUES (1, 'x', 1)", "not registered for change capture")
        fetch(db, "ALTER TABLE items RENAME TO items_renamed")
        write_round(writer, "items_renamed", 71, 5)
        check(one(db, "SELECT count(*) FROM fingerprint.change_log WHERE table_name = 'public.items_renamed'") > 0,
              "the renamed table is not captured under its new name")
        writer.close()
        fresh.close()
    finally:
        cluster.stop()


def sessions():
    cluster = Cluster()
    try:
        db = cluster.connect("postgres")
        fetch(db, "CREATE EXTENSION fingerprint")
        fetch(db, "CREATE TABLE t (id int PRIMARY KEY, v text)")
        fetch(db, "SELECT fingerprint_capture_enable('t')")
        other = cluster.connect("postgres")
        fetch(other, "INSERT INTO t VALUES (1, 'cached')")     # other caches the entry
        fetch(db, "SELECT fingerprint_capture_enable('t', old_images => true)")
        fetch(other, "DELETE FROM t WHERE id = 1")
        check(one(db, "SELECT old_image IS NOT NULL FROM fingerprint.change_log WHERE op = 'D'") is True,
              "a cached entry kept old_images = false after enable changed it")
        fetch(db, "ALTER TABLE t RENAME TO t2")
        fetch(other, "INSERT INTO t2 VALUES (2, 'renamed')")
        check(one(db, "SELECT table_name FROM fingerprint.change_log ORDER BY seq DESC LIMIT 1") == "public.t2",
              "a cached entry logged under the old name")
        fetch(db, "SELECT fingerprint_capture_disable('t2')")
        fetch(db, "CREATE TRIGGER fingerprint_capture AFTER INSERT ON t2 FOR EACH ROW "
                  "EXECUTE FUNCTION fingerprint.capture_trigger()")
        logged = one(db, "SELECT count(*) FROM fingerprint.change_log")
        expect_error(other, "INSERT INTO t2 VALUES (3, 'after disable')", "not registered for change capture")
        check(one(db, "SELECT count(*) FROM fingerprint.change_log") == logged, "logged after disable")
        other.close()
    finally:
        cluster.stop()


def restore():
    cluster = Cluster()
    try:
        admin = cluster.connect("postgres")
        fetch(admin, "CREATE DATABASE d1")
        fetch(admin, "CREATE DATABASE d2")
        d1 = cluster.connect("d1")
        fetch(d1, "CREATE EXTENSION fingerprint")
        fetch(d1, 'CREATE TABLE "Odd.name" (id int PRIMARY KEY, v text)')
        fetch(d1, """SELECT fingerprint_capture_enable('"Odd.name"')""")
        fetch(d1, """INSERT INTO "Odd.name" VALUES (1, 'before the dump')""")
        d1.close()
        bindir = subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True, text=True).stdout.strip()
        conn = ["-h", cluster.dir, "-p", str(cluster.port), "-U", "postgres"]
        dump = subprocess.run([f"{bindir}/pg_dump", *conn, "d1"], check=True, capture_output=True, text=True).stdout
        subprocess.run([f"{bindir}/psql", "-X", "-q", *conn, "d2"], input=dump, text=True, capture_output=True)
        d2 = cluster.connect("d2")
        logged = one(d2, "SELECT count(*) FROM fingerprint.change_log")
        expect_error(d2, """INSERT INTO "Odd.name" VALUES (2, 'restored')""", "not registered for change capture")
        check(one(d2, "SELECT count(*) FROM fingerprint.change_log") == logged, "logged under a stale registration")
        check(fetch(d2, "SELECT fingerprint.capture_reattach()::text") == [('"Odd.name"',)], "capture_reattach")
        check(fetch(d2, "SELECT fingerprint.capture_reattach()") == [], "capture_reattach is not idempotent")
        fetch(d2, """INSERT INTO "Odd.name" VALUES (2, 'restored')""")
        check(one(d2, "SELECT table_name FROM fingerprint.change_log ORDER BY seq DESC LIMIT 1") == 'public."Odd.name"',
              "not captured after capture_reattach")
        d2.close()
    finally:
        cluster.stop()


def wait_for_lock_wait(db, conn, what):
    pid = conn.get_backend_pid()
    for _ in range(200):
        if one(db, "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", (pid,)):
            return
        time.sleep(0.05)
    raise Failure(f"{what} never waited for a lock")


class Call(threading.Thread):
    """Runs one statement on its own connection and keeps the result or the error."""

    def __init__(self, conn, sql):
        super().__init__(daemon=True)
        self.conn, self.sql, self.result, self.error = conn, sql, None, None
        self.start()

    def run(self):
        try:
            self.result = fetch(self.conn, self.sql)
        except psycopg2.Error as e:
            self.error = e

    def value(self):
        self.join(30)
        check(not self.is_alive(), f"{self.sql} did not finish")
        if self.error is not None:
            raise Failure(f"{self.sql}: {self.error}")
        return self.result[0][0] if self.result else None


def race():
    cluster = Cluster()
    try:
        db = cluster.connect("postgres")
        fetch(db, "CREATE EXTENSION fingerprint")
        fetch(db, "CREATE TABLE cc (id int PRIMARY KEY, v text)")

        def state():
            return (one(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'cc'::regclass"),
                    one(db, "SELECT count(*) FROM fingerprint.capture_tables WHERE relid = 'cc'::regclass AND enabled"))

        # The tester's sequence: enable open; a holder of SHARE on the registry queued
        # behind it; disable called meanwhile. Disable must wait for enable's table lock
        # and then undo it completely.
        e = cluster.connect("postgres", autocommit=False)
        x = cluster.connect("postgres", autocommit=False)
        d = cluster.connect("postgres")
        fetch(e, "SELECT fingerprint_capture_enable('cc')")
        holder = Call(x, "LOCK TABLE fingerprint.capture_tables IN SHARE MODE")
        wait_for_lock_wait(db, x, "the registry lock holder")
        disable = Call(d, "SELECT fingerprint_capture_disable('cc')")
        wait_for_lock_wait(db, d, "disable")
        e.commit()
        holder.value()
        x.commit()
        check(disable.value() is True, "disable did not see the triggers enable committed")
        check(state() == (0, 0), f"after enable then disable: triggers and enabled registrations {state()}")
        logged = one(db, "SELECT count(*) FROM fingerprint.change_log")
        fetch(db, "INSERT INTO cc VALUES (1, 'not captured')")
        check(one(db, "SELECT count(*) FROM fingerprint.change_log") == logged, "logged after disable")

        # The other way round: disable open, enable waits, then wins.
        fetch(db, "SELECT fingerprint_capture_enable('cc')")
        fetch(d, "BEGIN")
        fetch(d, "SELECT fingerprint_capture_disable('cc')")
        enable = Call(e, "SELECT fingerprint_capture_enable('cc')")
        wait_for_lock_wait(db, e, "enable")
        fetch(d, "COMMIT")
        enable.value()
        e.commit()
        check(state() == (2, 1), f"after disable then enable: triggers and enabled registrations {state()}")
        fetch(db, "INSERT INTO cc VALUES (2, 'captured')")
        check(one(db, "SELECT count(*) FROM fingerprint.change_log") == logged + 1, "not captured after enable")
        for conn in (e, x, d):
            conn.close()
    finally:
        cluster.stop()


def upgrade_trust():
    cluster = Cluster()
    try:
        db = cluster.connect("postgres")
        fetch(db, "CREATE EXTENSION fingerprint VERSION '1.0'")
        fetch(db, "CREATE TABLE plain (id int PRIMARY KEY, name text, price numeric(10,2))")
        fetch(db, "SELECT fingerprint_capture_enable('plain')")
        # A role that owns a table and may use schema fingerprint forges a 1.0 trigger.
        fetch(db, "CREATE ROLE mallory LOGIN")
        fetch(db, "CREATE SCHEMA m AUTHORIZATION mallory")
        fetch(db, "GRANT USAGE ON SCHEMA fingerprint TO mallory")
        fetch(db, "SET ROLE mallory")
        fetch(db, "CREATE TABLE m.mine (id int PRIMARY KEY, name text, price numeric(10,2))")
        fetch(db, "CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON m.mine FOR EACH ROW "
                  "EXECUTE FUNCTION fingerprint.capture_trigger('public.plain', '1', 'false', 'false', '1', 'id', "
                  "'23:-1:id', '25:-1:name', '1700:655366:price')")
        fetch(db, "RESET ROLE")
        # Two tables 1.0 logs under one name, a.b.c.
        fetch(db, 'CREATE SCHEMA "a.b"')
        fetch(db, "CREATE SCHEMA a")
        fetch(db, 'CREATE TABLE "a.b".c (id int PRIMARY KEY, v text)')
        fetch(db, 'CREATE TABLE a."b.c" (id int PRIMARY KEY, v text)')
        fetch(db, "SELECT fingerprint_capture_enable('\"a.b\".c')")
        fetch(db, "SELECT fingerprint_capture_enable('a.\"b.c\"')")
        fetch(db, "INSERT INTO \"a.b\".c VALUES (1, 'x')")
        fetch(db, "INSERT INTO a.\"b.c\" VALUES (1, 'y')")
        check(one(db, "SELECT count(DISTINCT table_name) FROM fingerprint.change_log WHERE table_name = 'a.b.c'") == 1,
              "1.0 did not log both tables under a.b.c (the case this test covers)")

        # A registered table renamed away (the 1.0 event trigger off), and a table of
        # mallory's under the old name with a forged trigger naming it: the name alone
        # vouches for nothing while the registered relation still exists.
        fetch(db, "CREATE SCHEMA s7")
        fetch(db, "GRANT USAGE, CREATE ON SCHEMA s7 TO mallory")
        fetch(db, "CREATE TABLE s7.r7 (id int PRIMARY KEY, v text)")
        fetch(db, "SELECT fingerprint_capture_enable('s7.r7')")
        fetch(db, "ALTER EVENT TRIGGER fingerprint_capture_after_alter DISABLE")
        fetch(db, "ALTER TABLE s7.r7 RENAME TO r7_moved")
        fetch(db, "ALTER EVENT TRIGGER fingerprint_capture_after_alter ENABLE")
        fetch(db, "SET ROLE mallory")
        fetch(db, "CREATE TABLE s7.r7 (id int PRIMARY KEY, v text)")
        fetch(db, "CREATE TRIGGER fingerprint_capture AFTER INSERT OR UPDATE OR DELETE ON s7.r7 FOR EACH ROW "
                  "EXECUTE FUNCTION fingerprint.capture_trigger('s7.r7', '1', 'false', 'false', '1', 'id', "
                  "'23:-1:id', '25:-1:v')")
        fetch(db, "RESET ROLE")

        # A writer holds a captured table: the update cannot take its locks and fails whole.
        writer = cluster.connect("postgres", autocommit=False)
        fetch(writer, "INSERT INTO plain VALUES (1, 'held', 1)")
        fetch(db, "SET lock_timeout = '500ms'")
        expect_error(db, "ALTER EXTENSION fingerprint UPDATE", "lock timeout")
        check(one(db, "SELECT extversion FROM pg_extension WHERE extname = 'fingerprint'") == "1.0",
              "a failed update left a partial install")
        writer.commit()
        del db.notices[:]
        fetch(db, "ALTER EXTENSION fingerprint UPDATE")       # the retry
        fetch(db, "RESET lock_timeout")
        notices = "".join(db.notices)
        print(notices)
        check('trigger "fingerprint_capture" on table m.mine was not made by fingerprint_capture_enable' in notices,
              "no warning names the forged trigger and its table")
        check('under one name, a.b.c' in notices and '"a.b".c' in notices and 'a."b.c"' in notices,
              "no warning names the ambiguous name and both tables")
        check(one(db, "SELECT count(*) FROM fingerprint.capture_tables WHERE relid = 'm.mine'::regclass") == 0,
              "the forged trigger became a registration")
        check(fetch(db, "SELECT tgname, tgenabled, tgnargs FROM pg_trigger WHERE tgrelid = 'm.mine'::regclass")
              == [("fingerprint_capture", "O", 9)], "the forged trigger was changed")
        check('trigger "fingerprint_capture" on table s7.r7 was not made by fingerprint_capture_enable' in notices,
              "no warning names the forged trigger on the table that took a renamed table's name")
        check(one(db, "SELECT count(*) FROM fingerprint.capture_tables WHERE relid = 's7.r7'::regclass") == 0,
              "a forged trigger on a table that took a registered table's old name became a registration")
        check(one(db, "SELECT table_name FROM fingerprint.capture_tables "
                      "WHERE relid = 's7.r7_moved'::regclass AND enabled") == "s7.r7_moved",
              "the renamed registered table was not moved to 1.1 under its new name")
        logged = one(db, "SELECT count(*) FROM fingerprint.change_log")
        expect_error(db, "INSERT INTO s7.r7 VALUES (1, 'forged')", "not registered for change capture")
        expect_error(db, "INSERT INTO m.mine VALUES (1, 'forged', 1)", "not registered for change capture")
        check(one(db, "SELECT count(*) FROM fingerprint.change_log") == logged, "the forged trigger logged a row")
        check(fetch(db, "SELECT tgname, tgenabled, tgnargs FROM pg_trigger WHERE tgrelid = 'plain'::regclass "
                        "ORDER BY 1") == [("fingerprint_capture", "A", 0), ("fingerprint_capture_truncate", "A", 0)],
              "the real table's triggers were not moved to 1.1")
        fetch(db, "INSERT INTO plain VALUES (2, 'real', 2)")
        fetch(db, "INSERT INTO \"a.b\".c VALUES (2, 'x')")
        fetch(db, "INSERT INTO a.\"b.c\" VALUES (2, 'y')")
        names = [r[0] for r in fetch(db, "SELECT table_name FROM fingerprint.change_log ORDER BY seq DESC LIMIT 3")]
        check(names == ['a."b.c"', '"a.b".c', "public.plain"], f"names logged after the update: {names}")
        writer.close()
    finally:
        cluster.stop()


def main(argv):
    scenario = argv[1] if len(argv) > 1 else "upgrade"
    if len(argv) > 2:
        try:
            check_installed(argv[2])
        except (Failure, OSError) as e:
            print(f"FAILED: {e}", file=sys.stderr)
            return 1
    started = time.time()
    try:
        {"upgrade": upgrade, "restore": restore, "sessions": sessions, "race": race,
         "upgrade_trust": upgrade_trust}[scenario]()
    except Failure as e:
        print(f"FAILED ({scenario}): {e}", file=sys.stderr)
        return 1
    print(f"ok: {scenario} in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
