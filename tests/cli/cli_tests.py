#!/usr/bin/python3
"""Tests of the `fingerprint` command-line tool against real servers.

Run by run_cli_tests.sh, which starts a throwaway PostgreSQL and MariaDB, installs the
extension and the procedures, and passes their sockets here. Every scenario loads or
changes data through the Python drivers, runs the CLI (mostly with --json) and checks
the exact set of reported keys, their classes and the changed columns. The random
choices come from seeded generators, so every run does the same thing.

Prints "ok   NAME" / "FAIL NAME" per check and a summary; exits 1 on any failure.
"""
import argparse
import datetime
import decimal
import json
import os
import pty
import re
import random
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import psycopg2
import pymysql

parser = argparse.ArgumentParser()
parser.add_argument("--cli", required=True)
parser.add_argument("--pg-host", required=True)
parser.add_argument("--pg-port", required=True)
parser.add_argument("--my-socket", required=True)
parser.add_argument("--only", default="", help="run only the scenarios whose name contains this")
ARGS = parser.parse_args()

ROWS = 5000  # rows of the main table

# The tests' one check helper (tests/capture/checks.py): named checks that go on after a
# failure.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "capture"))
from checks import Tally  # noqa: E402

TALLY = Tally()
check = TALLY.check


# ------------------------------------------------------------------------------------
# Servers

def pg_url(db="postgres", schema=None, user="postgres"):
    url = f"postgresql://{user}@/{db}?host={ARGS.pg_host}&port={ARGS.pg_port}"
    return url + (f"&schema={schema}" if schema else "")


def my_url(db="shop", user="root"):
    return f"mysql://{user}@localhost/{db}?socket={ARGS.my_socket}"


class Session:
    """An autocommit connection (self.conn, set by the engine's subclass)."""

    def run(self, sql, params=None):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def many(self, sql, rows):
        with self.conn.cursor() as cur:
            cur.executemany(sql, rows)


class Pg(Session):
    engine = "pg"

    def __init__(self, db="postgres"):
        self.conn = psycopg2.connect(host=ARGS.pg_host, port=ARGS.pg_port, user="postgres", dbname=db)
        self.conn.autocommit = True


class My(Session):
    engine = "my"

    def __init__(self, db=None):
        self.conn = pymysql.connect(unix_socket=ARGS.my_socket, user="root", database=db, charset="utf8mb4",
                                    autocommit=True)


def cli(*args, env=None, timeout=300):
    full_env = dict(os.environ)
    full_env.pop("MYSQL_PWD", None)
    full_env.pop("PGPASSWORD", None)
    if env:
        full_env.update(env)
    proc = subprocess.run([ARGS.cli, *args], capture_output=True, text=True, env=full_env, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def parsed_json(text):
    """The JSON document in text, or None when it is not one."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def diff_json(source, target, *args, env=None):
    """Runs fingerprint diff --json; returns (exit status, parsed JSON or None, stderr)."""
    rc, out, err = cli("diff", source, target, "--json", *args, env=env)
    report = parsed_json(out)
    return rc, report, err + ("" if report is not None else "\nstdout: " + out)


def run_with_terminal_stderr(args):
    """Runs the CLI with standard error on a pseudo-terminal; returns (exit status, bytes written there)."""
    master, slave = pty.openpty()
    proc = subprocess.run([ARGS.cli, *args], stdout=subprocess.DEVNULL, stderr=slave, timeout=300)
    os.close(slave)
    drawn = b""
    try:
        while True:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            drawn += chunk
    except OSError:  # EIO once the other end is closed
        pass
    os.close(master)
    return proc.returncode, drawn


def table_of(report, name):
    for table in report["tables"]:
        if table["table"] == name:
            return table
    return None


def reported(table):
    """{key tuple: (class, tuple of changed columns or None)} from a table's JSON."""
    out = {}
    for d in table.get("differences", []):
        columns = tuple(d["columns"]) if "columns" in d else None
        out[tuple(d["key"])] = (d["class"], columns)
    return out


def compare_sets(expected, got):
    """A readable account of how two {key: (class, columns)} maps differ ('' if equal)."""
    lines = []
    for key in sorted(set(expected) | set(got), key=repr):
        if expected.get(key) != got.get(key):
            lines.append(f"key {key!r}: expected {expected.get(key)}, reported {got.get(key)}")
    return "\n".join(lines[:20]) + (f"\n... {len(lines)} keys differ" if len(lines) > 20 else "")


def expect_keys(name, rc, report, err, table, expected, expected_rc=1):
    if report is None:
        check(name, False, f"exit {rc}, no JSON: {err}")
        return
    t = table_of(report, table)
    if t is None:
        check(name, False, f"table {table} not in the report: {report}")
        return
    got = reported(t)
    problem = compare_sets(expected, got)
    status_ok = rc == expected_rc and t["status"] == ("different" if expected else "equal")
    check(name, status_ok and not problem,
          f"exit {rc} (expected {expected_rc}), status {t['status']}, error {t.get('error')}\n{problem}\n{err}")


# ------------------------------------------------------------------------------------
# The main table: every value class on both engines

PG_ITEMS = """CREATE TABLE {name} (id bigint PRIMARY KEY, qty int, price numeric(12,2), name varchar(64), note text,
    created timestamp(6), ratio double precision, doc jsonb, day date, active boolean)"""
MY_ITEMS = """CREATE TABLE {name} (id BIGINT PRIMARY KEY, qty INT, price DECIMAL(12,2), name VARCHAR(64), note TEXT,
    created DATETIME(6), ratio DOUBLE, doc JSON, day DATE, active BOOLEAN) DEFAULT CHARSET=utf8mb4"""
ITEM_COLUMNS = ["id", "qty", "price", "name", "note", "created", "ratio", "doc", "day", "active"]


def item_row(rng, i):
    name = None if i % 50 == 0 else (f"Zoë Müller {i}" if i % 10 == 0 else f"customer {i}")
    note = None if i % 7 == 0 else "".join(rng.choice(string.ascii_letters + " ") for _ in range(rng.randint(0, 60)))
    created = datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=i * 37, microseconds=rng.randint(0, 999999))
    doc = json.dumps({"n": i, "tags": [rng.choice("abc") for _ in range(rng.randint(0, 3))], "ok": i % 2 == 0})
    day = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 10000))
    return (i, rng.randint(-100, 1000), decimal.Decimal(rng.randint(0, 9999999)) / 100, name, note, created,
            rng.random() * 1000, doc, day, rng.random() < 0.5)


def insert_items(db, table, rows):
    marks = ", ".join(["%s"] * len(ITEM_COLUMNS))
    db.many(f"INSERT INTO {table} VALUES ({marks})", rows)


# One update per column: SQL for each engine.
UPDATES = {
    "qty": ("qty = qty + 1", "qty = qty + 1"),
    "price": ("price = price + 0.01", "price = price + 0.01"),
    "name": ("name = COALESCE(name, '') || 'x'", "name = CONCAT(COALESCE(name, ''), 'x')"),
    "note": ("note = CASE WHEN note IS NULL THEN 'now set' ELSE NULL END", "note = IF(note IS NULL, 'now set', NULL)"),
    "created": ("created = created + interval '1 microsecond'", "created = created + INTERVAL 1 MICROSECOND"),
    "ratio": ("ratio = ratio + 0.5", "ratio = ratio + 0.5"),
    "doc": ("doc = jsonb_set(doc, '{n}', '-1')", "doc = JSON_SET(doc, '$.n', -1)"),
    "day": ("day = day + 1", "day = day + INTERVAL 1 DAY"),
    "active": ("active = NOT active", "active = NOT active"),
}


