#!/usr/bin/python3
"""PostgreSQL change capture against a real server (docs/capture.md).

Scenarios (one CTest each, see CMakeLists.txt):

  concurrency SEED   4 writers (random inserts, updates, deletes, primary-key updates,
                     rollbacks, random commit delays) and one long-open transaction,
                     while the copy is taken at a snapshot (the copy seam) and a reader
                     consumes batches into a copy in another database, one target
                     transaction per batch that also records the batch id. Some batches
                     are replayed a second time (must change nothing). At the end the
                     copy's table_fingerprint equals the source's, and so does the
                     fingerprint advanced batch by batch with fingerprint_advance.
  killed_reader SEED the same workload, but the reader runs as a child process that is
                     SIGKILLed at random moments (mid-apply, between apply and
                     finish_batch) and restarted; it must resume without loss or
                     duplication.
  copy_seam          deterministic: a transaction committed before the copy snapshot is
                     in the copy and in no batch; one open across the snapshot and one
                     after it arrive in batches exactly once.
  keyless SEED       a table without any key (whole-row identity): 3 writers insert
                     duplicates and NULLs, update or delete one of several identical rows,
                     roll back; the copy is taken at a snapshot and a reader replays the
                     batches as a multiset (a delete removes exactly one row with the old
                     row's fingerprint). After every batch the copy's table_fingerprint
                     equals the fingerprint advanced over the log; at the end both equal
                     the source's.
  statement_batches  1.3's log-row queue (log rows written in batches when the statement
                     ends): multi-batch statements, savepoints rolled back under a
                     statement, an error in a later row, nested captured writes, COPY FROM,
                     a captured write in a function called per row and through a cursor,
                     a session whose first trigger call loads the library: the log holds
                     exactly the committed changes, once each, in the order they were made.
                     1.4: seq numbered when the rows are written, one nextval per 1,000
                     rows, also for rows of an enclosing transaction queued before a
                     subtransaction's.

Usage: pg_capture_test.py SCENARIO [SEED [BUILT_MODULE]]   (needs the extension installed; starts a
private cluster with scripts/pg_server.sh and removes it afterwards).
"""
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2
import psycopg2.errors
import psycopg2.extensions

from checks import ROOT, Failure, check

PG_SERVER = os.path.join(ROOT, "scripts", "pg_server.sh")

TABLE_DDL = """
CREATE TABLE items (
    id int PRIMARY KEY,
    name text,
    qty int,
    price numeric(10,2),
    seen timestamptz,
    doc jsonb,
    ratio float8
)"""
COLUMNS = ["id", "name", "qty", "price", "seen", "doc", "ratio"]
EMPTY_FP = "fp1:xxh3:0:" + "0" * 32




# ---------------------------------------------------------------------------------------
# Cluster


class Cluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="fp-capture-", dir="/tmp")
        os.chmod(self.dir, 0o755)
        self.port = 5400 + os.getpid() % 500
        subprocess.run([PG_SERVER, "start", self.dir, str(self.port)], check=True)

    def connect(self, dbname, autocommit=True):
        conn = psycopg2.connect(host=self.dir, port=self.port, user="postgres", dbname=dbname,
                                options="-c TimeZone=UTC")
        conn.autocommit = autocommit
        return conn

    def stop(self):
        subprocess.run([PG_SERVER, "stop", self.dir], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def setup_databases(cluster, rows=200):
    admin = cluster.connect("postgres")
    with admin.cursor() as cur:
        cur.execute("CREATE DATABASE src")
        cur.execute("CREATE DATABASE tgt")
    admin.close()
    src = cluster.connect("src")
    with src.cursor() as cur:
        cur.execute("CREATE EXTENSION fingerprint")
        cur.execute(TABLE_DDL)
        cur.execute("""INSERT INTO items SELECT g, 'item ' || g, g %% 17, g * 1.25, '2024-01-01 00:00:00+00'::timestamptz
                       + g * interval '1 hour 1.5 seconds', jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g)),
                       g / 7.0 FROM generate_series(1, %s) g""", (rows,))
        cur.execute("SELECT fingerprint_capture_enable('items')")
    tgt = cluster.connect("tgt")
    with tgt.cursor() as cur:
        cur.execute("CREATE EXTENSION fingerprint")
        cur.execute(TABLE_DDL)
        cur.execute("CREATE TABLE applied (consumer text, batch_id bigint, fingerprint text, "
                    "PRIMARY KEY (consumer, batch_id))")
    return src, tgt


# ---------------------------------------------------------------------------------------
# The copy seam


def take_copy(src, tgt, consumer):
    """Registers the consumer, copies the table at a REPEATABLE READ snapshot and moves the
    consumer's start to that snapshot. Records the copy's fingerprint as batch 0."""
    with src.cursor() as cur:
        cur.execute("SELECT fingerprint.register_consumer(%s)", (consumer,))
    src.autocommit = False
    src.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
    with src.cursor() as cur:
        cur.execute("SELECT pg_current_snapshot()::text")
        snapshot = cur.fetchone()[0]
        cur.execute("SELECT row_to_json(i)::text FROM items i")
        rows = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT table_fingerprint('items')")
        copy_fp = cur.fetchone()[0]
    src.commit()
    src.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_READ_COMMITTED)
    src.autocommit = True
    with tgt.cursor() as cur:
        cur.execute("BEGIN")
        for row in rows:
            cur.execute("INSERT INTO items SELECT * FROM jsonb_populate_record(NULL::items, %s::jsonb)", (row,))
        cur.execute("INSERT INTO applied VALUES (%s, 0, %s)", (consumer, copy_fp))
        cur.execute("COMMIT")
    with src.cursor() as cur:
        cur.execute("SELECT fingerprint.register_consumer(%s, %s::pg_snapshot)", (consumer, snapshot))
    return snapshot, copy_fp


# ---------------------------------------------------------------------------------------
# The reader


