#!/usr/bin/python3
"""The exact copy seam of `fingerprint migrate` on a MariaDB source (docs/migrate.md "The
copy seam"): each copy snapshot reads which fingerprint.change_log rows it sees, and the
batches consume those without applying them and apply every other change, so a table
without any unique key (replayed as a multiset, where applying a change twice counts
twice) can be written while the copy is taken.

    migrate_seam_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

DIRECTION: my_to_pg, my_to_my. A keyless table (duplicates, NULLs) and a keyed one, with
capture on and changes already in the log; writers insert, update, delete one of several
identical rows (and keyed rows) and roll back, before, during and after the copy; one
long transaction writes both tables before the copy's snapshot and commits after it (the
run pauses before its copy through FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY, since
capture's own enable would wait for that transaction). Scenarios:

  writes  one run copies and applies; its first batches consume the changes the copy holds
          ("in_copy_changes" > 0) and the proof is strict from the first batch (never
          "pending (copy seam)"); the ledger's seam of the keyless table leaves out the
          long transaction's seqs below its highest. After the writers stop and migrate
          catches up: both tables applying with the proof equal, equal table_fingerprint,
          `fingerprint diff` exit 0 (the keyless table with every column as --key).
  kill    the same writes, but the first run is killed (SIGKILL) during its copy, the
          second once its ledger is started (after_start: the seam recorded, no batch yet),
          the third after its first batch's target commit (after_commit); the fourth and
          later runs resume to the same end as above.
  ledger13  a ledger as the 1.3 CLI left it (without seam_exact and copy_seqs): `status`
          reads it as it is, and `migrate` adds the columns and resumes (the migration
          keeps the seam it started with) to equal tables.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import os
import random
import signal
import subprocess
import sys
import time

from migrate_common import Servers, check, execute, main_guard, run_cli, table_fingerprint
from migrate_keyless_test import KEYED, ROWS, TABLE, insert_rows, one_of
from migrate_keyless_test import Writers as KeylessWriters

NAME = "seam"
DIFF_KEY = "tid,delta,note,amount,ratio"


class Writers(KeylessWriters):
    """The keyless test's writers on both tables: hist (identical rows common) and keyed
    inserts, updates and deletes; they write until stopped."""

    def __init__(self, servers, seed):
        super().__init__(servers, "my", seed)

    def statement(self, cur, rng, index):
        tid = rng.randint(1, 4)
        action = rng.random()
        if action < 0.65:
            self.hist_statement(cur, rng, tid, action, 0.3, 0.5)
        elif action < 0.8:
            # Keys of their own per writer: inserts never collide with each other.
            cur.execute("INSERT IGNORE INTO keyed VALUES (%s, %s)", (1000 + index * 100000 + rng.randint(0, 5000), tid))
            self.counts["I"] += cur.rowcount
        elif action < 0.92:
            cur.execute("UPDATE keyed SET v = v + 1 WHERE id = %s", (rng.randint(1, 200),))
            self.counts["U"] += cur.rowcount
        else:
            cur.execute("DELETE FROM keyed WHERE id = %s", (rng.randint(1, 200),))
            self.counts["D"] += cur.rowcount


def prepare(cli, servers):
    """Both tables on the source, capture on, and committed changes already in the log."""
    src = servers.create_database("my", "src")
    servers.create_database(TARGET, "tgt")
    execute(src, TABLE["my"])
    execute(src, KEYED["my"])
    insert_rows(src, ROWS * 20)
    execute(src, "INSERT INTO keyed VALUES " + ", ".join(f"({i}, {i})" for i in range(1, 201)))
    run_cli(cli, "capture", "enable", servers.url("my", "src"), "hist", "keyed", check_status=0)
    insert_rows(src, ROWS)
    execute(src, "DELETE FROM hist " + one_of("my", "tid = 1"))
    execute(src, "UPDATE keyed SET v = -1 WHERE id = 1")
    execute(src, "DELETE FROM keyed WHERE id = 2")
    return src


def start_migrate(cli, servers, pause, *extra, env_extra=None):
    env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY=pause, **(env_extra or {}))
    return subprocess.Popen([cli, "migrate", servers.url("my", "src"), servers.url(TARGET, "tgt"), "hist", "keyed",
                             "--name", NAME, "--create-tables", "--json", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for(condition, what, seconds=60):
    until = time.time() + seconds
    while not condition():
        check(time.time() < until, f"timed out waiting for {what}")
        time.sleep(0.02)


def target_has(servers, table):
    conn = servers.connect(TARGET, "tgt")
    try:
        if TARGET == "pg":
            return execute(conn, "SELECT to_regclass(%s) IS NOT NULL", (table,))[0][0]
        return bool(execute(conn, "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'tgt'"
                                  " AND TABLE_NAME = %s", (table,)))
    finally:
        conn.close()


def long_transaction_across_the_copy(servers, process, pause, kill_during_copy=False):
    """Once the run waits before its copy: a transaction writes both tables (its log rows
    take seqs below those of later commits), lets the copy start, and commits while the copy
    runs: its snapshot saw it open. Returns the transaction's seqs."""
    wait_for(lambda: os.path.exists(pause + ".waiting") or process.poll() is not None, "the run to pause")
    if process.poll() is not None:
        check(False, f"the run ended before its copy: {process.communicate()}")
    conn = servers.connect("my", "src", autocommit=False)
    execute(conn, "INSERT INTO hist VALUES (4, 4, 'long', NULL, NULL, NULL), (4, 4, 'long', NULL, NULL, NULL)")
    execute(conn, "DELETE FROM hist " + one_of("my", "tid = 2"))
    execute(conn, "UPDATE keyed SET v = 4242 WHERE id = 3")
    execute(conn, "INSERT INTO keyed VALUES (999999, 1)")
    seqs = [r[0] for r in execute(conn, "SELECT seq FROM fingerprint.change_log WHERE session_id = CONNECTION_ID()")]
    # A later commit, so that the snapshot sees seqs above the open transaction's (the
    # writers may be waiting for its row locks on hist).
    later = servers.connect("my", "src")
    execute(later, "INSERT INTO keyed VALUES (999998, 1)")
    later.close()
    open(pause, "w").close()
    # The copy's snapshot is taken before its target tables are made.
    wait_for(lambda: target_has(servers, "keyed") or process.poll() is not None, "the copy to start")
    if kill_during_copy:
        process.send_signal(signal.SIGKILL)
    conn.commit()
    conn.close()
    return seqs


