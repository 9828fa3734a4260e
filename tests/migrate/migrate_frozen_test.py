#!/usr/bin/python3
"""`--timeout` holds when a PostgreSQL server freezes under `fingerprint migrate` and
`fingerprint copy` (docs/migrate.md, docs/copy.md: a server that cannot answer is given up
--timeout + 5 s later, the connection closed, exit 2 naming the side).

    migrate_frozen_test.py SCENARIO pg_to_pg SEED CLI PLUGIN_DIR

Scenarios (PostgreSQL to PostgreSQL, databases src and tgt of one cluster; the backends
of one database are stopped with SIGSTOP, as a frozen server's would be):

  target  `migrate --follow --timeout 2` applying a big batch (60,000 updates): the
          target's backends frozen mid-apply (while its first write waits for a lock the
          test holds, then lets go).
  source  the same with a batch of 5,000, the source's backends frozen as soon as the run
          has opened its target session.
  copy_target, copy_source  `fingerprint copy --timeout 2` of a table that takes seconds:
          the target's (COPY FROM STDIN) or the source's (COPY TO STDOUT) backends frozen
          mid-load.

Each run must exit 2 within 15 s of the freeze, naming the side and "no answer from the
server"; after SIGCONT the same command run again ends 0 and `fingerprint diff` exits 0.
Before the fix every one of them waited for as long as the freeze lasted.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import os
import signal
import subprocess
import sys
import time

from migrate_common import Failure, Servers, check, execute, main_guard, run_cli

ROWS = 60000
COPY_ROWS = 400000
GIVE_UP_SECONDS = 15


def backends_when(conn, database, application, condition):
    """The pids of application's sessions on database, in one look with the condition (an
    SQL boolean): nothing ends between seeing the moment and taking the pids."""
    return [pid for (pid,) in execute(conn, "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                                            f" AND application_name = %s AND ({condition})",
                                      (database, application))]


def wait_for(condition, what, seconds=60):
    until = time.time() + seconds
    while not condition():
        if time.time() > until:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(0.005)


def fill(conn, table, rows, width=60):
    execute(conn, f"CREATE TABLE {table} (id integer PRIMARY KEY, v text)")
    execute(conn, f"INSERT INTO {table} SELECT g, 'row ' || g || repeat('x', {width})"
                  f" FROM generate_series(1, {rows}) g")


def frozen_run(command, pids_to_freeze, side, after_freeze=lambda: None):
    """Starts command, freezes the pids pids_to_freeze() gives as soon as it gives any,
    and checks the run gives up in time naming side; thaws whatever happens."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stopped = []
    try:
        pids = []

        def ready():
            pids[:] = [] if child.poll() is not None else pids_to_freeze()
            return child.poll() is not None or pids

        wait_for(ready, "the moment to freeze")
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
            stopped.append(pid)
        frozen = time.time()
        if stopped:  # thaws them even when this test is killed before its finally
            subprocess.Popen(["sh", "-c", f"sleep {GIVE_UP_SECONDS + 40}; kill -CONT {' '.join(map(str, stopped))}"
                              " 2>/dev/null"], start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # no pipe of the test's: ctest would wait for it
        check(stopped, f"the run ended before the freeze: {child.communicate()}")
        after_freeze()
        print(f"{side}: froze backends {stopped}", flush=True)
        try:
            out, err = child.communicate(timeout=GIVE_UP_SECONDS + 15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise Failure(f"{side} frozen: still running {GIVE_UP_SECONDS + 15} s into the freeze")
        took = time.time() - frozen
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)
        if child.poll() is None:
            child.kill()
    text = out + err
    print(f"{side} frozen ({len(stopped)} backends): exit {child.returncode} after {took:.1f} s\n{text.strip()}")
    check(child.returncode == 2 and took < GIVE_UP_SECONDS,
          f"exit {child.returncode} after {took:.1f} s (want 2 within {GIVE_UP_SECONDS} s)")
    check(f"{side} postgresql://" in text and "no answer from the server within 7 s" in text,
          f"the message does not name the {side} and the give-up: {text}")


def diff(cli, servers, table):
    result = run_cli(cli, "diff", servers.url("pg", "src"), servers.url("pg", "tgt"), table, "--no-progress")
    check(result.returncode == 0, f"fingerprint diff of {table} exited {result.returncode}:\n{result.stdout}"
                                  f"{result.stderr}")


def migrate_frozen(cli, servers, side):
    src = servers.create_database("pg", "src")
    servers.create_database("pg", "tgt")
    rows = ROWS if side == "target" else 5000
    fill(src, "items", rows)
    src_url, tgt_url = servers.url("pg", "src"), servers.url("pg", "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, "items", "--name", "m", "--create-tables", check_status=0)
    execute(src, "UPDATE items SET v = v || '+'")  # one batch of `rows` changes
    print("migration started; a batch of", rows, "updates waits", flush=True)
    poller = servers.connect("pg", "postgres")
    command = [cli, "migrate", src_url, tgt_url, "--name", "m", "--follow", "--poll", "0.05", "--timeout", "2"]
    if side == "source":
        # Once the run has opened its target session: the source's next statement hangs.
        started = ("EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = 'tgt' AND"
                   " application_name = 'fingerprint migrate')")
        frozen_run(command, lambda: backends_when(poller, "src", "fingerprint migrate", started), side)
    else:
        # Mid-apply, deterministically: the test holds a lock that stops the apply's first
        # write to items; the target's backends are stopped while the apply waits for it,
        # then the lock is let go (the frozen backend never sees it).
        holder = servers.connect("pg", "tgt", autocommit=False)
        execute(holder, "LOCK TABLE items IN EXCLUSIVE MODE")
        waiting = "wait_event_type = 'Lock'"
        frozen_run(command, lambda: backends_when(poller, "tgt", "fingerprint migrate", waiting), side,
                   holder.rollback)
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "m", check_status=0, timeout=120)
    diff(cli, servers, "items")


def copy_frozen(cli, servers, side):
    src = servers.create_database("pg", "src")
    servers.create_database("pg", "tgt")
    fill(src, "big", COPY_ROWS, 200)
    command = [cli, "copy", servers.url("pg", "src"), servers.url("pg", "tgt"), "big", "--create-tables",
               "--timeout", "2", "--no-progress"]
    poller = servers.connect("pg", "postgres")
    loading = ("EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = 'tgt' AND"
               " application_name = 'fingerprint copy' AND state = 'active' AND query LIKE 'COPY%%')")
    frozen_run(command, lambda: backends_when(poller, "tgt" if side == "target" else "src", "fingerprint copy",
                                              loading), side)
    # Again without --timeout: 2 s is too short for reading the whole table on a busy machine.
    run_cli(cli, *[arg for arg in command[1:] if arg not in ("--timeout", "2")], check_status=0, timeout=120)
    diff(cli, servers, "big")


SCENARIOS = {
    "target": lambda cli, servers: migrate_frozen(cli, servers, "target"),
    "source": lambda cli, servers: migrate_frozen(cli, servers, "source"),
    "copy_target": lambda cli, servers: copy_frozen(cli, servers, "target"),
    "copy_source": lambda cli, servers: copy_frozen(cli, servers, "source"),
}


def main():
    scenario, direction, _seed, cli, plugin_dir = sys.argv[1:6]
    check(direction == "pg_to_pg", f"direction {direction}: only pg_to_pg")
    with Servers(plugin_dir) as servers:
        SCENARIOS[scenario](os.path.abspath(cli), servers)


if __name__ == "__main__":
    main_guard(main)
