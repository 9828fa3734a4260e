#!/usr/bin/python3
"""MariaDB snapshot batches never split a source transaction (1.7; issue 11).

    /usr/bin/python3 tests/capture/mariadb_whole_batches.py PLUGIN_DIR

Two writer connections commit small transactions (and roll some back) all along. One
transaction logs 12,500 changes (12,000 rows by INSERT ... SELECT in two halves, with the
writers' commits in between, then 500 updates), more than 1.6's default batch of 10,000;
another stays open with a few changes during the call. Each transaction's seqs are read
in it just before COMMIT (its session's rows in the log it sees that earlier ones did
not name). The consumer (an account with docs/mysql.md's consumer grants only) then:
  - next_batch(c, NULL) while the writers still commit: every transaction committed
    before the call is in the batch, each transaction is in it whole or not at all, the
    open one not at all, and every seq of the batch belongs to a committed transaction;
  - after the open one commits, the next snapshot batch holds it whole, and every
    committed change was handed out exactly once, no rolled-back one;
  - next_batch(c, 10000) over another transaction of 12,000 changes is 1.6's bounded
    batch: exactly the 10,000 lowest seqs (it splits that transaction), the rest next;
  - a NULL or empty consumer, max_changes 0 or negative are refused and change nothing;
  - a consumer session at READ UNCOMMITTED, READ COMMITTED or SERIALIZABLE still gets a
    REPEATABLE READ snapshot: no change of an open (then rolled-back) transaction, no wait;
  - under max_allowed_packet 8192 a snapshot batch of 2,500 changes is refused naming it,
    and bounded batches are held to what fits.
"""

import random
import sys
import threading
import time

import pymysql

from mariadb_common import Server, call, check, main_guard, query

BIG_ROWS = 12000
BIG_UPDATES = 500
BIG_BASE = 1000000  # the big transaction's keys; writers use 1..WRITER_KEYS per writer slot
WRITER_KEYS = 1000


def connect_as(server, user, autocommit=True):
    return pymysql.connect(unix_socket=server.socket, user=user, autocommit=autocommit, charset="utf8mb4")


class Journal:
    """Each committed or open transaction: its seqs and when its COMMIT returned."""

    def __init__(self):
        self.lock = threading.Lock()
        self.committed = []  # (name, frozenset of seqs, time COMMIT returned)
        self.rolled_back = 0

    def add(self, name, seqs, when):
        with self.lock:
            self.committed.append((name, frozenset(seqs), when))


class Tracker:
    """Reads, inside a transaction, the seqs its session logged that no earlier
    transaction of this connection claimed: exactly this transaction's."""

    def __init__(self, conn):
        self.conn = conn
        self.claimed = set()

    def seqs(self):
        rows = query(self.conn, "SELECT seq FROM fingerprint.change_log WHERE session_id = CONNECTION_ID()")
        mine = {row[0] for row in rows} - self.claimed
        self.claimed |= mine
        return mine


def writer(server, slot, stop, journal):
    rng = random.Random(slot)
    conn = server.connect(autocommit=False)
    tracker = Tracker(conn)
    base = slot * WRITER_KEYS
    number = 0
    while not stop.is_set():
        number += 1
        with conn.cursor() as cur:
            for _ in range(rng.randint(1, 4)):
                key = base + rng.randint(1, WRITER_KEYS - 1)
                cur.execute("INSERT INTO app.t (id, v, tag) VALUES (%s, 1, %s) ON DUPLICATE KEY UPDATE v = v + 1",
                            (key, "w%d" % slot))
        if rng.random() < 0.15:
            tracker.seqs()  # rolled back: nothing of it may ever be handed out
            conn.rollback()
            journal.rolled_back += 1
        else:
            seqs = tracker.seqs()
            conn.commit()
            journal.add("writer %d transaction %d" % (slot, number), seqs, time.monotonic())
        time.sleep(rng.random() * 0.01)
    conn.close()


