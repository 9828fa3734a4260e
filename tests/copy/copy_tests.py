#!/usr/bin/python3
"""Tests of `fingerprint copy` against real servers.

Run by run_copy_tests.sh, which starts a throwaway PostgreSQL and MariaDB, installs the
extension and the procedures and loads the cross-engine corpus (tests/cross/*_data.sql):
PostgreSQL database postgres, schema public; MariaDB database corpus. Every scenario runs
the CLI (mostly with --json) and checks its exit status and report against what the
servers hold: both table fingerprints, row counts, tables that must (not) exist.

Prints "ok   NAME" / "FAIL NAME" per check and a summary; exits 1 on any failure.
"""
import argparse
import json
import os
import pty
import random
import subprocess
import sys
import threading
import time

import psycopg2
import pymysql

parser = argparse.ArgumentParser()
parser.add_argument("--cli", required=True)
parser.add_argument("--pg-host", required=True)
parser.add_argument("--pg-port", required=True)
parser.add_argument("--my-socket", required=True)
parser.add_argument("--only", default="",
                    help="run only the scenarios whose name contains this (or one of these, split by |)")
ARGS = parser.parse_args()

CORPUS_PG = ["composite", "dups", "everything", "everything_reordered"]
CORPUS_MY = ["composite", "dups", "dups_reordered", "everything"]

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}", flush=True)
        for line in str(detail).splitlines()[:40]:
            print(f"     {line}", flush=True)


# ------------------------------------------------------------------------------------
# Servers

def pg_url(schema="public", db="postgres"):
    return f"postgresql://postgres@/{db}?host={ARGS.pg_host}&port={ARGS.pg_port}&schema={schema}"


def my_url(db):
    return f"mysql://root@localhost/{db}?socket={ARGS.my_socket}"


class Pg:
    def __init__(self, db="postgres"):
        self.conn = psycopg2.connect(host=ARGS.pg_host, port=ARGS.pg_port, user="postgres", dbname=db)
        self.conn.autocommit = True

    def run(self, sql, params=None):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def fp(self, schema, table):
        return self.run("SELECT table_fingerprint(format('%%I.%%I', %s, %s)::regclass)", (schema, table))[0][0]

    def exists(self, schema, table):
        return self.run("SELECT to_regclass(format('%%I.%%I', %s, %s)) IS NOT NULL", (schema, table))[0][0]

    def count(self, schema, table):
        return self.run(f'SELECT count(*) FROM "{schema}"."{table}"')[0][0]

    def progress_rows(self):
        if not self.run("SELECT to_regclass('fingerprint.copy_progress') IS NOT NULL")[0][0]:
            return 0
        return self.run("SELECT count(*) FROM fingerprint.copy_progress")[0][0]


