#!/usr/bin/python3
"""Bugs a hostile audit of `fingerprint migrate` found (issue 11), each against real servers.

    migrate_audit11_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

Scenarios:

  rename_pg  DIRECTION pg_to_my: a PostgreSQL source table renamed while `migrate --follow`
             runs (ALTER TABLE k RENAME TO k_old, then UPDATE k_old) stops in that run, at
             that batch, with a message naming both names and the batch; nothing of the
             batch is applied to it; another table goes on; the run exits 1 and `status`
             shows it stopped. A table renamed between runs (j) stops when the next run
             starts, named with its new name (before: "capture of public.j is not on:
             SELECT fingerprint_capture_enable('public.j')", which would capture an
             unrelated new j). Before the fix k's changes were skipped silently, k stayed
             `applying` with proof `equal` and the run exited 0.
  noinstall  DIRECTION pg_to_pg: the target database has no fingerprint extension; the
             first run exits 2 naming it before it enables anything: no capture on and
             no consumer at the source afterwards (before: capture was left on). A
             source table that does not exist is refused the same way.
  status_differs  DIRECTION pg_to_my: a target row changed by hand makes `--cutover`
             find the table different (exit 1); `status` then exits 1 too (before: 0, as
             only `stopped` counted), so `status && switch` does not switch.
  cutover_timeout  DIRECTION pg_to_my: a writer that never stops (about 20 statements/s)
             while `--cutover --quiet 2 --cutover-timeout 7 --json` runs: a progress line
             (`cutover_waiting`, changes per second) while it waits, then exit 4 with
             `"result":"writes go on"` and "the writes have not stopped" on standard
             error; nothing is cut over; once the writer stops, --cutover exits 0. Before,
             it waited for ever and said nothing off a terminal.
  free_sequence  DIRECTION pg_to_my: a key whose default is nextval of a sequence the
             column does not own; the cutover's certificate names it (moved, or not
             moved with what to do). Before: no counter and no word.
  kill_copy  DIRECTION pg_to_my: a first run killed (SIGKILL) while its copy holds the copy
             lock of the target table; the same command run at once waits for the dead
             session's lock and starts the migration (exit 0; before: "a copy into
             tgt.big is already running").

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import signal
import subprocess
import sys
import threading
import time

from migrate_common import Servers, check, execute, main_guard, run_cli


def rename_pg(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the rename_pg scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    tgt = servers.create_database("my", "tgt")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("my", "tgt")
    for table in ("k", "j", "other"):
        execute(src, f"CREATE TABLE {table} (id integer PRIMARY KEY, v integer)")
        execute(src, f"INSERT INTO {table} SELECT g, g FROM generate_series(1, 100) g")
    run_cli(cli, "migrate", src_url, tgt_url, "k", "j", "other", "--name", "r", "--create-tables",
            check_status=0)
    follow = subprocess.Popen([cli, "migrate", src_url, tgt_url, "--name", "r", "--follow", "--poll", "0.2",
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)
        execute(src, "ALTER TABLE k RENAME TO k_old")
        execute(src, "UPDATE k_old SET v = -2 WHERE id = 2")
        # An unrelated new table of the old name, captured: never taken for k.
        execute(src, "CREATE TABLE k (id integer PRIMARY KEY, v integer)")
        execute(src, "SELECT fingerprint_capture_enable('k')")
        execute(src, "INSERT INTO k VALUES (1, 999)")
        execute(src, "UPDATE other SET v = -1 WHERE id = 1")
        time.sleep(2.5)
    finally:
        follow.send_signal(signal.SIGTERM)
        out, err = follow.communicate(timeout=60)
    print(out[-2000:], err[-2000:])
    check(follow.returncode == 1, f"--follow exited {follow.returncode}, not 1 (a table stopped):\n{err}")
    lines = [json.loads(line) for line in out.splitlines()]
    stopped_in = [b for b in lines if "batch" in b and any(t["table"] == "k" and t["phase"] == "stopped"
                                                           for t in b["tables"])]
    check(stopped_in, f"no batch stopped k:\n{out}")
    batch = stopped_in[0]["batch"]
    end = {t["table"]: t for t in lines[-1]["tables"]}
    check(end["k"]["phase"] == "stopped" and end["k"]["proof"] == "failed", f"k at the end: {end['k']}")
    check(end["other"]["phase"] == "applying" and end["other"]["proof"] == "equal", f"other: {end['other']}")
    check(execute(tgt, "SELECT v FROM k WHERE id IN (1, 2) ORDER BY id") == [(1,), (2,)],
          "a change of the renamed table (or of the new k) was applied to the target's k")
    check(execute(tgt, "SELECT v FROM other WHERE id = 1") == [(-1,)], "other's change was not applied")
    status = run_cli(cli, "status", src_url, tgt_url, "--name", "r", "--json")
    tables = {t["table"]: t for t in json.loads(status.stdout)["tables"]}
    message = tables["k"].get("message", "")
    check(tables["k"]["phase"] == "stopped" and f"batch {batch}" in message and "public.k" in message
          and "renamed to public.k_old" in message, f"status does not say k was renamed at batch {batch}: {message}")
    # Renamed between runs, with no change since: the next run names the new name.
    execute(src, "ALTER TABLE j RENAME TO j_renamed")
    again = run_cli(cli, "migrate", src_url, tgt_url, "--name", "r", "--json", check_status=1)
    end = {t["table"]: t for t in json.loads(again.stdout.splitlines()[-1])["tables"]}
    check(end["j"]["phase"] == "stopped" and "renamed to public.j_renamed" in end["j"].get("message", ""),
          f"j renamed between runs: {end['j']}")
    check("is not on" not in again.stdout + again.stderr, f"the misleading message is back:\n{again.stdout}")
    check(end["other"]["proof"] == "equal", f"other after the second run: {end['other']}")


def left_on_pg_source(src):
    return (execute(src, "SELECT count(*) FROM fingerprint.capture_tables WHERE enabled")[0][0],
            execute(src, "SELECT count(*) FROM fingerprint.consumers")[0][0])


def noinstall(cli, servers, source, target):
    check((source, target) == ("pg", "pg"), "the noinstall scenario is pg_to_pg")
    src = servers.create_database("pg", "src")
    admin = servers.connect("pg", "postgres")
    execute(admin, "CREATE DATABASE tgt")
    execute(src, "CREATE TABLE t (id integer PRIMARY KEY, v integer)")
    execute(src, "INSERT INTO t VALUES (1, 1)")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("pg", "tgt")
    refused = run_cli(cli, "migrate", src_url, tgt_url, "t", "--name", "n", "--create-tables", check_status=2)
    print(refused.stderr.strip())
    check("not installed" in refused.stderr and "target" in refused.stderr
          and "nothing was enabled or copied" in refused.stderr, f"not the refusal expected: {refused.stderr}")
    check(left_on_pg_source(src) == (0, 0), f"capture or a consumer left at the source: {left_on_pg_source(src)}")
    tgt = servers.connect("pg", "tgt")
    execute(tgt, "CREATE EXTENSION fingerprint")
    refused = run_cli(cli, "migrate", src_url, tgt_url, "t", "nosuch", "--name", "n", "--create-tables",
                      check_status=2)
    check("public.nosuch does not exist" in refused.stderr, f"a missing table: {refused.stderr}")
    check(left_on_pg_source(src) == (0, 0), "capture of t was enabled before the missing table was found")
    run_cli(cli, "migrate", src_url, tgt_url, "t", "--name", "n", "--create-tables", check_status=0)


def status_differs(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the status_differs scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    tgt = servers.create_database("my", "tgt")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("my", "tgt")
    execute(src, "CREATE TABLE t (id integer PRIMARY KEY, v integer)")
    execute(src, "INSERT INTO t SELECT g, g FROM generate_series(1, 50) g")
    run_cli(cli, "migrate", src_url, tgt_url, "t", "--name", "s", "--create-tables", check_status=0)
    run_cli(cli, "status", src_url, tgt_url, "--name", "s", check_status=0)
    execute(tgt, "UPDATE t SET v = -7 WHERE id = 7")  # by hand: no batch touches it
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "s", "--cutover", "--quiet", "0.5", check_status=1)
    status = run_cli(cli, "status", src_url, tgt_url, "--name", "s", "--json")
    table = json.loads(status.stdout)["tables"][0]
    print(table["phase"], table["proof"], status.returncode)
    check(table["phase"] == "differs", f"the cutover did not find t different: {table}")
    check(status.returncode == 1, f"status exits {status.returncode} while t differs")


def writer_thread(servers, engine, db, statements, pause):
    stop = threading.Event()
    conn = servers.connect(engine, db)

    def loop():
        i = 0
        while not stop.is_set():
            execute(conn, statements[i % len(statements)])
            i += 1
            time.sleep(pause)
    thread = threading.Thread(target=loop)
    thread.start()
    return stop, thread


def cutover_timeout(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the cutover_timeout scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    servers.create_database("my", "tgt")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("my", "tgt")
    execute(src, "CREATE TABLE t (id integer PRIMARY KEY, v integer)")
    execute(src, "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g")
    run_cli(cli, "migrate", src_url, tgt_url, "t", "--name", "c", "--create-tables", check_status=0)
    stop, thread = writer_thread(servers, "pg", "src", ["UPDATE t SET v = v + 1 WHERE id = 1"], 0.05)
    try:
        started = time.time()
        result = run_cli(cli, "migrate", src_url, tgt_url, "--name", "c", "--cutover", "--quiet", "2",
                         "--cutover-timeout", "7", "--json", timeout=60)
        took = time.time() - started
    finally:
        stop.set()
        thread.join()
    print(result.stdout[-1500:], result.stderr[-800:])
    check(result.returncode == 4, f"--cutover under writes exited {result.returncode}, not 4")
    check(took < 30, f"--cutover-timeout 7 took {took:.0f} s")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    waiting = [line for line in lines if line.get("cutover_waiting")]
    check(waiting and waiting[0]["changes"] > 0 and waiting[0]["changes_per_second"] > 0,
          f"no progress line while waiting: {result.stdout}")
    check(lines[-1].get("result") == "writes go on", f"the last line: {lines[-1]}")
    check("the writes have not stopped" in result.stderr and "nothing was switched" in result.stderr,
          result.stderr)
    status = run_cli(cli, "status", src_url, tgt_url, "--name", "c", "--json", check_status=0)
    table = json.loads(status.stdout)["tables"][0]
    check(table["phase"] == "applying", f"a table was switched: {table}")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "c", "--cutover", "--quiet", "1", check_status=0)


def free_sequence(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the free_sequence scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    servers.create_database("my", "tgt")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("my", "tgt")
    execute(src, "CREATE SEQUENCE free_seq")
    execute(src, "CREATE TABLE f (id integer PRIMARY KEY DEFAULT nextval('free_seq'), v integer)")
    execute(src, "INSERT INTO f (v) SELECT g FROM generate_series(1, 100) g")
    run_cli(cli, "migrate", src_url, tgt_url, "f", "--name", "q", "--create-tables", check_status=0)
    result = run_cli(cli, "migrate", src_url, tgt_url, "--name", "q", "--cutover", "--quiet", "0.5",
                     check_status=0)
    print(result.stdout[-1500:], result.stderr[-800:])
    table = json.loads(result.stdout[result.stdout.index("{"):])["tables"][0]
    moved = table.get("counter", "")
    named = table.get("counter_not_moved", "")
    check(moved == "id next 101" or ("free_seq" in named and "next 101" in named and "AUTO_INCREMENT" in named),
          f"the sequence free_seq is neither moved nor named: {table}")
    if named:
        check("free_seq" in result.stderr, f"not named on standard error: {result.stderr}")


def kill_copy(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the kill_copy scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    tgt = servers.create_database("my", "tgt")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("my", "tgt")
    execute(src, "CREATE TABLE big (id integer PRIMARY KEY, v text)")
    execute(src, "INSERT INTO big SELECT g, repeat('y', 60) FROM generate_series(1, 400000) g")
    args = ["migrate", src_url, tgt_url, "big", "--name", "k", "--create-tables"]
    # The copy takes the table's copy lock, then creates the table, then loads it.
    created = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'tgt' AND TABLE_NAME = 'big'"
    first = subprocess.Popen([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and first.poll() is None and execute(tgt, created)[0][0] == 0:
        time.sleep(0.02)
    time.sleep(0.3)  # into the loading of a chunk
    copying = first.poll() is None
    first.send_signal(signal.SIGKILL)
    first.communicate()
    check(copying, "the first run was not copying any more when it was killed")
    again = run_cli(cli, *args, timeout=300)
    print(again.stdout[-800:], again.stderr[-800:])
    check(again.returncode == 0, f"the run after the kill exited {again.returncode}:\n{again.stdout}{again.stderr}")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, _seed, cli, plugin_dir = sys.argv[1:6]
    source, target = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"rename_pg": rename_pg, "noinstall": noinstall, "status_differs": status_differs,
         "cutover_timeout": cutover_timeout, "free_sequence": free_sequence, "kill_copy": kill_copy}[scenario](cli, servers, source, target)
    print(f"audit11 {scenario} {direction}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
