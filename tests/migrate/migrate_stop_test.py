#!/usr/bin/python3
"""How a `fingerprint migrate` run stops (docs/migrate.md "Stopping a run", "Catching up").

    migrate_stop_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

Scenarios:

  signal    DIRECTION pg_to_my (SIGTERM) or my_to_pg (SIGINT, with --follow): the signal
            arrives during the first run's copy of a table that takes seconds to copy.
            The run exits within a couple of seconds with exit status 3 and a message
            saying how to resume, having unregistered its consumer (the capture it
            enabled stays on: another migration may rely on it); the same command run again copies, starts the
            migration and exits 0, and `fingerprint diff` exits 0. Before the fix the
            signal waited for the whole copy.
  writer    DIRECTION pg_to_my or my_to_pg: a writer that never stops commits inserts and
            updates while `migrate` runs without --follow: the run ends (exit 0, "caught
            up to <time>") instead of taking batches for ever; with the writer stopped, a
            last run catches up and both sides are equal, `fingerprint diff` exits 0.
  failstart DIRECTION pg_to_my or my_to_pg: a first run whose copy fails (a target column
            that cannot hold the source's values) after capture was enabled and, on a
            PostgreSQL source, the consumer registered: the consumer is gone, capture
            stays on (of the table this run enabled too: a second migration of a table
            relies on the first one's capture, and a failed start that turned it off lost
            that migration's changes without a word) and the message says how to turn it
            off; once the target is fixed the same command starts the migration. Before
            the fix the consumer stayed and held fingerprint.cleanup back.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import random
import signal
import subprocess
import sys
import threading
import time

from migrate_common import Failure, Servers, check, execute, main_guard, run_cli, table_fingerprint

BIG_ROWS = 1200000


def create_table(engine, conn, table, value_type=None):
    if engine == "pg":
        execute(conn, f"CREATE TABLE {table} (id integer PRIMARY KEY, v {value_type or 'text'})")
    else:
        execute(conn, f"CREATE TABLE {table} (id INT PRIMARY KEY, v {value_type or 'VARCHAR(80)'}) ENGINE=InnoDB")


def fill(engine, conn, table, rows):
    if engine == "pg":
        execute(conn, f"INSERT INTO {table} SELECT g, 'row ' || g || repeat('x', 40) FROM generate_series(1, {rows}) g")
    else:
        execute(conn, f"INSERT INTO {table} SELECT seq, CONCAT('row ', seq, REPEAT('x', 40)) FROM seq_1_to_{rows}")


def left_on_source(engine, src):
    """What a migration leaves at the source: consumers (PostgreSQL) and tables whose
    capture is on."""
    if engine == "pg":
        consumers = [r[0] for r in execute(src, "SELECT consumer FROM fingerprint.consumers")]
        captured = [r[0] for r in execute(src, "SELECT relid::regclass::text FROM fingerprint.capture_tables"
                                               " WHERE enabled")]
        return consumers, sorted(captured)
    captured = [r[0].split(".", 1)[1] for r in execute(src, "SELECT table_name FROM fingerprint.capture_state"
                                                            " WHERE enabled")]
    return [], sorted(captured)


def diff(cli, servers, source, target, table):
    result = run_cli(cli, "diff", servers.url(source, "src"), servers.url(target, "tgt"), table, "--no-progress")
    check(result.returncode == 0, f"fingerprint diff of {table} exited {result.returncode}:\n{result.stdout}"
                                  f"{result.stderr}")


def stop_signal(cli, servers, source, target):
    src = servers.create_database(source, "src")
    servers.create_database(target, "tgt")
    create_table(source, src, "big")
    fill(source, src, "big", BIG_ROWS)
    src_url, tgt_url = servers.url(source, "src"), servers.url(target, "tgt")
    command = [cli, "migrate", src_url, tgt_url, "big", "--name", "big", "--create-tables"]
    follow = source == "my"
    sent = signal.SIGINT if follow else signal.SIGTERM
    if follow:
        command.append("--follow")
    tgt = servers.connect(target, "tgt")
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Signalled once the copy is loading rows: a second after it created the target table.
    started = time.time()
    while time.time() - started < 60 and child.poll() is None and not table_exists(target, tgt, "big"):
        time.sleep(0.05)
    time.sleep(1.0)
    if child.poll() is not None:
        raise Failure(f"migrate ended before the signal:\n{child.communicate()}")
    signalled = time.time()
    child.send_signal(sent)
    try:
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        raise Failure("migrate did not exit within 60 s of the signal")
    waited = time.time() - signalled
    print(f"{sent.name} after {signalled - started:.1f} s of the run; exited {child.returncode} "
          f"{waited:.2f} s later\n{err.strip()}")
    check(child.returncode == 3, f"migrate exited {child.returncode}, not 3:\n{out}\n{err}")
    check(waited < 3.0, f"migrate took {waited:.2f} s to stop after {sent.name}")
    check("run the same command again" in err and "nothing was applied" in err, f"the message: {err}")
    consumers, captured = left_on_source(source, src)
    check(consumers == [] and captured == ["big"],
          f"left at the source: consumers {consumers}, capture {captured}")
    # The same command: copies, starts the migration, ends (stopped again, at a batch
    # boundary, when it follows).
    again = time.time()
    if follow:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 240
        while time.time() < deadline and child.poll() is None:
            ledger = execute(tgt, "SELECT count(*) FROM fingerprint_migrate.migrations WHERE name = 'big'") \
                if table_exists(target, tgt, "fingerprint_migrate.migrations") else [(0,)]
            if ledger[0][0] > 0:
                break
            time.sleep(0.2)
        child.send_signal(sent)
        try:
            out, err = child.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            raise Failure("the rerun with --follow did not stop within 60 s of the signal")
        check(child.returncode == 0 and "stopped by signal" in out, f"the rerun: {child.returncode}\n{out}\n{err}")
    else:
        rerun = run_cli(*command[:1], *command[1:], check_status=0)
        out = rerun.stdout
        check("caught up" in out, f"the rerun: {out}")
    print(f"the rerun took {time.time() - again:.1f} s")
    check(time.time() - again > 2.0, "the copy took under 2 s: the table is too small to test a stop mid-copy")
    diff(cli, servers, source, target, "big")


def table_exists(engine, conn, table):
    if engine == "pg":
        return execute(conn, "SELECT to_regclass(%s) IS NOT NULL", (table,))[0][0]
    schema, _, name = table.rpartition(".")
    return execute(conn, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(NULLIF(%s, ''),"
                         " DATABASE()) AND TABLE_NAME = %s", (schema, name))[0][0] > 0


class Writer(threading.Thread):
    """Inserts and updates rows of `steady` in small transactions until stopped."""

    def __init__(self, servers, engine, seed):
        super().__init__()
        self.conn = servers.connect(engine, "src", autocommit=False)
        self.engine = engine
        self.rng = random.Random(seed)
        self.stopping = threading.Event()
        self.commits = 0
        self.error = None

    def run(self):
        next_id = 1000
        try:
            while not self.stopping.is_set():
                with self.conn.cursor() as cur:
                    for _ in range(5):
                        next_id += 1
                        cur.execute("INSERT INTO steady VALUES (%s, %s)", (next_id, f"new {next_id}"))
                        cur.execute("UPDATE steady SET v = %s WHERE id = %s",
                                    (f"upd {self.rng.random()}", self.rng.randint(1, next_id)))
                self.conn.commit()
                self.commits += 1
                time.sleep(0.002)
        except Exception as e:  # reported by the test
            self.error = e


def writer(cli, servers, source, target):
    src = servers.create_database(source, "src")
    servers.create_database(target, "tgt")
    create_table(source, src, "steady")
    fill(source, src, "steady", 1000)
    src_url, tgt_url = servers.url(source, "src"), servers.url(target, "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, "steady", "--name", "steady", "--create-tables", check_status=0)
    w = Writer(servers, source, 1)
    w.start()
    try:
        time.sleep(1.0)
        for run in range(2):
            started = time.time()
            try:
                # Small MariaDB batches: the writer fills the next one before it is taken.
                result = run_cli(cli, "migrate", src_url, tgt_url, "--name", "steady", "--batch-changes", "20",
                                 "--json", check_status=0, timeout=90)
            except subprocess.TimeoutExpired:
                raise Failure("migrate without --follow did not end within 90 s under a steady write load")
            lines = [json.loads(line) for line in result.stdout.splitlines()]
            end = lines[-1]
            print(f"run {run + 1}: {len(lines) - 1} batches, {end['changes']} changes in "
                  f"{time.time() - started:.1f} s, {end['result']}, caught up to {end.get('caught_up_to')}; "
                  f"the writer has committed {w.commits} transactions")
            check(end["result"] == "caught up" and end.get("caught_up_to"), f"the run's end: {end}")
            check(w.is_alive() and w.error is None, f"the writer stopped: {w.error}")
        text = run_cli(cli, "migrate", src_url, tgt_url, "--name", "steady", check_status=0, timeout=90)
        check(text.stdout.startswith("caught up to ") and text.stdout.split(",")[0].endswith(" UTC"),
              f"the text report: {text.stdout}")
    finally:
        w.stopping.set()
        w.join()
    check(w.error is None, f"the writer failed: {w.error}")
    check(w.commits > 50, f"the writer committed only {w.commits} transactions")
    end = json.loads(run_cli(cli, "migrate", src_url, tgt_url, "--name", "steady", "--json",
                             check_status=0).stdout.splitlines()[-1])
    check(end["result"] == "caught up", f"the last run: {end}")
    tgt = servers.connect(target, "tgt")
    source_fp, target_fp = table_fingerprint(source, src, "steady"), table_fingerprint(target, tgt, "steady")
    print(f"source {source_fp}\ntarget {target_fp}")
    check(source_fp == target_fp, "the target's table_fingerprint differs from the source's")
    check(end["tables"][0]["target_fingerprint"] == source_fp, "the ledger's running fingerprint")
    diff(cli, servers, source, target, "steady")


def failstart(cli, servers, source, target):
    src = servers.create_database(source, "src")
    tgt = servers.create_database(target, "tgt")
    create_table(source, src, "bad")
    create_table(source, src, "pre")
    execute(src, "INSERT INTO bad VALUES (1, 'one'), (2, 'two')")
    execute(src, "INSERT INTO pre VALUES (1, 'one')")
    create_table(target, tgt, "bad", "integer" if target == "pg" else "INT")  # cannot hold 'one'
    create_table(target, tgt, "pre")
    src_url, tgt_url = servers.url(source, "src"), servers.url(target, "tgt")
    if source == "pg":
        execute(src, "SELECT fingerprint_capture_enable('pre')")
    else:
        run_cli(cli, "capture", "enable", src_url, "pre", check_status=0)
    consumers_before, captured_before = left_on_source(source, src)
    command = ["migrate", src_url, tgt_url, "bad", "pre", "--name", "fs"]
    failed = run_cli(cli, *command, check_status=2)
    print(failed.stderr.strip())
    consumers, captured = left_on_source(source, src)
    print(f"after the failed start: consumers {consumers}, capture on for {captured}")
    check(consumers == consumers_before == [], f"the failed start left consumers {consumers}")
    check(captured_before == ["pre"] and captured == ["bad", "pre"], f"capture after the failed start: {captured}")
    how = ("SELECT fingerprint_capture_disable('\"public\".\"bad\"'::regclass)" if source == "pg"
           else "fingerprint capture disable")  # the CLI's capture disable is MariaDB's only
    check("capture of bad stays on" in failed.stderr and how in failed.stderr,
          f"the failed start does not say which capture it left on, or how to turn it off: {failed.stderr}")
    if source == "pg":
        check("consumer migrate:fs unregistered" in failed.stderr, f"the message: {failed.stderr}")
    execute(tgt, "DROP TABLE bad")
    create_table(target, tgt, "bad")
    run_cli(cli, *command, check_status=0)
    consumers, captured = left_on_source(source, src)
    check(captured == ["bad", "pre"] and consumers == (["migrate:fs"] if source == "pg" else []),
          f"after the start: consumers {consumers}, capture on for {captured}")
    diff(cli, servers, source, target, "bad")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, _seed, cli, plugin_dir = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    source, target = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"signal": stop_signal, "writer": writer, "failstart": failstart}[scenario](cli, servers, source, target)
    print(f"stop {scenario} {direction}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