class My:
    def __init__(self, db=None):
        self.conn = pymysql.connect(unix_socket=ARGS.my_socket, user="root", database=db, charset="utf8mb4",
                                    autocommit=True)

    def run(self, sql, params=None):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def fp(self, db, table):
        return self.run("CALL fingerprint.table_fingerprint(%s)", (f"{db}.{table}",))[0][0]

    def exists(self, db, table):
        return self.run("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                        (db, table))[0][0] == 1

    def count(self, db, table):
        return self.run(f"SELECT count(*) FROM `{db}`.`{table}`")[0][0]

    def progress_rows(self, table=None):
        if not self.exists("fingerprint", "copy_progress"):
            return 0
        if table:
            return self.run("SELECT count(*) FROM fingerprint.copy_progress WHERE target_table = %s", (table,))[0][0]
        return self.run("SELECT count(*) FROM fingerprint.copy_progress")[0][0]

    def done_chunks(self, table):
        if not self.exists("fingerprint", "copy_progress"):
            return 0
        return self.run("SELECT count(*) FROM fingerprint.copy_progress WHERE target_table = %s AND chunk >= 0"
                        " AND fingerprint IS NOT NULL", (table,))[0][0]


def cli(*args, timeout=900):
    env = dict(os.environ)
    env.pop("MYSQL_PWD", None)
    env.pop("PGPASSWORD", None)
    proc = subprocess.run([ARGS.cli, *args], capture_output=True, text=True, env=env, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def copy_json(source, target, *args):
    """fingerprint copy --json; returns (exit status, report or None, stderr + stdout when not JSON)."""
    rc, out, err = cli("copy", source, target, "--json", *args)
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, None, err + "\nstdout: " + out


def tables_of(report):
    return {t["table"].split(".", 1)[1]: t for t in report["tables"]} if report else {}


def all_identical(name, rc, report, err, expected_tables):
    tables = tables_of(report)
    ok = rc == 0 and report is not None and sorted(tables) == sorted(expected_tables) and all(
        t["result"] == "identical" for t in tables.values())
    check(name, ok, f"exit {rc}\n{json.dumps(report, indent=1) if report else ''}\n{err}")
    return ok


def skip(name):
    return ARGS.only and not any(part in name for part in ARGS.only.split("|"))


PG = Pg()
MY = My()


# ------------------------------------------------------------------------------------
# The corpus both ways, with and without --create-tables, and back

def corpus_both_ways():
    name = "corpus PostgreSQL -> MariaDB, --create-tables, --jobs 4"
    if not skip(name):
        MY.run("CREATE DATABASE c_from_pg")
        rc, report, err = copy_json(pg_url(), my_url("c_from_pg"), "--create-tables", "--jobs", "4")
        if all_identical(name, rc, report, err, CORPUS_PG):
            mismatched = [t for t in CORPUS_PG if MY.fp("c_from_pg", t) != PG.fp("public", t)]
            check(name + ": target fingerprints = source's", not mismatched, mismatched)
            check(name + ": no progress rows left", MY.progress_rows() == 0, MY.progress_rows())

    name = "corpus MariaDB -> PostgreSQL, --create-tables, --jobs 1"
    if not skip(name):
        PG.run("CREATE SCHEMA c_from_my")
        rc, report, err = copy_json(my_url("corpus"), pg_url("c_from_my"), "--create-tables", "--jobs", "1")
        if all_identical(name, rc, report, err, CORPUS_MY):
            mismatched = [t for t in CORPUS_MY if PG.fp("c_from_my", t) != MY.fp("corpus", t)]
            check(name + ": target fingerprints = source's", not mismatched, mismatched)
            check(name + ": no progress rows left", PG.progress_rows() == 0, PG.progress_rows())

    name = "the copy copied back gives the original fingerprints (MariaDB copy -> PostgreSQL)"
    if not skip(name) and MY.exists("c_from_pg", "everything"):
        PG.run("CREATE SCHEMA back_from_my")
        rc, report, err = copy_json(my_url("c_from_pg"), pg_url("back_from_my"), "--create-tables", "--jobs", "2")
        if all_identical(name, rc, report, err, CORPUS_PG):
            mismatched = [t for t in CORPUS_PG if PG.fp("back_from_my", t) != PG.fp("public", t)]
            check(name + ": equal to public's", not mismatched, mismatched)

    name = "the copy copied back gives the original fingerprints (PostgreSQL copy -> MariaDB)"
    if not skip(name) and PG.exists("c_from_my", "everything"):
        MY.run("CREATE DATABASE back_from_pg")
        rc, report, err = copy_json(pg_url("c_from_my"), my_url("back_from_pg"), "--create-tables", "--jobs", "2")
        if all_identical(name, rc, report, err, CORPUS_MY):
            mismatched = [t for t in CORPUS_MY if MY.fp("back_from_pg", t) != MY.fp("corpus", t)]
            check(name + ": equal to corpus's", not mismatched, mismatched)


def hand_made_targets():
    """Target tables created by hand from the other engine's corpus script, emptied."""
    tables = ["composite", "dups", "everything"]
    name = "PostgreSQL -> MariaDB tables created by hand"
    if not skip(name):
        MY.run("CREATE DATABASE hand")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cross", "mysql_data.sql")
        subprocess.run(["mariadb", "--no-defaults", "-S", ARGS.my_socket, "-u", "root", "hand"],
                       stdin=open(script), check=True)
        for t in tables + ["dups_reordered"]:
            MY.run(f"DELETE FROM hand.{t}")
        rc, report, err = copy_json(pg_url(), my_url("hand"), *tables)
        if all_identical(name, rc, report, err, tables):
            check(name + ": fingerprints", all(MY.fp("hand", t) == PG.fp("public", t) for t in tables))

        name = "a target table that holds rows is refused without --truncate"
        rc, report, err = copy_json(pg_url(), my_url("hand"), "everything")
        t = tables_of(report).get("everything", {})
        check(name, rc == 2 and "already holds rows" in t.get("error", "") and MY.count("hand", "everything") == 5,
              f"exit {rc} {report} {err}")
        name = "--truncate empties it and copies again"
        rc, report, err = copy_json(pg_url(), my_url("hand"), "everything", "--truncate")
        all_identical(name, rc, report, err, ["everything"])

    name = "MariaDB -> PostgreSQL tables created by hand"
    if not skip(name):
        PG.run("CREATE DATABASE handdb")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cross", "pg_data.sql")
        subprocess.run(["psql", "-X", "-q", "-h", ARGS.pg_host, "-p", ARGS.pg_port, "-U", "postgres", "-d", "handdb",
                        "-v", "ON_ERROR_STOP=1", "-f", script], check=True, stdout=subprocess.DEVNULL)
        hand = Pg("handdb")
        hand.run("TRUNCATE composite, dups, everything")
        rc, report, err = copy_json(my_url("corpus"), pg_url(db="handdb"), *tables, "--jobs", "3")
        if all_identical(name, rc, report, err, tables):
            check(name + ": fingerprints", all(hand.fp("public", t) == MY.fp("corpus", t) for t in tables))


def onto_itself():
    name = "a table is never copied onto itself (same URL and schema), even with --truncate"
    if skip(name):
        return
    rc, out, err = cli("copy", pg_url(), pg_url(), "composite", "--truncate")
    check(name, rc == 2 and "same schema" in err and PG.count("public", "composite") == 3, f"exit {rc}\n{out}\n{err}")


def dry_run():
    name = "--dry-run prints the DDL and the plan, writes nothing"
    if skip(name):
        return
    MY.run("CREATE DATABASE dry")
    before = MY.progress_rows()
    rc, out, err = cli("copy", pg_url(), my_url("dry"), "--create-tables", "--dry-run", "--chunk-rows", "2")
    check(name, rc == 0 and "CREATE TABLE" in out and "everything" in out and "chunk 1: keys" in out
          and MY.run("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dry'")[0][0] == 0
          and MY.progress_rows() == before, f"exit {rc}\n{out}\n{err}")


# ------------------------------------------------------------------------------------
# Writers during the copy: the proof holds at the snapshot

class Writer(threading.Thread):
    """Inserts, updates and deletes rows of a table until stopped."""

    def __init__(self, session_factory, table, keys):
        super().__init__(daemon=True)
        self.session_factory, self.table, self.keys = session_factory, table, keys
        self.stop = threading.Event()
        self.writes = 0
        self.error = None

    def run(self):
        try:
            s = self.session_factory()
            rng = random.Random(7)
            next_key = self.keys + 1
            while not self.stop.is_set():
                op = rng.random()
                k = rng.randint(1, self.keys)
                if op < 0.4:
                    s.run(f"UPDATE {self.table} SET v = %s WHERE id = %s", (f"changed {self.writes}", k))
                elif op < 0.7:
                    s.run(f"DELETE FROM {self.table} WHERE id = %s", (k,))
                else:
                    s.run(f"INSERT INTO {self.table} VALUES (%s, %s)", (next_key, "inserted"))
                    next_key += 1
                self.writes += 1
        except Exception as e:  # reported by the scenario
            self.error = e


def writers_during_copy():
    rows = 60000
    name = "PostgreSQL -> MariaDB with writers on the source, --jobs 4"
    if not skip(name):
        PG.run("CREATE TABLE busy (id bigint PRIMARY KEY, v text)")
        PG.run("INSERT INTO busy SELECT g, md5(g::text) FROM generate_series(1, %s) g", (rows,))
        MY.run("CREATE DATABASE w_pg")
        writer = Writer(Pg, "busy", rows)
        writer.start()
        time.sleep(0.3)
        before = writer.writes
        rc, report, err = copy_json(pg_url(), my_url("w_pg"), "busy", "--create-tables", "--jobs", "4",
                                    "--chunk-rows", "5000")
        during = writer.writes - before
        writer.stop.set()
        writer.join()
        t = tables_of(report).get("busy", {})
        check(name, rc == 0 and t.get("result") == "identical" and writer.error is None,
              f"exit {rc} {report} {err} {writer.error}")
        check(name + ": the writers wrote during the copy", during > 0, during)
        check(name + ": the target holds the snapshot's rows (the source has moved on)",
              MY.fp("w_pg", "busy") == t.get("source_fingerprint") != PG.fp("public", "busy"),
              f"{MY.fp('w_pg', 'busy')} {t.get('source_fingerprint')} {PG.fp('public', 'busy')}")

    for lock in (True, False):
        name = f"MariaDB -> PostgreSQL with writers on the source, {'--lock-for-snapshot ' if lock else ''}--jobs 3"
        if skip(name):
            continue
        table = "busy_lock" if lock else "busy_nolock"
        MY.run(f"CREATE TABLE corpus.{table} (id BIGINT PRIMARY KEY, v TEXT) DEFAULT CHARSET=utf8mb4")
        MY.run(f"INSERT INTO corpus.{table} SELECT seq, MD5(seq) FROM corpus.seq_1_to_{rows}")
        schema = "w_my_lock" if lock else "w_my_nolock"
        PG.run(f"CREATE SCHEMA {schema}")
        writer = Writer(lambda: My("corpus"), table, rows)
        writer.start()
        time.sleep(0.3)
        before = writer.writes
        rc, report, err = copy_json(my_url("corpus"), pg_url(schema), table, "dups", "--create-tables", "--jobs", "3",
                                    "--chunk-rows", "5000", *(["--lock-for-snapshot"] if lock else []))
        during = writer.writes - before
        writer.stop.set()
        writer.join()
        t = tables_of(report).get(table, {})
        check(name, rc == 0 and all(x["result"] == "identical" for x in report["tables"]) and writer.error is None,
              f"exit {rc} {report} {err} {writer.error}")
        check(name + ": the writers wrote during the copy", during > 0, during)
        check(name + ": the target holds the snapshot's rows",
              PG.fp(schema, table) == t.get("source_fingerprint") != MY.fp("corpus", table))
        check(name + ": the report says how the snapshots relate",
              ("one MySQL/MariaDB snapshot for 3 workers" if lock else "one MySQL/MariaDB snapshot per worker")
              in report["snapshot"], report["snapshot"])


# ------------------------------------------------------------------------------------
# Refusals: exit 2, a message naming table, key, column and value, no partial table

def refusals():
    name = "a value refused in a later chunk (MariaDB zero date -> PostgreSQL): created table dropped"
    if not skip(name):
        MY.run("SET SESSION sql_mode = ''")
        MY.run("CREATE TABLE corpus.zero (id INT PRIMARY KEY, d DATE)")
        MY.run("INSERT INTO corpus.zero SELECT seq, '2024-01-01' + INTERVAL seq DAY FROM corpus.seq_1_to_100")
        MY.run("UPDATE corpus.zero SET d = '0000-00-00' WHERE id = 95")
        PG.run("CREATE SCHEMA IF NOT EXISTS refused")
        rc, report, err = copy_json(my_url("corpus"), pg_url("refused"), "zero", "composite", "--create-tables",
                                    "--chunk-rows", "10", "--jobs", "1")
        tables = tables_of(report)
        message = tables.get("zero", {}).get("error", "")
        check(name, rc == 2 and tables.get("zero", {}).get("result") == "error"
              and tables.get("composite", {}).get("result") == "identical", f"exit {rc} {report} {err}")
        check(name + ": the message names table, key, column and value",
              all(s in message for s in ["corpus.zero", "key (id)=('95')", "column d", "0000-00-00"]), message)
        left = PG.run("SELECT count(*) FROM fingerprint.copy_progress WHERE target_table = 'refused.zero'")[0][0]
        check(name + ": no partial table", not PG.exists("refused", "zero") and left == 0, left)

    name = "a value refused into an existing table (4-byte character -> utf8mb3 column): emptied again"
    if not skip(name):
        PG.run("CREATE TABLE emoji (id int PRIMARY KEY, s text)")
        PG.run("INSERT INTO emoji SELECT g, 'plain ' || g FROM generate_series(1, 50) g")
        PG.run("UPDATE emoji SET s = 'smile 😀' WHERE id = 42")
        MY.run("CREATE DATABASE refused")
        MY.run("CREATE TABLE refused.emoji (id INT PRIMARY KEY, s TEXT CHARACTER SET utf8mb3)")
        rc, report, err = copy_json(pg_url(), my_url("refused"), "emoji", "--chunk-rows", "10")
        message = tables_of(report).get("emoji", {}).get("error", "")
        check(name, rc == 2 and all(s in message for s in ["public.emoji", "key (id)=('42')", "column s", "smile"]),
              f"exit {rc} {report} {err}")
        check(name + ": no partial load", MY.exists("refused", "emoji") and MY.count("refused", "emoji") == 0
              and MY.progress_rows("refused.emoji") == 0)

    # One value of each refused class, in the third chunk of ten rows (two chunks are
    # committed by then and must go too), into a table made by hand.
    to_my = [("text", "'éééé'", "VARCHAR(3)", "4 characters"),
             ("numeric", "1234.5", "DECIMAL(5,2)", "1234.5"),
             ("float8", "'NaN'", "DOUBLE", "NaN"),
             ("timestamptz", "'2040-01-01 00:00:00+00'", "TIMESTAMP(6) NULL", "2040-01-01")]
    to_pg = [("TEXT", "CONCAT('nul', CHAR(0), 'x')", "text", "NUL byte"),
             ("TIME", "'838:59:59'", "time", "838:59:59"),
             ("DATETIME", "'0000-00-00 00:00:00'", "timestamp", "0000-00-00 00:00:00")]
    PG.run("CREATE SCHEMA IF NOT EXISTS refused")
    MY.run("CREATE DATABASE IF NOT EXISTS refused")
    MY.run("SET SESSION sql_mode = ''")
    for i, (source_type, bad, target_type, words) in enumerate(to_my + to_pg):
        into_my = i < len(to_my)
        table = f"class{i}"
        name = f"refused class {'PostgreSQL -> MariaDB' if into_my else 'MariaDB -> PostgreSQL'}: {source_type}" \
               f" {bad} into {target_type}"
        if skip(name):
            continue
        source, target = (PG, MY) if into_my else (MY, PG)
        where = "public" if into_my else "corpus"
        source.run(f"CREATE TABLE {where}.{table} (id int PRIMARY KEY, v {source_type})")
        source.run(f"INSERT INTO {where}.{table} (id) " + ("SELECT generate_series(1, 30)" if into_my
                                                          else "SELECT seq FROM corpus.seq_1_to_30"))
        source.run(f"UPDATE {where}.{table} SET v = {bad} WHERE id = 27")
        target.run(f"CREATE TABLE refused.{table} (id int PRIMARY KEY, v {target_type})")
        rc, report, err = copy_json(pg_url() if into_my else my_url("corpus"),
                                    my_url("refused") if into_my else pg_url("refused"), table, "--chunk-rows", "10")
        message = tables_of(report).get(table, {}).get("error", "")
        check(name, rc == 2 and all(w in message for w in [f"{where}.{table}", "key (id)=('27')", "column v", words])
              and target.count("refused", table) == 0, f"exit {rc} {message} {err}")

    name = "a target error (NULL into a NOT NULL column of MariaDB): exit 2, emptied again"
    if not skip(name):
        PG.run("CREATE TABLE nulls (id int PRIMARY KEY, s text)")
        PG.run("INSERT INTO nulls SELECT g, CASE WHEN g = 33 THEN NULL ELSE 'v' END FROM generate_series(1, 50) g")
        MY.run("CREATE TABLE refused.nulls (id INT PRIMARY KEY, s TEXT NOT NULL)")
        rc, report, err = copy_json(pg_url(), my_url("refused"), "nulls", "--chunk-rows", "10")
        message = tables_of(report).get("nulls", {}).get("error", "")
        check(name, rc == 2 and "refused.nulls" in message and "s" in message, f"exit {rc} {report} {err}")
        check(name + ": no partial load", MY.count("refused", "nulls") == 0)

    name = "a target error (NULL into a NOT NULL column of PostgreSQL): exit 2, emptied again"
    if not skip(name):
        MY.run("CREATE TABLE corpus.nulls (id INT PRIMARY KEY, s TEXT)")
        MY.run("INSERT INTO corpus.nulls SELECT seq, IF(seq = 33, NULL, 'v') FROM corpus.seq_1_to_50")
        PG.run("CREATE TABLE refused.nulls (id int PRIMARY KEY, s text NOT NULL)")
        rc, report, err = copy_json(my_url("corpus"), pg_url("refused"), "nulls", "--chunk-rows", "10")
        message = tables_of(report).get("nulls", {}).get("error", "")
        check(name, rc == 2 and "refused.nulls" in message and '"s"' in message, f"exit {rc} {report} {err}")
        check(name + ": no partial load", PG.count("refused", "nulls") == 0)

    name = "a column that cannot hold the source's type (jsonb -> INT) is refused before any row"
    if not skip(name):
        PG.run("CREATE TABLE typed (id int PRIMARY KEY, doc jsonb)")
        PG.run("INSERT INTO typed VALUES (1, '{}')")
        MY.run("CREATE TABLE refused.typed (id INT PRIMARY KEY, doc INT)")
        rc, report, err = copy_json(pg_url(), my_url("refused"), "typed")
        message = tables_of(report).get("typed", {}).get("error", "")
        check(name, rc == 2 and "doc" in message and MY.count("refused", "typed") == 0, f"exit {rc} {report} {err}")


def proof_failure():
    name = "a target that changes what it is given (a trigger) fails the proof: exit 1, DIFFERENT"
    if skip(name):
        return
    PG.run("CREATE TABLE shouted (id int PRIMARY KEY, s text)")
    PG.run("INSERT INTO shouted VALUES (1, 'abc'), (2, 'ABC')")
    MY.run("CREATE DATABASE proof")
    MY.run("CREATE TABLE proof.shouted (id INT PRIMARY KEY, s VARCHAR(20))")
    MY.run("CREATE TRIGGER proof.shouted_bi BEFORE INSERT ON proof.shouted FOR EACH ROW SET NEW.s = UPPER(NEW.s)")
    rc, out, err = cli("copy", pg_url(), my_url("proof"), "shouted")
    check(name, rc == 1 and "DIFFERENT" in out and "fingerprint diff SOURCE TARGET shouted" in out, f"exit {rc}\n{out}\n{err}")
    rc, report, err = copy_json(pg_url(), my_url("proof"), "shouted")
    t = tables_of(report).get("shouted", {})
    check(name + ": again (the unproven chunk is loaded again, no duplicates)",
          rc == 1 and t.get("result") == "different" and MY.count("proof", "shouted") == 2, f"exit {rc} {report} {err}")


# ------------------------------------------------------------------------------------
# kill -9 at several points, then the same command completes

def kill_and_resume():
    rows = 40000
    PG.run("CREATE TABLE killme (id bigint PRIMARY KEY, v text)")
    PG.run("INSERT INTO killme SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, %s) g", (rows,))
    MY.run("CREATE DATABASE k")
    args = ["copy", pg_url(), my_url("k"), "killme", "--create-tables", "--jobs", "2", "--chunk-rows", "4000",
            "--json"]
    for done in (0, 1, 4, 10):
        name = f"kill -9 after {done} chunks loaded, then the same command completes"
        if skip(name):
            continue
        MY.run("DROP TABLE IF EXISTS k.killme")
        MY.run("DELETE FROM fingerprint.copy_progress WHERE target_table = 'k.killme'") if MY.exists(
            "fingerprint", "copy_progress") else None
        proc = subprocess.Popen([ARGS.cli, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            if done == 0 and MY.exists("k", "killme") or done > 0 and MY.done_chunks("k.killme") >= done:
                break
            time.sleep(0.02)
        proc.kill()
        proc.wait()
        kept_before = MY.done_chunks("k.killme")
        if done == 4:  # the source changes between the runs: a done chunk must be loaded again
            PG.run("UPDATE killme SET v = 'changed' WHERE id = 2")
        rc, out, err = cli(*args)
        report = json.loads(out) if out.startswith("{") else None
        t = tables_of(report).get("killme", {})
        distinct = MY.run("SELECT count(*), count(DISTINCT id) FROM k.killme")[0] if MY.exists("k", "killme") else None
        check(name, rc == 0 and t.get("result") == "identical" and distinct == (rows, rows)
              and MY.fp("k", "killme") == PG.fp("public", "killme"),
              f"exit {rc} killed with {kept_before} chunks done; rows {distinct}\n{out}\n{err}")
        if done == 4:
            check(name + ": a chunk changed on the source is loaded again", t.get("chunks_kept", 0) < kept_before,
                  f"{kept_before} done before, {t.get('chunks_kept')} kept")

    name = "kill -9 of a MariaDB -> PostgreSQL copy, then the same command completes"
    if not skip(name):
        MY.run("CREATE TABLE corpus.killmy (id INT PRIMARY KEY, v TEXT)")
        MY.run(f"INSERT INTO corpus.killmy SELECT seq, REPEAT(MD5(seq), 4) FROM corpus.seq_1_to_{rows}")
        PG.run("CREATE SCHEMA k")
        args = ["copy", my_url("corpus"), pg_url("k"), "killmy", "--create-tables", "--chunk-rows", "4000",
                "--lock-for-snapshot", "--jobs", "2"]
        proc = subprocess.Popen([ARGS.cli, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            if PG.progress_rows() and PG.run("SELECT count(*) FROM fingerprint.copy_progress"
                                             " WHERE fingerprint IS NOT NULL")[0][0] >= 2:
                break
            time.sleep(0.02)
        proc.kill()
        proc.wait()
        rc, out, err = cli(*args, "--json")
        distinct = PG.run("SELECT count(*), count(DISTINCT id) FROM k.killmy")[0]
        check(name, rc == 0 and distinct == (rows, rows) and PG.fp("k", "killmy") == MY.fp("corpus", "killmy"),
              f"exit {rc} rows {distinct}\n{out}\n{err}")


# ------------------------------------------------------------------------------------
# Odd tables: no key, empty, a 64 MB value, names that need quoting

def odd_tables():
    name = "an empty table, names that need quoting, no primary key, both ways"
    if not skip(name):
        PG.run('CREATE TABLE "Odd Name" ("Key" int PRIMARY KEY, "we""ird" text, "select" int)')
        PG.run('INSERT INTO "Odd Name" VALUES (1, \'a\', 1), (2, NULL, NULL)')
        PG.run("CREATE TABLE empty_t (id int PRIMARY KEY, v text)")
        PG.run("CREATE TABLE nokey (a int, b text)")
        PG.run("INSERT INTO nokey VALUES (1, 'x'), (1, 'x'), (NULL, NULL)")
        tables = ["Odd Name", "empty_t", "nokey"]
        MY.run("CREATE DATABASE `odd db`")
        rc, report, err = copy_json(pg_url(), my_url("odd%20db"), *tables, "--create-tables", "--jobs", "4")
        if all_identical(name, rc, report, err, tables):
            check(name + ": fingerprints", all(MY.fp("odd db", t) == PG.fp("public", t) for t in tables))
        PG.run('CREATE SCHEMA "Odd Back"')
        rc, report, err = copy_json(my_url("odd%20db"), pg_url("Odd%20Back"), *tables, "--create-tables")
        if all_identical(name + ": back", rc, report, err, tables):
            check(name + ": back: fingerprints", all(PG.fp("Odd Back", t) == PG.fp("public", t) for t in tables))

    name = "a 64 MB value, both ways"
    if not skip(name):
        PG.run("CREATE TABLE huge (id int PRIMARY KEY, b bytea, t text)")
        PG.run("INSERT INTO huge VALUES (1, decode(repeat('a1', 64 * 1024 * 1024), 'hex'), repeat('é', 32 * 1024 * 1024)),"
               " (2, '\\x00', '')")
        MY.run("CREATE DATABASE huge")
        rc, report, err = copy_json(pg_url(), my_url("huge"), "huge", "--create-tables")
        all_identical(name + ": PostgreSQL -> MariaDB", rc, report, err, ["huge"])
        PG.run("CREATE SCHEMA huge")
        rc, report, err = copy_json(my_url("huge"), pg_url("huge"), "huge", "--create-tables")
        if all_identical(name + ": MariaDB -> PostgreSQL", rc, report, err, ["huge"]):
            check(name + ": back equal to the original", PG.fp("huge", "huge") == PG.fp("public", "huge"))


# ------------------------------------------------------------------------------------
# What a hostile tester found (issue 10): each scenario failed before its fix

def row_level_security():
    name = "a PostgreSQL source table whose row-level security hides rows is refused, never a partial copy"
    if skip(name):
        return
    PG.run("CREATE ROLE ro LOGIN")
    PG.run("GRANT USAGE ON SCHEMA fingerprint TO ro")
    PG.run("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA fingerprint TO ro")
    PG.run("CREATE TABLE sec (id int PRIMARY KEY, owner text)")
    PG.run("INSERT INTO sec VALUES (1, 'ro'), (2, 'postgres'), (3, 'postgres')")
    PG.run("ALTER TABLE sec ENABLE ROW LEVEL SECURITY")
    PG.run("CREATE POLICY mine ON sec USING (owner = current_user)")
    PG.run("GRANT SELECT ON sec TO ro")
    MY.run("CREATE DATABASE rls")
    ro_url = pg_url().replace("postgres@", "ro@", 1)
    rc, report, err = copy_json(ro_url, my_url("rls"), "sec", "--create-tables")
    message = tables_of(report).get("sec", {}).get("error", "")
    check(name, rc == 2 and "public.sec" in message and "row-level security" in message
          and "BYPASSRLS" in message and not MY.exists("rls", "sec"), f"exit {rc} {report} {err}")
    name = "the table's owner copies every row of it"
    rc, report, err = copy_json(pg_url(), my_url("rls"), "sec", "--create-tables")
    if all_identical(name, rc, report, err, ["sec"]):
        check(name + ": 3 rows", MY.count("rls", "sec") == 3)


def concurrent_copies():
    rows = 200000
    for into_my in (True, False):
        name = "a second copy into a table being copied into refuses while the first runs" + \
               (" (MariaDB target: GET_LOCK)" if into_my else " (PostgreSQL target: advisory lock)")
        if skip(name):
            continue
        if into_my:
            PG.run("CREATE TABLE race (id bigint PRIMARY KEY, v text)")
            PG.run("INSERT INTO race SELECT g, md5(g::text) FROM generate_series(1, %s) g", (rows,))
            MY.run("CREATE DATABASE race")
            source, target, into, counted = pg_url(), my_url("race"), "race.race", MY
        else:
            MY.run("CREATE TABLE corpus.race (id BIGINT PRIMARY KEY, v TEXT)")
            MY.run(f"INSERT INTO corpus.race SELECT seq, MD5(seq) FROM corpus.seq_1_to_{rows}")
            PG.run("CREATE SCHEMA race")
            source, target, into, counted = my_url("corpus"), pg_url("race"), "race.race", PG
        args = ["copy", source, target, "race", "--create-tables", "--jobs", "1", "--chunk-rows", "1000", "--json"]
        first = subprocess.Popen([ARGS.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 120
        while time.time() < deadline and first.poll() is None and (
                MY.done_chunks(into) if into_my else
                PG.progress_rows() and PG.run("SELECT count(*) FROM fingerprint.copy_progress WHERE target_table"
                                              " = %s AND fingerprint IS NOT NULL", (into,))[0][0]) < 1:
            time.sleep(0.02)
        running = first.poll() is None
        rc, out, err = cli(*args)
        second = json.loads(out) if out.startswith("{") else None
        message = tables_of(second).get("race", {}).get("error", "")
        first_out, first_err = first.communicate(timeout=600)
        report = json.loads(first_out) if first_out.startswith("{") else None
        check(name, running and rc == 2 and f"a copy into {into} is already running" in message,
              f"first still running: {running}; exit {rc}\n{out}\n{err}")
        check(name + ": the first completes, identical, every row once",
              first.returncode == 0 and tables_of(report).get("race", {}).get("result") == "identical"
              and tuple(counted.run("SELECT count(*), count(DISTINCT id) FROM race.race")[0]) == (rows, rows),
              f"exit {first.returncode}\n{first_out}\n{first_err}")


def same_server_spelled_differently():
    name = "the same PostgreSQL schema spelled differently is refused, not hung"
    if not skip(name):
        other = f"postgresql://postgres@/postgres?port={ARGS.pg_port}&schema=public&host={ARGS.pg_host}"
        rc, out, err = cli("copy", pg_url(), other, "composite", "--truncate", timeout=120)
        check(name, rc == 2 and "same schema" in err and PG.count("public", "composite") == 3,
              f"exit {rc}\n{out}\n{err}")
    name = "the same MariaDB database spelled differently is refused, not hung"
    if not skip(name):
        other = f"mysql://root@localhost:3306/corpus?socket={ARGS.my_socket}"
        rc, out, err = cli("copy", my_url("corpus"), other, "composite", "--truncate", timeout=120)
        check(name, rc == 2 and "same schema" in err and MY.count("corpus", "composite") == 3,
              f"exit {rc}\n{out}\n{err}")
    name = "another schema of the same PostgreSQL database is still a valid target"
    if not skip(name):
        PG.run("CREATE SCHEMA same_db")
        rc, report, err = copy_json(pg_url(), pg_url("same_db"), "composite", "--create-tables")
        all_identical(name, rc, report, err, ["composite"])


def after_load_resumed():
    name = "a copy killed between its after-load indexes and their record resumes (MariaDB target)"
    if skip(name):
        return
    PG.run("CREATE TABLE idx_t (id int PRIMARY KEY, n int)")
    PG.run("CREATE INDEX idx_t_n ON idx_t (n)")
    PG.run("INSERT INTO idx_t SELECT g, g % 7 FROM generate_series(1, 100) g")
    MY.run("CREATE DATABASE afterload")
    args = (pg_url(), my_url("afterload"), "idx_t", "--create-tables")
    rc, report, err = copy_json(*args)
    all_identical(name + ": first run", rc, report, err, ["idx_t"])
    # What the kill leaves: the table (created by the copy) and its index, the record
    # saying the after-load statements have not run.
    MY.run("INSERT INTO fingerprint.copy_progress (target_table, chunk, lo, hi, created_table, after_load_done)"
           " VALUES ('afterload.idx_t', -1, NULL, NULL, TRUE, FALSE)")
    MY.run("INSERT INTO fingerprint.copy_progress (target_table, chunk, lo, hi, fingerprint, row_count)"
           " VALUES ('afterload.idx_t', 0, NULL, NULL, 'stale', 100)")
    rc, report, err = copy_json(*args)
    if all_identical(name, rc, report, err, ["idx_t"]):
        check(name + ": the index once, every row once",
              MY.run("SELECT count(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS"
                     " WHERE TABLE_SCHEMA = 'afterload' AND TABLE_NAME = 'idx_t' AND INDEX_NAME = 'idx_t_n'")[0][0] == 1
              and MY.count("afterload", "idx_t") == 100 and MY.progress_rows("afterload.idx_t") == 0)


def referenced_target():
    """A refused value in the third chunk, into a target table a foreign key references."""
    cases = [("PostgreSQL -> MariaDB", PG, MY, "public", "text", "'éééé'", "VARCHAR(3)"),
             ("MariaDB -> PostgreSQL", MY, PG, "corpus", "TIME", "'838:59:59'", "time")]
    for direction, source, target, where, source_type, bad, target_type in cases:
        name = f"a partial load into a table a foreign key references is removed ({direction})"
        if skip(name):
            continue
        PG.run("CREATE SCHEMA IF NOT EXISTS fk")
        MY.run("CREATE DATABASE IF NOT EXISTS fk")
        table = "fk_parent_my" if target is MY else "fk_parent_pg"
        source.run(f"CREATE TABLE {where}.{table} (id int PRIMARY KEY, v {source_type})")
        source.run(f"INSERT INTO {where}.{table} (id) " + ("SELECT generate_series(1, 30)" if source is PG
                                                           else "SELECT seq FROM corpus.seq_1_to_30"))
        source.run(f"UPDATE {where}.{table} SET v = {bad} WHERE id = 27")
        target.run(f"CREATE TABLE fk.{table} (id int PRIMARY KEY, v {target_type})")
        target.run(f"CREATE TABLE fk.{table}_child (pid int REFERENCES fk.{table} (id))" if target is PG else
                   f"CREATE TABLE fk.{table}_child (pid INT, FOREIGN KEY (pid) REFERENCES fk.{table} (id))")
        rc, report, err = copy_json(pg_url() if source is PG else my_url("corpus"),
                                    my_url("fk") if target is MY else pg_url("fk"), table, "--chunk-rows", "10")
        t = tables_of(report).get(table, {})
        message = t.get("error", "")
        check(name, rc == 2 and "were removed" in message and "failed too" not in message
              and target.count("fk", table) == 0
              and target.run("SELECT count(*) FROM fingerprint.copy_progress WHERE target_table = %s",
                             (f"fk.{table}",))[0][0] == 0, f"exit {rc} {report} {err}")
        check(name + ": the bytes counted are those of the rows loaded (no wrap-around)",
              0 < t.get("bytes", -1) < 1 << 40, t.get("bytes"))


def bytes_after_refusal():
    name = "a value refused in the first chunk leaves the byte count at what was loaded (no wrap-around)"
    if skip(name):
        return
    PG.run("CREATE TABLE refused_first (id int PRIMARY KEY, s text)")
    PG.run("INSERT INTO refused_first VALUES (1, 'ok'), (2, repeat('é', 100))")
    MY.run("CREATE DATABASE IF NOT EXISTS refused")
    MY.run("CREATE TABLE refused.refused_first (id INT PRIMARY KEY, s VARCHAR(3))")
    rc, report, err = copy_json(pg_url(), my_url("refused"), "refused_first")
    t = tables_of(report).get("refused_first", {})
    check(name, rc == 2 and "key (id)=('2')" in t.get("error", "") and 0 <= t.get("bytes", -1) < 100,
          f"exit {rc} {report} {err}")
    rc, out, err = cli("copy", pg_url(), my_url("refused"), "refused_first")
    check(name + ": in the text report too", rc == 2 and "TB" not in out and "TB" not in err, f"{out}\n{err}")


def unreadable_source_columns():
    name = "--truncate leaves the target alone when a source column cannot be read"
    if skip(name):
        return
    PG.run("DO $$ BEGIN CREATE ROLE colro LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    PG.run("GRANT USAGE ON SCHEMA fingerprint TO colro")
    PG.run("CREATE TABLE secret_cols (id int PRIMARY KEY, s text)")
    PG.run("INSERT INTO secret_cols VALUES (1, 'hidden')")
    PG.run("GRANT SELECT (id) ON secret_cols TO colro")
    MY.run("CREATE DATABASE colpriv")
    MY.run("CREATE TABLE colpriv.secret_cols (id INT PRIMARY KEY, s TEXT)")
    MY.run("INSERT INTO colpriv.secret_cols VALUES (7, 'keep me')")
    rc, report, err = copy_json(pg_url().replace("postgres@", "colro@", 1), my_url("colpriv"), "secret_cols",
                                "--truncate")
    message = tables_of(report).get("secret_cols", {}).get("error", "")
    check(name, rc == 2 and "public.secret_cols" in message and "permission denied" in message
          and MY.count("colpriv", "secret_cols") == 1, f"exit {rc} {report} {err}")


def inheritance_and_names():
    name = "a PostgreSQL inheritance parent is refused (its fingerprint holds its children's rows); a child is copied"
    if not skip(name):
        PG.run("CREATE TABLE inh_parent (id int PRIMARY KEY, v text)")
        PG.run("CREATE TABLE inh_child (extra int) INHERITS (inh_parent)")
        PG.run("INSERT INTO inh_parent VALUES (1, 'parent')")
        PG.run("INSERT INTO inh_child VALUES (2, 'child', 9)")
        MY.run("CREATE DATABASE inh")
        rc, report, err = copy_json(pg_url(), my_url("inh"), "inh_parent", "inh_child", "--create-tables")
        tables = tables_of(report)
        message = tables.get("inh_parent", {}).get("error", "")
        check(name, rc == 2 and "public.inh_parent is an inheritance parent" in message and "inh_child" in message
              and not MY.exists("inh", "inh_parent") and tables.get("inh_child", {}).get("result") == "identical"
              and MY.count("inh", "inh_child") == 1, f"exit {rc} {report} {err}")

    name = "names that match no table are explained: a view, another schema, an empty name"
    if not skip(name):
        PG.run("CREATE VIEW a_view AS SELECT 1 AS x")
        MY.run("CREATE DATABASE IF NOT EXISTS names")
        rc, report, err = copy_json(pg_url(), my_url("names"), "a_view", "other.fl2")
        tables = tables_of(report)
        view = tables.get("a_view", {}).get("error", "")
        other = tables.get("fl2", tables.get("other.fl2", {})).get("error", "") or json.dumps(report)
        check(name, rc == 2 and "public.a_view is a view" in view and "name other in it" in other,
              f"exit {rc} {report} {err}")
        rc, out, err = cli("copy", pg_url(), my_url("names"), "")
        check(name + ": \"\" is a usage error", rc == 2 and "empty table name" in err, f"exit {rc}\n{out}\n{err}")

    name = "a target holding the table twice but for case is refused, no third table made"
    if not skip(name):
        PG.run("CREATE TABLE fl2 (id int PRIMARY KEY)")
        MY.run("CREATE DATABASE IF NOT EXISTS names")
        MY.run("CREATE TABLE names.Fl2 (id INT PRIMARY KEY)")
        MY.run("CREATE TABLE names.FL2 (id INT PRIMARY KEY)")
        rc, report, err = copy_json(pg_url(), my_url("names"), "fl2", "--create-tables")
        message = tables_of(report).get("fl2", {}).get("error", "")
        check(name, rc == 2 and "Fl2" in message and "FL2" in message
              and MY.run("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'names'")[0][0] == 2,
              f"exit {rc} {report} {err}")


def resume_after_column_change():
    name = "a resumed copy whose source gained a column says how to abandon it, and that way works"
    if skip(name):
        return
    PG.run("CREATE TABLE grew (id int PRIMARY KEY, a int, b int, c int)")
    PG.run("INSERT INTO grew SELECT g, g, g, g FROM generate_series(1, 20) g")
    MY.run("CREATE DATABASE grew")
    MY.run("CREATE TABLE grew.grew (id INT PRIMARY KEY, a INT, b INT)")
    MY.run("INSERT INTO grew.grew VALUES (1, 1, 1)")
    # What an interrupted copy into the 3 columns left.
    MY.run("INSERT INTO fingerprint.copy_progress (target_table, chunk, lo, hi) VALUES ('grew.grew', -1, NULL, NULL),"
           " ('grew.grew', 0, NULL, NULL)")
    rc, report, err = copy_json(pg_url(), my_url("grew"), "grew", "--truncate")
    message = tables_of(report).get("grew", {}).get("error", "")
    way_out = "DELETE FROM fingerprint.copy_progress WHERE target_table = 'grew.grew'"
    check(name, rc == 2 and "has 3 columns" in message and way_out in message, f"exit {rc} {report} {err}")
    MY.run(way_out)
    MY.run("DROP TABLE grew.grew")
    rc, report, err = copy_json(pg_url(), my_url("grew"), "grew", "--create-tables")
    all_identical(name + ": after it, the copy starts again", rc, report, err, ["grew"])


def note_once():
    name = "a generated column's note is shown once"
    if skip(name):
        return
    MY.run("CREATE TABLE corpus.gen (id INT PRIMARY KEY, a INT, b INT AS (a * 2) VIRTUAL)")
    MY.run("INSERT INTO corpus.gen (id, a) VALUES (1, 1), (2, 5)")
    PG.run("CREATE SCHEMA gen")
    rc, report, err = copy_json(my_url("corpus"), pg_url("gen"), "gen", "--create-tables")
    notes = tables_of(report).get("gen", {}).get("notes", [])
    all_identical(name + ": copied", rc, report, err, ["gen"])
    check(name, len([n for n in notes if "`b`" in n]) == 1, notes)


# ------------------------------------------------------------------------------------
# Output: the text report and the progress display

def output():
    name = "text report: a line per table with rows, bytes, rate and the proof"
    if not skip(name):
        MY.run("CREATE DATABASE text_out")
        rc, out, err = cli("copy", pg_url(), my_url("text_out"), "composite", "dups", "--create-tables")
        lines = [l.split() for l in out.splitlines()]
        rows = {l[0]: l for l in lines if l and l[0] in ("composite", "dups")}
        check(name, rc == 0 and rows.get("composite", [""] * 8)[1] == "3" and rows["composite"][-1] == "identical"
              and "2 of 2 tables copied and proven identical" in out, f"exit {rc}\n{out}\n{err}")
        check("without a terminal, one line per table on standard error",
              len([l for l in err.splitlines() if "identical" in l]) == 2, err)

    name = "on a terminal, a progress bar per running table"
    if not skip(name):
        MY.run("CREATE DATABASE bars")
        master, slave = pty.openpty()
        proc = subprocess.run([ARGS.cli, "copy", pg_url(), my_url("bars"), "killme", "--create-tables",
                               "--chunk-rows", "2000"], stdout=subprocess.DEVNULL, stderr=slave, timeout=300)
        os.close(slave)
        drawn = b""
        try:
            while True:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                drawn += chunk
        except OSError:
            pass
        os.close(master)
        text = drawn.decode(errors="replace")
        check(name, proc.returncode == 0 and "killme" in text and "rows/s" in text and "tables done" in text, text[-2000:])


# ------------------------------------------------------------------------------------
# Privileges, a permissive source, sequences, memory (issue 10's untested cases)

def my_user(user, *grants):
    """A MariaDB user of localhost (no password) with these GRANT ... lines, created afresh."""
    MY.run(f"DROP USER IF EXISTS '{user}'@'localhost'")
    MY.run(f"CREATE USER '{user}'@'localhost'")
    for grant in grants:
        MY.run(f"GRANT {grant} TO '{user}'@'localhost'")
    return f"mysql://{user}@localhost/{{db}}?socket={ARGS.my_socket}"


def mariadb_target_privileges():
    PG.run("CREATE TABLE priv_t (id int PRIMARY KEY, v text)")
    PG.run("INSERT INTO priv_t SELECT g, 'v' || g FROM generate_series(1, 100) g")
    MY.run("CREATE DATABASE privs")
    # What every target user needs beside the table's privileges: the procedures and the
    # progress table (made here by a copy as root; CREATE TABLE IF NOT EXISTS needs CREATE).
    MY.run("CREATE DATABASE privs_root")
    copy_json(pg_url(), my_url("privs_root"), "priv_t", "--create-tables")
    common = ("EXECUTE ON fingerprint.*", "CREATE, SELECT, INSERT, UPDATE, DELETE ON fingerprint.copy_progress")
    copy_to = lambda url, *args: copy_json(pg_url(), url.format(db="privs"), "priv_t", *args)

    name = "a MariaDB target user without CREATE: --create-tables fails naming the table and CREATE, nothing made"
    if not skip(name):
        url = my_user("nocreate", "SELECT, INSERT, DELETE ON privs.*", *common)
        rc, report, err = copy_to(url, "--create-tables")
        message = tables_of(report).get("priv_t", {}).get("error", "")
        check(name, rc == 2 and "privs.priv_t" in message and "CREATE command denied" in message
              and not MY.exists("privs", "priv_t") and MY.progress_rows("privs.priv_t") == 0,
              f"exit {rc} {report} {err}")

    MY.run("CREATE TABLE privs.priv_t (id INT PRIMARY KEY, v TEXT)")
    name = "a MariaDB target user without INSERT: fails naming the table and INSERT, the table left empty"
    if not skip(name):
        url = my_user("noinsert", "SELECT, DELETE, DROP ON privs.*", *common)
        rc, report, err = copy_to(url)
        message = tables_of(report).get("priv_t", {}).get("error", "")
        check(name, rc == 2 and "privs.priv_t" in message and "INSERT command denied" in message
              and MY.count("privs", "priv_t") == 0 and MY.progress_rows("privs.priv_t") == 0,
              f"exit {rc} {report} {err}")

    name = "a MariaDB target user with INSERT, DELETE, SELECT and no FILE privilege copies (LOAD DATA LOCAL)"
    if not skip(name):
        url = my_user("loader", "SELECT, INSERT, DELETE ON privs.*", *common)
        grants = " ".join(row[0] for row in MY.run("SHOW GRANTS FOR 'loader'@'localhost'"))
        rc, report, err = copy_to(url)
        all_identical(name, rc, report, err, ["priv_t"])
        check(name + ": the user has no FILE privilege", "FILE" not in grants, grants)

    name = "a MariaDB target whose server has local_infile OFF is refused with the way out, nothing made"
    if not skip(name):
        MY.run("CREATE DATABASE noinfile")
        MY.run("SET GLOBAL local_infile = 0")
        try:
            rc, report, err = copy_json(pg_url(), my_url("noinfile"), "priv_t", "--create-tables")
        finally:
            MY.run("SET GLOBAL local_infile = 1")
        check(name, rc == 2 and "local_infile is OFF" in err and "SET GLOBAL local_infile = ON" in err
              and not MY.exists("noinfile", "priv_t"), f"exit {rc} {report} {err}")

    # MariaDB names the table, not the column: the user may not see the hidden column's name.
    name = "a MariaDB source user who may read only some columns: refused naming the table, nothing made"
    if not skip(name):
        MY.run("CREATE TABLE corpus.halfread (id INT PRIMARY KEY, secret TEXT)")
        MY.run("INSERT INTO corpus.halfread VALUES (1, 'hidden')")
        url = my_user("halfreader", "SELECT (id) ON corpus.halfread", "EXECUTE ON fingerprint.*")
        PG.run("CREATE SCHEMA halfread")
        rc, report, err = copy_json(url.format(db="corpus"), pg_url("halfread"), "halfread", "--create-tables")
        message = tables_of(report).get("halfread", {}).get("error", "")
        check(name, rc == 2 and "every column of corpus.halfread" in message
              and "SELECT command denied" in message and "`halfread`" in message
              and not PG.exists("halfread", "halfread"), f"exit {rc} {report} {err}")


def permissive_mariadb_source():
    """A MariaDB table filled without STRICT_TRANS_TABLES: zero dates, zero-in-date, invalid
    dates and a truncated string. Each value PostgreSQL cannot hold is refused by name;
    once they are gone the rest is copied exactly (the truncated string as stored)."""
    MY.run("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'")
    MY.run("CREATE TABLE corpus.lax (id INT PRIMARY KEY, d DATE, dt DATETIME, s VARCHAR(3))")
    MY.run("INSERT INTO corpus.lax VALUES (1, '2024-01-02', '2024-01-02 03:04:05', 'abcdef'),"
           " (2, '0000-00-00', '2024-01-02 03:04:05', 'x'), (3, '2024-00-10', '2024-01-02 03:04:05', 'y'),"
           " (4, '2021-02-30', '2024-01-02 03:04:05', 'z'), (5, '2024-01-02', '0000-00-00 00:00:00', 'w')")
    MY.run("SET SESSION sql_mode = DEFAULT")
    stored = MY.run("SELECT s FROM corpus.lax WHERE id = 1")[0][0]
    PG.run("CREATE SCHEMA lax")
    for key, column, value in ((2, "d", "0000-00-00"), (3, "d", "2024-00-10"), (4, "d", "2021-02-30"),
                               (5, "dt", "0000-00-00 00:00:00")):
        name = f"a permissive MariaDB source: {value} is refused naming table, key and column (to PostgreSQL)"
        if skip(name):
            return
        rc, report, err = copy_json(my_url("corpus"), pg_url("lax"), "lax", "--create-tables")
        message = tables_of(report).get("lax", {}).get("error", "")
        check(name, rc == 2 and "corpus.lax" in message and f"key (id)=('{key}')" in message
              and f"column {column}" in message and value in message and not PG.exists("lax", "lax"),
              f"exit {rc} {report} {err}")
        MY.run("DELETE FROM corpus.lax WHERE id = %s", (key,))
    name = "a permissive MariaDB source: the rest, a truncated string included, is copied exactly"
    if not skip(name):
        rc, report, err = copy_json(my_url("corpus"), pg_url("lax"), "lax", "--create-tables")
        if all_identical(name, rc, report, err, ["lax"]):
            check(name + ": the value as MariaDB stored it", stored == "abc"
                  and PG.run("SELECT s, d::text FROM lax.lax WHERE id = 1")[0] == ("abc", "2024-01-02"))


def simultaneous_copies_existing_table():
    name = "two copies started together into one existing MariaDB table: one copies, the other refuses clearly"
    if skip(name):
        return
    rows = 200000
    PG.run("CREATE TABLE race2 (id bigint PRIMARY KEY, v text)")
    PG.run("INSERT INTO race2 SELECT g, md5(g::text) FROM generate_series(1, %s) g", (rows,))
    MY.run("CREATE DATABASE race2")
    MY.run("CREATE TABLE race2.race2 (id BIGINT PRIMARY KEY, v TEXT)")
    args = ["copy", pg_url(), my_url("race2"), "race2", "--json", "--chunk-rows", "20000"]
    procs = [subprocess.Popen([ARGS.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    codes = sorted(p.returncode for p in procs)
    loser = [out for p, (out, _) in zip(procs, outs) if p.returncode != 0]
    message = tables_of(json.loads(loser[0])).get("race2", {}).get("error", "") if loser and loser[0].startswith("{") \
        else ""
    check(name, codes == [0, 2] and ("a copy into race2.race2 is already running" in message
                                     or "already holds rows" in message),
          f"exit codes {codes}\n{outs}")
    check(name + ": the table proven identical, every row once",
          tuple(MY.run("SELECT count(*), count(DISTINCT id) FROM race2.race2")[0]) == (rows, rows)
          and MY.fp("race2", "race2") == PG.fp("public", "race2"))


def sequences_after_copy():
    # MariaDB -> PostgreSQL: an identity column and a serial column, into tables made by
    # hand and by --create-tables; then a sequence already past the copied values.
    MY.run("CREATE TABLE corpus.seq_src (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)")
    MY.run("INSERT INTO corpus.seq_src VALUES (1, 'a'), (2, 'b'), (100, 'c')")
    PG.run("CREATE SCHEMA seqs")
    name = "a PostgreSQL identity column after a copy of explicit ids: the next value follows the largest"
    if not skip(name):
        PG.run("CREATE TABLE seqs.seq_src (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)")
        rc, report, err = copy_json(my_url("corpus"), pg_url("seqs"), "seq_src")
        if all_identical(name, rc, report, err, ["seq_src"]):
            check(name + ": INSERT without id gets 101",
                  PG.run("INSERT INTO seqs.seq_src (v) VALUES ('new') RETURNING id")[0][0] == 101)
    name = "a PostgreSQL serial column after a copy: the next value follows the largest"
    if not skip(name):
        PG.run("CREATE SCHEMA seqs2")
        PG.run("CREATE TABLE seqs2.seq_src (id serial PRIMARY KEY, v text)")
        rc, report, err = copy_json(my_url("corpus"), pg_url("seqs2"), "seq_src")
        if all_identical(name, rc, report, err, ["seq_src"]):
            check(name + ": INSERT without id gets 101",
                  PG.run("INSERT INTO seqs2.seq_src (v) VALUES ('new') RETURNING id")[0][0] == 101)
    name = "a PostgreSQL sequence already past the copied values keeps its place (only ever moved forward)"
    if not skip(name):
        PG.run("CREATE SCHEMA seqs3")
        PG.run("CREATE TABLE seqs3.seq_src (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)")
        PG.run("SELECT setval(pg_get_serial_sequence('seqs3.seq_src', 'id'), 500)")
        rc, report, err = copy_json(my_url("corpus"), pg_url("seqs3"), "seq_src")
        if all_identical(name, rc, report, err, ["seq_src"]):
            check(name + ": INSERT without id gets 501",
                  PG.run("INSERT INTO seqs3.seq_src (v) VALUES ('new') RETURNING id")[0][0] == 501)
    name = "--create-tables on PostgreSQL: the identity's next value follows the largest copied"
    if not skip(name):
        PG.run("CREATE SCHEMA seqs4")
        rc, report, err = copy_json(my_url("corpus"), pg_url("seqs4"), "seq_src", "--create-tables")
        if all_identical(name, rc, report, err, ["seq_src"]):
            check(name + ": INSERT without id gets 101",
                  PG.run("INSERT INTO seqs4.seq_src (v) VALUES ('new') RETURNING id")[0][0] == 101)
    # PostgreSQL -> MariaDB: AUTO_INCREMENT, by hand and created.
    PG.run("CREATE TABLE seq_pg (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)")
    PG.run("INSERT INTO seq_pg VALUES (1, 'a'), (2, 'b'), (100, 'c')")
    for made in ("by hand", "--create-tables"):
        name = f"a MariaDB AUTO_INCREMENT column after a copy of explicit ids ({made}): the next value follows"
        if skip(name):
            continue
        db = "seqmy_hand" if made == "by hand" else "seqmy_made"
        MY.run(f"CREATE DATABASE {db}")
        if made == "by hand":
            MY.run(f"CREATE TABLE {db}.seq_pg (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT)")
        rc, report, err = copy_json(pg_url(), my_url(db), "seq_pg", *(["--create-tables"] if made != "by hand" else []))
        if all_identical(name, rc, report, err, ["seq_pg"]):
            MY.run(f"INSERT INTO {db}.seq_pg (v) VALUES ('new')")
            check(name + ": INSERT without id gets 101", MY.run(f"SELECT max(id) FROM {db}.seq_pg")[0][0] == 101)


def peak_memory_of(args):
    """Runs the CLI under /usr/bin/time -v: (exit status, stdout, stderr, peak RSS in MB)."""
    timing = f"/tmp/fingerprint-copy-rss.{os.getpid()}"
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", timing, ARGS.cli, *args], capture_output=True, text=True,
                          timeout=900)
    with open(timing) as f:
        rss = [int(line.split(":")[1]) for line in f if "Maximum resident set size" in line]
    os.unlink(timing)
    return proc.returncode, proc.stdout, proc.stderr, (rss[0] / 1024 if rss else -1)


# docs/copy.md, "How rows travel": the client holds a huge row about twice, as the source
# delivers it (PostgreSQL: COPY text, the 64 MB bytea as 128 MB of hex, 192 MB in all;
# MariaDB: the raw 128 MB) and its largest value converted, and streams the rest out in
# 64 kB pieces. Measured: 462 MB PostgreSQL -> MariaDB, 271 MB MariaDB -> PostgreSQL; the
# bound is 3x the row as delivered (576 MB and 384 MB), a margin for noise.
HUGE_ROW_DELIVERED_MB = {"PostgreSQL -> MariaDB": 192, "MariaDB -> PostgreSQL": 128}
HUGE_ROW_RSS_FACTOR = 3


def huge_row_memory():
    for direction in ("PostgreSQL -> MariaDB", "MariaDB -> PostgreSQL"):
        name = f"a row of two 64 MB values: the client's peak memory stays under 3x the row ({direction})"
        if skip(name):
            continue
        if not PG.exists("public", "huge2"):
            PG.run("CREATE TABLE huge2 (id int PRIMARY KEY, b bytea, t text)")
            PG.run("INSERT INTO huge2 VALUES (1, decode(repeat('a1', 64 * 1024 * 1024), 'hex'),"
                   " repeat('é', 32 * 1024 * 1024))")
            MY.run("CREATE DATABASE huge2")
            PG.run("CREATE SCHEMA huge2")
        if direction.startswith("PostgreSQL"):
            args = ["copy", pg_url(), my_url("huge2"), "huge2", "--create-tables", "--json"]
        else:
            args = ["copy", my_url("huge2"), pg_url("huge2"), "huge2", "--create-tables", "--json"]
        rc, out, err, rss = peak_memory_of(args)
        report = json.loads(out) if out.startswith("{") else None
        print(f"     peak RSS {direction}: {rss:.0f} MB", flush=True)
        bound = HUGE_ROW_RSS_FACTOR * HUGE_ROW_DELIVERED_MB[direction]
        if all_identical(name, rc, report, err, ["huge2"]):
            check(name + f": {rss:.0f} MB <= {bound} MB", 0 < rss <= bound, rss)


for scenario in (corpus_both_ways, hand_made_targets, onto_itself, dry_run, writers_during_copy, refusals, proof_failure,
                 kill_and_resume,
                 odd_tables, row_level_security, concurrent_copies, same_server_spelled_differently, after_load_resumed,
                 referenced_target, bytes_after_refusal, unreadable_source_columns, inheritance_and_names,
                 resume_after_column_change, note_once, output, mariadb_target_privileges, permissive_mariadb_source,
                 simultaneous_copies_existing_table, sequences_after_copy, huge_row_memory):
    started = time.time()
    try:
        scenario()
    except Exception as e:  # a crash of one scenario fails it, the others still run
        check(scenario.__name__, False, repr(e))
    print(f"     ({scenario.__name__}: {time.time() - started:.1f} s)", flush=True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
