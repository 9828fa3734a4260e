#!/usr/bin/python3
"""`fingerprint copy` from a PostgreSQL source while a statement that needs a table's
ACCESS EXCLUSIVE lock (TRUNCATE, ALTER TABLE) is issued during the copy
(docs/copy.md "One snapshot, writers never blocked"): items (400,000 rows) and zz_later
(60,000) are copied in that order, and the statement on zz_later is issued while items
is read, before any session of the copy has read zz_later.

    copy_lock_test.py SCENARIO CLI PLUGIN_DIR

SCENARIO: truncate_one (one worker, one chunk: the source fingerprint is taken by a
second session in the snapshot beside the load), truncate_jobs (3 workers, chunks of
50,000 rows shared between them), alter_jobs (the same with ALTER TABLE ... ADD COLUMN).
The statement is issued once a session of the copy is seen reading items; the copy must
end proven (exit 0, both target tables' table_fingerprint equal to the source's before
the statement), and the statement must go through only as the copy ends. Before the
fix, the session reading zz_later (or the fingerprint session beside it) queued behind
the statement, which waited for the other: both waited until the statement's
lock_timeout (60 s here), which failed it.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "migrate"))

from migrate_common import PG_TABLE, Servers, check, execute, initial_rows, main_guard, table_fingerprint  # noqa: E402

ROWS = 400000
LATER_ROWS = 60000  # over 50,000: copied with the fingerprint session beside the load
TABLES = ("items", "zz_later")  # copied in this order: the statement is on the second
SCENARIOS = {
    "truncate_one": ("TRUNCATE zz_later", []),
    "truncate_jobs": ("TRUNCATE zz_later", ["--jobs", "3", "--chunk-rows", "50000"]),
    "alter_jobs": ("ALTER TABLE zz_later ADD COLUMN added integer", ["--jobs", "3", "--chunk-rows", "50000"]),
}


def copy_reading(watcher):
    return bool(execute(watcher, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'fingerprint copy'"
                                 " AND query LIKE %s", ("COPY (SELECT%",)))


def run(scenario, cli, plugin_dir):
    statement, options = SCENARIOS[scenario]
    with Servers(plugin_dir) as servers:
        src = servers.create_database("pg", "src")
        servers.create_database("my", "tgt")
        execute(src, PG_TABLE)
        initial_rows("pg", src, ROWS)
        execute(src, "CREATE TABLE zz_later (LIKE items INCLUDING ALL)")
        execute(src, "INSERT INTO zz_later SELECT * FROM items WHERE id <= %s", (LATER_ROWS,))
        before = {table: table_fingerprint("pg", src, table) for table in TABLES}
        copy = subprocess.Popen([cli, "copy", servers.url("pg", "src"), servers.url("my", "tgt"), *TABLES,
                                 "--create-tables", "--no-progress", *options],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        watcher = servers.connect("pg", "src")
        until = time.time() + 60
        while not copy_reading(watcher) and copy.poll() is None and time.time() < until:
            time.sleep(0.05)
        watcher.close()
        outcome = {}

        def wait_for_copy():
            outcome["output"] = copy.communicate()
            outcome["ended"] = time.time()

        waiter = threading.Thread(target=wait_for_copy)
        waiter.start()
        check(copy.poll() is None, "the copy ended before it was seen reading")
        done, failed = [], []
        conn = servers.connect("pg", "src")
        execute(conn, "SET lock_timeout = '60s'")
        issued = time.time()
        try:
            execute(conn, statement)
            done.append(time.time())
        except Exception as e:  # noqa: BLE001 - reported below
            failed.append(e)
        conn.close()
        waiter.join(timeout=120)
        if waiter.is_alive():
            copy.kill()
            waiter.join()
            check(False, f"the copy hung with `{statement}` issued during it")
        out, err = outcome["output"]
        ended = outcome["ended"]
        check(copy.returncode == 0, f"the copy exited {copy.returncode}:\n{out}\n{err}")
        check(not failed, f"`{statement}` failed: {failed}")
        check(issued < ended - 0.2, f"`{statement}` was issued only {ended - issued:.2f} s before the copy ended")
        check(done[0] >= ended - 0.1, f"`{statement}` went through {ended - done[0]:.2f} s before the copy ended")
        tgt = servers.connect("my", "tgt")
        after = {table: table_fingerprint("my", tgt, table) for table in TABLES}
        tgt.close()
        check(after == before, f"the target's fingerprints {after} differ from the source's {before}")
        print(f"{scenario}: copy proven; `{statement}` issued {ended - issued:.2f} s before its end, went"
              f" through {done[0] - ended:+.2f} s after it")


if __name__ == "__main__":
    main_guard(lambda: run(sys.argv[1], sys.argv[2], sys.argv[3]))