def in_ranges(text, seq):
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        if int(lo) <= seq <= int(hi or lo):
            return True
    return False


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def check_strict(lines, what):
    """No batch of an exact seam leaves its proof pending."""
    for line in lines:
        for table in line.get("tables", []):
            check(table["proof"] != "pending (copy seam)", f"{what}: a proof pending at the copy seam: {line}")
            check(table["phase"] == "applying", f"{what}: {table}")


def migrate(cli, servers, *extra, status=0):
    return run_cli(cli, "migrate", servers.url("my", "src"), servers.url(TARGET, "tgt"), "--name", NAME, "--json",
                   *extra, check_status=status)


def finish(cli, servers, src, writers):
    """Writers stop, migrate catches up; both tables proven and identical."""
    writers.join(stop=True)
    lines = json_lines(migrate(cli, servers).stdout)
    check_strict(lines, "the last run")
    tgt = servers.connect(TARGET, "tgt")
    for table in ("hist", "keyed"):
        source_fp, target_fp = table_fingerprint("my", src, table), table_fingerprint(TARGET, tgt, table)
        print(f"{table}: source {source_fp} target {target_fp}")
        check(source_fp == target_fp, f"{table}: the target's table_fingerprint differs from the source's")
    status = json.loads(run_cli(cli, "status", servers.url("my", "src"), servers.url(TARGET, "tgt"), "--name",
                                NAME, "--json", check_status=0).stdout)
    for table in status["tables"]:
        check(table["phase"] == "applying" and table["proof"] == "equal", f"status: {table}")
    src_url, tgt_url = servers.url("my", "src"), servers.url(TARGET, "tgt")
    keyed = run_cli(cli, "diff", src_url, tgt_url, "keyed", "--no-progress")
    check(keyed.returncode == 0, f"diff of keyed exited {keyed.returncode}:\n{keyed.stdout}{keyed.stderr}")
    hist = run_cli(cli, "diff", src_url, tgt_url, "hist", "--no-progress", "--key", DIFF_KEY)
    check(hist.returncode == 0, f"diff --key of hist exited {hist.returncode}:\n{hist.stdout}{hist.stderr}")
    check(writers.counts["U"] > 0 and writers.counts["D"] > 0, f"the writers did too little: {writers.counts}")
    print(f"writers: {writers.counts}")


def ledger_seam(servers, table):
    tgt = servers.connect(TARGET, "tgt")
    schema = "fingerprint_migrate"
    rows = execute(tgt, f"SELECT copy_seqs FROM {schema}.tables WHERE migration = %s AND source_table = %s",
                   (NAME, table))
    check(len(rows) == 1, f"no ledger row of {table}")
    return rows[0][0]


