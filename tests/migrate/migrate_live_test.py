#!/usr/bin/python3
"""`fingerprint migrate` of a live database from its first run, copy included (issue 11's
tests; docs/migrate.md "Tests").

    migrate_live_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

DIRECTION: pg_to_my, my_to_pg. The source holds `items` (ROWS rows, so that the copy lasts
long enough to be written and killed during) and `events`, a table without any key
(whole-row identity, replayed as a multiset): every writer transaction may insert an
event numbered from one counter, so an event applied twice is a duplicate row and one
lost is a missing number. Four writers (inserts, updates, deletes, primary-key updates,
key swaps, delete-then-reinsert, rollbacks, and events) write from before the first run
to the end. Scenarios:

  writes  one `migrate --create-tables --follow` run, paused before its copy
          (FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY) while a transaction writes events
          (and, on a MariaDB source, items) and stays open: the copy's snapshot finds it
          open, and it commits during the replay, after the first batch. A PostgreSQL
          source is TRUNCATEd during the copy (issued once the copy created the target
          tables: it waits for the copy's lock, seen waiting in pg_stat_activity before
          the ledger exists, and commits at the seam) and again during the replay. Every
          batch of the run is proven strictly. SIGTERM stops the run at a batch boundary;
          a last run catches up.
  kill    the same writers; `migrate --follow` is SIGKILLed at 12 or more points: twice
          during the copy (a copy session seen at the source, no ledger yet; a transaction
          opened before the first stays open until after_commit), once after the ledger's start
          (after_start), after a target commit before the source's finish (after_commit),
          mid-apply (mid_apply), then at random moments; every run resumes the last.

Both end with: every table_fingerprint equal, `fingerprint diff` exit 0 (events with
every column as --key), status applying and equal, no event doubled or lost (each number
once on the target, the same set as the source), the long transaction's rows on the
target, and (PostgreSQL source) the ledger's batch ids consecutive from 1.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

from migrate_common import (MY_TABLE, PG_TABLE, Servers, Writers, check, execute, initial_rows, main_guard, run_cli,
                            table_fingerprint)

NAME = "live"
ROWS = 60000
LONG_KEYS = range(2000001, 2000006)
EVENTS = {
    "pg": "CREATE TABLE events (w integer, n bigint, note varchar(20))",
    "my": "CREATE TABLE events (w INT, n BIGINT, note VARCHAR(20)) ENGINE=InnoDB",
}
EVENTS_KEY = "w,n,note"


class LiveWriters(Writers):
    """migrate_common's writers, with an event in some statements; no TRUNCATE and no long
    transaction of their own (the scenarios hold theirs across the copy's snapshot)."""

    def __init__(self, servers, engine, seed, duration):
        super().__init__(servers, engine, "src", seed, duration=duration)
        self.numbers = itertools.count(1)
        self.threads.pop()  # the base class's long transaction

    def operation(self, conn, rng):
        if rng.random() < 0.25:
            with self.lock:
                number = next(self.numbers)
            execute(conn, "INSERT INTO events VALUES (%s, %s, 'w')", (rng.randint(1, 4), number))
        super().operation(conn, rng)


class LongTransaction:
    """Writes events (and items on a MariaDB source; on a PostgreSQL source it would hold
    TRUNCATE of items off until it commits) and stays open until commit()."""

    def __init__(self, servers, engine):
        self.engine = engine
        self.conn = servers.connect(engine, "src", autocommit=False)
        execute(self.conn, "INSERT INTO events VALUES " + ", ".join(f"(0, {k}, 'long')" for k in LONG_KEYS))
        if engine == "my":
            execute(self.conn, "INSERT INTO items (id, name) VALUES " +
                    ", ".join(f"({k}, 'long')" for k in LONG_KEYS))
        # A later commit, so that the copy sees changes after the open transaction's.
        later = servers.connect(engine, "src")
        execute(later, "INSERT INTO events VALUES (0, 0, 'later')")
        later.close()

    def commit(self):
        if self.engine == "my":
            execute(self.conn, "UPDATE items SET name = 'long transaction' WHERE id >= %s", (LONG_KEYS[0],))
        execute(self.conn, "UPDATE events SET note = 'long transaction' WHERE note = 'long'")
        self.conn.commit()
        self.conn.close()


def prepare(servers, source, target):
    src = servers.create_database(source, "src")
    servers.create_database(target, "tgt")
    execute(src, PG_TABLE if source == "pg" else MY_TABLE)
    execute(src, EVENTS[source])
    initial_rows(source, src, ROWS)
    execute(src, "INSERT INTO events VALUES (0, 0, 'before'), (0, 0, 'before')")
    return src


def command(cli, servers, source, target, *extra):
    return [cli, "migrate", servers.url(source, "src"), servers.url(target, "tgt"), "items", "events", "--name",
            NAME, "--create-tables", "--follow", "--poll", "0.05", "--json", *extra]


class Run:
    """A `migrate` process whose stdout is read as it comes (a full pipe would stop it)."""

    def __init__(self, argv, env=None):
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=dict(os.environ, **(env or {})))
        self.lines, self.errors = [], []
        self.readers = [threading.Thread(target=self.read, args=(self.process.stdout, self.lines)),
                        threading.Thread(target=self.read, args=(self.process.stderr, self.errors))]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def read(stream, lines):
        for line in stream:
            lines.append(line)

    def batches(self):
        return [json.loads(line) for line in list(self.lines) if line.startswith('{"batch"')]

    def finish(self, sig=None, timeout=120):
        if sig is not None and self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            check(False, f"migrate did not end within {timeout} s")
        for reader in self.readers:
            reader.join()
        return self.process.returncode, "".join(self.lines), "".join(self.errors)


