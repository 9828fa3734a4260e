#!/usr/bin/python3
"""The exact copy seam of `fingerprint migrate` on a MariaDB source with several copy
workers (docs/migrate.md "The copy seam"): each worker reads, in its own consistent
snapshot, which fingerprint.change_log rows it sees, and each table's seam is the set of
the snapshot that copied and proved it.

    migrate_seam_jobs_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

DIRECTION: my_to_pg, my_to_my. The tables, writers and long transaction of
migrate_seam_test.py (a keyless table and a keyed one, written before, during and after
the copy, one transaction open across the copy's snapshots). Scenarios:

  jobs     `--jobs 2`: one snapshot per worker, each table copied whole by one of them;
           the second snapshot starts 400 ms after the first (a test hook), so the two
           tables get different seams.
           The first run consumes the changes its copies hold and proves every batch
           strictly; the long transaction's seqs are in neither table's seam, though each
           seam goes past them. After the writers stop: equal table_fingerprint, status
           equal, `fingerprint diff` exit 0.
  chunks   `--jobs 3 --lock-for-snapshot --chunk-rows 40`: one point for every worker
           (FLUSH TABLES WITH READ LOCK for an instant), the keyed table cut into key
           ranges that any worker copies; both tables get the same seam. Then as jobs.
  kill     `--jobs 2`, the first run SIGKILLed during its copy; the next run (same
           options, writers still running) copies again in its own snapshots and is
           SIGKILLed once its ledger (and seam) is written; the third, once the writers
           stopped, resumes with the same seams and consumes the changes its copy held,
           then as jobs.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

import migrate_seam_test as seam
from migrate_common import Servers, check, execute, main_guard

JOBS = ("--jobs", "2")
CHUNKS = ("--jobs", "3", "--lock-for-snapshot", "--chunk-rows", "40")


def copy_report(out, table):
    """(rows, chunks) of `table` in the copy's report, and its snapshot line."""
    snapshot = next((line for line in out.splitlines() if line.startswith("snapshot")), "")
    match = re.search(rf"^{table}\s+(\d+)\s+\S+ \S+\s+\S+\s+\d+\s+(\d+)\s", out, re.MULTILINE)
    check(match is not None, f"no copy report line of {table} in:\n{out}")
    return int(match.group(1)), int(match.group(2)), snapshot


def check_seams(servers, long_seqs, same):
    """The long transaction was open at every snapshot: its seqs are in no table's seam,
    though each seam goes past them (later commits)."""
    seams = {table: seam.ledger_seam(servers, table) for table in ("hist", "keyed")}
    for table, text in seams.items():
        highest = max(int(part.rpartition("-")[2]) for part in text.split(","))
        print(f"{table} copy seam {text[:100]}; the long transaction's seqs {long_seqs}")
        check(long_seqs and all(not seam.in_ranges(text, s) for s in long_seqs),
              f"the seam of {table} holds the long transaction")
        check(any(s < highest for s in long_seqs), f"the long transaction did not span {table}'s snapshot")
    if same:
        check(seams["hist"] == seams["keyed"], f"one snapshot for all, but two seams: {seams}")
    return seams


# Each worker's snapshot 400 ms after the one before (copy_run.cpp WaitBetweenSnapshotsForTest).
SNAPSHOT_GAP = {"FINGERPRINT_COPY_TEST_SNAPSHOT_GAP_MS": "400"}


class Ticker(seam.Writers):
    """The seam test's writers plus one that inserts a keyed row every 10 ms: the others
    mostly wait for the long transaction's locks on hist (a table without an index: each
    of their statements scans it), and the ticker is what commits between the workers'
    snapshots."""

    def __init__(self, servers, seed):
        super().__init__(servers, seed)
        self.threads.append(threading.Thread(target=self.tick))

    def tick(self):
        conn = self.servers.connect("my", "src")
        key = 2000000
        while not self.stop.is_set():
            key += 1
            execute(conn, "INSERT INTO keyed VALUES (%s, 0)", (key,))
            self.counts["I"] += 1
            time.sleep(0.01)
        conn.close()


