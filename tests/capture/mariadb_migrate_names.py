#!/usr/bin/python3
"""`fingerprint migrate` from MariaDB to MariaDB of tables whose names hold a quote, a
backslash, a double quote, a backtick, a dot and an accent (docs/capture.md, "Table
names with quotes and backslashes").

    mariadb_migrate_names.py PLUGIN_DIR CLI

The tables are migrated (capture enabled, copied, proven), written to, and migrated again
twice (consuming the log through next_batch_per_table, which up to 1.4 refused such a
table at its first batch: "no capture trigger of src.q'uo"te is visible"); the last run
catches up, every target equals its source and `status` proves every table equal.
Both databases are on one private MariaDB server: no PostgreSQL involved.
"""

import json
import os
import subprocess
import sys

from mariadb_common import Failure, Server, call, check, main_guard, query, quote, table_fingerprint

NAMES = ["q'uo\"te", "b\\sl", "back`tick", "d.ot", "caf\u00e9", "end\\"]


def run_cli(cli, *args):
    result = subprocess.run([cli, *args], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise Failure("fingerprint %s exited %d:\n%s\n%s" % (args[0], result.returncode, result.stdout, result.stderr))
    return result


def run(plugin_dir, cli):
    with Server(plugin_dir) as server:
        admin = server.connect()
        for db in ("src", "tgt"):
            query(admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % db)
        for name in NAMES:
            query(admin, "CREATE TABLE src.%s (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB" % quote(name))
            query(admin, "INSERT INTO src.%s VALUES (1, 'one'), (2, 'two'), (3, 'three')" % quote(name))
        url = "mysql://root@localhost/%s?socket=" + server.socket
        given = ["src." + name for name in NAMES]
        run_cli(cli, "migrate", url % "src", url % "tgt", *given, "--name", "names", "--create-tables")
        for name in NAMES:
            table = "src." + quote(name)
            query(admin, "UPDATE %s SET v = 'changed' WHERE id = 1" % table)
            query(admin, "UPDATE %s SET v = v WHERE id = 3" % table)
            query(admin, "DELETE FROM %s WHERE id = 2" % table)
            query(admin, "INSERT INTO %s VALUES (4, 'four')" % table)
        run_cli(cli, "migrate", url % "src", url % "tgt", *given, "--name", "names")
        for name in NAMES:
            query(admin, "UPDATE src.%s SET id = 40 WHERE id = 4" % quote(name))
        end = json.loads(run_cli(cli, "migrate", url % "src", url % "tgt", "--name", "names",
                                 "--json").stdout.splitlines()[-1])
        check(end["result"] == "caught up", "the last run: %s" % end)
        for name in NAMES:
            source, target = table_fingerprint(admin, "src." + name), table_fingerprint(admin, "tgt." + name)
            check(source == target, "%s: target %s, source %s" % (name, target, source))
            status = call(admin, "CALL fingerprint.capture_check(%s)", ("src." + name,))[0]["status"]
            check(status == "ok", "capture_check of src.%s: %s" % (name, status))
        status = json.loads(run_cli(cli, "status", url % "src", url % "tgt", "--name", "names", "--json").stdout)
        check(sorted(t["table"] for t in status["tables"]) == sorted(NAMES), "status: %s" % status)
        for table in status["tables"]:
            check(table["phase"] == "applying" and table["proof"] == "equal", "status: %s" % table)
        print("ok   %d names migrated, written, caught up, proven equal" % len(NAMES))


if __name__ == "__main__":
    if len(sys.argv) == 3:
        main_guard(lambda: run(sys.argv[1], os.path.abspath(sys.argv[2])))
    else:
        print(__doc__)
        sys.exit(2)
