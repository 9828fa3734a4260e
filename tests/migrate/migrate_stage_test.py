"""The proof of the rows a batch writes onto a PostgreSQL target (docs/migrate.md "The
proof at every batch", step 2), on both of its paths:

  staged    the rows go by COPY into a temporary staging table and one INSERT ... SELECT
            from it returns fingerprint_agg over the rows as stored. The test seam
            FINGERPRINT_MIGRATE_TEST_STAGE_TABLE/_SQL (cli/src/migrate_target_stage.cpp)
            changes one column of one key in the staging table of one table, so that
            the target stores another row than the log says: that table stops at that
            batch with a message naming the batch, the key, the column and both values
            (status --json shows it), nothing of its batch is committed, and the other
            table goes on, proven; a later run applies other's changes and none of
            hand's. The seam set for a table not migrated changes nothing.
            Without the seam: a target char(8) where the source has varchar(8) would store
            'b ' as 'b'; the converter refuses it before the write (no type was found
            that stores another value than sent and reaches the proof).
  fallback  a target role without TEMP on the database (REVOKE TEMP ... FROM PUBLIC) and a
            target table with a DO ALSO rule on INSERT (an INSERT would run it; a data-
            modifying WITH refuses it): both keep COPY straight into the table and the
            read-back by key (the rule table also once the role is granted TEMP, halfway).
            The copy and every batch of several runs are proven (status
            equal, equal table fingerprints, fingerprint diff exits 0), the rule's audit
            table never sees the migration's rows (COPY ignores rules, as the apply's
            replica mode ignores triggers), and a target row changed by hand stops each
            table at the next batch touching it, naming the key.

Usage: migrate_stage_test.py <staged|fallback> <pg_to_pg|my_to_pg> <seed> <fingerprint CLI> <UDF dir>
Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""

import json
import os
import subprocess
import sys
import time

from migrate_common import Servers, check, execute, main_guard, run_cli, table_fingerprint

TABLES = ["hand", "other"]


def source_tables(engine):
    text = "text" if engine == "pg" else "VARCHAR(100)"
    tail = "" if engine == "pg" else " ENGINE=InnoDB"
    return [f"CREATE TABLE {t} (id integer NOT NULL PRIMARY KEY, v integer, note {text}){tail}" for t in TABLES]


def fill(engine, conn):
    for table in TABLES:
        if engine == "pg":
            execute(conn, f"INSERT INTO {table} SELECT g, g, 'n' || g FROM generate_series(1, 20) g")
        else:
            execute(conn, f"INSERT INTO {table} SELECT seq, seq, CONCAT('n', seq) FROM seq_1_to_20")


def status_by_table(cli, src_url, tgt_url, name, exit_status):
    status = run_cli(cli, "status", src_url, tgt_url, "--name", name, "--json", check_status=exit_status)
    return {t["table"].split(".")[-1]: t for t in json.loads(status.stdout)["tables"]}


def rows(conn, table):
    return execute(conn, f"SELECT id, v, note FROM {table} ORDER BY id")


def batches(tgt, name):
    return execute(tgt, "SELECT COUNT(*) FROM fingerprint_migrate.batches WHERE migration = %s", (name,))[0][0]


def proven_equal(cli, src_url, tgt_url, name, source_engine, src, tgt, tables):
    by_table = status_by_table(cli, src_url, tgt_url, name, 0)
    for table in tables:
        entry = by_table[table]
        proven = entry["proof"] == "equal" or (entry["proof"] == "copy" and entry["changes_applied"] == 0)
        check(entry["phase"] == "applying" and proven, f"{table}: {entry}")
        source_fp, target_fp = table_fingerprint(source_engine, src, table), table_fingerprint("pg", tgt, table)
        check(source_fp == target_fp, f"{table}: source {source_fp}, target {target_fp}")
        check(entry["target_fingerprint"] == target_fp, f"{table}: the ledger's running fingerprint is not the table's")
    diff = run_cli(cli, "diff", src_url, tgt_url, *tables, "--no-progress")
    check(diff.returncode == 0, f"fingerprint diff exited {diff.returncode}:\n{diff.stdout}{diff.stderr}")


def staged(cli, servers, source_engine, seed):
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database("pg", "tgt")
    for statement in source_tables(source_engine):
        execute(src, statement)
    fill(source_engine, src)
    # pad: a target char(8) where the source has varchar(8): the target stores (and
    # fingerprints) a value without its trailing spaces, whatever it was sent.
    execute(src, "CREATE TABLE pad (id integer NOT NULL PRIMARY KEY, note varchar(8))"
            + ("" if source_engine == "pg" else " ENGINE=InnoDB"))
    execute(src, "INSERT INTO pad VALUES (1, 'a'), (2, 'b')")
    execute(tgt, "CREATE TABLE pad (id integer NOT NULL PRIMARY KEY, note character(8))")
    src_url, tgt_url = servers.url(source_engine, "src"), servers.url("pg", "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, *TABLES, "pad", "--name", "st", "--create-tables", check_status=0)

    # The seam is inert for a table it does not name: a batch runs proven.
    execute(src, "UPDATE hand SET v = 200 WHERE id = 2")
    env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_STAGE_TABLE="nosuch",
               FINGERPRINT_MIGRATE_TEST_STAGE_SQL="UPDATE {stage} SET note = 'changed in staging'")
    quiet = subprocess.run([cli, "migrate", src_url, tgt_url, "--name", "st"], capture_output=True, text=True,
                           env=env, timeout=120)
    check(quiet.returncode == 0, f"the seam acted on a table it does not name: {quiet.stdout}{quiet.stderr}")
    proven_equal(cli, src_url, tgt_url, "st", source_engine, src, tgt, TABLES)

    # A batch of both tables: hand's keys 3 and 4 change, other's key 3 changes and 21 is new.
    execute(src, "UPDATE hand SET note = 'from the log', v = 300 WHERE id = 3")
    execute(src, "UPDATE hand SET v = 400 WHERE id = 4")
    execute(src, "UPDATE other SET note = 'other goes on' WHERE id = 3")
    execute(src, "INSERT INTO other VALUES (21, 21, 'new')")
    hand_before = rows(tgt, "hand")
    batches_before = batches(tgt, "st")
    env["FINGERPRINT_MIGRATE_TEST_STAGE_TABLE"] = "hand"
    env["FINGERPRINT_MIGRATE_TEST_STAGE_SQL"] = "UPDATE {stage} SET note = 'changed in staging' WHERE id = 3"
    result = subprocess.run([cli, "migrate", src_url, tgt_url, "--name", "st"], capture_output=True, text=True,
                            env=env, timeout=120)
    print(result.stdout, end="")
    check(result.returncode == 1, f"migrate exited {result.returncode}:\n{result.stdout}{result.stderr}")
    batch = batches(tgt, "st")
    check(batch > batches_before, "no batch was recorded")
    by_table = status_by_table(cli, src_url, tgt_url, "st", 1)
    message = by_table["hand"]["message"]
    print("hand:", message)
    check(by_table["hand"]["phase"] == "stopped", f"hand did not stop: {by_table['hand']}")
    for word in ["batch ", "key [3]", "column note", '"from the log"', "changed in staging",
                 "the row written differs from the log"]:
        check(word in message, f"hand: {word!r} not in {message}")
    # The batch named is one the ledger holds, and the one that carried hand's change.
    named = int(message.split("batch ", 1)[1].split(",", 1)[0])
    check(batches_before < named <= batch, f"the message names batch {named}, the ledger has {batch}")
    check(rows(tgt, "hand") == hand_before, f"a change of the stopped batch was committed to hand: {rows(tgt, 'hand')}")
    check(by_table["other"]["phase"] == "applying" and by_table["other"]["proof"] == "equal",
          f"other did not go on: {by_table['other']}")
    check(table_fingerprint(source_engine, src, "other") == table_fingerprint("pg", tgt, "other"),
          "other differs from the source")
    check(execute(tgt, "SELECT note FROM other WHERE id = 3")[0][0] == "other goes on", "other's batch not applied")

    # Without the seam the source goes on: other keeps applying, hand stays stopped and
    # its later changes are never applied.
    execute(src, "UPDATE hand SET v = 500 WHERE id = 5")
    execute(src, "UPDATE other SET v = 500 WHERE id = 5")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "st", check_status=1)
    by_table = status_by_table(cli, src_url, tgt_url, "st", 1)
    check(by_table["hand"]["phase"] == "stopped" and by_table["other"]["proof"] == "equal", str(by_table))
    check(rows(tgt, "hand") == hand_before, "a stopped table's later change was applied")
    check(execute(tgt, "SELECT v FROM other WHERE id = 5")[0][0] == 500, "other's later change not applied")

    # Without any seam, a value the target would store otherwise than sent ('b ' into a
    # char(8), which keeps no trailing space) never reaches the proof: the converter
    # refuses it before the write, naming key, column and value; pad stops, nothing of its
    # batch committed. (Read, not tried: jsonb's key order and duplicate keys are
    # canonicalized alike on both sides, docs/copy-types.md.)
    execute(src, "UPDATE pad SET note = 'c' WHERE id = 1")
    execute(src, "UPDATE pad SET note = 'b ' WHERE id = 2")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "st", check_status=1)
    by_table = status_by_table(cli, src_url, tgt_url, "st", 1)
    message = by_table["pad"]["message"]
    print("pad:", message)
    check(by_table["pad"]["phase"] == "stopped", f"pad did not stop: {by_table['pad']}")
    for word in ["key [2]", "column note", "'b '", "character(8) would drop"]:
        check(word in message, f"pad: {word!r} not in {message}")
    check(execute(tgt, "SELECT note::text FROM pad WHERE id = 1")[0][0] == "a", "pad's stopped batch was committed")



def fallback(cli, servers, source_engine, seed):
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database("pg", "tgt")
    for statement in source_tables(source_engine):
        execute(src, statement)
        execute(tgt, statement.replace("VARCHAR(100)", "text").replace(" ENGINE=InnoDB", "") if source_engine == "my"
                else statement)
    fill(source_engine, src)
    # "other" gets a rule on INSERT: an INSERT into it also writes other_audit.
    execute(tgt, "CREATE TABLE other_audit (n serial PRIMARY KEY, id integer)")
    execute(tgt, "CREATE RULE other_audit AS ON INSERT TO other DO ALSO INSERT INTO other_audit (id) VALUES (NEW.id)")
    # A role with every privilege the migration needs but TEMP.
    execute(tgt, "REVOKE TEMP ON DATABASE tgt FROM PUBLIC")
    execute(tgt, "CREATE ROLE applier LOGIN")
    execute(tgt, "GRANT CONNECT, CREATE ON DATABASE tgt TO applier")
    execute(tgt, "GRANT ALL ON SCHEMA public TO applier")
    execute(tgt, "GRANT USAGE, CREATE ON SCHEMA fingerprint TO applier")  # copy's progress table
    for table in TABLES + ["other_audit"]:
        execute(tgt, f"ALTER TABLE {table} OWNER TO applier")
    execute(tgt, "SET ROLE applier")
    check(not execute(tgt, "SELECT has_database_privilege('tgt', 'TEMP')")[0][0], "applier may still create TEMP")
    execute(tgt, "RESET ROLE")
    # The rule works for ordinary sessions (and a data-modifying WITH refuses it).
    execute(tgt, "INSERT INTO other VALUES (1000, 0, 'x')")
    check(execute(tgt, "SELECT COUNT(*) FROM other_audit")[0][0] == 1, "the rule did not fire")
    execute(tgt, "DELETE FROM other WHERE id = 1000")
    execute(tgt, "TRUNCATE other_audit")

    src_url, tgt_url = servers.url(source_engine, "src"), servers.url("pg", "tgt").replace("postgres@", "applier@")
    run_cli(cli, "migrate", src_url, tgt_url, *TABLES, "--name", "fb", check_status=0)
    for round_ in range(4):  # inserts, updates, deletes, a key update: several batches
        if round_ == 2:
            # From here the role may create temporary tables: hand goes through staging,
            # other keeps COPY for its rule alone.
            execute(tgt, "GRANT TEMP ON DATABASE tgt TO applier")
        base = 100 * (round_ + 1)
        for table in TABLES:
            execute(src, f"INSERT INTO {table} VALUES ({base}, {base}, 'r{round_}'), ({base + 1}, 1, NULL)")
            execute(src, f"UPDATE {table} SET v = v + 1, note = 'u{round_}' WHERE id IN (2, 3, 4)")
            execute(src, f"DELETE FROM {table} WHERE id = {10 + round_}")
            execute(src, f"UPDATE {table} SET id = id + 50 WHERE id = {base + 1}")
        run_cli(cli, "migrate", src_url, tgt_url, "--name", "fb", check_status=0)
    check(batches(tgt, "fb") >= 4, f"only {batches(tgt, 'fb')} batches were recorded")
    proven_equal(cli, src_url, tgt_url, "fb", source_engine, src, tgt, TABLES)
    check(execute(tgt, "SELECT COUNT(*) FROM other_audit")[0][0] == 0,
          "the INSERT rule ran on the migration's rows (they must go in by COPY)")
    check(execute(tgt, "SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'fingerprint_migrate_stage%'")[0][0] == 0,
          "a staging table exists")

    # A hand change on the target is caught by the next batch touching the row.
    for table in TABLES:
        execute(tgt, f"UPDATE {table} SET note = 'changed by hand' WHERE id = 5")
        execute(src, f"UPDATE {table} SET v = -5 WHERE id = 5")
    stopped = run_cli(cli, "migrate", src_url, tgt_url, "--name", "fb", check_status=1)
    print(stopped.stdout, end="")
    by_table = status_by_table(cli, src_url, tgt_url, "fb", 1)
    for table in TABLES:
        message = by_table[table]["message"]
        print(f"{table}: {message}")
        check(by_table[table]["phase"] == "stopped" and "key [5]" in message and "changed by someone else" in message,
              f"{table}: the hand change was not reported: {by_table[table]}")
        # Captured without old images: the target's values are named, and why the source's are not.
        for word in ["the target's row: id = 5, ", "note = changed by hand", "capture was enabled without old_images"]:
            check(word in message, f"{table}: '{word}' not in {message}")
        check(execute(tgt, f"SELECT v, note FROM {table} WHERE id = 5")[0] == (5, "changed by hand"),
              f"{table}: the stopped batch was committed")


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("staged", "fallback"):
        print(__doc__)
        sys.exit(2)
    scenario, direction, seed, cli, plugin_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source_engine, target_engine = direction.split("_to_")
    check(target_engine == "pg", "these paths are PostgreSQL's: the target must be pg")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"staged": staged, "fallback": fallback}[scenario](cli, servers, source_engine, seed)
    print(f"{scenario} {direction} {seed}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
