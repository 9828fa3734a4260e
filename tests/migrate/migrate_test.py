#!/usr/bin/python3
"""`fingerprint migrate` against real servers (docs/migrate.md): the replay engine, its
ledger and its per-batch proof, in every direction.

    migrate_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

DIRECTION: pg_to_my, my_to_pg, pg_to_pg, my_to_my. Scenarios:

  replay   both sides hold the same rows (the copy), capture is on and the consumer
           starts there; 4 writers (inserts, updates, deletes, primary-key updates, key
           swaps, delete-then-reinsert, rollbacks) and one transaction held open for most
           of the run change the source (a PostgreSQL source is also TRUNCATEd once)
           while `fingerprint migrate` runs again and again. Every run must exit 0 (every
           batch proven); at the end table_fingerprint is equal on both sides, `fingerprint
           diff` exits 0 and `fingerprint status --json` shows the table applying with
           its proof equal to the source's fingerprint. `full` ends with --cutover.
  full     the whole command while the writers run: the first `migrate --create-tables`
           enables capture, starts the consumer, runs `fingerprint copy` (creating the
           target table) and applies what the copy missed (the copy seam: changes the
           copy already holds are replayed onto it harmlessly; on a PostgreSQL source
           the consumer starts exactly at the copy's snapshot and every batch of the
           first run must be strictly proven); then as `replay`, then
           --cutover, which a second --cutover proves again; a source write after it
           stops the next run (exit 2, table and phase named) and stays in the log.
           PostgreSQL source: a target row changed by hand between the copy and the
           first batch is reported by that batch.
  failclosed  a target row changed by hand, a unique value taken on the target, a
           value the target cannot hold and an ALTER TABLE on the source (either engine;
           MariaDB: next_batch_per_table names the altered table) each stop their table
           with a message naming it, status --json shows them; another table goes on
           while the source is written again (the altered table's later changes are
           consumed, never applied) and is certified by --cutover (exit 1: not every
           table is identical), which moves the target's sequence/AUTO_INCREMENT past
           the source's.
  consumers  (MariaDB source) a second migration of a table the first one consumes is
           refused at its start, naming the first, before it enables or copies anything,
           and the first goes on; another reader takes a batch of the one change log:
           the next run of the first stops (exit 2, naming that consumer), applies
           nothing and leaves the batch in the log; `status` with another source URL
           than the ledger's is refused; a second run of a migration while one runs
           is refused ("already running"), and so is a new migration onto a target
           table the first one applies to.
  consumers_start  (MariaDB source) the same from the migration's start: a batch another
           consumer takes before the migration's first batch stops that first batch.
  rename   (MariaDB source) a captured table renamed between runs stops alone: its
           message says so and names the batch whose changes of it were consumed
           without being applied; the other table goes on; counts are of applied changes.
  signal   `migrate --follow` stopped by SIGTERM and by SIGINT at a batch boundary:
           exit 0, "stopped by signal", and a restart goes on from there.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import time

from migrate_common import (MY_TABLE, PG_TABLE, PG_TARGET_TABLE, Failure, Servers, Writers, check, execute,
                            initial_rows, main_guard, run_cli, table_fingerprint)

NAME = "t1"
CONSUMER = "migrate:" + NAME


def prepare(servers, cli, source_engine, target_engine, rows=200):
    """Source and target databases holding the same rows, capture on, the consumer at the
    copy's snapshot (nothing is written meanwhile)."""
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    execute(src, PG_TABLE if source_engine == "pg" else MY_TABLE)
    execute(tgt, PG_TARGET_TABLE if target_engine == "pg" else MY_TABLE)
    initial_rows(source_engine, src, rows)
    initial_rows(target_engine, tgt, rows)
    check(table_fingerprint(source_engine, src) == table_fingerprint(target_engine, tgt),
          "the initial rows differ between the engines")
    if source_engine == "pg":
        execute(src, "SELECT fingerprint_capture_enable('items')")
        execute(src, "SELECT fingerprint.register_consumer(%s)", (CONSUMER,))
    else:
        run_cli(cli, "capture", "enable", servers.url("my", "src"), "items", check_status=0)
    return src, tgt


def migrate(cli, servers, source_engine, target_engine, *extra, status=0):
    return run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), "items",
                   "--name", NAME, "--no-copy", *extra, check_status=status)