def wait_for(condition, what, seconds=120):
    until = time.time() + seconds
    while not condition():
        check(time.time() < until, f"timed out waiting for {what}")
        time.sleep(0.02)


def target_has(servers, target, table):
    conn = servers.connect(target, "tgt")
    try:
        if target == "pg":
            return execute(conn, "SELECT to_regclass(%s) IS NOT NULL", (table,))[0][0]
        return bool(execute(conn, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s"
                                  " AND TABLE_NAME = %s", tuple(table.split(".")) if "." in table else ("tgt", table)))
    finally:
        conn.close()


def copy_running(servers, source):
    """A session of the copy reads the source (PostgreSQL: named 'fingerprint copy';
    MariaDB: a query with a quoted table name, which the writers never send)."""
    conn = servers.connect(source, "src")
    try:
        if source == "pg":
            return bool(execute(conn, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'fingerprint copy'"))
        return bool(execute(conn, "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                                  " AND INFO LIKE '%%FROM `%%'"))
    finally:
        conn.close()


def ledger_started(servers, target):
    if not target_has(servers, target, "fingerprint_migrate.migrations"):
        return False
    conn = servers.connect(target, "tgt")
    try:
        return bool(execute(conn, "SELECT 1 FROM fingerprint_migrate.migrations WHERE name = %s", (NAME,)))
    finally:
        conn.close()


def truncate_during_copy(servers, target):
    """TRUNCATE items once the copy runs: it must be seen blocked by a session of the copy
    (application_name 'fingerprint copy') while no ledger exists yet, and commit once the
    copy's transaction ends (within 20 s: else the sessions at that moment are reported)."""
    done, failed = [], []

    def truncate():
        conn = servers.connect("pg", "src")
        try:
            execute(conn, "SET lock_timeout = '20s'")
            execute(conn, "SET application_name = 'truncate during the copy'")
            execute(conn, "TRUNCATE items")
            done.append(time.time())
        except Exception as e:  # noqa: BLE001 - reported below
            failed.append(e)
        conn.close()

    thread = threading.Thread(target=truncate)
    thread.start()
    watcher = servers.connect("pg", "src")
    waited = False
    until = time.time() + 10
    while not done and not failed and time.time() < until and not waited:
        waited = bool(execute(watcher, "SELECT 1 FROM pg_stat_activity t, pg_stat_activity c WHERE"
                                       " t.application_name = 'truncate during the copy' AND c.pid ="
                                       " ANY (pg_blocking_pids(t.pid)) AND c.application_name = 'fingerprint copy'"))
        time.sleep(0.01)
    before_ledger = waited and not ledger_started(servers, target)
    thread.join(timeout=15)
    sessions = []
    if not done:
        sessions = execute(watcher, "SELECT pid, application_name, state, wait_event_type, wait_event,"
                                    " pg_blocking_pids(pid), left(query, 120) FROM pg_stat_activity"
                                    " WHERE datname = 'src' AND pid <> pg_backend_pid()")
    watcher.close()
    thread.join()
    check(done, f"TRUNCATE during the copy failed: {failed}; the source's sessions 15 s into its wait"
                f" (pid, application, state, wait, blocked by, query): {sessions}")
    check(before_ledger, "the TRUNCATE was not seen blocked by the copy before the ledger started")


def truncate_now(servers):
    """TRUNCATE items during the replay (the writers' short transactions let it in)."""
    conn = servers.connect("pg", "src")
    execute(conn, "SET lock_timeout = '10s'")
    execute(conn, "TRUNCATE items")
    conn.close()


def writes(cli, servers, source, target, seed):
    src = prepare(servers, source, target)
    writers = LiveWriters(servers, source, seed, duration=9.0)
    writers.start()
    pause = os.path.join(servers.dir, "pause")
    run = Run(command(cli, servers, source, target), {"FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY": pause})
    wait_for(lambda: os.path.exists(pause + ".waiting") or run.process.poll() is not None, "the run to pause")
    if run.process.poll() is not None:
        check(False, f"the run ended before its copy: {run.finish()}")
    long = LongTransaction(servers, source)
    open(pause, "w").close()
    wait_for(lambda: target_has(servers, target, "events") or run.process.poll() is not None, "the copy to start")
    if source == "pg":
        truncate_during_copy(servers, target)
    wait_for(lambda: run.batches() or run.process.poll() is not None, "the first batch")
    if run.process.poll() is not None:
        check(False, f"the run ended: {run.finish()}")
    long.commit()  # during the replay
    committed_at_batch = len(run.batches())
    time.sleep(1.0)
    if source == "pg":
        truncate_now(servers)
    writers.join()
    time.sleep(0.5)
    status, out, err = run.finish(signal.SIGTERM)
    check(status == 0 and '"stopped by signal"' in out, f"the run exited {status}:\n{out[-2000:]}\n{err}")
    proofs = {t["proof"] for b in run.batches() for t in b["tables"]}
    check(proofs == {"equal"}, f"a batch of the run was not strictly proven: {proofs}")
    print(f"the run: {len(run.batches())} batches; the long transaction committed after batch {committed_at_batch}")
    final = run_cli(cli, "migrate", servers.url(source, "src"), servers.url(target, "tgt"), "--name", NAME,
                    check_status=0)
    print(final.stdout, end="")
    final_checks(cli, servers, source, target, src, writers)


def kill(cli, servers, source, target, seed):
    src = prepare(servers, source, target)
    rng = random.Random(seed)
    writers = LiveWriters(servers, source, seed, duration=12.0)
    writers.start()
    points = {"copy": 0, "after_start": 0, "after_commit": 0, "mid_apply": 0, "random": 0}
    resumed = 0
    # Killed twice during the copy (a session of the copy seen at the source; no ledger
    # after the kill). The first run pauses before its copy while a transaction opens,
    # which stays open across both copies' snapshots and the next two kills: each re-run
    # finds capture on and intact and must not wait for that transaction's locks.
    pause = os.path.join(servers.dir, "pause")
    long = None
    while points["copy"] < 2:
        run = Run(command(cli, servers, source, target), {"FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY": pause})
        if long is None:
            wait_for(lambda: os.path.exists(pause + ".waiting") or run.process.poll() is not None, "the pause")
            long = LongTransaction(servers, source)
            open(pause, "w").close()
        wait_for(lambda: copy_running(servers, source) or run.process.poll() is not None, "the copy")
        time.sleep(rng.random() * 0.2)
        status, out, err = run.finish(signal.SIGKILL)
        check(status == -signal.SIGKILL, f"migrate exited {status}, not killed:\n{out}\n{err}")
        check(not ledger_started(servers, target), "the copy ended before the kill: too short to be killed during")
        points["copy"] += 1
        wait_for(lambda: not copy_running(servers, source), "the killed copy's sessions to end")
    for point in ("after_start", "after_commit", "mid_apply"):
        run = Run(command(cli, servers, source, target), {"FINGERPRINT_MIGRATE_TEST_CRASH": point})
        status, out, err = run.finish(timeout=120)
        check(status == -signal.SIGKILL, f"the {point} run exited {status}, not killed:\n{out}\n{err}")
        check(ledger_started(servers, target), f"no ledger after the {point} run")
        resumed += sum(1 for b in run.batches() if b.get("resumed"))
        points[point] += 1
        if point == "after_commit":
            long.commit()
    while writers.running() or sum(points.values()) < 12:
        run = Run(command(cli, servers, source, target))
        time.sleep(0.5 + rng.random() * 1.5)
        status, out, err = run.finish(signal.SIGKILL)
        check(status == -signal.SIGKILL, f"migrate exited {status}, not killed:\n{out}\n{err}")
        resumed += sum(1 for b in run.batches() if b.get("resumed"))
        points["random"] += 1
    writers.join()
    final = run_cli(cli, "migrate", servers.url(source, "src"), servers.url(target, "tgt"), "--name", NAME, "--json",
                    check_status=0)
    resumed += sum(1 for line in final.stdout.splitlines() if '"resumed":true' in line)
    print(f"seed {seed}: kills {points}, {resumed} batches finished after a kill")
    check(sum(points.values()) >= 12 and points["copy"] >= 2, f"too few kills: {points}")
    check(resumed >= 1, "no batch committed before a kill was finished afterwards")
    final_checks(cli, servers, source, target, src, writers)


def final_checks(cli, servers, source, target, src, writers):
    tgt = servers.connect(target, "tgt")
    src_url, tgt_url = servers.url(source, "src"), servers.url(target, "tgt")
    for table in ("items", "events"):
        source_fp, target_fp = table_fingerprint(source, src, table), table_fingerprint(target, tgt, table)
        print(f"{table}: source {source_fp} target {target_fp}")
        check(source_fp == target_fp, f"{table}: the target's table_fingerprint differs from the source's")
    for table, key in (("items", []), ("events", ["--key", EVENTS_KEY])):
        diff = run_cli(cli, "diff", src_url, tgt_url, table, "--no-progress", *key)
        check(diff.returncode == 0, f"diff of {table} exited {diff.returncode}:\n{diff.stdout}{diff.stderr}")
    status = json.loads(run_cli(cli, "status", src_url, tgt_url, "--name", NAME, "--json", check_status=0).stdout)
    for table in status["tables"]:
        check(table["phase"] == "applying" and table["proof"] == "equal" and table["lag_changes"] == 0,
              f"status: {table}")
    # No change doubled or lost: every writer event number once on the target, the same
    # numbers as the source's.
    doubled = execute(tgt, "SELECT n, COUNT(*) FROM events WHERE w > 0 GROUP BY n HAVING COUNT(*) > 1")
    check(not doubled, f"events applied twice on the target (number, count): {doubled[:10]}")
    numbers = {side: {r[0] for r in execute(conn, "SELECT n FROM events WHERE w > 0")}
               for side, conn in (("source", src), ("target", tgt))}
    lost, extra = numbers["source"] - numbers["target"], numbers["target"] - numbers["source"]
    check(not lost and not extra, f"events lost {sorted(lost)[:10]}, extra {sorted(extra)[:10]}")
    check(len(numbers["source"]) > 30, f"the writers committed too few events: {len(numbers['source'])}")
    # The transaction open across the copy's snapshot arrived, once.
    long_events = execute(tgt, "SELECT COUNT(*) FROM events WHERE note = 'long transaction'")[0][0]
    check(long_events == len(LONG_KEYS), f"the long transaction's events on the target: {long_events}")
    if source == "my":
        long_items = execute(tgt, "SELECT COUNT(*) FROM items WHERE name = 'long transaction'")[0][0]
        check(long_items == len(LONG_KEYS), f"the long transaction's items on the target: {long_items}")
    # The ledger: each batch once (its key), and on a PostgreSQL source none skipped.
    count, first, last = execute(tgt, "SELECT COUNT(*), MIN(batch_id), MAX(batch_id) FROM"
                                      " fingerprint_migrate.batches WHERE migration = %s", (NAME,))[0]
    print(f"ledger: batches {first}..{last} ({count}), {status['changes']} changes applied; writers: "
          f"{writers.commits} commits, {writers.rollbacks} rollbacks, {writers.swaps} swaps")
    if source == "pg":
        check(count == last - first + 1 and first == 1, "the ledger's batch ids are not consecutive from 1")
    check(writers.commits > 20 and writers.rollbacks > 3 and writers.swaps > 0, "the workload did too little")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, seed, cli, plugin_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source, target = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"writes": writes, "kill": kill}[scenario](cli, servers, source, target, seed)
    print(f"live {scenario} {direction} {seed}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