UPSERT = ("INSERT INTO items SELECT * FROM jsonb_populate_record(NULL::items, %s::jsonb) "
          "ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "id"))


def apply_changes(cur, changes):
    """Replays changes (seq order) on the copy: idempotent (upsert by key, delete by key;
    a key move deletes the old key only while it still holds the old row)."""
    for op, key, old_key, after, old_fp in changes:
        if op == "T":
            cur.execute("TRUNCATE items")
        elif op == "D":
            cur.execute("DELETE FROM items t USING jsonb_populate_record(NULL::items, %s::jsonb) k WHERE t.id = k.id",
                        (key,))
        else:
            if old_key is not None:
                cur.execute("DELETE FROM items t USING jsonb_populate_record(NULL::items, %s::jsonb) k "
                            "WHERE t.id = k.id AND row_fingerprint(t) = %s", (old_key, old_fp))
            cur.execute(UPSERT, (after,))


def read_batch(src, consumer, batch, previous_fp):
    with src.cursor() as cur:
        cur.execute("SELECT op, key::text, old_key::text, after::text, old_fingerprint "
                    "FROM fingerprint.batch_changes_json(%s, %s) WHERE table_name = 'public.items'",
                    (consumer, batch))
        changes = cur.fetchall()
        cur.execute("SELECT fingerprint_advance(%s, op, old_fingerprint, new_fingerprint ORDER BY seq) "
                    "FROM fingerprint.batch_changes(%s, %s) WHERE table_name = 'public.items'",
                    (previous_fp, consumer, batch))
        advanced = cur.fetchone()[0] or previous_fp
    return changes, advanced


def table_fp(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT table_fingerprint('items')")
        return cur.fetchone()[0]


class Reader:
    """Consumes batches into the copy, exactly once: the batch and its id go into the
    target in one transaction; a batch already recorded there is only finished."""

    def __init__(self, src, tgt, consumer, rng, replay_probability=0.0, slow=False, crash_probability=0.0):
        self.src, self.tgt, self.consumer, self.rng = src, tgt, consumer, rng
        self.replay_probability = replay_probability
        self.slow = slow
        self.crash_probability = crash_probability
        self.batches = 0
        self.changes = 0
        self.replays = 0
        self.skipped = 0

    def maybe_crash(self, where):
        """The killed_reader child kills itself (SIGKILL: no cleanup of any kind) here.
        crash_probability may instead name the one place where it certainly dies."""
        if self.crash_probability == where or (isinstance(self.crash_probability, float)
                                               and self.rng.random() < self.crash_probability):
            print(f"crash: {where}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    def pause(self):
        if self.slow:
            time.sleep(self.rng.random() * 0.02)

    def last_applied(self):
        with self.tgt.cursor() as cur:
            cur.execute("SELECT batch_id, fingerprint FROM applied WHERE consumer = %s ORDER BY batch_id DESC LIMIT 1",
                        (self.consumer,))
            return cur.fetchone()

    def step(self):
        """One batch; False when there was none."""
        with self.src.cursor() as cur:
            cur.execute("SELECT fingerprint.next_batch(%s)", (self.consumer,))
            batch = cur.fetchone()[0]
        if batch is None:
            return False
        last_batch, last_fp = self.last_applied()
        if batch <= last_batch:
            # Applied before a crash, not yet finished: finish only.
            print(f"resumed: batch {batch} was applied, finishing it", flush=True)
            self.skipped += 1
        else:
            check(batch == last_batch + 1, f"batch {batch} follows {last_batch}: a batch was lost")
            changes, advanced = read_batch(self.src, self.consumer, batch, last_fp)
            with self.tgt.cursor() as cur:
                cur.execute("BEGIN")
                middle = len(changes) // 14 * 7
                for i in range(0, len(changes), 7):
                    apply_changes(cur, changes[i:i + 7])
                    self.pause()
                    if i == middle:
                        self.maybe_crash("mid-apply")
                cur.execute("INSERT INTO applied VALUES (%s, %s, %s)", (self.consumer, batch, advanced))
                cur.execute("COMMIT")
            self.maybe_crash("between apply and finish_batch")
            self.changes += len(changes)
            if changes and self.rng.random() < self.replay_probability:
                before = table_fp(self.tgt)
                with self.tgt.cursor() as cur:
                    cur.execute("BEGIN")
                    apply_changes(cur, changes)
                    cur.execute("COMMIT")
                check(table_fp(self.tgt) == before, f"replaying batch {batch} a second time changed the copy")
                self.replays += 1
        self.pause()
        with self.src.cursor() as cur:
            cur.execute("SELECT fingerprint.finish_batch(%s, %s)", (self.consumer, batch))
        self.batches += 1
        return True

    def drain(self):
        while self.step():
            pass


# ---------------------------------------------------------------------------------------
# The writers


def random_row(rng, key):
    name = rng.choice([None, "", "é" * rng.randint(1, 3), "name %d" % rng.randint(0, 10**6), "x" * rng.randint(0, 300)])
    qty = rng.choice([None, rng.randint(-1000, 1000)])
    price = rng.choice([None, "%d.%02d" % (rng.randint(0, 99999), rng.randint(0, 99))])
    seen = rng.choice([None, "2024-%02d-%02d %02d:%02d:%02d.%06d+0%d" % (
        rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.randint(0, 999999), rng.randint(0, 9))])
    doc = rng.choice([None, json.dumps({"k": rng.randint(0, 9), "v": [1.5, "é", None, {"z": rng.random()}]})])
    ratio = rng.choice([None, rng.random() * 10 ** rng.randint(-8, 8), 0.1, -0.0])
    return (key, name, qty, price, seen, doc, ratio)


class Writers:
    def __init__(self, cluster, seed, count=4, duration=6.0):
        self.cluster, self.seed, self.count, self.duration = cluster, seed, count, duration
        self.stop = threading.Event()
        self.errors = []
        self.commits = 0
        self.rollbacks = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(count)]
        self.long_thread = threading.Thread(target=self.long_transaction)
        self.long_committed = threading.Event()
        self.long_ids = []

    def start(self):
        for t in self.threads:
            t.start()
        self.long_thread.start()

    def running(self):
        return any(t.is_alive() for t in self.threads) or self.long_thread.is_alive()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        self.long_thread.join()
        if self.errors:
            raise self.errors[0]

    def run(self, index):
        try:
            rng = random.Random(self.seed * 100 + index)
            conn = self.cluster.connect("src", autocommit=False)
            with conn.cursor() as cur:
                cur.execute("SET lock_timeout = '300ms'")
            conn.commit()
            deadline = time.time() + self.duration
            while time.time() < deadline and not self.stop.is_set():
                try:
                    with conn.cursor() as cur:
                        for _ in range(rng.randint(1, 4)):
                            self.operation(cur, rng, index)
                    time.sleep(rng.random() * 0.03)
                    if rng.random() < 0.15:
                        conn.rollback()
                        self.count_outcome(False)
                    else:
                        conn.commit()
                        self.count_outcome(True)
                except psycopg2.Error:
                    conn.rollback()
                    self.count_outcome(False)
            conn.close()
        except Exception as e:  # noqa: BLE001 - reported by join()
            self.errors.append(e)

    def count_outcome(self, committed):
        with self.lock:
            if committed:
                self.commits += 1
            else:
                self.rollbacks += 1

    @staticmethod
    def operation(cur, rng, index):
        choice = rng.random()
        key = rng.randint(1, 400)
        if choice < 0.3:
            cur.execute("INSERT INTO items VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                        random_row(rng, key))
        elif choice < 0.65:
            row = random_row(rng, key)
            column = rng.randrange(1, len(COLUMNS))
            cur.execute(f"UPDATE items SET {COLUMNS[column]} = %s WHERE id = %s", (row[column], key))
        elif choice < 0.8:
            cur.execute("DELETE FROM items WHERE id = %s", (key,))
        elif choice < 0.95:
            # A primary-key update; a taken key fails the transaction (a rollback).
            cur.execute("UPDATE items SET id = %s WHERE id = %s", (rng.randint(1, 400), key))
        else:
            cur.execute("UPDATE items SET qty = coalesce(qty, 0) + 1 WHERE id BETWEEN %s AND %s", (key, key + 5))

    def long_transaction(self):
        """Opens early, writes, stays open for most of the run, then commits: its changes
        must arrive in a later batch, never be dropped."""
        try:
            conn = self.cluster.connect("src", autocommit=False)
            rng = random.Random(self.seed * 100 + 99)
            with conn.cursor() as cur:
                for i in range(5):
                    key = 10000 + i
                    cur.execute("INSERT INTO items VALUES (%s, %s, %s, %s, %s, %s, %s)", random_row(rng, key))
                    self.long_ids.append(key)
            time.sleep(self.duration * 0.7)
            with conn.cursor() as cur:
                cur.execute("UPDATE items SET name = 'long transaction' WHERE id >= 10000")
            conn.commit()
            self.long_committed.set()
            conn.close()
        except Exception as e:  # noqa: BLE001
            self.errors.append(e)


# ---------------------------------------------------------------------------------------
# Scenarios


def final_checks(src, tgt, consumer, long_ids):
    source_fp = table_fp(src)
    copy_fp = table_fp(tgt)
    with tgt.cursor() as cur:
        cur.execute("SELECT fingerprint FROM applied WHERE consumer = %s ORDER BY batch_id DESC LIMIT 1", (consumer,))
        advanced = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM items WHERE id = ANY(%s) AND name = 'long transaction'", (long_ids,))
        long_rows = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM items")
        rows = cur.fetchone()[0]
    print(f"source {source_fp}\ncopy   {copy_fp}\nincrem {advanced}\nrows {rows}")
    check(copy_fp == source_fp, "the copy's table_fingerprint differs from the source's")
    check(advanced == source_fp, "the incremental fingerprint differs from table_fingerprint")
    check(long_rows == len(long_ids), "the long transaction's changes did not arrive")


def start_workload(cluster, seed):
    """The source and target databases, the writers running (capture enabled under them)
    and the copy taken: (src, tgt, rng, writers)."""
    src, tgt = setup_databases(cluster)
    rng = random.Random(seed)
    writers = Writers(cluster, seed)
    writers.start()
    time.sleep(0.5)
    take_copy(src, tgt, "copy")
    return src, tgt, rng, writers


def concurrency(seed):
    cluster = Cluster()
    try:
        src, tgt, rng, writers = start_workload(cluster, seed)
        reader = Reader(src, tgt, "copy", rng, replay_probability=0.3)
        batches_while_long_open = 0
        while writers.running():
            if reader.step() and not writers.long_committed.is_set():
                batches_while_long_open += 1
            time.sleep(rng.random() * 0.05)
        writers.join()
        reader.drain()
        print(f"seed {seed}: {writers.commits} commits, {writers.rollbacks} rollbacks, {reader.batches} batches, "
              f"{reader.changes} changes, {reader.replays} replayed twice, "
              f"{batches_while_long_open} batches while the long transaction was open")
        check(writers.commits > 20 and writers.rollbacks > 3, "the workload did too little")
        check(batches_while_long_open > 0, "no batch was taken while the long transaction was open")
        check(reader.replays > 0, "no batch was replayed twice")
        final_checks(src, tgt, "copy", writers.long_ids)
    finally:
        cluster.stop()


def reader_child(host, port, seed, attempt):
    """The killed_reader child: consume until killed, or (seed < 0) until drained. The
    first child certainly dies mid-apply, the second between apply and finish_batch;
    later ones die at random or are killed from outside."""
    rng = random.Random(abs(seed) * 1000 + attempt)
    crash = {0: "mid-apply", 1: "between apply and finish_batch"}.get(attempt, 0.25)
    conn_args = dict(host=host, port=int(port), user="postgres", options="-c TimeZone=UTC")
    src = psycopg2.connect(dbname="src", **conn_args)
    tgt = psycopg2.connect(dbname="tgt", **conn_args)
    src.autocommit = tgt.autocommit = True
    reader = Reader(src, tgt, "copy", rng, slow=True, crash_probability=0.0 if seed < 0 else crash)
    if seed < 0:
        reader.drain()
        print(f"final reader: {reader.batches} batches, {reader.skipped} finished after a crash")
        return
    while True:
        if not reader.step():
            time.sleep(0.02)


def killed_reader(seed):
    cluster = Cluster()
    try:
        src, tgt, rng, writers = start_workload(cluster, seed)
        kills = 0
        events = []
        while writers.running():
            child = subprocess.Popen([sys.executable, __file__, "reader", cluster.dir, str(cluster.port), str(seed),
                                      str(kills)], stdout=subprocess.PIPE, text=True)
            try:
                # The first two children die by themselves at their appointed place.
                child.wait(timeout=10 if kills < 2 else 0.3 + rng.random() * 1.2)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
            events += child.stdout.read().splitlines()
            kills += 1
        writers.join()
        final = subprocess.run([sys.executable, __file__, "reader", cluster.dir, str(cluster.port), str(-seed - 1), "0"],
                               check=True, stdout=subprocess.PIPE, text=True)
        events += final.stdout.splitlines()
        print("\n".join(events))
        check(any(e.startswith("crash: mid-apply") for e in events), "no reader died in the middle of a batch")
        check(any(e.startswith("crash: between") for e in events), "no reader died between apply and finish_batch")
        check(any(e.startswith("resumed:") for e in events), "no reader resumed an applied, unfinished batch")
        with src.cursor() as cur:
            cur.execute("SELECT last_batch FROM fingerprint.consumers WHERE consumer = 'copy'")
            last_batch = cur.fetchone()[0]
        with tgt.cursor() as cur:
            cur.execute("SELECT count(*), max(batch_id) FROM applied WHERE consumer = 'copy'")
            recorded, max_batch = cur.fetchone()
        print(f"seed {seed}: {kills} reader kills, {writers.commits} commits, {last_batch} batches")
        check(kills >= 5, "the reader was not killed often enough")
        check(recorded == max_batch + 1 and max_batch == last_batch, "batch ids are not contiguous")
        final_checks(src, tgt, "copy", writers.long_ids)
    finally:
        cluster.stop()


def copy_seam():
    cluster = Cluster()
    try:
        src, tgt = setup_databases(cluster, rows=10)
        early = cluster.connect("src", autocommit=False)   # open across the copy snapshot
        with early.cursor() as cur:
            cur.execute("UPDATE items SET name = 'open across the snapshot' WHERE id = 1")
        with src.cursor() as cur:
            cur.execute("UPDATE items SET name = 'committed before the copy' WHERE id = 2")
        snapshot, copy_fp = take_copy(src, tgt, "copy")
        with src.cursor() as cur:
            cur.execute("UPDATE items SET name = 'after the copy' WHERE id = 3")
            cur.execute("DELETE FROM items WHERE id = 2")
        early.commit()
        with tgt.cursor() as cur:
            cur.execute("SELECT name FROM items WHERE id = 2")
            check(cur.fetchone()[0] == "committed before the copy", "the copy misses a change committed before it")
        batch_names = []
        reader = Reader(src, tgt, "copy", random.Random(1))
        while True:
            with src.cursor() as cur:
                cur.execute("SELECT fingerprint.next_batch('copy')")
                batch = cur.fetchone()[0]
                if batch is None:
                    break
                cur.execute("SELECT op, after->>'name', key->>'id' FROM fingerprint.batch_changes_json('copy', %s)",
                            (batch,))
                batch_names += cur.fetchall()
            reader.step()
        print("changes after the copy:", batch_names)
        check(sorted(batch_names) == sorted([("U", "open across the snapshot", "1"), ("U", "after the copy", "3"),
                                             ("D", None, "2")]),
              "the batches after the copy are not exactly the changes the copy does not hold")
        final_checks(src, tgt, "copy", [])
        # A consumer cannot start before changes that cleanup already removed.
        with src.cursor() as cur:
            cur.execute("SELECT fingerprint.cleanup()")
            removed = cur.fetchone()[0]
            check(removed >= 4, f"cleanup removed {removed} consumed changes")
            try:
                cur.execute("SELECT fingerprint.register_consumer('late', %s::pg_snapshot)", (snapshot,))
                raise Failure("a consumer started before removed changes")
            except psycopg2.Error as e:
                check("already removed" in str(e) or "cannot start consumer" in str(e), str(e))
        own_transaction_and_hidden_snapshots(cluster, src)
    finally:
        cluster.stop()


def own_transaction_and_hidden_snapshots(cluster, src):
    """A consumer never counts a transaction still in progress as consumed: not its own
    (next_batch in a transaction that writes captured rows before and after it, while
    another session commits a later xid), not one a forged start snapshot hides."""
    with src.cursor() as cur:
        cur.execute("SELECT fingerprint.register_consumer('own')")
    own = cluster.connect("src", autocommit=False)
    with own.cursor() as cur:
        cur.execute("INSERT INTO items (id, name) VALUES (1010, 'own, before next_batch')")
    with src.cursor() as cur:                       # a later xid commits meanwhile
        cur.execute("INSERT INTO items (id, name) VALUES (1011, 'other session')")
    with own.cursor() as cur:
        cur.execute("SELECT fingerprint.next_batch('own')")
        batch = cur.fetchone()[0]
        cur.execute("SELECT key->>'id' FROM fingerprint.batch_changes_json('own', %s)", (batch,))
        first = sorted(r[0] for r in cur.fetchall())
        cur.execute("SELECT fingerprint.finish_batch('own', %s)", (batch,))
        cur.execute("INSERT INTO items (id, name) VALUES (1012, 'own, after next_batch')")
    own.commit()
    with src.cursor() as cur:
        cur.execute("SELECT fingerprint.next_batch('own')")
        batch = cur.fetchone()[0]
        check(batch is not None, "the own transaction's changes never reach a batch")
        cur.execute("SELECT key->>'id' FROM fingerprint.batch_changes_json('own', %s)", (batch,))
        second = sorted(r[0] for r in cur.fetchall())
        cur.execute("SELECT fingerprint.unregister_consumer('own')")
    print("own transaction: first batch", first, "second batch", second)
    check(first == ["1011"] and second == ["1010", "1012"],
          f"changes of the caller's own transaction were counted as consumed: {first} then {second}")
    own.close()
    # A start snapshot that hides a running transaction (below its xmax, not in its xip).
    running = cluster.connect("src", autocommit=False)
    with running.cursor() as cur:
        cur.execute("INSERT INTO items (id, name) VALUES (1013, 'running')")
        cur.execute("SELECT pg_current_xact_id()::text")
        xid = cur.fetchone()[0]
    with src.cursor() as cur:
        cur.execute("INSERT INTO items (id, name) VALUES (1014, 'later')")
        cur.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")
        xmax = cur.fetchone()[0]
        try:
            cur.execute("SELECT fingerprint.register_consumer('hidden', %s::pg_snapshot)", (f"{xmax}:{xmax}:",))
            raise Failure(f"a start snapshot {xmax}:{xmax}: hiding running transaction {xid} was accepted")
        except psycopg2.Error as e:
            check("still in progress" in str(e), str(e))
        cur.execute("SELECT fingerprint.register_consumer('honest', pg_current_snapshot()) IS NOT NULL")
        check(cur.fetchone()[0], "an honest snapshot was refused")
        cur.execute("SELECT fingerprint.unregister_consumer('honest')")
    running.rollback()
    running.close()


# ---------------------------------------------------------------------------------------
# Whole-row identity: a table without any key


KEYLESS_DDL = "CREATE TABLE hist (tid int, delta int, note text, at timestamptz)"


def keyless_writer(cluster, seed, stop, errors, counts):
    """Small value domains, so identical rows are common: inserts of duplicates (and
    NULLs), an update or a delete of one row of a group of identical ones (by ctid),
    rollbacks."""
    rng = random.Random(seed)
    conn = cluster.connect("src", autocommit=False)
    try:
        while not stop.is_set():
            try:
                keyless_transaction(conn, rng, counts)
            except psycopg2.errors.DeadlockDetected:
                # Two writers changing rows of one group in another order: one rolls back.
                conn.rollback()
            time.sleep(rng.random() * 0.005)
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        errors.append(f"writer {seed}: {e}")
    finally:
        conn.close()


def keyless_transaction(conn, rng, counts):
    """One transaction of one to four statements, rolled back now and then."""
    with conn.cursor() as cur:
        for _ in range(rng.randint(1, 4)):
            tid = rng.randint(1, 6)
            action = rng.random()
            if action < 0.45:
                cur.execute("INSERT INTO hist VALUES (%s, %s, %s, CASE WHEN %s THEN NULL "
                            "ELSE '2024-05-01 10:00:00+00'::timestamptz END)",
                            (tid, rng.choice([None, 1, 2]), rng.choice([None, "x", "y"]), rng.random() < 0.3))
                counts["I"] += 1
            elif action < 0.75:
                cur.execute("UPDATE hist SET delta = %s WHERE ctid = (SELECT ctid FROM hist WHERE tid = %s LIMIT 1)",
                            (rng.choice([None, 1, 2, 3]), tid))
                counts["U"] += cur.rowcount
            else:
                cur.execute("DELETE FROM hist WHERE ctid = (SELECT ctid FROM hist WHERE tid = %s LIMIT 1)", (tid,))
                counts["D"] += cur.rowcount
    if rng.random() < 0.15:
        conn.rollback()
    else:
        conn.commit()

def apply_multiset(cur, changes):
    """Replays changes of a whole-row identity table in seq order as a multiset: an insert
    adds a row, a delete removes exactly one row equal to the old one (its fingerprint),
    an update is both. A delete that finds no such row is a failure."""
    for seq, op, after, old_fp in changes:
        if op == "T":
            cur.execute("TRUNCATE hist")
            continue
        if op in ("U", "D"):
            cur.execute("DELETE FROM hist WHERE ctid = (SELECT ctid FROM hist t WHERE row_fingerprint(t) = %s "
                        "LIMIT 1)", (old_fp,))
            check(cur.rowcount == 1, f"change {seq} ({op}): no row {old_fp} on the copy to remove")
        if op in ("I", "U"):
            cur.execute("INSERT INTO hist SELECT * FROM jsonb_populate_record(NULL::hist, %s::jsonb)", (after,))


def keyless(seed):
    cluster = Cluster()
    try:
        admin = cluster.connect("postgres")
        with admin.cursor() as cur:
            cur.execute("CREATE DATABASE src")
            cur.execute("CREATE DATABASE tgt")
        admin.close()
        src = cluster.connect("src")
        tgt = cluster.connect("tgt")
        for conn in (src, tgt):
            with conn.cursor() as cur:
                cur.execute("CREATE EXTENSION fingerprint")
                cur.execute(KEYLESS_DDL)
        with src.cursor() as cur:
            cur.execute("INSERT INTO hist SELECT g % 3, NULLIF(g % 2, 0), NULL, NULL FROM generate_series(1, 30) g")
            src.notices.clear()
            cur.execute("SELECT fingerprint_capture_enable('hist')")
            check(any("whole-row identity" in n for n in src.notices),
                  f"enable of a keyless table says nothing about whole-row identity: {src.notices}")
            cur.execute("SELECT identity, key_columns FROM fingerprint.capture_tables WHERE table_name = 'public.hist'")
            identity = cur.fetchone()
            check(identity == ("row", ["tid", "delta", "note", "at"]), f"registration: {identity}")
            cur.execute("SELECT fingerprint.register_consumer('kl')")
        stop = threading.Event()
        errors = []
        counts = {"I": 0, "U": 0, "D": 0}
        writers = [threading.Thread(target=keyless_writer, args=(cluster, seed * 10 + i, stop, errors, counts))
                   for i in range(3)]
        for w in writers:
            w.start()
        time.sleep(0.3)
        # The copy at a snapshot, while the writers run.
        src.autocommit = False
        src.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ)
        with src.cursor() as cur:
            cur.execute("SELECT pg_current_snapshot()::text")
            snapshot = cur.fetchone()[0]
            cur.execute("SELECT row_to_json(h)::text FROM hist h")
            rows = [r[0] for r in cur.fetchall()]
            cur.execute("SELECT table_fingerprint('hist')")
            fingerprint = cur.fetchone()[0]
        src.commit()
        src.set_session(isolation_level=psycopg2.extensions.ISOLATION_LEVEL_READ_COMMITTED)
        src.autocommit = True
        with tgt.cursor() as cur:
            cur.execute("BEGIN")
            for row in rows:
                cur.execute("INSERT INTO hist SELECT * FROM jsonb_populate_record(NULL::hist, %s::jsonb)", (row,))
            cur.execute("COMMIT")
        with src.cursor() as cur:
            cur.execute("SELECT fingerprint.register_consumer('kl', %s::pg_snapshot)", (snapshot,))
        batches = 0
        deadline = time.time() + 4
        while True:
            done = time.time() > deadline
            if done and not stop.is_set():
                stop.set()
                for w in writers:
                    w.join()
            with src.cursor() as cur:
                cur.execute("SELECT fingerprint.next_batch('kl')")
                batch = cur.fetchone()[0]
                if batch is None:
                    if stop.is_set():
                        break
                    time.sleep(0.05)
                    continue
                cur.execute("SELECT seq, op, after::text, old_fingerprint FROM fingerprint.batch_changes_json('kl', %s) "
                            "WHERE table_name = 'public.hist' ORDER BY seq", (batch,))
                changes = cur.fetchall()
                cur.execute("SELECT fingerprint_advance(%s, op, old_fingerprint, new_fingerprint ORDER BY seq) "
                            "FROM fingerprint.batch_changes('kl', %s) WHERE table_name = 'public.hist'",
                            (fingerprint, batch))
                fingerprint = cur.fetchone()[0] or fingerprint
            with tgt.cursor() as cur:
                cur.execute("BEGIN")
                apply_multiset(cur, changes)
                cur.execute("COMMIT")
            with tgt.cursor() as cur:
                cur.execute("SELECT table_fingerprint('hist')")
                copy_fp = cur.fetchone()[0]
            check(copy_fp == fingerprint, f"batch {batch}: copy {copy_fp}, advanced {fingerprint}")
            with src.cursor() as cur:
                cur.execute("SELECT fingerprint.finish_batch('kl', %s)", (batch,))
            batches += 1
        check(not errors, "; ".join(errors))
        with src.cursor() as cur:
            cur.execute("SELECT table_fingerprint('hist'), count(*) - count(DISTINCT h) FROM hist h")
            source_fp, duplicates = cur.fetchone()
        print(f"keyless: {batches} batches, {counts}, {duplicates} duplicate rows at the end, {len(rows)} copied")
        check(source_fp == fingerprint, f"source {source_fp}, advanced {fingerprint}")
        check(counts["U"] > 0 and counts["D"] > 0 and duplicates > 0,
              f"the workload made no duplicates, updates or deletes: {counts}, {duplicates}")
    finally:
        cluster.stop()


# The log-row queue (1.3): a statement's log rows are written when it ends


BATCH_SETUP = """
CREATE TABLE side (id int PRIMARY KEY, note text);
SELECT fingerprint_capture_enable('side');
-- A captured write inside a function, in a subtransaction that fails for every 7th id.
CREATE FUNCTION write_side(i int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        INSERT INTO side VALUES (i, 'from write_side');
        IF i % 7 = 0 THEN RAISE EXCEPTION 'undo %', i; END IF;
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
    RETURN i;
END $$;
-- Fires after fingerprint_capture (trigger order is by name): a nested captured write
-- per items row, and an error on the row named 'fail'.
CREATE FUNCTION items_side() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = 'fail' THEN RAISE EXCEPTION 'row % fails', NEW.id; END IF;
    IF NEW.name = 'nested' THEN INSERT INTO side VALUES (NEW.id, 'nested'); END IF;
    -- In a subtransaction (rolled back for every 5th id): its log row is written when the
    -- INSERT ends, while the items row queued before it still waits for its statement.
    IF NEW.name = 'nested_sub' THEN
        BEGIN
            INSERT INTO side VALUES (NEW.id, 'nested_sub');
            IF NEW.id % 5 = 0 THEN RAISE EXCEPTION 'undo %', NEW.id; END IF;
        EXCEPTION WHEN raise_exception THEN NULL;
        END;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER zz_items_side AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_side();
"""


def last_seq(cur):
    cur.execute("SELECT coalesce(max(seq), 0) FROM fingerprint.change_log")
    return cur.fetchone()[0]


def log_since(cur, seq, op=None):
    """(table, op, id) of the log rows after seq, in seq order (rows of committed
    transactions and of the caller's own)."""
    cur.execute("SELECT split_part(table_name, '.', 2), op, "
                "(fingerprint_image_json(key_image, ARRAY['id'])->>'id')::int FROM fingerprint.change_log "
                "WHERE seq > %s AND (%s::text IS NULL OR op = %s) ORDER BY seq", (seq, op, op))
    return cur.fetchall()


def check_replays(cur, table, what):
    """The log, advanced in seq order, gives the table's fingerprint: every committed
    change is in it once, and nothing else is."""
    cur.execute("SELECT coalesce(fingerprint_advance(%s, op, old_fingerprint, new_fingerprint ORDER BY seq), %s) "
                "= table_fingerprint(%s::regclass), count(*) FROM fingerprint.change_log WHERE table_name = %s",
                (EMPTY_FP, EMPTY_FP, table, f"public.{table}"))
    same, count = cur.fetchone()
    check(same, f"{what}: the {count} log rows of {table} do not advance to its table_fingerprint")
    cur.execute("SELECT count(*) = count(DISTINCT seq) FROM fingerprint.change_log")
    check(cur.fetchone()[0], f"{what}: a seq is logged twice")


def statement_batches():
    cluster = Cluster()
    try:
        src, _ = setup_databases(cluster, rows=0)
        conn = cluster.connect("src", autocommit=False)
        cur = conn.cursor()
        cur.execute(BATCH_SETUP)
        conn.commit()

        # Several batches in one statement (1,000 rows a batch), in order, and visible to
        # the transaction's next statement.
        cur.execute("INSERT INTO items (id, name, qty) SELECT g, 'n' || g, g FROM generate_series(1, 2500) g")
        check(log_since(cur, 0) == [("items", "I", i) for i in range(1, 2501)],
              "a multi-batch INSERT is not logged once per row, in order, visible to the next statement")
        # 1.4: one nextval numbers up to 1,000 rows (the sequence counts by 1000): the
        # statement's three batches took three values, 1, 1001 and 2001.
        cur.execute("SELECT last_value, is_called FROM fingerprint.change_log_seq")
        check(cur.fetchone() == (2001, True), "2,500 log rows did not take exactly three nextvals")
        cur.execute("SELECT array_agg(DISTINCT (seq - 1) / 1000 ORDER BY (seq - 1) / 1000), min(seq), max(seq) "
                    "FROM fingerprint.change_log")
        check(cur.fetchone() == ([0, 1, 2], 1, 2500), "2,500 log rows are not numbered 1 .. 2500")
        mark = last_seq(cur)
        cur.execute("UPDATE items SET qty = qty + 1 WHERE id <= 2100")
        cur.execute("DELETE FROM items WHERE id > 2000")
        conn.commit()
        logged = log_since(cur, mark)
        check(sorted(logged) == sorted([("items", "U", i) for i in range(1, 2101)] +
                                       [("items", "D", i) for i in range(2001, 2501)])
              and [op for _, op, _ in logged] == ["U"] * 2100 + ["D"] * 500,
              "a multi-batch UPDATE and DELETE are not logged once per row, in order")
        check_replays(cur, "items", "multi-batch statements")

        # Savepoints: a statement rolled back after one of its batches was written, an
        # update rolled back with it, released savepoints keep their rows.
        mark = last_seq(cur)
        cur.execute("INSERT INTO items (id, name) SELECT g, 'sp' FROM generate_series(3001, 3010) g")
        cur.execute("SAVEPOINT a")
        cur.execute("INSERT INTO items (id, name) SELECT g, 'sp' FROM generate_series(3011, 4600) g")
        cur.execute("UPDATE items SET qty = -1 WHERE id BETWEEN 3001 AND 3005")
        cur.execute("ROLLBACK TO SAVEPOINT a")
        cur.execute("SAVEPOINT b")
        cur.execute("INSERT INTO items (id, name) VALUES (4601, 'sp')")
        cur.execute("SAVEPOINT c")
        cur.execute("UPDATE items SET qty = 7 WHERE id = 4601")
        cur.execute("RELEASE SAVEPOINT c")
        cur.execute("RELEASE SAVEPOINT b")
        conn.commit()
        check(log_since(cur, mark) == [("items", "I", i) for i in range(3001, 3011)] +
              [("items", "I", 4601), ("items", "U", 4601)],
              "savepoints: not exactly the changes that committed")
        check_replays(cur, "items", "savepoints")

        # An error in a later row: nothing of the statement is logged, also after a batch
        # of its rows was written; the transaction's earlier rows stay.
        mark = last_seq(cur)
        cur.execute("INSERT INTO items (id, name) VALUES (5000, 'before the failing statement')")
        cur.execute("SAVEPOINT s")
        try:
            cur.execute("INSERT INTO items (id, name) SELECT g, CASE WHEN g = 6500 THEN 'fail' ELSE 'x' END "
                        "FROM generate_series(5001, 6600) g")
            raise Failure("the failing statement succeeded")
        except psycopg2.Error as e:
            check("row 6500 fails" in str(e), str(e))
        cur.execute("ROLLBACK TO SAVEPOINT s")
        conn.commit()
        try:
            cur.execute("INSERT INTO items (id, name) VALUES (5001, 'x'), (5002, 'fail')")
            raise Failure("the failing statement succeeded")
        except psycopg2.Error:
            conn.rollback()
        check(log_since(cur, mark) == [("items", "I", 5000)], "a failed statement's rows were logged")
        check_replays(cur, "items", "an error in a later row")

        # Nested captured writes: each items row's trigger inserts into side; the log
        # interleaves them in the order they were made (items row, then its side row).
        mark = last_seq(cur)
        cur.execute("INSERT INTO items (id, name) SELECT g, 'nested' FROM generate_series(7001, 8200) g")
        conn.commit()
        expected = []
        for i in range(7001, 8201):
            expected += [("items", "I", i), ("side", "I", i)]
        check(log_since(cur, mark) == expected, "nested writes are not logged once each, in the order made")
        check_replays(cur, "items", "nested writes")
        check_replays(cur, "side", "nested writes")

        # Nested writes in subtransactions: the side row's run is written (and numbered)
        # before its items row, queued earlier under the enclosing transaction; seq must
        # still follow the order they were made in.
        mark = last_seq(cur)
        cur.execute("INSERT INTO items (id, name) SELECT g, 'nested_sub' FROM generate_series(60001, 61200) g")
        conn.commit()
        expected = []
        for i in range(60001, 61201):
            expected += [("items", "I", i)] + ([("side", "I", i)] if i % 5 else [])
        check(log_since(cur, mark) == expected,
              "nested writes in subtransactions are not numbered in the order they were made")
        check_replays(cur, "items", "nested writes in subtransactions")
        check_replays(cur, "side", "nested writes in subtransactions")

        # COPY FROM, twice as many rows as a batch, visible after the COPY; a second COPY
        # rolled back with its savepoint.
        mark = last_seq(cur)
        cur.copy_expert("COPY items (id, name) FROM STDIN",
                        io.StringIO("".join(f"{i}\tcopied\n" for i in range(9001, 11001))))
        check(log_since(cur, mark) == [("items", "I", i) for i in range(9001, 11001)],
              "COPY FROM is not logged once per row, in order, visible after the COPY")
        cur.execute("SAVEPOINT copy")
        cur.copy_expert("COPY items (id, name) FROM STDIN",
                        io.StringIO("".join(f"{i}\tcopied\n" for i in range(11001, 12501))))
        cur.execute("ROLLBACK TO SAVEPOINT copy")
        conn.commit()
        check(log_since(cur, mark) == [("items", "I", i) for i in range(9001, 11001)],
              "a COPY rolled back with its savepoint was logged")
        check_replays(cur, "items", "COPY FROM")

        # A captured write inside a function called per row (every 7th one rolled back
        # by its EXCEPTION block), and through a cursor with a savepoint rolled back
        # between fetches.
        mark = last_seq(cur)
        cur.execute("SELECT count(write_side(g)) FROM generate_series(20001, 21500) g")
        conn.commit()
        check(log_since(cur, mark) == [("side", "I", g) for g in range(20001, 21501) if g % 7],
              "writes in a function called per row are not logged exactly once each, in order")
        mark = last_seq(cur)
        cur.execute("DECLARE c CURSOR FOR SELECT write_side(g) FROM generate_series(30001, 30030) g")
        cur.execute("FETCH 10 FROM c")
        cur.execute("SAVEPOINT f")
        cur.execute("FETCH 10 FROM c")
        cur.execute("ROLLBACK TO SAVEPOINT f")
        cur.execute("FETCH 10 FROM c")
        cur.execute("CLOSE c")
        conn.commit()
        fetched = [g for g in list(range(30001, 30011)) + list(range(30021, 30031)) if g % 7]
        check(log_since(cur, mark) == [("side", "I", g) for g in fetched],
              "writes through a cursor are not logged exactly once each")
        check_replays(cur, "side", "functions and cursors")

        # A large row (its image is TOASTed in the log), then TRUNCATE.
        cur.execute("INSERT INTO side VALUES (40001, repeat('large ', 100000))")
        conn.commit()
        check_replays(cur, "side", "a large row")
        mark = last_seq(cur)
        cur.execute("TRUNCATE side")
        conn.commit()
        cur.execute("SELECT op FROM fingerprint.change_log WHERE seq > %s", (mark,))
        check(cur.fetchall() == [("T",)], "TRUNCATE is not logged once")

        # A session whose first trigger call loads the library (no call of the queue's
        # hooks encloses it): its rows are written at once, visible to its next
        # statement, and gone with a rollback.
        mark = last_seq(cur)
        for commit in (False, True):
            fresh = cluster.connect("src", autocommit=False)
            with fresh.cursor() as fcur:
                fcur.execute("SELECT count(*) FROM pg_class")  # a query, loading nothing
                fcur.execute("INSERT INTO side SELECT g, 'fresh' FROM generate_series(50001, 50003) g")
                check(log_since(fcur, mark) == [("side", "I", g) for g in (50001, 50002, 50003)],
                      "a fresh session's first log rows are not visible to its next statement")
            if commit:
                fresh.commit()
            else:
                fresh.rollback()
            fresh.close()
        check(log_since(cur, mark) == [("side", "I", g) for g in (50001, 50002, 50003)],
              "a fresh session's rows are not logged exactly once")
        check_replays(cur, "side", "a fresh session")

        # 1.6: vacuum_truncate = false. Once cleanup has emptied the log, vacuum keeps its
        # pages as free space and the next captured rows go there instead of extending it.
        cur.execute("DELETE FROM fingerprint.change_log")
        conn.commit()
        vacuumer = cluster.connect("src", autocommit=True)
        with vacuumer.cursor() as vcur:
            vcur.execute("SELECT pg_relation_size('fingerprint.change_log')")
            pages = vcur.fetchone()[0]
            vcur.execute("VACUUM fingerprint.change_log")
            vcur.execute("SELECT pg_relation_size('fingerprint.change_log')")
            check(pages > 0 and vcur.fetchone()[0] == pages, "vacuum truncated the emptied change log")
        vacuumer.close()
        cur.execute("UPDATE items SET qty = qty + 1 WHERE id <= 1000")
        conn.commit()
        cur.execute("SELECT count(*), pg_relation_size('fingerprint.change_log') FROM fingerprint.change_log")
        check(cur.fetchone() == (1000, pages), "captured rows did not reuse the emptied log's pages")
        conn.commit()
        conn.close()
        src.close()
    finally:
        cluster.stop()

def check_installed(built_module):
    """The installed module must be the one just built (as tests/pg/run_regress.sh checks)."""
    pkglibdir = subprocess.run(["pg_config", "--pkglibdir"], check=True, capture_output=True,
                               text=True).stdout.strip()
    installed = os.path.join(pkglibdir, "fingerprint.so")
    with open(built_module, "rb") as a, open(installed, "rb") as b:
        check(a.read() == b.read(), f"{installed} differs from {built_module}; run 'cmake --install' first")


def main(argv):
    if len(argv) >= 2 and argv[1] == "reader":
        reader_child(argv[2], argv[3], int(argv[4]), int(argv[5]))
        return 0
    scenario = argv[1] if len(argv) > 1 else "concurrency"
    seed = int(argv[2]) if len(argv) > 2 else 1
    if len(argv) > 3:
        try:
            check_installed(argv[3])
        except (Failure, OSError) as e:
            print(f"FAILED: {e}", file=sys.stderr)
            return 1
    started = time.time()
    try:
        if scenario == "concurrency":
            concurrency(seed)
        elif scenario == "killed_reader":
            killed_reader(seed)
        elif scenario == "copy_seam":
            copy_seam()
        elif scenario == "keyless":
            keyless(seed)
        elif scenario == "statement_batches":
            statement_batches()
        else:
            print(f"unknown scenario {scenario}", file=sys.stderr)
            return 2
    except Failure as e:
        print(f"FAILED ({scenario} {seed}): {e}", file=sys.stderr)
        return 1
    print(f"ok: {scenario} {seed} in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