def big_transaction(server, journal, name, base, halves_apart):
    """BIG_ROWS inserts in two halves (halves_apart seconds between), then BIG_UPDATES updates."""
    conn = server.connect(autocommit=False)
    tracker = Tracker(conn)
    half = BIG_ROWS // 2
    rows = "INSERT INTO app.t (id, v, tag) SELECT %d + seq, seq, 'big' FROM app.seq_1_to_%d"
    query(conn, rows % (base, half))
    time.sleep(halves_apart)
    query(conn, rows % (base + half, half))
    query(conn, "UPDATE app.t SET v = v + 1 WHERE id > %s AND id <= %s", (base, base + BIG_UPDATES))
    seqs = tracker.seqs()
    check(len(seqs) == BIG_ROWS + BIG_UPDATES, "%s logged %d changes, not %d"
          % (name, len(seqs), BIG_ROWS + BIG_UPDATES))
    conn.commit()
    journal.add(name, seqs, time.monotonic())
    conn.close()
    return seqs


def batch_seqs(consumer, max_changes):
    """next_batch(c, max_changes) and its seqs (batch_changes); (None, set()) when empty."""
    rows = call(consumer, "CALL fingerprint.next_batch('c', %s)", (max_changes,))
    if not rows:
        return None, set()
    batch = rows[0]
    changes = call(consumer, "CALL fingerprint.batch_changes(%s)", (batch["batch_id"],))
    seqs = [c["seq"] for c in changes]
    check(len(seqs) == batch["changes"], "batch %d: %d changes read, %d announced"
          % (batch["batch_id"], len(seqs), batch["changes"]))
    check(seqs == sorted(seqs), "batch %d not in seq order" % batch["batch_id"])
    check(batch["first_seq"] == seqs[0] and batch["last_seq"] == seqs[-1], "batch %r: first/last wrong" % batch)
    return batch, set(seqs)


def check_whole(journal, seqs, what):
    """Each committed transaction is in seqs whole or not at all; returns those in it."""
    inside = []
    for name, tx, _ in journal.committed:
        common = tx & seqs
        check(not common or common == tx, "%s: %s split: %d of its %d changes in the batch"
              % (what, name, len(common), len(tx)))
        if common:
            inside.append(name)
    return inside


def error_of(conn, sql, args=None):
    try:
        call(conn, sql, args)
    except pymysql.err.MySQLError as error:
        return error.args[0], error.args[1]
    return None


