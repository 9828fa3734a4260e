#!/usr/bin/python3
"""`fingerprint migrate` of tables whose names are awkward, and of names given as
`db.table` (docs/migrate.md).

    migrate_names_test.py SCENARIO DIRECTION SEED CLI PLUGIN_DIR

Scenarios:

  names   DIRECTION my_to_pg, my_to_my, pg_to_my: a table with a dot in its name (`a.b`,
          named `<db>.a.b` as capture takes it), one with an accent (`café`) and a plain
          one named qualified (`<db>.plain`, as capture and copy accept it) migrate, are
          written, migrate again (resumed with the names as given the first time, then
          without names) and end with equal table_fingerprint and `status` equal. The
          text tables of `migrate` and `status` keep `café`'s row in line with the others
          (padded by characters: padded by bytes it was one column short). Before
          the fix a qualified name was enabled and copied, then the run stopped (exit 2,
          `capture of src.src.plain is not on`) and every later run refused the capture it
          had enabled.
  case    DIRECTION pg_to_my: the target holds `café`, another migration's target; a new
          migration of the PostgreSQL table `Café` is refused before anything is enabled
          or copied (copy would have matched `café` but for case, emptied and loaded it),
          and the other migration's rows and proof are untouched.

Needs the PostgreSQL extension installed (run under /tmp/fingerprint-pg.lock).
"""
import json
import sys
import time

from migrate_common import Servers, check, execute, main_guard, run_cli, table_fingerprint

TABLES = ["a.b", "café", "plain"]


def create(engine, conn, table):
    if engine == "pg":
        execute(conn, f'CREATE TABLE "{table}" (id integer PRIMARY KEY, v text)')
    else:
        execute(conn, f"CREATE TABLE `{table}` (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB")


def quoted(engine, table):
    return f'"{table}"' if engine == "pg" else f"`{table}`"


def fingerprint_of(engine, conn, table):
    if engine == "pg":
        return table_fingerprint("pg", conn, quoted("pg", table))
    return execute(conn, "CALL fingerprint.table_fingerprint(CONCAT(DATABASE(), '.', %s))", (table,))[0][0]


def check_aligned(output, what):
    """Every row of a text table starts its second column (the phase) where the header's
    `phase` starts, counted in characters as a terminal shows them."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("table "))
    column = lines[header].index("phase")
    rows = [line for line in lines[header + 1:] if line.split(" ")[0] in TABLES]
    check(len(rows) == len(TABLES), f"{what}: not one row per table:\n{output}")
    for row in rows:
        check(row[column - 1] == " " and row[column:].startswith("applying"),
              f"{what}: the row is out of line with the header:\n{lines[header]}\n{row}")


def names(cli, servers, source, target):
    space = "public" if source == "pg" else "src"
    src = servers.create_database(source, "src")
    servers.create_database(target, "tgt")
    for table in TABLES:
        create(source, src, table)
        execute(src, f"INSERT INTO {quoted(source, table)} VALUES (1, 'one'), (2, 'two'), (3, 'three')")
    src_url, tgt_url = servers.url(source, "src"), servers.url(target, "tgt")
    given = [f"{space}.a.b", "café", f"{space}.plain"]
    run_cli(cli, "migrate", src_url, tgt_url, *given, "--name", "names", "--create-tables", check_status=0)
    for table in TABLES:
        execute(src, f"UPDATE {quoted(source, table)} SET v = 'changed' WHERE id = 1")
        execute(src, f"DELETE FROM {quoted(source, table)} WHERE id = 2")
        execute(src, f"INSERT INTO {quoted(source, table)} VALUES (4, 'four')")
    # A later run may name the tables as the first did, or not at all.
    resumed = run_cli(cli, "migrate", src_url, tgt_url, *given, "--name", "names", check_status=0)
    check_aligned(resumed.stdout, "migrate")
    check_aligned(run_cli(cli, "status", src_url, tgt_url, "--name", "names", check_status=0).stdout, "status")
    execute(src, f"UPDATE {quoted(source, 'a.b')} SET id = 40 WHERE id = 4")
    result = run_cli(cli, "migrate", src_url, tgt_url, "--name", "names", "--json", check_status=0)
    end = json.loads(result.stdout.splitlines()[-1])
    check(end["result"] == "caught up", f"the last run: {end}")
    tgt = servers.connect(target, "tgt")
    for table in TABLES:
        source_fp, target_fp = fingerprint_of(source, src, table), fingerprint_of(target, tgt, table)
        print(f"{table}: source {source_fp} target {target_fp}")
        check(source_fp == target_fp, f"{table}: the target's table_fingerprint differs from the source's")
    status = json.loads(run_cli(cli, "status", src_url, tgt_url, "--name", "names", "--json",
                                check_status=0).stdout)
    check(sorted(t["table"] for t in status["tables"]) == sorted(TABLES), f"status: {status}")
    for table in status["tables"]:
        check(table["phase"] == "applying" and table["proof"] == "equal", f"status: {table}")


def case(cli, servers, source, target):
    check((source, target) == ("pg", "my"), "the case scenario is pg_to_my")
    my_src = servers.create_database("my", "src")
    src = servers.create_database("pg", "src")
    servers.create_database("my", "tgt")
    create("my", my_src, "café")
    execute(my_src, "INSERT INTO `café` VALUES (1, 'mariadb')")
    run_cli(cli, "migrate", servers.url("my", "src"), servers.url("my", "tgt"), "café", "--name", "first",
            "--create-tables", check_status=0)
    create("pg", src, "Café")
    execute(src, "INSERT INTO \"Café\" VALUES (7, 'postgresql')")
    refused = run_cli(cli, "migrate", servers.url("pg", "src"), servers.url("my", "tgt"), "Café", "--name",
                      "second", "--create-tables", check_status=2)
    print(refused.stderr.strip())
    check("differs from it only in case" in refused.stderr and "tgt.café" in refused.stderr,
          f"not the refusal expected: {refused.stderr}")
    tgt = servers.connect("my", "tgt")
    rows = execute(tgt, "SELECT id, v FROM `café`")
    check(rows == [(1, "mariadb")], f"the other migration's target table was written: {rows}")
    enabled = execute(src, "SELECT count(*) FROM fingerprint.capture_tables WHERE enabled")[0][0]
    check(enabled == 0, "capture was enabled for a refused migration")
    result = run_cli(cli, "migrate", servers.url("my", "src"), servers.url("my", "tgt"), "--name", "first",
                     "--json", check_status=0)
    end = json.loads(result.stdout.splitlines()[-1])
    check(end["tables"][0]["proof"] in ("copy", "equal"), f"the first migration: {end}")
    check(fingerprint_of("my", my_src, "café") == fingerprint_of("my", tgt, "café"), "café differs")


def main():
    if len(sys.argv) != 6:
        print(__doc__)
        sys.exit(2)
    scenario, direction, _seed, cli, plugin_dir = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    source, target = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        {"names": names, "case": case}[scenario](cli, servers, source, target)
    print(f"names {scenario} {direction}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
