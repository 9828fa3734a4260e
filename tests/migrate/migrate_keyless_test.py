#!/usr/bin/python3
"""`fingerprint migrate` of a table without any unique key (whole-row identity,
docs/capture.md and docs/migrate.md "Tables without a unique key").

    migrate_keyless_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

DIRECTION: pg_to_my, my_to_pg. Scenarios:

  replay   both sides hold the same rows, duplicates and NULLs among them; capture is
           enabled without naming a key (whole-row identity) and the consumer starts
           there. Three writers insert duplicates and NULLs, update or delete one of
           several identical rows, and roll back, while `fingerprint migrate` runs again
           and again (each run applies the batches as a multiset and proves them). At
           the end table_fingerprint is equal on both sides, status shows the proof
           equal, `fingerprint diff` refuses the table without --key and agrees with
           every column named as the key. Then one of two identical rows is deleted by
           hand on the target and the source deletes both: the second logged delete finds
           no equal row, and the table stops naming the row (status --json).
  copy     the whole command (capture enable, consumer, `fingerprint copy
           --create-tables`) while the writers run, with a keyed table beside it: the copy
           proves the keyless table (one chunk) identical at its snapshot. The seam is
           exact on both engines (PostgreSQL: the consumer starts at the copy's snapshot;
           MariaDB: the changes whose log rows the copy's snapshot saw are consumed
           without being applied), so the keyless table's replay is proven and ends
           identical, and so does the keyed table's.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import random
import sys
import threading
import time

from migrate_common import Failure, Servers, check, execute, main_guard, run_cli, table_fingerprint

NAME = "kl"
TABLE = {
    "pg": "CREATE TABLE hist (tid integer, delta integer, note varchar(10), amount numeric(8,2), doc jsonb, "
          "ratio double precision)",
    "my": "CREATE TABLE hist (tid INT, delta INT, note VARCHAR(10), amount DECIMAL(8,2), doc JSON, ratio DOUBLE) "
          "ENGINE=InnoDB",
}
KEYED = {
    "pg": "CREATE TABLE keyed (id integer PRIMARY KEY, v integer)",
    "my": "CREATE TABLE keyed (id INT PRIMARY KEY, v INT) ENGINE=InnoDB",
}
ROWS = [(1, 1, "x", "1.50", '{"a": 1}', 0.5), (1, 1, "x", "1.50", '{"a": 1}', 0.5),
        (2, None, None, None, None, None), (2, None, None, None, None, None), (3, 2, "y", "2.25", '[1, 2]', 0.25)]


def insert_rows(conn, rows):
    for row in rows:
        execute(conn, "INSERT INTO hist VALUES (%s, %s, %s, %s, %s, %s)", row)


def one_of(engine, where):
    """SQL changing one row of a group of identical ones."""
    if engine == "pg":
        return f"WHERE ctid = (SELECT ctid FROM hist WHERE {where} LIMIT 1)"
    return f"WHERE {where} LIMIT 1"


class Writers:
    """Three writers of hist: small value domains, so identical rows are common; a rollback
    now and then. They write for `duration` seconds, or until stopped (stop_after, join
    with stop=True) when it is None. A subclass mixes other statements in (statement)."""

    def __init__(self, servers, engine, seed, duration=None):
        self.servers, self.engine, self.seed, self.duration = servers, engine, seed, duration
        self.counts = {"I": 0, "U": 0, "D": 0, "rollbacks": 0, "retried": 0}
        self.errors = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(3)]

    def start(self):
        for t in self.threads:
            t.start()

    def running(self):
        return any(t.is_alive() for t in self.threads)

    def stop_after(self, seconds):
        threading.Timer(seconds, self.stop.set).start()

    def join(self, stop=False):
        if stop:
            self.stop.set()
        for t in self.threads:
            t.join()
        check(not self.errors, "; ".join(self.errors))

    def run(self, index):
        rng = random.Random(self.seed * 10 + index)
        conn = self.servers.connect(self.engine, "src", autocommit=False)
        end = None if self.duration is None else time.time() + self.duration
        try:
            while not self.stop.is_set() and (end is None or time.time() < end):
                try:
                    self.transaction(conn, rng, index)
                except Exception as e:  # noqa: BLE001 - deadlocks are retried, the rest reported
                    if not deadlock(e):
                        raise
                    conn.rollback()
                    self.counts["retried"] += 1
                time.sleep(rng.random() * 0.01)
        except Exception as e:  # noqa: BLE001 - reported by join
            self.errors.append(f"writer {index}: {e}")
        finally:
            conn.close()

    def transaction(self, conn, rng, index):
        """One transaction of one to three statements, rolled back now and then."""
        with conn.cursor() as cur:
            for _ in range(rng.randint(1, 3)):
                self.statement(cur, rng, index)
        if rng.random() < 0.15:
            conn.rollback()
            self.counts["rollbacks"] += 1
        else:
            conn.commit()

    def statement(self, cur, rng, index):  # noqa: ARG002 - index: a subclass's own keys
        tid = rng.randint(1, 4)
        self.hist_statement(cur, rng, tid, rng.random(), 0.45, 0.75)

    def hist_statement(self, cur, rng, tid, action, inserts_below, updates_below):
        """An insert of a duplicate-prone row, or an update or delete of one of several
        identical rows, as `action` falls below inserts_below, updates_below or neither."""
        if action < inserts_below:
            cur.execute("INSERT INTO hist VALUES (%s, %s, %s, %s, %s, %s)",
                        (tid, rng.choice([None, 1, 2]), rng.choice([None, "x", "y"]),
                         rng.choice([None, "1.50", "2.25"]), rng.choice([None, '{"a": 1}']),
                         rng.choice([None, 0.5])))
            self.counts["I"] += 1
        elif action < updates_below:
            cur.execute("UPDATE hist SET delta = %s " + one_of(self.engine, "tid = %s"),
                        (rng.choice([None, 1, 2, 3]), tid))
            self.counts["U"] += cur.rowcount
        else:
            cur.execute("DELETE FROM hist " + one_of(self.engine, "tid = %s"), (tid,))
            self.counts["D"] += cur.rowcount


def deadlock(error):
    """A deadlock or lock wait timeout: scans of a table without an index lock the rows
    they pass (MariaDB), and writers change rows of one group in another order."""
    code = getattr(error, "pgcode", None)
    if code in ("40P01", "55P03"):
        return True
    return bool(getattr(error, "args", None)) and error.args[0] in (1205, 1213)


def migrate(cli, servers, source_engine, target_engine, *extra, status=0, name=NAME, tables=("hist",)):
    return run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), *tables,
                   "--name", name, *extra, check_status=status)


def status_of(cli, servers, source_engine, target_engine, name=NAME, status=(0, 1)):
    result = run_cli(cli, "status", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), "--name",
                     name, "--json", check_status=status)
    return {t["table"]: t for t in json.loads(result.stdout)["tables"]}


def duplicates(conn):
    return execute(conn, "SELECT COUNT(*) - (SELECT COUNT(*) FROM (SELECT DISTINCT * FROM hist) d) FROM hist")[0][0]


def enable(cli, servers, engine, src):
    if engine == "pg":
        notices = []
        src.notices.clear()
        execute(src, "SELECT fingerprint_capture_enable('hist')")
        notices = list(src.notices)
        check(any("whole-row identity" in n for n in notices), f"enable said: {notices}")
        execute(src, "SELECT fingerprint.register_consumer(%s)", ("migrate:" + NAME,))
    else:
        result = run_cli(cli, "capture", "enable", servers.url("my", "src"), "hist", check_status=0)
        check("whole-row identity" in result.stdout + result.stderr, f"enable said: {result.stdout}{result.stderr}")
    identity = execute(src, "SELECT identity FROM fingerprint.capture_tables WHERE table_name LIKE '%%hist'")
    check(identity and all(r[0] == "row" for r in identity), f"registered identity: {identity}")


def replay(cli, servers, source_engine, target_engine, seed):
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    execute(src, TABLE[source_engine])
    execute(tgt, TABLE[target_engine])
    insert_rows(src, ROWS)
    insert_rows(tgt, ROWS)
    check(table_fingerprint(source_engine, src, "hist") == table_fingerprint(target_engine, tgt, "hist"),
          "the initial rows differ between the engines")
    enable(cli, servers, source_engine, src)
    # The first run before any write: the ledger starts with the log empty (on MariaDB a
    # log already holding changes at the start would be a copy seam).
    migrate(cli, servers, source_engine, target_engine, "--no-copy")
    writers = Writers(servers, source_engine, seed, 4.0)
    writers.start()
    runs = 0
    while writers.running():
        migrate(cli, servers, source_engine, target_engine, "--no-copy")
        runs += 1
        time.sleep(0.1)
    writers.join()
    print(migrate(cli, servers, source_engine, target_engine, "--no-copy").stdout, end="")
    source_fp = table_fingerprint(source_engine, src, "hist")
    target_fp = table_fingerprint(target_engine, tgt, "hist")
    print(f"seed {seed}: {writers.counts}, {runs} runs, {duplicates(src)} duplicate rows\n"
          f"source {source_fp}\ntarget {target_fp}")
    check(writers.counts["U"] > 0 and writers.counts["D"] > 0 and duplicates(src) > 0,
          f"the workload made no duplicates, updates or deletes: {writers.counts}")
    check(source_fp == target_fp, "the target's table_fingerprint differs from the source's")
    table = status_of(cli, servers, source_engine, target_engine, status=0)["hist"]
    check(table["phase"] == "applying" and table["proof"] == "equal" and table["target_fingerprint"] == source_fp,
          f"status: {table}")
    # fingerprint diff needs a key; every column named as one, duplicates agree.
    src_url, tgt_url = servers.url(source_engine, "src"), servers.url(target_engine, "tgt")
    refused = run_cli(cli, "diff", src_url, tgt_url, "hist", "--no-progress")
    check(refused.returncode == 2 and "--key" in refused.stdout + refused.stderr,
          f"diff without a key: {refused.returncode}\n{refused.stdout}{refused.stderr}")
    agreed = run_cli(cli, "diff", src_url, tgt_url, "hist", "--no-progress", "--key", "tid,delta,note,amount,ratio")
    check(agreed.returncode == 0, f"diff --key of every column exited {agreed.returncode}:\n{agreed.stdout}")
    hand_deleted_duplicate(cli, servers, source_engine, target_engine, src, tgt)


def hand_deleted_duplicate(cli, servers, source_engine, target_engine, src, tgt):
    """One of two identical rows deleted by hand on the target: the per-batch proof counts
    relative to the batch, so it sees the loss when a logged delete finds no equal row
    left, naming the table and the row; the table stops and status --json says why."""
    insert_rows(src, [(9, 9, "dup", None, None, None)] * 2)
    migrate(cli, servers, source_engine, target_engine, "--no-copy")
    check(execute(tgt, "SELECT COUNT(*) FROM hist WHERE tid = 9")[0][0] == 2, "the duplicates did not arrive")
    execute(tgt, "DELETE FROM hist " + one_of(target_engine, "tid = 9"))
    execute(src, "DELETE FROM hist " + one_of(source_engine, "tid = 9"))
    execute(src, "DELETE FROM hist " + one_of(source_engine, "tid = 9"))
    result = migrate(cli, servers, source_engine, target_engine, "--no-copy", status=1)
    print(result.stdout, end="")
    table = status_of(cli, servers, source_engine, target_engine)["hist"]
    check(table["phase"] == "stopped" and "holds no row" in table["message"] and '"tid":9' in table["message"].replace(" ", "")
          and "changed by someone else" in table["message"], f"a hand-deleted duplicate was not reported: {table}")
    print("ok   hand-deleted duplicate:", table["message"])

def copy(cli, servers, source_engine, target_engine, seed):
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    execute(src, TABLE[source_engine])
    execute(src, KEYED[source_engine])
    insert_rows(src, ROWS * 40)
    execute(src, "INSERT INTO keyed VALUES (1, 1), (2, 2)")
    writers = Writers(servers, source_engine, seed, 3.0)
    writers.start()
    time.sleep(0.3)
    # The copy proves the keyless table identical at its snapshot (exit 1 only when a
    # table stopped afterwards, in the replay of what the copy missed).
    first = migrate(cli, servers, source_engine, target_engine, "--create-tables", status=(0, 1),
                    tables=("hist", "keyed"))
    print(first.stdout, end="")
    writers.join()
    execute(src, "UPDATE keyed SET v = 3 WHERE id = 1")
    result = migrate(cli, servers, source_engine, target_engine, status=(0, 1), tables=())
    by_table = status_of(cli, servers, source_engine, target_engine)
    print(f"seed {seed}: {writers.counts}; hist {by_table['hist']['phase']}: {by_table['hist'].get('message')}")
    check(by_table["keyed"]["phase"] == "applying" and by_table["keyed"]["proof"] == "equal",
          f"the keyed table did not go on: {by_table['keyed']}")
    check(table_fingerprint(source_engine, src, "keyed") == table_fingerprint(target_engine, tgt, "keyed"),
          "keyed differs")
    # An exact seam on both engines: every change the copy missed, none it holds.
    check(by_table["hist"]["phase"] == "applying" and by_table["hist"]["proof"] == "equal",
          f"hist: {by_table['hist']}")
    check(result.returncode == 0, f"exit {result.returncode} with every table applying")
    check(table_fingerprint(source_engine, src, "hist") == table_fingerprint(target_engine, tgt, "hist"),
          "hist differs")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, seed, cli, plugin_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source_engine, target_engine = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"replay": replay, "copy": copy}[scenario](cli, servers, source_engine, target_engine, seed)
    print(f"keyless {scenario} {direction} {seed}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