def mutate_items(db, table, k, seed, mutated_is_target=True, id_range=None):
    """Changes k random keys of table on db; returns the expected report."""
    rng = random.Random(seed)
    low, high = id_range or (1, ROWS)
    ids = rng.sample(range(low, high + 1), k)
    expected = {}
    next_new = ROWS + 1000 + seed * 10000
    for i in ids:
        op = rng.choices(["update", "delete", "insert"], weights=[6, 2, 2])[0]
        if op == "update":
            column = rng.choice(sorted(UPDATES))
            sql = UPDATES[column][0 if db.engine == "pg" else 1]
            db.run(f"UPDATE {table} SET {sql} WHERE id = %s", (i,))
            expected[(i,)] = ("changed", (column,))
        elif op == "delete":
            db.run(f"DELETE FROM {table} WHERE id = %s", (i,))
            expected[(i,)] = ("missing_on_target" if mutated_is_target else "extra_on_target", None)
        else:
            next_new += 1
            insert_items(db, table, [item_row(rng, next_new)])
            expected[(next_new,)] = ("extra_on_target" if mutated_is_target else "missing_on_target", None)
    return expected


def reset_items(pg, my):
    pg.run("TRUNCATE items; INSERT INTO items SELECT * FROM items_base")
    my.run("DELETE FROM items")
    my.run("INSERT INTO items SELECT * FROM items_base")


# ------------------------------------------------------------------------------------
# Scenarios

def setup(pg, my):
    rng = random.Random(4)
    rows = [item_row(rng, i) for i in range(1, ROWS + 1)]
    for name in ("items", "items_base"):
        pg.run(PG_ITEMS.format(name=name))
        my.run(MY_ITEMS.format(name=name))
        insert_items(pg, name, rows)
        insert_items(my, name, rows)
    pg.run("ANALYZE items")
    my.run("ANALYZE TABLE items")


def scenario_equal(pg, my):
    rc, report, err = diff_json(pg_url(), my_url(), "items")
    expect_keys("equal tables PostgreSQL -> MariaDB: exit 0, nothing reported", rc, report, err, "items", {}, 0)
    if report:
        t = table_of(report, "items")
        check("equal tables: both sides counted all rows",
              t["source_rows"] == ROWS and t["target_rows"] == ROWS, t)
        fp = pg.run("SELECT table_fingerprint('items')")[0][0]
        check("equal tables: the summed buckets are table_fingerprint",
              t["source_fingerprint"] == fp and t["target_fingerprint"] == fp, f"{fp}\n{t}")
        check("equal tables: about 64 rows per bucket", t["buckets"] == 64, t["buckets"])
        check("equal tables: bytes read from each server reported",
              report["bytes_read"]["source"] > 0 and report["bytes_read"]["target"] > 0, report["bytes_read"])
        check("equal tables: result and exit_status in the JSON",
              report["result"] == "equal" and report["exit_status"] == 0, report)
        check("no progress line when standard error is not a terminal", err == "", err)
    rc, report, err = diff_json(my_url(), pg_url(), "items")
    expect_keys("equal tables MariaDB -> PostgreSQL: exit 0", rc, report, err, "items", {}, 0)
    # With standard error on a terminal, the progress line is drawn there, then erased.
    rc, drawn = run_with_terminal_stderr(["diff", pg_url(), my_url(), "items"])
    check("progress line on a terminal: drawn on standard error, erased at the end",
          rc == 0 and b"] 1/1 tables" in drawn and b"items: bucket fingerprints" in drawn
          and drawn.endswith(b"\r\x1b[K"), drawn)
    check("--no-progress: nothing on a terminal's standard error",
          run_with_terminal_stderr(["diff", pg_url(), my_url(), "items", "--no-progress"]) == (0, b""))


def scenario_k_changes(pg, my):
    for k, seed in ((1, 11), (10, 12), (1000, 13)):
        reset_items(pg, my)
        expected = mutate_items(my, "items", k, seed)
        classes = sorted({c for c, _ in expected.values()})
        rc, report, err = diff_json(pg_url(), my_url(), "items")
        expect_keys(f"k={k} changes on the MariaDB target: exactly those keys, classes {classes}",
                    rc, report, err, "items", expected)
        if k == 1000:
            changed_columns = {cols[0] for c, cols in expected.values() if c == "changed"}
            check("k=1000 covers an update of every column class", changed_columns == set(UPDATES),
                  sorted(changed_columns))
            if report:
                t = table_of(report, "items")
                counts = t["counts"]
                check("k=1000: counts per class match the differences",
                      sum(counts.values()) == len(t["differences"]) == k, counts)
                check("k=1000: changed values carry source and target values",
                      all(set(d["values"]) == set(d["columns"]) and all("source" in v and "target" in v
                                                                        for v in d["values"].values())
                          for d in t["differences"] if d["class"] == "changed"), t["differences"][:3])
            # The same differences through the two-pass path (keys first, images of the
            # changed keys after) in many small batches, and with other bucket counts.
            for options, label in ((["--image-rows", "0", "--batch-rows", "300"], "keys first, images after, batches"),
                                   (["--buckets", "1"], "one bucket"),
                                   (["--buckets", "4096"], "4096 buckets"),
                                   (["--buckets", "1048576"], "2^20 buckets")):
                rc, report, err = diff_json(pg_url(), my_url(), "items", *options)
                expect_keys(f"k=1000 with {label}: the same keys", rc, report, err, "items", expected)
        if k == 10:
            rc, out, err = cli("diff", pg_url(), my_url(), "items")
            lines = out.splitlines()
            check("readable output: exit 1, the table line, one line per key, the byte count",
                  rc == 1 and any(l.startswith("items") and "different" in l for l in lines)
                  and sum(1 for l in lines if l.startswith("  ") and
                          any(c in l for c in ("missing on target", "extra on target", "changed"))) == 10
                  and "bytes from source" in lines[-1] and "bytes from target" in lines[-1],
                  out + err)
            for key, (cls, cols) in expected.items():
                if cls == "changed":
                    line = next((l for l in lines if l.startswith("  changed") and f" {key[0]} " in l + " "), "")
                    check(f"readable output names the changed column of key {key[0]}",
                          line != "" and f"{cols[0]}:" in line, out)
                    break
    # Changes on the source side, MariaDB -> PostgreSQL.
    reset_items(pg, my)
    expected = mutate_items(my, "items", 10, 21, mutated_is_target=False)
    rc, report, err = diff_json(my_url(), pg_url(), "items")
    expect_keys("k=10 changes on the MariaDB source, MariaDB -> PostgreSQL", rc, report, err, "items", expected)
    # Changes on the PostgreSQL side.
    reset_items(pg, my)
    expected = mutate_items(pg, "items", 10, 22)
    rc, report, err = diff_json(my_url(), pg_url(), "items", "--jobs", "2")
    expect_keys("k=10 changes on the PostgreSQL target", rc, report, err, "items", expected)
    reset_items(pg, my)