def final_checks(cli, servers, source_engine, target_engine, src, tgt, writers):
    source_fp = table_fingerprint(source_engine, src)
    target_fp = table_fingerprint(target_engine, tgt)
    print(f"source {source_fp}\ntarget {target_fp}")
    check(source_fp == target_fp, "the target's table_fingerprint differs from the source's")
    diff = run_cli(cli, "diff", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), "items",
                   "--no-progress")
    check(diff.returncode == 0, f"fingerprint diff exited {diff.returncode}:\n{diff.stdout}{diff.stderr}")
    status = run_cli(cli, "status", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), "--name",
                     NAME, "--json", check_status=0)
    document = json.loads(status.stdout)
    table = document["tables"][0]
    print(f"status: batch {document['last_batch']}, {document['changes']} changes, table {table['phase']}, "
          f"proof {table['proof']}, lag {table['lag_changes']} changes")
    check(table["phase"] == "applying" and table["proof"] == "equal", f"status: {status.stdout}")
    check(table["target_fingerprint"] == source_fp and table["source_fingerprint"] == source_fp,
          "the ledger's running fingerprints are not the tables' fingerprints")
    check(table["lag_changes"] == 0, "status shows changes waiting after the drain")
    # The long transaction opens after any TRUNCATE (migrate_common.Writers), so its rows
    # are on the source at the end and must be on the target.
    check(len(writers.long_ids) == 5 and writers.long_committed is not None, "the long transaction did not commit")
    check(not writers.truncated_at or max(writers.truncated_at) < writers.long_opened,
          "a TRUNCATE came after the long transaction opened")
    long_rows = execute(tgt, "SELECT COUNT(*) FROM items WHERE id >= 50000 AND name = 'long transaction'")[0][0]
    check(long_rows == len(writers.long_ids), f"the long transaction's changes did not arrive: {long_rows} rows")
    check(writers.swaps > 0, "the writers made no key swap")
    return document


def replay(cli, servers, source_engine, target_engine, seed):
    src, tgt = prepare(servers, cli, source_engine, target_engine)
    rng = random.Random(seed)
    # An early TRUNCATE: the long transaction opens after it and commits late.
    writers = Writers(servers, source_engine, "src", seed, truncate=source_engine == "pg", truncate_at=0.15)
    writers.start()
    runs = []
    while writers.running():
        started = time.time()
        migrate(cli, servers, source_engine, target_engine)
        runs.append((started, time.time()))
        time.sleep(rng.random() * 0.3)
    writers.join()
    result = migrate(cli, servers, source_engine, target_engine)
    print(result.stdout, end="")
    print(f"seed {seed}: {writers.commits} commits, {writers.rollbacks} rollbacks, {writers.swaps} swaps, "
          f"{writers.truncates} truncates, {len(runs)} migrate runs")
    check(writers.commits > 20 and writers.rollbacks > 3, "the workload did too little")
    # The long transaction was open across whole runs: they caught up past it, and a later
    # run applied it.
    across = [r for r in runs if writers.long_opened < r[0] and r[1] < writers.long_committed]
    check(across, "no migrate run began and ended while the long transaction was open")
    check(source_engine != "pg" or writers.truncates == 1, "the PostgreSQL source was not truncated")
    final_checks(cli, servers, source_engine, target_engine, src, tgt, writers)