def run(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        query(admin, "CREATE DATABASE app")
        query(admin, "CREATE TABLE app.t (id INT PRIMARY KEY, v INT NOT NULL, tag VARCHAR(20))")
        call(admin, "CALL fingerprint.capture_apply('app.t', 'enable')")
        # The consumer's grants (docs/mysql.md "Privileges"), nothing more.
        query(admin, "CREATE USER consumer@localhost")
        query(admin, "GRANT EXECUTE ON fingerprint.* TO consumer@localhost")
        for table in ("change_log", "capture_batches", "capture_state", "capture_tables"):
            query(admin, "GRANT SELECT, INSERT, UPDATE, DELETE ON fingerprint.%s TO consumer@localhost" % table)
        query(admin, "GRANT UPDATE, SELECT ON fingerprint.consumer_lock TO consumer@localhost")
        # batch_changes reads the view fingerprint.changes (SQL SECURITY INVOKER).
        query(admin, "GRANT SELECT ON fingerprint.changes TO consumer@localhost")
        query(admin, "GRANT SELECT, TRIGGER ON app.t TO consumer@localhost")
        consumer = connect_as(server, "consumer")

        journal = Journal()
        stop = threading.Event()
        writers = [threading.Thread(target=writer, args=(server, slot, stop, journal)) for slot in (1, 2)]
        for thread in writers:
            thread.start()
        time.sleep(0.3)
        big = big_transaction(server, journal, "the big transaction", BIG_BASE, 0.5)
        # Its log rows are interleaved with the writers' (the point of the test).
        others = set().union(*(tx for name, tx, _ in journal.committed if name.startswith("writer")))
        interleaved = [s for s in others if min(big) < s < max(big)]
        check(interleaved, "no writer's change fell between the big transaction's seqs")
        print("ok   the big transaction logged %d changes, %d of the writers' between them"
              % (len(big), len(interleaved)))

        open_conn = server.connect(autocommit=False)
        open_tracker = Tracker(open_conn)
        query(open_conn, "INSERT INTO app.t (id, v, tag) VALUES (5000001, 1, 'open'), (5000002, 1, 'open')")
        query(open_conn, "UPDATE app.t SET v = v + 1 WHERE id = %s", (BIG_BASE + BIG_ROWS,))
        open_seqs = open_tracker.seqs()
        check(len(open_seqs) == 3, "the open transaction logged %d changes" % len(open_seqs))
        time.sleep(0.2)

        # 1. A snapshot batch while the writers go on committing.
        called_at = time.monotonic()
        batch, first = batch_seqs(consumer, None)
        time.sleep(0.2)
        stop.set()
        for thread in writers:
            thread.join()
        check(batch is not None, "next_batch(c, NULL) handed out nothing")
        check(big <= first, "the big transaction (committed before the call) is not whole in the batch: %d of %d"
              % (len(big & first), len(big)))
        check(not (open_seqs & first), "the open transaction's changes are in the batch: %r" % (open_seqs & first))
        before = [name for name, tx, when in journal.committed if when < called_at]
        inside = check_whole(journal, first, "first batch")
        missing = sorted(set(before) - set(inside))
        check(not missing, "committed before the call, not in the batch: %s" % missing[:5])
        claimed = set().union(*(tx for _, tx, _ in journal.committed))
        check(first <= claimed, "the batch holds seqs no committed transaction wrote: %r" % sorted(first - claimed)[:5])
        print("ok   next_batch(c, NULL): %d changes, %d transactions each whole (the big one too), the open one"
              " not in it" % (len(first), len(inside)))
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))

        # 2. The open transaction commits: the next snapshot batch holds it whole.
        open_conn.commit()
        journal.add("the open transaction", open_seqs, time.monotonic())
        batch, second = batch_seqs(consumer, None)
        check(batch is not None and open_seqs <= second, "the late transaction is not whole in the next batch")
        check_whole(journal, second, "second batch")
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))
        check(not (first & second), "a change handed out twice")
        check(first | second == claimed | open_seqs, "handed out %d changes, committed %d"
              % (len(first | second), len(claimed | open_seqs)))
        check(query(admin, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 0,
              "rolled-back or unconsumed changes left in the log")
        check(batch_seqs(consumer, None)[0] is None, "a batch from an empty log")
        print("ok   after its commit the late transaction came whole in the next batch; every committed change"
              " once, none of %d rolled-back transactions" % journal.rolled_back)

        # 3. An integer keeps 1.6's meaning: at most N, the lowest seqs, splitting at the cut.
        query(admin, "DELETE FROM app.t WHERE tag = 'big'")
        batch, _ = batch_seqs(consumer, None)
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))
        journal.committed.clear()
        big = big_transaction(server, journal, "the second big transaction", 2 * BIG_BASE, 0)
        batch, bounded = batch_seqs(consumer, 10000)
        check(batch["changes"] == 10000 and bounded == set(sorted(big)[:10000]),
              "next_batch(c, 10000): %d changes, not the 10,000 lowest" % batch["changes"])
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))
        batch, rest = batch_seqs(consumer, None)
        check(rest == big - bounded, "the rest of the split transaction: %d changes, not %d"
              % (len(rest), len(big - bounded)))
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))
        print("ok   next_batch(c, 10000) is bounded as in 1.6: it split a transaction of %d changes at 10,000"
              % len(big))

        # 4. Refusals: a consumer is needed; a size, when given, is at least 1.
        query(admin, "INSERT INTO app.t (id, v) VALUES (7000001, 1)")
        for sql, expected in (("CALL fingerprint.next_batch(NULL, NULL)", "needs a consumer name"),
                              ("CALL fingerprint.next_batch('', NULL)", "needs a consumer name"),
                              ("CALL fingerprint.next_batch_per_table(NULL, NULL)", "needs a consumer name"),
                              ("CALL fingerprint.next_batch('c', 0)", "batch size of at least 1"),
                              ("CALL fingerprint.next_batch('c', -5)", "batch size of at least 1"),
                              ("CALL fingerprint.next_batch_per_table('c', 0)", "batch size of at least 1")):
            error = error_of(consumer, sql)
            check(error is not None and error[0] == 1644 and expected in error[1], "%s: %r" % (sql, error))
            print("ok   %s: %s" % (sql, error[1]))
        check(query(admin, "SELECT COUNT(*) FROM fingerprint.capture_batches WHERE finished_at IS NULL")[0][0] == 0,
              "a refused call opened a batch")
        rows = call(consumer, "CALL fingerprint.next_batch_per_table('c', NULL)")
        check(len(rows) == 1 and rows[0]["changes"] == 1 and rows[0]["refused"] is None,
              "next_batch_per_table(c, NULL): %r" % rows)
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (rows[0]["batch_id"],))
        print("ok   next_batch_per_table(c, NULL) hands out a snapshot batch")

        # 5. The snapshot is REPEATABLE READ whatever the caller's level: READ UNCOMMITTED
        # must not hand out an open transaction's changes (they may be rolled back), and
        # SERIALIZABLE must not make the consumer wait for the writer.
        for level in ("READ UNCOMMITTED", "READ COMMITTED", "SERIALIZABLE"):
            query(admin, "INSERT INTO app.t (id, v) VALUES (7100001, 1) ON DUPLICATE KEY UPDATE v = v + 1")
            open_conn = server.connect(autocommit=False)
            open_tracker = Tracker(open_conn)
            query(open_conn, "INSERT INTO app.t (id, v, tag) VALUES (7200001, 1, 'open')")
            query(open_conn, "UPDATE app.t SET v = v + 1 WHERE id = 7100001")
            open_seqs = open_tracker.seqs()
            query(consumer, "SET SESSION TRANSACTION ISOLATION LEVEL " + level)
            started = time.monotonic()
            batch, seqs = batch_seqs(consumer, None)
            took = time.monotonic() - started
            check(batch is not None and batch["changes"] == 1 and not (open_seqs & seqs),
                  "%s: the batch holds %r, the open transaction's changes are %r" % (level, sorted(seqs), open_seqs))
            check(took < 5, "%s: next_batch waited %.1f s for the open writer" % (level, took))
            call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))
            open_conn.rollback()
            open_conn.close()
            check(batch_seqs(consumer, None)[0] is None, "%s: the rolled-back changes were handed out" % level)
            print("ok   a consumer at %s gets a REPEATABLE READ snapshot: the open (then rolled-back)"
                  " transaction's changes are not in the batch, no wait (%.2f s)" % (level, took))
        query(consumer, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")

        # 6. A batch's list of seqs must fit max_allowed_packet: a snapshot batch of more
        # changes than that is refused (54000, naming it), a bounded one is held to it, and
        # a cut list never becomes a batch.
        saved_packet = query(admin, "SELECT @@global.max_allowed_packet")[0][0]
        query(admin, "INSERT INTO app.t (id, v) SELECT 7300000 + seq, 1 FROM app.seq_1_to_2500")
        query(admin, "SET GLOBAL max_allowed_packet = 8192")
        try:
            small = connect_as(server, "consumer")  # a session takes the global value at connect
            error = error_of(small, "CALL fingerprint.next_batch('c', NULL)")
            check(error is not None and error[0] == 1644 and "max_allowed_packet, 8192 bytes" in error[1]
                  and "take bounded batches" in error[1], "a snapshot batch past max_allowed_packet: %r" % (error,))
            print("ok   next_batch(c, NULL) past max_allowed_packet: %s" % error[1])
            check(query(admin, "SELECT COUNT(*) FROM fingerprint.capture_batches WHERE finished_at IS NULL")[0][0]
                  == 0, "the refused snapshot batch opened a batch")
            handed = set()
            while True:
                batch, seqs = batch_seqs(small, 5000)
                if batch is None:
                    break
                check(batch["changes"] < 2500, "a bounded batch of %d changes under max_allowed_packet 8192"
                      % batch["changes"])
                handed |= seqs
                call(small, "CALL fingerprint.finish_batch('c', %s)", (batch["batch_id"],))
            check(len(handed) == 2500, "bounded batches handed out %d of the 2,500 changes" % len(handed))
            small.close()
            print("ok   next_batch(c, 5000) under max_allowed_packet 8192: held to what fits, all 2,500"
                  " changes once")
        finally:
            query(admin, "SET GLOBAL max_allowed_packet = %s" % saved_packet)
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1]))