def first_run(cli, servers, seed, options, env_extra=None):
    src = seam.prepare(cli, servers)
    writers = Ticker(servers, seed)
    writers.start()
    pause = os.path.join(servers.dir, "pause")
    process = seam.start_migrate(cli, servers, pause, *options, env_extra=env_extra)
    long_seqs = seam.long_transaction_across_the_copy(servers, process, pause)
    writers.stop_after(2.0)
    out, err = process.communicate(timeout=200)
    check(process.returncode == 0, f"the first run exited {process.returncode}:\n{out}\n{err}")
    lines = seam.json_lines(out)
    seam.check_strict(lines, "the first run")
    end = lines[-1]
    print(f"first run: {end['batches']} batches, {end['changes']} applied, {end['in_copy_changes']} in the copy")
    check(end["in_copy_changes"] > 0, f"no batch consumed changes the copy held: {end}")
    return src, writers, long_seqs, out + err


def jobs(cli, servers, seed):
    src, writers, long_seqs, out = first_run(cli, servers, seed, JOBS, env_extra=SNAPSHOT_GAP)
    _, _, snapshot = copy_report(out, "keyed")
    check("one MySQL/MariaDB snapshot per worker (2 workers)" in snapshot, f"not two snapshots: {snapshot}")
    seams = check_seams(servers, long_seqs, same=False)
    # The writers committed between the two snapshots: each table has its worker's seam,
    # and the batches must apply by the right one (a change of keyed that hist's later
    # snapshot saw is applied to keyed, or the proof fails).
    check(seams["hist"] != seams["keyed"], f"both tables have the same seam: {seams}")
    seam.finish(cli, servers, src, writers)


def chunks(cli, servers, seed):
    src, writers, long_seqs, out = first_run(cli, servers, seed, CHUNKS)
    rows, count, snapshot = copy_report(out, "keyed")
    print(f"keyed: {rows} rows in {count} chunks; {snapshot}")
    check("FLUSH TABLES WITH READ LOCK" in snapshot and "3 workers" in snapshot, f"not one point: {snapshot}")
    check(count > 1, f"the keyed table was copied in {count} chunk(s)")
    check_seams(servers, long_seqs, same=True)
    seam.finish(cli, servers, src, writers)


def kill(cli, servers, seed):
    src = seam.prepare(cli, servers)
    writers = Ticker(servers, seed)
    writers.start()
    pause = os.path.join(servers.dir, "pause")
    process = seam.start_migrate(cli, servers, pause, *JOBS, env_extra=SNAPSHOT_GAP)
    seam.long_transaction_across_the_copy(servers, process, pause, kill_during_copy=True)
    process.communicate(timeout=300)
    check(process.returncode == -signal.SIGKILL, f"the first run was not killed: {process.returncode}")
    # A new copy in new snapshots, while the writers go on, killed once its ledger (and so
    # its seam) is written.
    env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_CRASH="after_start", **SNAPSHOT_GAP)
    crashed = subprocess.run([cli, "migrate", servers.url("my", "src"), servers.url(seam.TARGET, "tgt"), "hist",
                              "keyed", "--name", seam.NAME, "--create-tables", "--json", *JOBS],
                             capture_output=True, text=True, env=env, timeout=300)
    check(crashed.returncode == -signal.SIGKILL,
          f"the after_start run was not killed: {crashed.returncode}\n{crashed.stdout}{crashed.stderr}")
    _, _, snapshot = copy_report(crashed.stdout + crashed.stderr, "keyed")
    check("2 workers" in snapshot, f"the second copy: {snapshot}")
    seams = {table: seam.ledger_seam(servers, table) for table in ("hist", "keyed")}
    check(all(seams.values()), f"a seam is empty: {seams}")
    # A run without --follow ends when a batch comes back empty: the writers stop first.
    writers.join(stop=True)
    lines = seam.json_lines(seam.migrate(cli, servers, *JOBS).stdout)
    seam.check_strict(lines, "the resumed run")
    check(sum(line.get("in_copy_changes", 0) for line in lines if "migration" in line) > 0,
          f"the resumed run consumed nothing the copy held: {lines[-1]}")
    for table, text in seams.items():
        check(seam.ledger_seam(servers, table) == text, f"the copy seam of {table} changed")
    seam.finish(cli, servers, src, writers)


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, seed, cli, plugin_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source_engine, seam.TARGET = direction.split("_to_")
    check(source_engine == "my", "the exact MariaDB seam needs a MariaDB source")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"jobs": jobs, "chunks": chunks, "kill": kill}[scenario](cli, servers, seed)
    print(f"seam jobs {scenario} {direction} {seed}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