def follow(cli, servers, source_engine, target_engine, env=None):
    return subprocess.Popen([cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"),
                             "items", "--name", NAME, "--no-copy", "--follow", "--poll", "0.05", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def full(cli, servers, source_engine, target_engine, seed):
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    execute(src, PG_TABLE if source_engine == "pg" else MY_TABLE)
    initial_rows(source_engine, src, 200)
    rng = random.Random(seed)
    # The long transaction starts after capture is on (enabling waits for open writers).
    writers = Writers(servers, source_engine, "src", seed, duration=6.0, long_delay=2.0)
    writers.start()
    time.sleep(0.3)
    # Small MariaDB batches: the seam (changes the copy already holds) spans several.
    first = run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), "items",
                    "--name", NAME, "--create-tables", "--batch-changes", "25", "--json", check_status=0)
    print(first.stdout, end="")
    check("caught up" in first.stdout, "the first run did not apply after the copy")
    batches = [json.loads(line) for line in first.stdout.splitlines() if line.startswith('{"batch"')]
    check(len(batches) > 0, "the writers committed nothing between the copy and the first batch")
    if source_engine == "pg":
        # The exact seam: the consumer starts at the copy's snapshot, so the first batch
        # is proven strictly (the target's rows as the log expects them, both running
        # fingerprints equal), never "pending (copy seam)".
        proofs = [t["proof"] for b in batches for t in b["tables"]]
        check(proofs and all(p == "equal" for p in proofs), f"the first run's batches: {proofs}")
    while writers.running():
        migrate(cli, servers, source_engine, target_engine)
        time.sleep(rng.random() * 0.3)
    writers.join()
    migrate(cli, servers, source_engine, target_engine)
    final_checks(cli, servers, source_engine, target_engine, src, tgt, writers)
    # The cutover: nothing is written any more; full proof, certificate.
    certificate = os.path.join(servers.dir, "certificate.json")
    result = migrate(cli, servers, source_engine, target_engine, "--cutover", "--quiet", "0.5", "--certificate",
                     certificate)
    print(result.stdout, end="")
    with open(certificate) as f:
        document = json.load(f)
    table = document["tables"][0]
    check(document["result"] == "identical" and table["equal"] and table["phase"] == "cut over", str(document))
    check(table["source_fingerprint"] == table_fingerprint(source_engine, src), "the certificate's fingerprint")
    after_cutover(cli, servers, source_engine, target_engine, src, tgt, certificate)
    if source_engine == "pg":
        hand_change_before_first_batch(cli, servers, source_engine, target_engine, src, tgt)
    if source_engine == "pg" and target_engine == "my":
        # The MySQL server's one ledger serves all its databases: items in tgt (cut over by
        # t1) is not items in tgt2, which a new migration may copy to.
        servers.create_database(target_engine, "tgt2")
        run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt2"), "items",
                "--name", "second", "--create-tables", check_status=0)


def hand_change_before_first_batch(cli, servers, source_engine, target_engine, src, tgt):
    """PostgreSQL source, exact seam: a target row changed by hand after the copy and
    before the first batch is reported by that batch (with a seam that let the first
    batch overwrite whatever the target held, it went unnoticed)."""
    execute(src, "CREATE TABLE hand (id integer PRIMARY KEY, v integer)")
    execute(src, "INSERT INTO hand SELECT g, g FROM generate_series(1, 5) g")
    src_url, tgt_url = servers.url(source_engine, "src"), servers.url(target_engine, "tgt")
    env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_CRASH="after_start")  # killed before its first batch
    crashed = subprocess.run([cli, "migrate", src_url, tgt_url, "hand", "--name", "hand", "--create-tables"],
                             capture_output=True, text=True, env=env, timeout=120)
    check(crashed.returncode == -signal.SIGKILL, f"the first run was not killed: {crashed.stdout}{crashed.stderr}")
    # Old images from here: the stop then names the column and both values.
    execute(src, "SELECT fingerprint_capture_enable('hand'::regclass, old_images => true)")
    execute(src, "UPDATE hand SET v = 200 WHERE id = 2")
    execute(tgt, "UPDATE hand SET v = -3 WHERE id = 3")
    execute(src, "UPDATE hand SET v = 300 WHERE id = 3")
    stopped = run_cli(cli, "migrate", src_url, tgt_url, "--name", "hand", check_status=1)
    print(stopped.stdout, end="")
    status = run_cli(cli, "status", src_url, tgt_url, "--name", "hand", "--json", check_status=1)
    table = json.loads(status.stdout)["tables"][0]
    print(f"hand: {table['phase']}: {table['message']}")
    check(table["phase"] == "stopped" and "batch 1," in table["message"] and "key [3]" in table["message"]
          and "changed by someone else" in table["message"] and "column v: source 3, target -3" in table["message"],
          f"the hand change was not reported with its column and values: {table}")