def scenario_filters(pg, my):
    reset_items(pg, my)
    expected = mutate_items(my, "items", 10, 31, id_range=(4001, 4500))
    rc, report, err = diff_json(pg_url(), my_url(), "items", "--where-source", "id <= 4000",
                                "--where-target", "id <= 4000")
    expect_keys("--where on both sides leaves the changed rows out: equal", rc, report, err, "items", {}, 0)
    rc, report, err = diff_json(pg_url(), my_url(), "items", "--where-target", "id <= 4000 OR id > 9000")
    want = {(i,): ("missing_on_target", None) for i in range(4001, ROWS + 1)}
    want.update({k: v for k, v in expected.items() if k[0] > 9000})
    expect_keys("--where-target only: the rows it leaves out are missing on the target", rc, report, err,
                "items", want)
    rc, report, err = diff_json(pg_url(), my_url(), "items", "--exclude-columns", ",".join(UPDATES))
    want = {k: v for k, v in expected.items() if v[0] != "changed"}
    expect_keys("--exclude-columns of every updated column: only the inserted/deleted keys", rc, report, err,
                "items", want)
    reset_items(pg, my)


def scenario_same_engine(pg, my):
    pg.run("CREATE SCHEMA copy")
    pg.run(PG_ITEMS.format(name="copy.items"))
    pg.run("INSERT INTO copy.items SELECT * FROM items_base")
    expected = mutate_items(pg, "copy.items", 10, 41)
    pg.run("ANALYZE items")  # TRUNCATE forgot the statistics; the estimate now is 5000 rows
    pg.run("ANALYZE copy.items")
    rc, report, err = diff_json(pg_url(), pg_url(schema="copy"), "items")
    expect_keys("PostgreSQL -> PostgreSQL (schema public -> copy), k=10", rc, report, err, "items", expected)
    if report:
        check("PostgreSQL -> PostgreSQL: buckets from PostgreSQL's row estimate",
              table_of(report, "items")["buckets"] == 64, table_of(report, "items"))
    my.run("CREATE DATABASE shop2")
    my.run(MY_ITEMS.format(name="shop2.items"))
    my.run("INSERT INTO shop2.items SELECT * FROM shop.items_base")
    expected = mutate_items(my, "shop2.items", 10, 42)
    rc, report, err = diff_json(my_url(), my_url("shop2"), "items")
    expect_keys("MariaDB -> MariaDB (shop -> shop2), k=10", rc, report, err, "items", expected)


def random_word(rng):
    return "".join(rng.choice(string.ascii_letters + string.digits + "_-") for _ in range(rng.randint(6, 12)))


def scenario_text_keys(pg, my):
    # PostgreSQL sorts these bytewise ("C"); MariaDB case- and accent-insensitively:
    # range bisection would pair the wrong rows, hash buckets do not care.
    pg.run('CREATE TABLE words (w text COLLATE "C" PRIMARY KEY, n int)')
    my.run("CREATE TABLE words (w VARCHAR(40) PRIMARY KEY, n INT) CHARSET utf8mb4 COLLATE utf8mb4_general_ci")
    rng = random.Random(51)
    words = set()
    while len(words) < 400:
        word = random_word(rng)
        if word.lower() not in {w.lower() for w in words}:
            words.add(word)
    words = sorted(words) + ["Ärger", "Zoë", "日本語", "naïve"]
    rows = [(w, i) for i, w in enumerate(words)]
    pg.many("INSERT INTO words VALUES (%s, %s)", rows)
    my.many("INSERT INTO words VALUES (%s, %s)", rows)
    rc, report, err = diff_json(pg_url(), my_url(), "words")
    expect_keys("text key, C collation -> case-insensitive collation: equal", rc, report, err, "words", {}, 0)

    picked = rng.sample(words, 10)
    expected = {}
    for w in picked[:5]:
        my.run("UPDATE words SET n = n + 1 WHERE w = %s", (w,))
        expected[(w,)] = ("changed", ("n",))
    for w in picked[5:8]:
        my.run("DELETE FROM words WHERE w = %s", (w,))
        expected[(w,)] = ("missing_on_target", None)
    for w in picked[8:10]:  # the same word in another letter case: another key
        my.run("UPDATE words SET w = %s WHERE w = %s", (w.swapcase(), w))
        expected[(w,)] = ("missing_on_target", None)
        expected[(w.swapcase(),)] = ("extra_on_target", None)
    my.run("INSERT INTO words VALUES ('brand-new-word', 1)")
    expected[("brand-new-word",)] = ("extra_on_target", None)
    rc, report, err = diff_json(pg_url(), my_url(), "words")
    expect_keys("text key under different collations: changed, deleted, re-cased and new keys", rc, report, err,
                "words", expected)


def scenario_uuid_keys(pg, my):
    pg.run("CREATE TABLE tokens (id uuid PRIMARY KEY, label text)")
    my.run("CREATE TABLE tokens (id UUID PRIMARY KEY, label VARCHAR(20)) CHARSET utf8mb4")
    rng = random.Random(61)
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(300)]
    rows = [(u, f"label {i}") for i, u in enumerate(ids)]
    pg.many("INSERT INTO tokens VALUES (%s, %s)", rows)
    my.many("INSERT INTO tokens VALUES (%s, %s)", [(u.upper(), l) for u, l in rows])  # any case in, lower out
    rc, report, err = diff_json(my_url(), pg_url(), "tokens")
    expect_keys("UUID key (MariaDB UUID -> PostgreSQL uuid): equal", rc, report, err, "tokens", {}, 0)
    expected = {}
    for u in ids[:4]:
        pg.run("UPDATE tokens SET label = label || '!' WHERE id = %s", (u,))
        expected[(u,)] = ("changed", ("label",))
    for u in ids[4:6]:
        pg.run("DELETE FROM tokens WHERE id = %s", (u,))
        expected[(u,)] = ("missing_on_target", None)
    new = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    pg.run("INSERT INTO tokens VALUES (%s, 'new')", (new,))
    expected[(new,)] = ("extra_on_target", None)
    rc, report, err = diff_json(my_url(), pg_url(), "tokens")
    expect_keys("UUID key: keys reported as lower-case UUID text", rc, report, err, "tokens", expected)


def scenario_composite_key(pg, my):
    pg.run("CREATE TABLE pairs (a int, b varchar(10), v numeric(8,3), PRIMARY KEY (a, b))")
    my.run("CREATE TABLE pairs (a INT, b VARCHAR(10), v DECIMAL(8,3), PRIMARY KEY (a, b)) CHARSET utf8mb4")
    rows = [(a, b, decimal.Decimal(a * 7 % 1000) / 8) for a in range(1, 51) for b in ("x", "y", "Y2", "zz")]
    pg.many("INSERT INTO pairs VALUES (%s, %s, %s)", rows)
    my.many("INSERT INTO pairs VALUES (%s, %s, %s)", rows)
    my.run("UPDATE pairs SET v = v + 0.001 WHERE a = 3 AND b = 'y'")
    my.run("DELETE FROM pairs WHERE a = 7 AND b = 'Y2'")
    my.run("INSERT INTO pairs VALUES (7, 'Y3', 1.5)")
    my.run("UPDATE pairs SET b = 'q' WHERE a = 9 AND b = 'x'")  # a key column changed
    expected = {(3, "y"): ("changed", ("v",)), (7, "Y2"): ("missing_on_target", None),
                (7, "Y3"): ("extra_on_target", None), (9, "x"): ("missing_on_target", None),
                (9, "q"): ("extra_on_target", None)}
    rc, report, err = diff_json(pg_url(), my_url(), "pairs")
    expect_keys("two-column key: changed, missing, extra, and a changed key column", rc, report, err, "pairs",
                expected)
    if report:
        check("two-column key: the key columns are named", table_of(report, "pairs")["key"] == ["a", "b"],
              table_of(report, "pairs"))


