#!/usr/bin/python3
"""`fingerprint migrate` from MariaDB applies each source transaction in one target
transaction (1.7: snapshot batches; issue 11).

    migrate_whole_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

whole (my_to_pg): a migration of table t is started (copy, --create-tables). Then a
writer commits small transactions (1 to 3 new rows and an update of one of them, each
transaction's rows tagged with its own name; some roll back) while one transaction of
12,500 changes (12,000 rows by INSERT ... SELECT in two halves with the writer's commits
in between, then 500 updates) commits, so the big transaction's log rows are interleaved
with the small ones' and it is larger than 1.6's default batch of 10,000. `fingerprint
migrate` runs while the writer goes on, then once more after it stopped. On the
PostgreSQL target:
  - all 12,000 rows of the big transaction share one xmin, and the rows of each small
    transaction share one xmin. (The apply writes a table's rows of a batch under one
    savepoint, so a row's xmin is that subtransaction's id: one xmin per batch and table.
    A transaction split across two batches, as 1.6's 10,000-change batches split this
    one, shows two.)
  - the target equals the source: table_fingerprint, and `fingerprint diff` exits 0.
Given 1.6's CLI (CLI is an argument), the first check fails: its 10,000-change batches
spread the big transaction over two or more xmins.
"""

import json
import random
import sys
import threading
import time

from migrate_common import Failure, Servers, check, execute, main_guard, run_cli, table_fingerprint

BIG_ROWS = 12000
BIG_UPDATES = 500
BIG_BASE = 1000000


class SmallWriter(threading.Thread):
    """Small transactions, each tagged: 1-3 new rows, then one of them updated."""

    def __init__(self, servers, seed):
        super().__init__()
        self.servers, self.rng = servers, random.Random(seed)
        self.stopping = threading.Event()
        self.commits = self.rollbacks = 0
        self.error = None
        self.next_id = 1

    def run(self):
        try:
            conn = self.servers.connect("my", "src", autocommit=False)
            number = 0
            while not self.stopping.is_set():
                number += 1
                tag = "small %d" % number
                ids = list(range(self.next_id, self.next_id + self.rng.randint(1, 3)))
                self.next_id += len(ids)
                for key in ids:
                    execute(conn, "INSERT INTO t (id, v, tag) VALUES (%s, %s, %s)", (key, self.rng.randint(0, 99), tag))
                    time.sleep(self.rng.random() * 0.005)
                execute(conn, "UPDATE t SET v = v + 1000 WHERE id = %s", (ids[0],))
                if self.rng.random() < 0.1:
                    conn.rollback()
                    self.rollbacks += 1
                else:
                    conn.commit()
                    self.commits += 1
                time.sleep(self.rng.random() * 0.01)
            conn.close()
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error


def big_transaction(servers):
    conn = servers.connect("my", "src", autocommit=False)
    half = BIG_ROWS // 2
    rows = ("INSERT INTO t (id, v, tag) SELECT %d + seq, seq, 'big' FROM seq_1_to_%d")
    execute(conn, rows % (BIG_BASE, half))
    time.sleep(0.5)  # the writer commits in between: its log rows fall between the halves
    execute(conn, rows % (BIG_BASE + half, half))
    execute(conn, "UPDATE t SET v = -v WHERE id > %s AND id <= %s", (BIG_BASE, BIG_BASE + BIG_UPDATES))
    seqs = execute(conn, "SELECT MIN(seq), MAX(seq), COUNT(*) FROM fingerprint.change_log "
                         "WHERE session_id = CONNECTION_ID()")[0]
    conn.commit()
    conn.close()
    return seqs


def whole(cli, servers, source, target):
    check((source, target) == ("my", "pg"), "the whole scenario runs my_to_pg")
    src = servers.create_database("my", "src")
    servers.create_database("pg", "tgt")
    execute(src, "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL, tag VARCHAR(40) NOT NULL) ENGINE=InnoDB")
    execute(src, "INSERT INTO t SELECT 500000 + seq, seq, 'before' FROM seq_1_to_100")
    src_url, tgt_url = servers.url("my", "src"), servers.url("pg", "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, "t", "--name", "whole", "--create-tables", check_status=0)

    writer = SmallWriter(servers, 11)
    writer.start()
    try:
        time.sleep(0.5)
        first, last, count = big_transaction(servers)
        check(count == BIG_ROWS + BIG_UPDATES, f"the big transaction logged {count} changes")
        between = execute(src, "SELECT COUNT(*) FROM fingerprint.change_log WHERE seq BETWEEN %s AND %s "
                               "AND session_id <> (SELECT session_id FROM fingerprint.change_log WHERE seq = %s)",
                          (first, last, first))[0][0]
        check(between > 0, "no small transaction's change was logged between the big transaction's")
        print(f"the big transaction: {count} changes, seqs {first}..{last}, {between} changes of others between")
        time.sleep(0.5)
        result = run_cli(cli, "migrate", src_url, tgt_url, "--name", "whole", "--json", check_status=0, timeout=120)
        batches = [json.loads(line) for line in result.stdout.splitlines()]
        print(f"migrate under the writer: {len(batches) - 1} batch(es), the last: {batches[-1].get('result')}")
        time.sleep(0.5)
    finally:
        writer.stopping.set()
        writer.join()
    if writer.error:
        raise Failure(f"the writer failed: {writer.error}")
    check(writer.commits > 20, f"the writer committed only {writer.commits} transactions")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "whole", check_status=0, timeout=120)

    tgt = servers.connect("pg", "tgt")
    xmins = {}
    for tag, xmin, rows in execute(tgt, "SELECT tag, xmin::text, count(*) FROM t GROUP BY 1, 2"):
        xmins.setdefault(tag, []).append((xmin, rows))
    big = xmins.get("big", [])
    check(sum(rows for _, rows in big) == BIG_ROWS, f"the target holds {sum(r for _, r in big)} of the big rows")
    check(len(big) == 1, f"the big transaction was applied in {len(big)} target transactions: "
                         f"xmin and rows {sorted(big)}")
    split = {tag: found for tag, found in xmins.items() if tag.startswith("small") and len(found) > 1}
    check(not split, f"small transactions applied in more than one target transaction: {sorted(split.items())[:5]}")
    small = [tag for tag in xmins if tag.startswith("small")]
    check(len(small) == writer.commits, f"{len(small)} small transactions on the target, {writer.commits} committed")
    print(f"ok   the big transaction's {BIG_ROWS} rows share xmin {big[0][0]}; each of {len(small)} small"
          " transactions has one xmin")
    source_fp, target_fp = table_fingerprint("my", src, "t"), table_fingerprint("pg", tgt, "t")
    check(source_fp == target_fp, f"table_fingerprint differs: source {source_fp}, target {target_fp}")
    result = run_cli(cli, "diff", src_url, tgt_url, "t", "--no-progress")
    check(result.returncode == 0, f"fingerprint diff exited {result.returncode}:\n{result.stdout}{result.stderr}")
    print("ok   identical: table_fingerprint equal, fingerprint diff exits 0")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, _seed, cli, plugin_dir = sys.argv[1:]
    source, target = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"whole": whole}[scenario](cli, servers, source, target)
    print(f"whole {scenario} {direction}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