def after_cutover(cli, servers, source_engine, target_engine, src, tgt, certificate):
    """A repeated cutover proves again; a source write after the cutover stops the next run,
    naming table and phase, and its change stays in the log (never consumed and lost)."""
    migrate(cli, servers, source_engine, target_engine, "--cutover", "--quiet", "0.5", "--certificate", certificate)
    with open(certificate) as f:
        document = json.load(f)
    table = document["tables"][0]
    check(document["result"] == "identical" and table["equal"] and table["phase"] == "cut over",
          f"the repeated cutover: {document}")
    key = execute(src, "SELECT MIN(id) FROM items")[0][0]
    before = execute(tgt, "SELECT name FROM items WHERE id = %s", (key,))[0][0]
    execute(src, "UPDATE items SET name = 'written after the cutover' WHERE id = %s", (key,))
    for attempt in range(2):  # the batch stays on the source: refused again, not consumed
        refused = migrate(cli, servers, source_engine, target_engine, status=2)
        check("items" in refused.stderr and "'cut over'" in refused.stderr and "stays on the source" in
              refused.stderr, f"run {attempt + 1} after the cutover: {refused.stdout}{refused.stderr}")
    check(execute(tgt, "SELECT name FROM items WHERE id = %s", (key,))[0][0] == before,
          "a change after the cutover was applied to a cut-over table")


FAIL_TABLES = {
    "pg": ["CREATE TABLE codes (id integer PRIMARY KEY, code varchar(20) UNIQUE, n integer)",
           "CREATE TABLE serials (id serial PRIMARY KEY, v integer)",
           "CREATE TABLE alt (id integer PRIMARY KEY, v integer)",
           "CREATE TABLE vals (id integer PRIMARY KEY, n numeric(10,2), d date)",
           "CREATE TABLE written (id integer PRIMARY KEY, note varchar(20))"],
    "my": ["CREATE TABLE codes (id INT PRIMARY KEY, code VARCHAR(20) UNIQUE, n INT) ENGINE=InnoDB",
           "CREATE TABLE serials (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB",
           "CREATE TABLE alt (id INT PRIMARY KEY, v INT) ENGINE=InnoDB",
           "CREATE TABLE vals (id INT PRIMARY KEY, n DECIMAL(10,2), d DATE) ENGINE=InnoDB",
           "CREATE TABLE written (id INT PRIMARY KEY, note VARCHAR(20)) ENGINE=InnoDB"],
}