def scenario_empty(pg, my):
    pg.run("CREATE TABLE empty_t (id int PRIMARY KEY, v text)")
    my.run("CREATE TABLE empty_t (id INT PRIMARY KEY, v TEXT) CHARSET utf8mb4")
    rc, report, err = diff_json(pg_url(), my_url(), "empty_t")
    expect_keys("empty tables: equal", rc, report, err, "empty_t", {}, 0)
    if report:
        t = table_of(report, "empty_t")
        check("empty tables: 0 rows, the empty table fingerprint",
              t["source_rows"] == 0 and t["target_rows"] == 0 and
              t["source_fingerprint"] == "fp1:xxh3:0:" + "0" * 32, t)
    my.run("INSERT INTO empty_t VALUES (1, 'one')")
    rc, report, err = diff_json(pg_url(), my_url(), "empty_t")
    expect_keys("empty source, one target row: extra on target", rc, report, err, "empty_t",
                {(1,): ("extra_on_target", None)})


def scenario_duplicates(pg, my):
    pg.run("CREATE TABLE events (id int, v text)")
    my.run("CREATE TABLE events (id INT, v TEXT) CHARSET utf8mb4")
    rows = [(i, f"event {i}") for i in range(1, 101)] + [(7, "event 7")]  # 7 twice on both sides
    pg.many("INSERT INTO events VALUES (%s, %s)", rows)
    my.many("INSERT INTO events VALUES (%s, %s)", rows)
    rc, report, err = diff_json(pg_url(), my_url(), "events", "--key", "id")
    expect_keys("key-less copy, --key id, the same duplicate on both sides: equal", rc, report, err, "events", {}, 0)
    my.run("INSERT INTO events VALUES (5, 'event 5')")
    my.run("INSERT INTO events VALUES (9, 'event nine')")
    rc, report, err = diff_json(pg_url(), my_url(), "events", "--key", "id")
    expect_keys("key-less copy: a duplicated key (same row, and another row) is a duplicate", rc, report, err,
                "events", {(5,): ("duplicate", None), (9,): ("duplicate", None)})
    if report:
        d = {tuple(x["key"]): x for x in table_of(report, "events")["differences"]}
        check("duplicate: row counts per side", d.get((5,), {}).get("source_rows") == 1 and
              d.get((5,), {}).get("target_rows") == 2, d)
    rc, report, err = diff_json(pg_url(), my_url(), "events")
    t = table_of(report, "events") if report else None
    check("no primary key and no --key: an error naming --key, exit 2",
          rc == 2 and t is not None and t["status"] == "error" and "--key" in t["error"], f"{rc} {report} {err}")


def scenario_columns(pg, my):
    pg.run("CREATE TABLE typed (id int PRIMARY KEY, amount numeric(10,2), label text)")
    my.run("CREATE TABLE typed (id INT PRIMARY KEY, amount DOUBLE, label TEXT) CHARSET utf8mb4")
    for db in (pg, my):
        db.run("INSERT INTO typed VALUES (1, 1.5, 'a'), (2, 2.25, 'b')")
    rc, report, err = diff_json(pg_url(), my_url(), "typed")
    t = table_of(report, "typed") if report else None
    check("column type mismatch: reported by column name, exit 1",
          rc == 1 and t is not None and t["status"] == "columns_differ" and len(t["column_problems"]) == 1
          and "`amount`" in t["column_problems"][0] and "exact" in t["column_problems"][0]
          and "approx" in t["column_problems"][0], f"{rc} {t} {err}")
    rc, report, err = diff_json(pg_url(), my_url(), "typed", "--exclude-columns", "amount")
    expect_keys("column type mismatch left out with --exclude-columns: equal", rc, report, err, "typed", {}, 0)

    pg.run("CREATE TABLE extra_col (id int PRIMARY KEY, a int)")
    my.run("CREATE TABLE extra_col (id INT PRIMARY KEY, a INT, b INT)")
    rc, report, err = diff_json(pg_url(), my_url(), "extra_col")
    t = table_of(report, "extra_col") if report else None
    check("a column only on the target: named", rc == 1 and t is not None and t["status"] == "columns_differ"
          and any("`b`" in p and "only on the target" in p for p in t["column_problems"]), f"{rc} {t} {err}")

    pg.run("CREATE TABLE ordered (id int PRIMARY KEY, a int, b int)")
    my.run("CREATE TABLE ordered (id INT PRIMARY KEY, b INT, a INT)")
    rc, report, err = diff_json(pg_url(), my_url(), "ordered")
    t = table_of(report, "ordered") if report else None
    check("columns in another order: named", rc == 1 and t is not None and t["status"] == "columns_differ"
          and any("order" in p and "`a`" in p and "`b`" in p for p in t["column_problems"]), f"{rc} {t} {err}")

    pg.run("CREATE TABLE geo (id int PRIMARY KEY, p point, v int)")
    my.run("CREATE TABLE geo (id INT PRIMARY KEY, p POINT, v INT)")
    rc, report, err = diff_json(pg_url(), my_url(), "geo")
    t = table_of(report, "geo") if report else None
    check("a type fingerprint cannot read: an error naming the column, exit 2",
          rc == 2 and t is not None and t["status"] == "error" and "`p`" in t["error"]
          and "--exclude-columns" in t["error"], f"{rc} {t} {err}")
    rc, report, err = diff_json(pg_url(), my_url(), "geo", "--exclude-columns", "p")
    expect_keys("... and left out with --exclude-columns: equal", rc, report, err, "geo", {}, 0)


