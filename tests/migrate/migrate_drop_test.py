#!/usr/bin/python3
"""What a DBA meets around a migration's life (docs/migrate.md "Dropping a migration",
"Option values", "Names"): option values refused, odd names, `migrate --drop`, and a
failed first start leaving no ledger behind.

    migrate_drop_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

Scenarios:

  options  DIRECTION pg_to_my: every numeric or duration option of migrate, status, copy
           and diff given '', 0, -5, 1e3, 10x, ' 5', a huge number (as it applies) exits 2
           naming the option and the value; nothing was enabled, registered or created.
           --name with a quote, a dot, accents and spaces inside (55 characters) migrates,
           resumes, shows in status and drops; 56 characters, a trailing space or a tab
           is refused. A first run that fails (a table that does not exist) drops the
           empty ledger it created; one that fails next to another migration keeps the
           ledger and that migration's rows. A drop without --disable-capture names the
           capture it leaves on; with it, a consumer of unknown tables ('reader',
           registered by hand) keeps every table on, named.
  drop     DIRECTION pg_to_my: migrations a (t_a, shared) and b (shared, t_b) of one
           source into two target databases (one ledger). --drop of a is refused while a
           runs; then `--drop --disable-capture --json` unregisters a's consumer, turns
           off t_a only (shared stays on, naming b), removes a's ledger rows; b's
           consumer, capture and ledger rows are untouched and b goes on proven. A
           second --drop of a says there is no such migration. With the target gone
           (its database dropped), --drop of b unregisters its consumer and names the
           ledger it could not reach; with the source gone, --drop of b removes its
           ledger rows, names the consumer it could not reach, and drops the ledger
           that is now empty.
  mariadb  DIRECTION my_to_pg: a migration killed after a batch's target commit leaves
           its batch open on MariaDB's log; --drop --disable-capture finishes that batch
           (another consumer can take the log again), turns capture off and drops the
           ledger.
  hostile16 DIRECTION pg_to_pg (found by the hostile16 audit): a --drop given the wrong
           target (another database, whose ledger has no such migration) is refused
           (exit 2) and leaves the consumer of migration a, which runs against its real
           target; status exits 1 once that consumer is gone; a --drop
           --disable-capture after the migration's table was renamed (t -> t_old) and a
           new table t captured turns off t_old's capture, not the new t's; a table
           named twice is refused before anything starts; a drop with neither side
           reachable says "nothing dropped".

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import os
import signal
import subprocess
import sys
import time

from migrate_common import Servers, check, execute, main_guard, run_cli, table_fingerprint


def create_table(engine, conn, table, rows=20):
    if engine == "pg":
        execute(conn, f'CREATE TABLE "{table}" (id integer PRIMARY KEY, v text)')
        execute(conn, f"INSERT INTO \"{table}\" SELECT g, 'row ' || g FROM generate_series(1, {rows}) g")
    else:
        execute(conn, f"CREATE TABLE `{table}` (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB")
        execute(conn, f"INSERT INTO `{table}` SELECT seq, CONCAT('row ', seq) FROM seq_1_to_{rows}")


def quoted(engine, table):
    return f'"{table}"' if engine == "pg" else f"`{table}`"


def write(engine, conn, table, key):
    execute(conn, f"UPDATE {quoted(engine, table)} SET v = 'changed {key}' WHERE id = 1")
    execute(conn, f"DELETE FROM {quoted(engine, table)} WHERE id = 2")
    execute(conn, f"INSERT INTO {quoted(engine, table)} VALUES ({key}, 'new')")


def fingerprint_of(engine, conn, table):
    if engine == "pg":
        return table_fingerprint("pg", conn, quoted("pg", table))
    return execute(conn, "CALL fingerprint.table_fingerprint(CONCAT(DATABASE(), '.', %s))", (table,))[0][0]


def pg_captured(src):
    return sorted(r[0] for r in execute(src, "SELECT relid::regclass::text FROM fingerprint.capture_tables"
                                             " WHERE enabled"))


def pg_consumers(src):
    return sorted(r[0] for r in execute(src, "SELECT consumer FROM fingerprint.consumers"))


def my_has_database(servers, db):
    admin = servers.connect("my", None)
    found = execute(admin, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (db,))
    admin.close()
    return bool(found)


def ledger_names(servers):
    admin = servers.connect("my", None)
    names = sorted(r[0] for r in execute(admin, "SELECT name FROM fingerprint_migrate.migrations"))
    admin.close()
    return names


def refused(cli, args, option, value):
    result = run_cli(cli, *args, check_status=2)
    check(option in result.stderr and (value == "" or value.strip() in result.stderr),
          f"{' '.join(args)}: the refusal does not name {option} and '{value}':\n{result.stderr}")
    return result


def options(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the options scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    servers.create_database("my", "tgt")
    create_table("pg", src, "items")
    src_url, tgt_url = servers.url("pg", "src"), servers.url("my", "tgt")
    migrate = ["migrate", src_url, tgt_url, "items", "--name", "opts", "--create-tables"]
    bad_counts = ["", "0", "-5", "1e3", "10x", " 5", "+5", "99999999999999999999999"]
    bad_seconds = ["", "-5", "1e3", "10x", " 5", "inf", "nan", "0x10", "1.2.3", ".", "86401"]
    for option in ["--batch-changes", "--jobs", "--chunk-rows", "--timeout"]:
        for value in bad_counts:
            refused(cli, migrate + [option, value], option, value)
    for option in ["--poll", "--quiet"]:
        for value in bad_seconds:
            refused(cli, migrate + [option, value], option, value)
    refused(cli, migrate + ["--certificate", ""], "--certificate", "")
    # The same values through --opt=VALUE.
    refused(cli, migrate + ["--batch-changes="], "--batch-changes", "")
    refused(cli, migrate + ["--poll=10x"], "--poll", "10x")
    for value in ["", "0", "1e3"]:
        refused(cli, ["copy", src_url, tgt_url, "items", "--jobs", value], "--jobs", value)
        refused(cli, ["copy", src_url, tgt_url, "items", "--chunk-rows", value], "--chunk-rows", value)
        refused(cli, ["diff", src_url, tgt_url, "items", "--buckets", value], "--buckets", value)
        refused(cli, ["diff", src_url, tgt_url, "items", "--batch-rows", value], "--batch-rows", value)
        refused(cli, ["diff", src_url, tgt_url, "items", "--timeout", value], "--timeout", value)
    for value in ["", "-1", "1e3", "5s"]:
        refused(cli, ["diff", src_url, tgt_url, "items", "--recheck", value], "--recheck", value)
        refused(cli, ["diff", src_url, tgt_url, "items", "--image-rows", value], "--image-rows", value)
    refused(cli, ["diff", src_url, tgt_url, "items", "--where-source", ""], "--where-source", "")
    refused(cli, ["status", src_url, tgt_url, "--name", ""], "--name", "")
    long_name = "n" * 56
    for name in ["", long_name, "shop ", " shop", "a\tb"]:
        refused(cli, migrate[:4] + ["--name", name, "--create-tables"], "--name", "")
    refused(cli, migrate + ["--drop"], "--drop", "")
    refused(cli, ["migrate", src_url, tgt_url, "--drop"], "--name", "")  # never the default name unsaid
    refused(cli, ["migrate", src_url, tgt_url, "--name", "x", "--disable-capture"], "--disable-capture", "")
    refused(cli, ["migrate", src_url, tgt_url, "--name", "x", "--drop", "--follow"], "--follow", "")
    check(pg_captured(src) == [] and pg_consumers(src) == [], "a refused command enabled or registered something")
    check(not my_has_database(servers, "fingerprint_migrate"), "a refused command created the ledger")

    # A first run that fails after creating the ledger drops it again (it is empty).
    failed = run_cli(cli, "migrate", src_url, tgt_url, "missing", "--name", "opts", "--create-tables",
                     check_status=2)
    print(failed.stderr.strip())
    check(not my_has_database(servers, "fingerprint_migrate"),
          f"a failed first run left the ledger it created:\n{failed.stderr}")
    check(pg_consumers(src) == [], "a failed first run left its consumer")

    # Odd names: quote, dot, accents, spaces inside; 55 characters, more bytes than that.
    name = "o'brien.café — ünïcode naïve name with spaces ..ééé"
    name = (name + "x" * 55)[:55]
    check(len(name) == 55 and len(name.encode()) > 55, "the test name")
    run_cli(cli, "migrate", src_url, tgt_url, "items", "--name", name, "--create-tables", check_status=0)
    write("pg", src, "items", 100)
    end = json.loads(run_cli(cli, "migrate", src_url, tgt_url, "--name", name, "--json",
                             check_status=0).stdout.splitlines()[-1])
    check(end["migration"] == name and end["result"] == "caught up", f"resume of the odd name: {end}")
    status = json.loads(run_cli(cli, "status", src_url, tgt_url, "--name", name, "--json", check_status=0).stdout)
    check(status["migration"] == name and status["consumer"] == "migrate:" + name, f"status: {status}")
    check(pg_consumers(src) == ["migrate:" + name], f"consumers: {pg_consumers(src)}")
    tgt = servers.connect("my", "tgt")
    check(fingerprint_of("pg", src, "items") == fingerprint_of("my", tgt, "items"), "items differ")

    # A failed first run next to that migration keeps the shared ledger and its rows.
    failed = run_cli(cli, "migrate", src_url, tgt_url, "missing", "--name", "other", check_status=2)
    check(ledger_names(servers) == [name], f"the ledger after a failed start beside another: {ledger_names(servers)}")

    # A second migration, of another table, dropped without --disable-capture: its
    # capture stays on, said so.
    create_table("pg", src, "items2")
    run_cli(cli, "migrate", src_url, tgt_url, "items2", "--name", "plain", "--create-tables", check_status=0)
    dropped = json.loads(run_cli(cli, "migrate", src_url, tgt_url, "--name", "plain", "--drop", "--json",
                                 check_status=0).stdout)
    print(json.dumps(dropped))
    check(dropped["capture_left_on"] == [{"table": "public.items2", "reason": "--disable-capture was not given"}]
          and dropped["capture_disabled"] == [] and dropped["ledger_dropped"] == "", f"drop plain: {dropped}")
    check(pg_captured(src) == ["items", "items2"], f"capture after drop plain: {pg_captured(src)}")

    # A consumer of its own on the source (its tables unknown): --disable-capture leaves
    # every table on, naming it.
    execute(src, "SELECT fingerprint.register_consumer('reader')")
    dropped = json.loads(run_cli(cli, "migrate", src_url, tgt_url, "--name", name, "--drop", "--disable-capture",
                                 "--json", check_status=0).stdout)
    print(json.dumps(dropped))
    check(dropped["result"] == "dropped" and dropped["consumer"] == "unregistered" and dropped["ledger"] == "removed",
          f"drop of the odd name: {dropped}")
    left = dropped["capture_left_on"]
    check(len(left) == 1 and left[0]["table"] == "public.items" and "consumer reader" in left[0]["reason"]
          and dropped["capture_disabled"] == [], f"capture left on: {dropped}")
    check(pg_consumers(src) == ["reader"] and pg_captured(src) == ["items", "items2"], "after the drop")
    check(not my_has_database(servers, "fingerprint_migrate"), "the empty ledger stayed after the last drop")


def drop(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the drop scenario is pg_to_my")
    src = servers.create_database("pg", "src")
    servers.create_database("my", "tgt_a")
    servers.create_database("my", "tgt_b")
    for table in ["t_a", "shared", "t_b"]:
        create_table("pg", src, table)
    src_url = servers.url("pg", "src")
    url_a, url_b = servers.url("my", "tgt_a"), servers.url("my", "tgt_b")
    run_cli(cli, "migrate", src_url, url_a, "t_a", "shared", "--name", "a", "--create-tables", check_status=0)
    run_cli(cli, "migrate", src_url, url_b, "shared", "t_b", "--name", "b", "--create-tables", check_status=0)
    check(pg_consumers(src) == ["migrate:a", "migrate:b"], f"consumers: {pg_consumers(src)}")

    # Refused while a runs (its lock on the target), nothing touched.
    running = subprocess.Popen([cli, "migrate", src_url, url_a, "--name", "a", "--follow", "--poll", "0.2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    busy = run_cli(cli, "migrate", src_url, url_a, "--name", "a", "--drop", "--disable-capture", check_status=2)
    print(busy.stderr.strip())
    check("already running" in busy.stderr, f"not refused as running: {busy.stderr}")
    check(pg_consumers(src) == ["migrate:a", "migrate:b"] and ledger_names(servers) == ["a", "b"],
          "a refused drop changed something")
    running.send_signal(signal.SIGTERM)
    check(running.wait(timeout=30) == 0, f"the --follow run: {running.stderr.read()}")

    for table in ["t_a", "shared", "t_b"]:
        write("pg", src, table, 200)
    dropped = json.loads(run_cli(cli, "migrate", src_url, url_a, "--name", "a", "--drop", "--disable-capture",
                                 "--json", check_status=0).stdout)
    print(json.dumps(dropped))
    check(dropped["consumer"] == "unregistered" and dropped["ledger"] == "removed" and dropped["ledger_tables"] == 2,
          f"drop a: {dropped}")
    check(dropped["capture_disabled"] == ["public.t_a"], f"drop a turned off: {dropped['capture_disabled']}")
    left = {t["table"]: t["reason"] for t in dropped["capture_left_on"]}
    check(list(left) == ["public.shared"] and "migration 'b'" in left["public.shared"], f"left on: {left}")
    check(dropped["ledger_dropped"] == "", "the ledger was dropped while b is in it")
    check(pg_consumers(src) == ["migrate:b"], f"consumers after drop a: {pg_consumers(src)}")
    check(pg_captured(src) == ["shared", "t_b"], f"capture after drop a: {pg_captured(src)}")
    check(ledger_names(servers) == ["b"], f"ledger after drop a: {ledger_names(servers)}")
    run_cli(cli, "status", src_url, url_a, "--name", "a", check_status=2)
    again = run_cli(cli, "migrate", src_url, url_a, "--name", "a", "--drop", check_status=2)
    check("no migration 'a'" in again.stderr, f"second drop: {again.stderr}")

    # b goes on, proven, with the writes made before a was dropped.
    end = json.loads(run_cli(cli, "migrate", src_url, url_b, "--name", "b", "--json",
                             check_status=0).stdout.splitlines()[-1])
    check(end["result"] == "caught up" and all(t["proof"] == "equal" for t in end["tables"]), f"b: {end}")
    tgt_b = servers.connect("my", "tgt_b")
    for table in ["shared", "t_b"]:
        check(fingerprint_of("pg", src, table) == fingerprint_of("my", tgt_b, table), f"b's {table} differs")
    tgt_b.close()

    # The target gone: the consumer is unregistered, the ledger named as not reached.
    admin = servers.connect("my", None)
    execute(admin, "DROP DATABASE tgt_b")
    admin.close()
    gone = run_cli(cli, "migrate", src_url, url_b, "--name", "b", "--drop", "--disable-capture", "--json",
                   check_status=2)
    report = json.loads(gone.stdout)
    print(json.dumps(report))
    check(report["result"] == "partly dropped" and report["ledger"] == "not reached"
          and report["consumer"] == "unregistered", f"drop b, target gone: {report}")
    check(any("capture not turned off" in text for text in report["not_done"]), f"capture: {report}")
    check(pg_consumers(src) == [] and pg_captured(src) == ["shared", "t_b"], "drop b, target gone: the source")
    check(ledger_names(servers) == ["b"], "drop b, target gone: the ledger")

    # The source gone: the ledger rows go, the consumer is named as not reached.
    servers.create_database("my", "tgt_b")
    src.close()
    admin = servers.connect("pg", "postgres")
    execute(admin, "DROP DATABASE src WITH (FORCE)")
    admin.close()
    gone = run_cli(cli, "migrate", src_url, url_b, "--name", "b", "--drop", check_status=2)
    print(gone.stdout.strip())
    print(gone.stderr.strip())
    check("ledger rows removed" in gone.stdout and "consumer migrate:b not reached" in gone.stdout,
          f"drop b, source gone: {gone.stdout}")
    check("unregister_consumer('migrate:b')" in gone.stderr, f"drop b, source gone: {gone.stderr}")
    check(not my_has_database(servers, "fingerprint_migrate"), "the empty ledger stayed")


def mariadb(cli, servers, source, target):
    check((source, target) == ("my", "pg"), "the mariadb scenario is my_to_pg")
    src = servers.create_database("my", "src")
    tgt = servers.create_database("pg", "tgt")
    for table in ["t1", "t2"]:
        create_table("my", src, table)
    src_url, tgt_url = servers.url("my", "src"), servers.url("pg", "tgt")
    run_cli(cli, "migrate", src_url, tgt_url, "t1", "t2", "--name", "m", "--create-tables", check_status=0)
    write("my", src, "t1", 300)
    env = dict(os.environ, FINGERPRINT_MIGRATE_TEST_CRASH="after_commit")
    killed = subprocess.run([cli, "migrate", src_url, tgt_url, "--name", "m"], env=env, capture_output=True,
                            text=True, timeout=120)
    check(killed.returncode == -signal.SIGKILL, f"the crash seam did not kill the run: {killed.returncode}")
    open_batch = execute(src, "SELECT batch_id, consumer FROM fingerprint.capture_batches WHERE finished_at IS NULL")
    check(len(open_batch) == 1 and open_batch[0][1] == "migrate:m", f"open batch: {open_batch}")
    dropped = json.loads(run_cli(cli, "migrate", src_url, tgt_url, "--name", "m", "--drop", "--disable-capture",
                                 "--json", check_status=0).stdout)
    print(json.dumps(dropped))
    check(dropped["batch_finished"] == open_batch[0][0] and dropped["consumer"] == "no registry",
          f"the open batch: {dropped}")
    check(dropped["capture_disabled"] == ["src.t1", "src.t2"], f"capture: {dropped}")
    check(dropped["ledger_dropped"] == "schema fingerprint_migrate", f"the ledger: {dropped}")
    check(execute(src, "SELECT COUNT(*) FROM fingerprint.capture_batches WHERE finished_at IS NULL")[0][0] == 0,
          "the batch stayed open")
    check(execute(src, "SELECT COUNT(*) FROM fingerprint.capture_state WHERE enabled")[0][0] == 0,
          "capture stayed on")
    check(not execute(tgt, "SELECT 1 FROM pg_namespace WHERE nspname = 'fingerprint_migrate'"), "ledger schema left")
    # The log is free for another consumer.
    execute(src, "CALL fingerprint.next_batch('other', 10)")


def hostile16(cli, servers, source, target):
    check((source, target) == ("pg", "pg"), "the hostile16 scenario is pg_to_pg")
    src = servers.create_database("pg", "src")
    servers.create_database("pg", "tgt").close()
    servers.create_database("pg", "other").close()
    src_url, tgt_url, other_url = servers.url("pg", "src"), servers.url("pg", "tgt"), servers.url("pg", "other")
    create_table("pg", src, "wa")
    run_cli(cli, "migrate", src_url, tgt_url, "wa", "--name", "a", "--create-tables", check_status=0)
    wrong = run_cli(cli, "migrate", src_url, other_url, "--name", "a", "--drop")
    check("migrate:a" in pg_consumers(src),
          f"a --drop naming the wrong target (exit {wrong.returncode}) unregistered migration a's consumer:"
          f"\n{wrong.stdout}{wrong.stderr}")
    check(wrong.returncode == 2 and "no migration 'a'" in wrong.stderr and "nothing dropped" in wrong.stderr,
          f"the wrong target's drop: exit {wrong.returncode}\n{wrong.stdout}{wrong.stderr}")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "a", check_status=0)

    # status notices a migration whose consumer is gone from the source (it cannot resume).
    execute(src, "SELECT fingerprint.unregister_consumer('migrate:a')")
    lost = run_cli(cli, "status", src_url, tgt_url, "--name", "a", "--json", check_status=1)
    check(json.loads(lost.stdout)["consumer_registered"] is False and "no consumer migrate:a" in lost.stderr,
          f"status without the consumer:\n{lost.stdout}{lost.stderr}")

    create_table("pg", src, "t")
    run_cli(cli, "migrate", src_url, tgt_url, "t", "--name", "j", "--create-tables", check_status=0)
    execute(src, "ALTER TABLE t RENAME TO t_old")
    execute(src, "CREATE TABLE t (id integer PRIMARY KEY, audit text)")
    execute(src, "SELECT fingerprint_capture_enable('t'::regclass)")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", "a", "--drop", check_status=0)
    dropped = run_cli(cli, "migrate", src_url, tgt_url, "--name", "j", "--drop", "--disable-capture", "--json")
    captured = pg_captured(src)
    check("t" in captured,
          f"--drop --disable-capture of j turned off capture of the new table t, not j's: {captured}\n"
          f"{dropped.stdout}{dropped.stderr}")
    report = json.loads(dropped.stdout)
    check(dropped.returncode == 0 and "t_old" not in captured
          and report["capture_disabled"] == ["public.t_old (migrated as public.t, renamed since)"],
          f"j's own table t_old: captured {captured}\n{dropped.stdout}{dropped.stderr}")

    # A table named twice (unqualified and schema-qualified: one relation) is refused before
    # capture is enabled or anything copied.
    create_table("pg", src, "k1")
    twice = run_cli(cli, "migrate", src_url, tgt_url, "k1", "public.k1", "--name", "kk", "--create-tables",
                    check_status=2)
    check("named twice" in twice.stderr and "k1" not in pg_captured(src),
          f"k1 named twice: captured {pg_captured(src)}\n{twice.stdout}{twice.stderr}")

    # Neither side reached: nothing was dropped, and the drop says so.
    gone = run_cli(cli, "migrate", servers.url("pg", "no_src"), servers.url("pg", "no_tgt"), "--name", "x",
                   "--drop", "--json", check_status=2)
    check(json.loads(gone.stdout)["result"] == "nothing dropped", f"both sides gone: {gone.stdout}")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, _seed, cli, plugin_dir = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    source, target = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"options": options, "drop": drop, "mariadb": mariadb, "hostile16": hostile16}[scenario](cli, servers, source, target)
    print(f"drop {scenario} {direction}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