def fail_closed(cli, servers, source_engine, target_engine, seed):
    """Each table stops on its own failure, with a message naming it; the others go on;
    status --json shows it; --cutover certifies only what is identical."""
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    execute(src, PG_TABLE if source_engine == "pg" else MY_TABLE)
    initial_rows(source_engine, src, 20)
    for ddl in FAIL_TABLES[source_engine]:
        execute(src, ddl)
    execute(src, "INSERT INTO codes VALUES (1, 'a', 1), (2, 'b', 2)")
    execute(src, "INSERT INTO serials (v) VALUES (1), (2), (3)")
    execute(src, "INSERT INTO alt VALUES (1, 1)")
    execute(src, "INSERT INTO vals VALUES (1, 1.5, '2024-02-29')")
    execute(src, "INSERT INTO written VALUES (1, 'a')")
    tables = ["items", "codes", "serials", "alt", "vals", "written"]
    src_url, tgt_url = servers.url(source_engine, "src"), servers.url(target_engine, "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, *tables, "--name", NAME, "--create-tables", check_status=0)
    # Someone changes a target row; a unique value is taken on the target; then the
    # source changes those rows, and serials goes on.
    execute(tgt, "UPDATE items SET name = 'changed by hand' WHERE id = 5")
    # PostgreSQL source: old images from here, so the stop names the column and both
    # values; MariaDB's source keeps none, so its stop names the target's values and why.
    if source_engine == "pg":
        execute(src, "SELECT fingerprint_capture_enable('items'::regclass, old_images => true)")
        hand_words = ["column name: source \"item 5\", target changed by hand"]
    else:
        hand_words = ["the target's row: id = 5, name = changed by hand", "capture was enabled without old_images"]
    execute(tgt, "INSERT INTO codes VALUES (1000, 'dup', 0)")
    execute(src, "UPDATE items SET qty = 1 WHERE id = 5")
    execute(src, "INSERT INTO codes VALUES (7, 'dup', 7)")
    execute(src, "INSERT INTO serials (v) VALUES (4), (5)")
    # A value the target cannot hold: PostgreSQL numeric NaN, a MariaDB zero date.
    execute(src, "INSERT INTO vals VALUES (2, 'NaN', NULL)" if source_engine == "pg" else
            "INSERT INTO vals VALUES (2, NULL, '0000-00-00')")
    # A schema change of one captured table. PostgreSQL: a new schema version; MariaDB
    # (no DDL triggers): next_batch_per_table names the table instead of refusing the log.
    execute(src, "ALTER TABLE alt ADD COLUMN extra " + ("integer" if source_engine == "pg" else "INT"))
    execute(src, "INSERT INTO alt VALUES (2, 2, 2)")
    # Onto MariaDB, a row stored other than the log says (the test seam of
    # migrate_apply.cpp changes it after the INSERT): the proof names column and values.
    execute(src, "UPDATE written SET note = 'from the log' WHERE id = 1")
    env = None
    if target_engine == "my":
        env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_WRITTEN_TABLE="written",
                   FINGERPRINT_MIGRATE_TEST_WRITTEN_SQL="UPDATE {table} SET note = 'changed on write' WHERE id = 1")
    result = run_cli(cli, "migrate", src_url, tgt_url, "--name", NAME, check_status=1, env=env)
    print(result.stdout, end="")
    status = run_cli(cli, "status", src_url, tgt_url, "--name", NAME, "--json", check_status=1)
    by_table = {t["table"]: t for t in json.loads(status.stdout)["tables"]}
    print("items:", by_table["items"]["message"])
    if target_engine == "my":
        check(by_table["written"]["phase"] == "stopped", f"written did not stop: {by_table['written']}")
        for word in ["key [1]", "the row written differs from the log",
                     "column note: source \"from the log\", target changed on write"]:
            check(word in by_table["written"]["message"], f"written: '{word}' not in {by_table['written']['message']}")
        print("written:", by_table["written"]["message"])
    else:
        check(by_table["written"]["phase"] == "applying", f"written did not go on: {by_table['written']}")
    alt_words = ["columns"] + ([] if source_engine == "pg" else ["changed since capture was enabled", "src.alt"])
    for table, words in [("items", ["key [5]", "changed by someone else"] + hand_words), ("codes", ["dup", "unique conflict"]),
                         ("vals", ["key [2], column " + ("n" if source_engine == "pg" else "d"), "has no"]),
                         ("alt", alt_words)]:
        check(by_table[table]["phase"] == "stopped", f"{table} did not stop: {by_table[table]}")
        for word in words:
            check(word in by_table[table]["message"], f"{table}: '{word}' not in {by_table[table]['message']}")
    print("alt:", by_table["alt"]["message"])
    check(by_table["serials"]["phase"] == "applying" and by_table["serials"]["proof"] == "equal",
          f"serials did not go on: {by_table['serials']}")
    check(by_table["serials"]["rows"] == 5, "serials' rows")
    # The source goes on being written: serials keeps applying; the altered table's later
    # changes are consumed without being applied (it stopped and must be migrated again).
    execute(src, "INSERT INTO serials (v) VALUES (6)")
    execute(src, "UPDATE serials SET v = 20 WHERE v = 2")
    execute(src, "INSERT INTO alt VALUES (3, 3, 3)")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", NAME, check_status=1)
    status = run_cli(cli, "status", src_url, tgt_url, "--name", NAME, "--json", check_status=1)
    by_table = {t["table"]: t for t in json.loads(status.stdout)["tables"]}
    check(by_table["serials"]["phase"] == "applying" and by_table["serials"]["proof"] == "equal" and
          by_table["serials"]["rows"] == 6, f"serials after the ALTER of alt: {by_table['serials']}")
    check(by_table["alt"]["phase"] == "stopped", f"alt: {by_table['alt']}")
    check(execute(tgt, "SELECT COUNT(*) FROM alt WHERE id >= 2")[0][0] == 0, "a change of the altered table was applied")
    if source_engine == "my":
        check(execute(src, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 0,
              "the stopped table's changes were not consumed with the batches")
    # The cutover certifies serials and refuses the others; the target's counter moves on.
    certificate = os.path.join(servers.dir, "certificate.json")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", NAME, "--cutover", "--quiet", "0.5", "--certificate",
            certificate, check_status=1)
    with open(certificate) as f:
        document = json.load(f)
    verdicts = {t["table"]: t["equal"] for t in document["tables"]}
    print("certificate:", document["result"], verdicts)
    check(document["result"] == "different" and verdicts["serials"] and not verdicts["items"], str(document))
    execute(tgt, "INSERT INTO serials (v) VALUES (99)")
    new_id = execute(tgt, "SELECT id FROM serials WHERE v = 99")[0][0]
    check(new_id >= 7, f"the target's counter was not moved past the source's: new id {new_id}")
    if target_engine == "my":
        # A target user who may not read the ledger is told so, not "no migration".
        execute(tgt, "CREATE USER 'pv'@'localhost'")
        execute(tgt, "GRANT SELECT ON tgt.* TO 'pv'@'localhost'")
        execute(tgt, "GRANT SELECT, EXECUTE ON fingerprint.* TO 'pv'@'localhost'")
        denied = run_cli(cli, "status", src_url, tgt_url.replace("root@", "pv@"), "--name", NAME, check_status=2)
        check("no access to the migration ledger" in denied.stderr, denied.stdout + denied.stderr)
    if source_engine == "my":
        # One consumer per MariaDB log: a migration that would take another captured
        # table's changes away is refused, naming it.
        execute(src, "CREATE TABLE other (id INT PRIMARY KEY) ENGINE=InnoDB")
        run_cli(cli, "capture", "enable", src_url, "other", check_status=0)
        refused = run_cli(cli, "migrate", src_url, tgt_url, "serials", "--name", "second", "--no-copy",
                          check_status=2)
        check("src.other" in refused.stderr and "does not cover" in refused.stderr, refused.stderr)
        # Refused before anything is done: capture stays off, nothing is copied.
        execute(src, "CREATE TABLE fresh (id INT PRIMARY KEY) ENGINE=InnoDB")
        refused = run_cli(cli, "migrate", src_url, tgt_url, "fresh", "--name", "third", "--create-tables",
                          check_status=2)
        check("src.other" in refused.stderr and "does not cover" in refused.stderr, refused.stderr)
        check(execute(src, "SELECT COUNT(*) FROM fingerprint.capture_state WHERE table_name = 'src.fresh'"
                           " AND enabled")[0][0] == 0, "a refused start enabled capture of fresh")
        check(execute(tgt, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'fresh'")[0][0] == 0,
              "a refused start copied fresh to the target")


def two_consumers(cli, servers, source_engine, target_engine, seed):
    """MariaDB's log has one consumer at a time: when another migration took a batch of
    it, the first one stops (exit 2, naming that batch's consumer) and applies nothing."""
    src, tgt = prepare(servers, cli, source_engine, target_engine)
    execute(src, "UPDATE items SET name = 'first' WHERE id = 1")
    migrate(cli, servers, source_engine, target_engine)
    # One run of a migration at a time: a second one is refused while the first holds
    # the migration's lock on the target.
    execute(src, "UPDATE items SET name = 'followed' WHERE id = 4")
    child = follow(cli, servers, source_engine, target_engine)
    first = child.stdout.readline()
    check('"batch"' in first, f"no batch from migrate --follow: {first}")
    second = migrate(cli, servers, source_engine, target_engine, status=2)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=60)
    check(child.returncode == 0, f"migrate --follow: {out}{err}")
    check("'" + NAME + "' is already running" in second.stderr, second.stdout + second.stderr)
    # A target table another migration applies to is never copied over.
    owned = run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"), "items",
                    "--name", "third", "--create-tables", check_status=2)
    check("belongs to migration '" + NAME + "' (applying)" in owned.stderr, owned.stdout + owned.stderr)
    check(execute(tgt, "SELECT name FROM items WHERE id = 4")[0][0] == "followed", "the owned table was touched")
    # Another migration of the same source log, onto another target database: refused
    # at its start, naming this one, before it enables or copies anything (before, it
    # started, and this one stopped for good at its next batch).
    servers.create_database(target_engine, "tgt2")
    execute(src, "UPDATE items SET name = 'not taken by the other' WHERE id = 2")
    second = run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt2"),
                     "items", "--name", "other", "--create-tables", check_status=2)
    print(second.stderr, end="")
    check("migration '" + NAME + "' consumes this database's change log" in second.stderr
          and "Nothing was enabled or copied" in second.stderr, second.stdout + second.stderr)
    tgt2 = servers.connect(target_engine, "tgt2")
    check(not execute(tgt2, "SELECT 1 FROM information_schema.tables WHERE table_name = 'items'"),
          "the refused migration copied items")
    check(execute(src, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 1,
          "the refused migration consumed the log")
    migrate(cli, servers, source_engine, target_engine)
    check(execute(tgt, "SELECT name FROM items WHERE id = 2")[0][0] == "not taken by the other",
          "the first migration lost a change to the refused one")
    # Another reader of the log (not a migration: not seen at start) takes a batch: the
    # next run of this one stops (exit 2, naming it), applies nothing, leaves the batch.
    execute(src, "UPDATE items SET name = 'taken by the reader' WHERE id = 2")
    execute(src, "CALL fingerprint.next_batch('reader', 100)")
    taken = execute(src, "SELECT MAX(batch_id) FROM fingerprint.capture_batches")[0][0]
    execute(src, "CALL fingerprint.finish_batch('reader', %s)", (taken,))
    execute(src, "UPDATE items SET name = 'after the reader' WHERE id = 3")
    before = execute(tgt, "SELECT name FROM items WHERE id = 3")[0][0]
    refused = migrate(cli, servers, source_engine, target_engine, status=2)
    print(refused.stderr, end="")
    check("consumer 'reader'" in refused.stderr and "'" + NAME + "'" in refused.stderr,
          f"the run after another consumer's batch: {refused.stdout}{refused.stderr}")
    check(execute(tgt, "SELECT name FROM items WHERE id = 3")[0][0] == before,
          "a batch was applied after another consumer took one")
    check(execute(src, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 1,
          "the refused batch was finished (its change left the log)")
    # status checks the source against the ledger, as migrate does.
    servers.create_database(source_engine, "elsewhere")
    wrong = run_cli(cli, "status", servers.url(source_engine, "elsewhere"), servers.url(target_engine, "tgt"),
                    "--name", NAME, check_status=2)
    check("applies changes of" in wrong.stderr and "elsewhere" in wrong.stderr, wrong.stdout + wrong.stderr)


def other_consumer_at_start(cli, servers, source_engine, target_engine, seed):
    """MariaDB source: a batch another consumer takes between a migration's start and its
    first batch is seen by that first batch (the migration's position starts at the log's
    latest finished batch): it stops (exit 2, naming the other consumer), applies nothing."""
    src, tgt = prepare(servers, cli, source_engine, target_engine)
    execute(src, "UPDATE items SET name = 'before' WHERE id = 1")  # a batch finished before the start
    execute(src, "CALL fingerprint.next_batch('earlier', 100)")
    last = execute(src, "SELECT MAX(batch_id) FROM fingerprint.capture_batches")[0][0]
    execute(src, "CALL fingerprint.finish_batch('earlier', %s)", (last,))
    execute(tgt, "UPDATE items SET name = 'before' WHERE id = 1")
    env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_CRASH="after_start")  # killed before its first batch
    crashed = subprocess.run([cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt"),
                              "items", "--name", NAME, "--no-copy"], capture_output=True, text=True, env=env,
                             timeout=120)
    check(crashed.returncode == -signal.SIGKILL, f"the first run was not killed: {crashed.stdout}{crashed.stderr}")
    execute(src, "UPDATE items SET name = 'taken by the other' WHERE id = 2")
    servers.create_database(target_engine, "tgt2")
    run_cli(cli, "migrate", servers.url(source_engine, "src"), servers.url(target_engine, "tgt2"), "items",
            "--name", "other", "--create-tables", check_status=0)
    execute(src, "UPDATE items SET name = 'after the other' WHERE id = 3")
    before = execute(tgt, "SELECT name FROM items WHERE id = 3")[0][0]
    refused = migrate(cli, servers, source_engine, target_engine, status=2)
    print(refused.stderr, end="")
    check("consumer 'migrate:other'" in refused.stderr and "'" + NAME + "'" in refused.stderr,
          f"the first batch after another consumer's: {refused.stdout}{refused.stderr}")
    check(execute(tgt, "SELECT name FROM items WHERE id = 3")[0][0] == before,
          "a batch was applied after another consumer took one")


def stop_by_signal(cli, servers, source_engine, target_engine, seed):
    src, tgt = prepare(servers, cli, source_engine, target_engine)
    writers = Writers(servers, source_engine, "src", seed, duration=3.0)
    writers.start()
    for sig in (signal.SIGTERM, signal.SIGINT):
        child = follow(cli, servers, source_engine, target_engine)
        first = child.stdout.readline()  # the first batch applied: the loop is running
        check('"batch"' in first, f"no batch from migrate --follow: {first}")
        child.send_signal(sig)
        out, err = child.communicate(timeout=60)
        last = json.loads(out.splitlines()[-1])
        print(f"{signal.Signals(sig).name}: exit {child.returncode}, {last['result']} at batch {last['last_batch']}")
        check(child.returncode == 0 and last["result"] == "stopped by signal", f"{out}\n{err}")
        check(last["tables"][0]["proof"] == "equal", f"not proven when stopped: {out}")
    writers.join()
    migrate(cli, servers, source_engine, target_engine)
    final_checks(cli, servers, source_engine, target_engine, src, tgt, writers)


def renamed_table(cli, servers, source_engine, target_engine, seed):
    """A captured MariaDB table renamed between runs stops alone, with a message naming
    it and the batch whose changes of it were consumed without being applied; the other
    table goes on; the counts are of applied changes only."""
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    execute(src, MY_TABLE)
    initial_rows(source_engine, src, 20)
    execute(src, "CREATE TABLE k (id INT PRIMARY KEY, v INT) ENGINE=InnoDB")
    execute(src, "INSERT INTO k VALUES (1, 1), (2, 2)")
    src_url, tgt_url = servers.url(source_engine, "src"), servers.url(target_engine, "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, "items", "k", "--name", NAME, "--create-tables", check_status=0)
    # A change of k is logged, then k is renamed; items is written before and after.
    execute(src, "UPDATE items SET qty = 1 WHERE id = 5")
    execute(src, "INSERT INTO k VALUES (3, 3)")
    execute(src, "RENAME TABLE k TO k2")
    execute(src, "UPDATE items SET qty = 2 WHERE id = 6")
    result = run_cli(cli, "migrate", src_url, tgt_url, "--name", NAME, check_status=1)
    print(result.stdout, end="")
    check("no primary key" not in result.stdout + result.stderr, result.stdout + result.stderr)
    check("2 changes applied" in result.stdout and "1 consumed without applying" in result.stdout,
          f"the run's counts: {result.stdout}")
    status = run_cli(cli, "status", src_url, tgt_url, "--name", NAME, "--json", check_status=1)
    document = json.loads(status.stdout)
    by_table = {t["table"]: t for t in document["tables"]}
    message = by_table["k"].get("message", "")
    print("k:", message)
    check(by_table["k"]["phase"] == "stopped", f"k did not stop: {by_table['k']}")
    check(re.search(r"^batch [0-9]+, table src\.k: .*no longer exists \(renamed or dropped", message) and
          "1 change(s) in this batch were consumed without being applied" in message, message)
    check(by_table["items"]["phase"] == "applying" and by_table["items"]["proof"] == "equal",
          f"items did not go on: {by_table['items']}")
    check(document["changes"] == 2 and by_table["items"]["changes_applied"] == 2 and
          by_table["k"]["changes_applied"] == 0, f"status counts: {status.stdout}")
    # items keeps applying in later runs; k stays stopped.
    execute(src, "UPDATE items SET qty = 3 WHERE id = 7")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", NAME, check_status=1)
    status = run_cli(cli, "status", src_url, tgt_url, "--name", NAME, "--json", check_status=1)
    document = json.loads(status.stdout)
    by_table = {t["table"]: t for t in document["tables"]}
    check(by_table["items"]["phase"] == "applying" and by_table["items"]["proof"] == "equal" and
          by_table["items"]["source_fingerprint"] == table_fingerprint(source_engine, src) and
          table_fingerprint(target_engine, tgt) == table_fingerprint(source_engine, src) and
          document["changes"] == 3, f"items after the rename of k: {status.stdout}")
    check(by_table["k"]["phase"] == "stopped" and by_table["k"]["message"] == message,
          f"k's message changed: {by_table['k']}")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, seed, cli, plugin_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source_engine, target_engine = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"replay": replay, "full": full, "failclosed": fail_closed,
         "signal": stop_by_signal, "consumers": two_consumers,
         "consumers_start": other_consumer_at_start, "rename": renamed_table}[scenario](cli, servers, source_engine,
                                                                                target_engine, seed)
    print(f"{scenario} {direction} {seed}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