def writes(cli, servers, seed):
    src = prepare(cli, servers)
    writers = Writers(servers, seed)
    writers.start()
    pause = os.path.join(servers.dir, "pause")
    process = start_migrate(cli, servers, pause)
    long_seqs = long_transaction_across_the_copy(servers, process, pause)
    writers.stop_after(2.0)
    out, err = process.communicate(timeout=200)
    check(process.returncode == 0, f"the first run exited {process.returncode}:\n{out}\n{err}")
    lines = json_lines(out)
    check_strict(lines, "the first run")
    end = lines[-1]
    print(f"first run: {end['batches']} batches, {end['changes']} applied, {end['in_copy_changes']} in the copy")
    check(end["in_copy_changes"] > 0, f"no batch consumed changes the copy held: {end}")
    # The long transaction was open at the snapshot: its seqs are not in the copy's set,
    # though the set goes past them (later commits).
    seam = ledger_seam(servers, "hist")
    highest = max(int(part.rpartition("-")[2]) for part in seam.split(","))
    print(f"hist copy seam {seam}; the long transaction's seqs {long_seqs}")
    check(long_seqs and all(not in_ranges(seam, s) for s in long_seqs), "the seam holds the long transaction")
    check(any(s < highest for s in long_seqs), "the long transaction did not span the snapshot")
    finish(cli, servers, src, writers)


def kill(cli, servers, seed):
    src = prepare(cli, servers)
    writers = Writers(servers, seed)
    writers.start()
    pause = os.path.join(servers.dir, "pause")
    process = start_migrate(cli, servers, pause)
    long_transaction_across_the_copy(servers, process, pause, kill_during_copy=True)
    process.communicate(timeout=300)
    check(process.returncode == -signal.SIGKILL, f"the first run was not killed: {process.returncode}")
    seams = []
    for point in ("after_start", "after_commit"):
        time.sleep(0.3)
        env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_CRASH=point)
        crashed = subprocess.run([cli, "migrate", servers.url("my", "src"), servers.url(TARGET, "tgt"), "hist",
                                  "keyed", "--name", NAME, "--create-tables", "--json"],
                                 capture_output=True, text=True, env=env, timeout=300)
        check(crashed.returncode == -signal.SIGKILL,
              f"the {point} run was not killed: {crashed.returncode}\n{crashed.stdout}{crashed.stderr}")
        check_strict(json_lines(crashed.stdout), f"the {point} run")
        seams.append(ledger_seam(servers, "hist"))
        print(f"killed {point}; hist copy seam {seams[-1][:80]}")
    check(seams[0] == seams[1], "a resumed run changed the copy seam")
    writers.join(stop=True)
    lines = json_lines(migrate(cli, servers).stdout)
    check_strict(lines, "the resumed run")
    check(ledger_seam(servers, "hist") == seams[0], "the copy seam changed")
    finish(cli, servers, src, writers)


def ledger13(cli, servers, seed):
    src = prepare(cli, servers)
    migrate(cli, servers, "hist", "keyed", "--create-tables")
    tgt = servers.connect(TARGET, "tgt")
    execute(tgt, "ALTER TABLE fingerprint_migrate.tables DROP COLUMN copy_seqs")
    execute(tgt, "ALTER TABLE fingerprint_migrate.migrations DROP COLUMN seam_exact")
    rng = random.Random(seed)
    for _ in range(20):
        insert_rows(src, [rng.choice(ROWS)])
    execute(src, "DELETE FROM hist " + one_of("my", "tid = 3"))
    execute(src, "UPDATE keyed SET v = v + 7 WHERE id < 20")
    status = json.loads(run_cli(cli, "status", servers.url("my", "src"), servers.url(TARGET, "tgt"), "--name", NAME,
                                "--json", check_status=0).stdout)
    check(len(status["tables"]) == 2, f"status of a 1.3 ledger: {status}")
    check_strict(json_lines(migrate(cli, servers).stdout), "the run on a 1.3 ledger")
    columns = execute(tgt, "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                           " 'fingerprint_migrate' AND column_name IN ('copy_seqs', 'seam_exact')")
    check(len(columns) == 2, f"the columns were not added back: {columns}")
    for table in ("hist", "keyed"):
        check(table_fingerprint("my", src, table) == table_fingerprint(TARGET, tgt, table), f"{table} differs")
    print("a 1.3 ledger resumed")


def main():
    global TARGET
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, seed, cli, plugin_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source_engine, TARGET = direction.split("_to_")
    check(source_engine == "my", "the exact MariaDB seam needs a MariaDB source")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"writes": writes, "kill": kill, "ledger13": ledger13}[scenario](cli, servers, seed)
    print(f"seam {scenario} {direction} {seed}: {time.time() - started:.1f} s")


TARGET = "pg"

if __name__ == "__main__":
    main_guard(main)