def scenario_whole_namespace(pg, my):
    pg.run("CREATE SCHEMA s2")
    my.run("CREATE DATABASE d2")
    for i, db in enumerate((pg, my)):
        prefix = "s2." if i == 0 else "d2."
        db.run(f"CREATE TABLE {prefix}common (id int PRIMARY KEY, v varchar(10))")
        db.run(f"INSERT INTO {prefix}common VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        db.run(f"CREATE TABLE {prefix}second (id int PRIMARY KEY, v int)")
        db.run(f"INSERT INTO {prefix}second VALUES (1, 1), (2, 2)")
    # A partitioned PostgreSQL table is one table (its partitions are not listed).
    pg.run("CREATE TABLE s2.parts (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)")
    pg.run("CREATE TABLE s2.parts_low PARTITION OF s2.parts FOR VALUES FROM (0) TO (500)")
    pg.run("CREATE TABLE s2.parts_high PARTITION OF s2.parts FOR VALUES FROM (500) TO (100000)")
    pg.run("INSERT INTO s2.parts SELECT n, 'v' || n FROM generate_series(1, 2000) n")
    pg.run("ANALYZE s2.parts")
    my.run("CREATE TABLE d2.parts (id int PRIMARY KEY, v text)")
    my.run("INSERT INTO d2.parts SELECT seq, CONCAT('v', seq) FROM seq_1_to_2000")
    pg.run("CREATE TABLE s2.only_src (id int PRIMARY KEY)")
    my.run("CREATE TABLE d2.only_tgt (id int PRIMARY KEY)")
    my.run("UPDATE d2.second SET v = 20 WHERE id = 2")
    for jobs in ("1", "3"):
        rc, report, err = diff_json(pg_url(schema="s2"), my_url("d2"), "--jobs", jobs)
        statuses = {t["table"]: t["status"] for t in report["tables"]} if report else None
        check(f"every table of the schema (--jobs {jobs}): one-side tables reported, exit 1",
              rc == 1 and statuses == {"common": "equal", "second": "different", "parts": "equal",
                                       "only_src": "missing_on_target", "only_tgt": "missing_on_source"},
              f"{rc} {statuses} {err}")
        if report:
            expect_keys(f"every table of the schema (--jobs {jobs}): the changed key", rc, report, err, "second",
                        {(2,): ("changed", ("v",))})
    rc, report, err = diff_json(my_url("d2"), pg_url(schema="s2"), "parts")
    expect_keys("a partitioned PostgreSQL table against a plain MariaDB one: equal", rc, report, err, "parts", {}, 0)
    rc, report, err = diff_json(pg_url(schema="s2"), pg_url(schema="s2"), "parts")
    check("a partitioned table: buckets from its partitions' estimates (2000 rows: 32)",
          rc == 0 and report is not None and table_of(report, "parts")["buckets"] == 32, f"{rc} {report} {err}")
    rc, out, err = cli("diff", pg_url(schema="s2"), my_url("d2"), "common", "only_src")
    check("a named table missing on the target: readable report says so, exit 1",
          rc == 1 and any(l.startswith("only_src") and "missing on target" in l for l in out.splitlines()),
          out + err)
    rc, report, err = diff_json(pg_url(schema="s2"), my_url("d2"), "common", "s2.common")
    check("named tables, also schema-qualified: equal, exit 0",
          rc == 0 and report is not None and [t["status"] for t in report["tables"]] == ["equal", "equal"],
          f"{rc} {report} {err}")
    rc, report, err = diff_json(pg_url(schema="s2"), my_url("d2"), "nosuch")
    check("a table on neither side: an error, exit 2",
          rc == 2 and report is not None and report["tables"][0]["status"] == "error"
          and "nosuch" in report["tables"][0]["error"], f"{rc} {report} {err}")


def scenario_connections(pg, my):
    # Wrong and right passwords. The PostgreSQL role pw needs scram in pg_hba.conf
    # (run_cli_tests.sh put it there); the MariaDB user pw has SELECT and EXECUTE only.
    pg.run("CREATE ROLE pw LOGIN PASSWORD 'right'")
    pg.run("GRANT SELECT ON ALL TABLES IN SCHEMA public TO pw")
    my.run("CREATE USER pw@localhost IDENTIFIED BY 'right'")
    my.run("GRANT SELECT ON shop.* TO pw@localhost")
    my.run("GRANT SELECT, EXECUTE ON fingerprint.* TO pw@localhost")
    rc, out, err = cli("diff", pg_url(user="pw"), my_url(), "items", env={"PGPASSWORD": "wrong"})
    check("wrong PostgreSQL password: clear message, exit 2",
          rc == 2 and "password authentication failed" in err and "source" in err and out == "", f"{rc}\n{err}")
    rc, out, err = cli("diff", pg_url(), my_url(user="pw"), "items", env={"MYSQL_PWD": "wrong"})
    check("wrong MariaDB password: clear message, exit 2",
          rc == 2 and "Access denied" in err and "target" in err and "MYSQL_PWD" in err, f"{rc}\n{err}")
    rc, out, err = cli("diff", pg_url(user="pw"), my_url(user="pw"), "items",
                       env={"PGPASSWORD": "right", "MYSQL_PWD": "right"})
    check("right passwords from PGPASSWORD and MYSQL_PWD, read-only users: exit 0", rc == 0, f"{rc}\n{out}\n{err}")
    with tempfile.TemporaryDirectory() as home:
        with open(os.path.join(home, ".my.cnf"), "w") as f:
            f.write("[client]\npassword=right\n")
        with open(os.path.join(home, ".pgpass"), "w") as f:
            f.write("*:*:*:pw:right\n")
        os.chmod(os.path.join(home, ".pgpass"), 0o600)
        rc, out, err = cli("diff", pg_url(user="pw"), my_url(user="pw"), "items", env={"HOME": home})
        check("passwords from ~/.pgpass and the [client] group of ~/.my.cnf: exit 0", rc == 0, f"{rc}\n{out}\n{err}")

    rc, out, err = cli("diff", "postgresql://postgres@127.0.0.1:1/postgres", my_url(), "items")
    check("unreachable PostgreSQL host: clear message, exit 2",
          rc == 2 and "cannot connect" in err and "127.0.0.1" in err and "refused" in err, f"{rc}\n{err}")
    rc, out, err = cli("diff", pg_url(), "mysql://root@127.0.0.1:1/shop", "items")
    check("unreachable MariaDB host: clear message, exit 2",
          rc == 2 and "cannot connect" in err and "127.0.0.1" in err, f"{rc}\n{err}")

    pg.run("CREATE DATABASE noext")
    rc, out, err = cli("diff", pg_url("noext"), my_url(), "items")
    check("no extension in the PostgreSQL database: says CREATE EXTENSION, exit 2",
          rc == 2 and "CREATE EXTENSION fingerprint" in err, f"{rc}\n{err}")
    my.run("CREATE USER nofp@localhost")
    my.run("GRANT SELECT ON shop.* TO nofp@localhost")
    rc, out, err = cli("diff", pg_url(), my_url(user="nofp"), "items")
    check("no fingerprint procedures visible on MariaDB: says install.sql, exit 2",
          rc == 2 and "install.sql" in err, f"{rc}\n{err}")
    rc, out, err = cli("diff", pg_url(schema="nosuchschema"), my_url(), "items")
    check("a schema that does not exist: named, exit 2", rc == 2 and "nosuchschema" in err, f"{rc}\n{err}")
    rc, out, err = cli("diff", pg_url(), "mysql://root:secret@localhost/shop?socket=/nonexistent.sock", "items")
    check("a password in a URL is never printed", rc == 2 and "secret" not in err and "***" in err, err)
    rc, out, err = cli("diff", pg_url())
    check("usage error: exit 2 and a pointer to --help", rc == 2 and "--help" in err, err)


def scenario_recheck(pg, my):
    reset_items(pg, my)
    my.run("UPDATE items SET qty = qty + 1 WHERE id IN (10, 20, 30)")
    my.run("DELETE FROM items WHERE id = 40")
    # Rows 10 and 40 are "in flight": fixed while the tool waits for its recheck.
    fixer = threading.Timer(3.0, lambda: (
        My("shop").run("UPDATE items SET qty = qty - 1 WHERE id = 10"),
        My("shop").run("INSERT INTO items SELECT * FROM items_base WHERE id = 40")))
    fixer.start()
    started = time.time()
    rc, report, err = diff_json(pg_url(), my_url(), "items", "--recheck", "8")
    fixer.join()
    expect_keys("--recheck: keys fixed during the wait are dropped, the others kept", rc, report, err, "items",
                {(20,): ("changed", ("qty",)), (30,): ("changed", ("qty",))})
    if report:
        t = table_of(report, "items")
        check("--recheck: reported as rechecked, two keys resolved, waited",
              t["rechecked"] and t["resolved_by_recheck"] == 2 and time.time() - started >= 8, t)
    my.run("UPDATE items SET qty = qty - 1 WHERE id IN (20, 30)")
    rc, report, err = diff_json(pg_url(), my_url(), "items", "--recheck", "0")
    expect_keys("--recheck with nothing to recheck: equal", rc, report, err, "items", {}, 0)


def scenario_capture(pg, my):
    if not my.run("SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'fingerprint'"
                  " AND ROUTINE_NAME = 'capture_ddl'"):
        check("capture: fingerprint.capture_ddl is installed", False, "the procedure does not exist")
        return
    my.run("CREATE TABLE captured (id INT PRIMARY KEY, v TEXT) CHARSET utf8mb4")
    triggers = lambda: my.run("SELECT COUNT(*) FROM information_schema.TRIGGERS"
                              " WHERE EVENT_OBJECT_SCHEMA = 'shop' AND EVENT_OBJECT_TABLE = 'captured'")[0][0]
    rc, out, err = cli("capture", "ddl", my_url(), "captured")
    check("capture ddl: prints CREATE TRIGGER statements, creates nothing",
          rc == 0 and len(re.findall(r"CREATE (OR REPLACE )?TRIGGER", out)) == 3 and out.startswith("DELIMITER //")
          and out.rstrip().endswith("DELIMITER ;") and triggers() == 0,
          out + err)
    rc, out, err = cli("capture", "enable", my_url(), "captured")
    check("capture enable: the three triggers exist", rc == 0 and triggers() == 3, f"{rc} {out} {err}")
    my.run("INSERT INTO captured VALUES (1, 'one')")
    logged = my.run("SELECT COUNT(*) FROM fingerprint.change_log WHERE table_name = 'shop.captured'")[0][0]
    check("capture enable: an insert is logged", logged == 1, logged)
    # Enabling intact capture again changes nothing (fingerprint.capture_intact): no trigger
    # is re-created, no version registered; after a column change it is repaired.
    created = lambda: my.run("SELECT GROUP_CONCAT(TRIGGER_NAME, CREATED ORDER BY TRIGGER_NAME)"
                             " FROM information_schema.TRIGGERS"
                             " WHERE EVENT_OBJECT_SCHEMA = 'shop' AND EVENT_OBJECT_TABLE = 'captured'")[0][0]
    versions = lambda: my.run("SELECT COUNT(*) FROM fingerprint.capture_tables"
                              " WHERE table_name = 'shop.captured'")[0][0]
    before = (created(), versions())
    time.sleep(0.05)
    rc, out, err = cli("capture", "enable", my_url(), "captured")
    check("capture enable of intact capture: nothing changed, no trigger re-created",
          rc == 0 and "capture already on and intact: nothing changed" in out
          and (created(), versions()) == before, f"{rc} {before} {out} {err}")
    my.run("ALTER TABLE captured ADD COLUMN extra INT")
    rc, out, err = cli("capture", "enable", my_url(), "captured")
    check("capture enable after a column change: repaired under a new schema version",
          rc == 0 and "intact" not in out and int(versions()) == int(before[1]) + 1 and triggers() == 3,
          f"{rc} {out} {err}")
    rc, out, err = cli("capture", "disable", my_url(), "shop.captured")
    check("capture disable: the triggers are gone, and it says how many it dropped",
          rc == 0 and triggers() == 0 and "3 triggers dropped" in out, f"{rc} {out} {err}")
    rc, out, err = cli("capture", "disable", my_url(), "shop.captured")
    check("capture disable of a table with no capture triggers says it dropped nothing",
          rc == 0 and "no capture trigger" in out, f"{rc} {out} {err}")
    # All or nothing: a stored value the core refuses fails the enable at its baseline,
    # after the triggers were created; they are dropped again.
    my.run("CREATE TABLE refused (id INT PRIMARY KEY, j JSON) CHARSET utf8mb4")
    my.run("""INSERT INTO refused VALUES (1, '{"a": 1e400}')""")
    rc, out, err = cli("capture", "enable", my_url(), "refused")
    left = my.run("SELECT COUNT(*) FROM information_schema.TRIGGERS"
                  " WHERE EVENT_OBJECT_SCHEMA = 'shop' AND EVENT_OBJECT_TABLE = 'refused'")[0][0]
    check("capture enable that fails part-way: exit 2, the table named, no trigger left behind",
          rc == 2 and "shop.refused" in err and left == 0, f"{rc} {left}\n{out}\n{err}")
    my.run("INSERT INTO refused VALUES (2, '{}')")  # the application's writes still work
    rc, out, err = cli("capture", "enable", pg_url(), "items")
    check("capture on a PostgreSQL URL: refused, exit 2", rc == 2 and "MySQL" in err, err)


def scenario_column_names(pg, my):
    # Names in --exclude-columns and --key resolve as each engine resolves a column name:
    # MariaDB case-insensitively but accent-sensitively (asked of the server itself),
    # PostgreSQL exactly (else by ASCII case). A name that is no column is an error.
    pg.run('DROP TABLE IF EXISTS accents')
    pg.run('CREATE TABLE accents (id int PRIMARY KEY, e text, "é" text, "ünï" text)')
    pg.run("INSERT INTO accents VALUES (1, 'a', 'b', 'c'), (2, 'd', 'e', 'f')")
    my.run("DROP TABLE IF EXISTS accents")
    my.run("CREATE TABLE accents (id INT PRIMARY KEY, e TEXT, `é` TEXT, `ünï` TEXT) CHARSET utf8mb4")
    my.run("INSERT INTO accents VALUES (1, 'a', 'B', 'c'), (2, 'd', 'e', 'f')")
    rc, report, err = diff_json(pg_url(), my_url(), "accents", "--exclude-columns", "é")
    expect_keys("--exclude-columns é leaves out é only (not e): equal", rc, report, err, "accents", {}, 0)
    rc, report, err = diff_json(pg_url(), my_url(), "accents", "--exclude-columns", "e")
    expect_keys("--exclude-columns e leaves é compared: the changed é is found", rc, report, err, "accents",
                {(1,): ("changed", ("é",))})
    rc, report, err = diff_json(pg_url(), my_url(), "accents", "--exclude-columns", "nosuch,é")
    check("--exclude-columns with a name that is no column: exit 2, the name in the errors",
          rc == 2 and report is not None and any('"nosuch"' in e for e in report.get("errors", [])),
          f"{rc} {report and report.get('errors')}\n{err}")
    rc, report, err = diff_json(pg_url(), my_url(), "accents", "--exclude-columns", "UNI,é")
    check("--exclude-columns UNI does not name ünï (accents count): exit 2",
          rc == 2 and report is not None and any('"UNI"' in e for e in report.get("errors", [])),
          f"{rc} {report and report.get('errors')}\n{err}")
    rc, out, err = cli("diff", my_url(), my_url(), "accents", "--exclude-columns", "É")
    check("MariaDB to MariaDB, --exclude-columns É names é (case-insensitive, as MariaDB): equal",
          rc == 0 and "equal" in out, f"{rc}\n{out}\n{err}")
    rc, report, err = diff_json(pg_url(), my_url(), "accents", "--exclude-columns", "É")
    check("PostgreSQL to MariaDB, --exclude-columns É: PostgreSQL has no column É, so the column lists differ",
          rc == 1 and report is not None and table_of(report, "accents")["status"] == "columns_differ",
          f"{rc} {report}\n{err}")
    rc, report, err = diff_json(pg_url(), my_url(), "accents", "--key", "ID")
    check("--key ID names id on both sides (ASCII case on PostgreSQL, MariaDB's rule on MariaDB)",
          rc == 1 and report is not None and table_of(report, "accents")["key"] == ["id"], f"{rc} {report}\n{err}")


def scenario_versions(pg, my):
    release = pg.run("SELECT default_version FROM pg_available_extensions WHERE name = 'fingerprint'")[0][0]
    rc, out, err = cli("--version")
    check("fingerprint --version prints the project's release (the extension's default_version)",
          rc == 0 and out.strip() == f"fingerprint {release} (format fp1)", f"{rc} {out!r} {release}")
    pg.run("DROP DATABASE IF EXISTS oldext")
    pg.run("CREATE DATABASE oldext")
    old = Pg("oldext")
    old.run("CREATE EXTENSION fingerprint VERSION '1.0'")
    old.run("CREATE TABLE items (id int PRIMARY KEY)")
    old.conn.close()
    rc, out, err = cli("diff", pg_url("oldext"), my_url(), "items")
    check("PostgreSQL database with fingerprint 1.0: refused, says ALTER EXTENSION fingerprint UPDATE, exit 2",
          rc == 2 and "fingerprint 1.0 is installed" in err and "ALTER EXTENSION fingerprint UPDATE" in err
          and "oldext" in err, f"{rc}\n{err}")
    create = my.run("SHOW CREATE FUNCTION fingerprint.version")[0][2]
    try:
        my.run("DROP FUNCTION fingerprint.version")
        my.run("CREATE FUNCTION fingerprint.version() RETURNS VARCHAR(20) DETERMINISTIC RETURN '0.9'")
        rc, out, err = cli("diff", pg_url(), my_url(), "items")
        check("MariaDB with another release installed: refused, says load install.sql, exit 2",
              rc == 2 and "fingerprint 0.9 is installed" in err and "install.sql" in err and "target" in err,
              f"{rc}\n{err}")
        rc, out, err = cli("capture", "ddl", my_url(), "items")
        check("fingerprint capture checks the installed release too", rc == 2 and "0.9" in err, f"{rc}\n{err}")
        my.run("DROP FUNCTION fingerprint.version")
        rc, out, err = cli("diff", pg_url(), my_url(), "items")
        check("MariaDB without fingerprint.version() is 1.0: refused, exit 2",
              rc == 2 and "fingerprint 1.0 is installed" in err, f"{rc}\n{err}")
    finally:
        my.run("DROP FUNCTION IF EXISTS fingerprint.version")
        My("fingerprint").run(create)  # SHOW CREATE names no database
    rc, out, err = cli("diff", pg_url(), my_url(), "items")
    check("the same release on both sides: accepted", rc in (0, 1), f"{rc}\n{err}")


def scenario_partial_privileges(pg, my):
    # A MariaDB account that may read only some columns must never get "equal": the
    # procedures refuse (information_schema would hide the other columns), and diff says
    # error, exit 2, even though every value it could read is equal.
    pg.run("DROP TABLE IF EXISTS secret")
    pg.run("CREATE TABLE secret (id int PRIMARY KEY, visible text, hidden text)")
    pg.run("INSERT INTO secret VALUES (1, 'a', 'source'), (2, 'b', 'source')")
    my.run("DROP TABLE IF EXISTS secret")
    my.run("CREATE TABLE secret (id INT PRIMARY KEY, visible TEXT, hidden TEXT) CHARSET utf8mb4")
    my.run("INSERT INTO secret VALUES (1, 'a', 'target'), (2, 'b', 'target')")
    my.run("CREATE USER IF NOT EXISTS partial@localhost")
    my.run("GRANT SELECT (id, visible) ON shop.secret TO partial@localhost")
    my.run("GRANT SELECT, EXECUTE ON fingerprint.* TO partial@localhost")
    rc, report, err = diff_json(pg_url(), my_url(user="partial"), "secret")
    table = table_of(report, "secret") if report else None
    check("MariaDB user with SELECT on some columns only: error naming the table, exit 2, never equal",
          rc == 2 and table is not None and table["status"] == "error" and "secret" in table["error"]
          and "every column" in table["error"], f"{rc} {table}\n{err}")
    rc, report, err = diff_json(pg_url(), my_url(), "secret")
    expect_keys("the same tables read by root: the hidden column differs", rc, report, err, "secret",
                {(1,): ("changed", ("hidden",)), (2,): ("changed", ("hidden",))})


# ------------------------------------------------------------------------------------
# Dead peers, timeouts and passwords in the process list

def server_pids(engine):
    """Every process of the throwaway server: the postmaster and its children, or mariadbd."""
    if engine == "pg":
        with open(os.path.join(ARGS.pg_host, "data", "postmaster.pid")) as f:
            main_pid = int(f.readline())
        children = subprocess.run(["pgrep", "-P", str(main_pid)], capture_output=True, text=True).stdout.split()
        return [main_pid] + [int(pid) for pid in children]
    with open(os.path.join(os.path.dirname(ARGS.my_socket), "mysqld.pid")) as f:
        return [int(f.read())]


def signal_server(engine, sig):
    for pid in server_pids(engine):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def run_while(args, during, wait_before=1.5):
    """Starts the CLI, calls during(pid) after wait_before seconds, then waits for it.
    Returns (exit status, stdout, stderr, seconds taken)."""
    env = dict(os.environ)
    env.pop("MYSQL_PWD", None)
    env.pop("PGPASSWORD", None)
    started = time.time()
    proc = subprocess.Popen([ARGS.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        time.sleep(wait_before)
        during(proc.pid)
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # a hang is a failure of the check, not of the run
        proc.kill()
        out, err = proc.communicate()
        return None, out, err + "\n(killed after 60 s)", time.time() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err, time.time() - started


class TcpProxy:
    """A TCP listener on 127.0.0.1 that forwards every connection to a unix socket, so
    that the CLI reaches the socket-only test servers over TCP."""

    def __init__(self, unix_path):
        import socket
        self.socket_module = socket
        self.unix_path = unix_path
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = self.socket_module.socket(self.socket_module.AF_UNIX, self.socket_module.SOCK_STREAM)
            server.connect(self.unix_path)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    @staticmethod
    def pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(2)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


def keepalive_timers(pid, port):
    """The keepalive state of pid's TCP connections to 127.0.0.1:port, from /proc/net/tcp:
    a list of (timer kind, seconds left) where kind 2 is the keepalive timer."""
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    timers = []
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            remote_port = int(fields[2].split(":")[1], 16)
            timer_kind, jiffies = fields[5].split(":")
            if fields[9] in inodes and remote_port == port and fields[3] == "01":  # ESTABLISHED
                timers.append((int(timer_kind, 16), int(jiffies, 16) / os.sysconf("SC_CLK_TCK")))
    return timers


def one_row_tables(pg, my, name):
    """The same one-row table on both sides: a statement over it lasts as long as its
    filter makes it (pg_sleep, SLEEP)."""
    pg.run(f"DROP TABLE IF EXISTS {name}")
    pg.run(f"CREATE TABLE {name} (id int PRIMARY KEY, v text)")
    pg.run(f"INSERT INTO {name} VALUES (1, 'one')")
    my.run(f"DROP TABLE IF EXISTS {name}")
    my.run(f"CREATE TABLE {name} (id INT PRIMARY KEY, v TEXT) CHARSET utf8mb4")
    my.run(f"INSERT INTO {name} VALUES (1, 'one')")


def scenario_dead_peers(pg, my):
    one_row_tables(pg, my, "slow")
    pg_slow = ["--where-source", "pg_sleep(3) IS NOT NULL"]
    my_slow = ["--where-target", "SLEEP(3) = 0"]

    rc, out, err, took = run_while(["diff", pg_url(), my_url(), "slow", *pg_slow, *my_slow], lambda pid: None, 0)
    check("no --timeout: statements of 3 s on both sides run to the end (nothing cut by default)",
          rc == 0 and "equal" in out, f"{rc}\n{out}\n{err}")

    rc, out, err, took = run_while(["diff", pg_url(), my_url(), "slow", "--timeout", "1", *pg_slow],
                                   lambda pid: None, 0)
    check("--timeout 1, a live PostgreSQL server: its statement_timeout ends the statement, exit 2",
          rc == 2 and "source" in out and "statement timeout" in out and took < 15, f"{rc} {took:.1f}s\n{out}\n{err}")
    rc, out, err, took = run_while(["diff", pg_url(), my_url(), "slow", "--timeout", "1", *my_slow],
                                   lambda pid: None, 0)
    check("--timeout 1, a live MariaDB server: max_statement_time ends the statement, exit 2",
          rc == 2 and "target" in out and "max_statement_time" in out and took < 15, f"{rc} {took:.1f}s\n{out}\n{err}")

    for engine, slow, side in (("pg", pg_slow, "source"), ("my", my_slow, "target")):
        name = "PostgreSQL" if engine == "pg" else "MariaDB"
        try:
            rc, out, err, took = run_while(["diff", pg_url(), my_url(), "slow", "--timeout", "2", *slow],
                                           lambda pid: signal_server(engine, signal.SIGSTOP))
        finally:
            signal_server(engine, signal.SIGCONT)
        check(f"{name} frozen with SIGSTOP mid-statement, --timeout 2: gives up after 2 + 5 s, names the side,"
              " exit 2", rc == 2 and f"slow: error: {side}" in out and 6.5 < took < 30 and
              ("no answer from the server within 7 s" in out or "stopped answering" in out), f"{rc} {took:.1f}s\n{out}\n{err}")

    # Keepalive on TCP (the test servers listen on unix sockets only: a proxy forwards).
    pg_proxy = TcpProxy(os.path.join(ARGS.pg_host, f".s.PGSQL.{ARGS.pg_port}"))
    my_proxy = TcpProxy(ARGS.my_socket)
    seen = {}

    def look(pid):
        seen["pg"] = keepalive_timers(pid, pg_proxy.port)
        seen["my"] = keepalive_timers(pid, my_proxy.port)

    try:
        rc, out, err, took = run_while(
            ["diff", f"postgresql://postgres@127.0.0.1:{pg_proxy.port}/postgres",
             f"mysql://root@127.0.0.1:{my_proxy.port}/shop", "slow", *pg_slow, *my_slow], look, 1.5)
    finally:
        pg_proxy.close()
        my_proxy.close()
    for engine in ("pg", "my"):
        timers = seen.get(engine, [])
        check(f"TCP connection to {'PostgreSQL' if engine == 'pg' else 'MariaDB'} has keepalive probes armed"
              " (~30 s idle) while a statement runs",
              rc == 0 and timers and all(kind == 2 and 0 < left <= 31 for kind, left in timers),
              f"{rc} {timers}\n{err}")


def scenario_frozen_after_error(pg, my):
    # One side fails (its statement timeout) while the other side's backend is frozen
    # after answering: ending the other side's transaction must not hang the tool.
    for db in ("frozen_a", "frozen_b"):
        pg.run(f"DROP DATABASE IF EXISTS {db}")
        pg.run(f"CREATE DATABASE {db}")
        side = Pg(db)
        side.run("CREATE EXTENSION fingerprint")
        side.run("CREATE TABLE slow (id int PRIMARY KEY, v text)")
        side.run("INSERT INTO slow VALUES (1, 'one')")
        side.conn.close()
    frozen = []

    def freeze_target(pid):
        rows = pg.run("SELECT pid FROM pg_stat_activity WHERE datname = 'frozen_b'"
                      " AND application_name = 'fingerprint'")
        for (backend,) in rows:
            os.kill(backend, signal.SIGSTOP)
            frozen.append(backend)

    try:
        rc, out, err, took = run_while(["diff", pg_url("frozen_a"), pg_url("frozen_b"), "slow", "--timeout", "2",
                                        "--where-source", "pg_sleep(4) IS NOT NULL"], freeze_target, 1.0)
    finally:
        for backend in frozen:
            os.kill(backend, signal.SIGCONT)
    check("--timeout bounds ending the transaction on a side frozen after it answered (exit 2, no hang)",
          frozen and rc == 2 and "statement timeout" in out and took < 20, f"{rc} {took:.1f}s {frozen}\n{out}\n{err}")

    rc, out, err = cli("diff", pg_url(schema="nosuchschema"), my_url(), "items", "--json")
    document = parsed_json(out)
    check("--json: a run refused before any table is compared still prints a JSON document",
          rc == 2 and document is not None and document["result"] == "error" and document["exit_status"] == 2
          and "nosuchschema" in document["error"], f"{rc}\n{out}\n{err}")
    rc, out, err = cli("capture", "bogus", my_url(), "items")
    check("fingerprint capture with an unknown action names it", rc == 2 and "'bogus'" in err, err)


def scenario_password_argv(pg, my):
    my.run("CREATE USER IF NOT EXISTS argv@localhost IDENTIFIED BY 'Sesame-4711'")
    my.run("GRANT SELECT ON shop.* TO argv@localhost")
    my.run("GRANT SELECT, EXECUTE ON fingerprint.* TO argv@localhost")
    one_row_tables(pg, my, "slow")
    url = f"mysql://argv:Sesame-4711@localhost/shop?socket={ARGS.my_socket}"
    pg_with_password = pg_url() + "&password=Pg-Secret-99"
    seen = {}

    def read_argv(pid):
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            seen["argv"] = f.read().decode(errors="replace")

    rc, out, err, took = run_while(["diff", pg_with_password, url, "slow", "--where-source",
                                    "pg_sleep(2) IS NOT NULL"], read_argv, 1.0)
    argv = seen.get("argv", "")
    check("passwords in URLs (user:PASSWORD@, password=) are gone from /proc/PID/cmdline while the CLI runs",
          rc == 0 and "Sesame-4711" not in argv and "Pg-Secret-99" not in argv and "argv:xxxxxxxxxxx@" in argv
          and "password=xxxxxxxxxxxx" in argv, f"{rc}\n{argv!r}\n{err}")


SCENARIOS = [scenario_equal, scenario_k_changes, scenario_filters, scenario_same_engine, scenario_text_keys,
             scenario_uuid_keys, scenario_composite_key, scenario_empty, scenario_duplicates, scenario_columns,
             scenario_whole_namespace, scenario_connections, scenario_recheck, scenario_capture,
             scenario_versions, scenario_column_names, scenario_partial_privileges, scenario_dead_peers,
             scenario_frozen_after_error, scenario_password_argv]


def main():
    pg = Pg()
    my = My()
    my.run("CREATE DATABASE shop")
    my.conn.select_db("shop")
    tmpdir = my.run("SELECT @@tmpdir")[0][0]
    check("MariaDB uses its private tmpdir (see scripts/mariadb_server.sh)", tmpdir.rstrip("/").endswith("/my/tmp"), tmpdir)
    setup(pg, my)
    for scenario in SCENARIOS:
        if ARGS.only and ARGS.only not in scenario.__name__:
            continue
        started = time.time()
        scenario(pg, my)
        print(f"--   {scenario.__name__} took {time.time() - started:.1f} s", flush=True)
    return TALLY.summary("cli")


if __name__ == "__main__":
    sys.exit(main())
