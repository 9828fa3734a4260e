#!/usr/bin/python3
"""Concurrency test of MariaDB change capture (docs/capture.md).

    mariadb_concurrency.py PLUGIN_DIR SEED [SECONDS]

Four writer connections run random inserts, updates, deletes and primary-key updates, with
random commit delays and rollbacks, from before capture is enabled to the end; capture is
enabled with scripts/mariadb_capture.sh while they run; a bulk copy is taken in a consistent
snapshot; one long transaction is held open for seconds (its changes have low seqs and
commit late); a reader consumes batches and applies them to the copy in another database,
crashing at random steps (connections dropped mid-batch) and resuming, and re-applying
some batches a second time. At the end:
  - the copy's table_fingerprint equals the source's,
  - the log-adjusted fingerprint advanced by every finish_batch equals both,
  - capture_check passes, the log is empty, every committed change was applied once.
When the copy differs, the rows that differ are printed with their history: the changes
applied to the copy for that key, the writers' transactions that touched it, and when the
enable's triggers were created and the copy's snapshot taken.
"""

import datetime
import random
import sys
import threading
import time

import pymysql

from mariadb_common import (Failure, Replayer, Server, call, check, enable_capture, main_guard, query,
                            table_fingerprint)

KEYS = 300


def writer(server, seed, stop, stats, journal):
    """Random transactions until stop; each statement and its transaction's end go to journal
    as (time, connection id, keys it may touch, text) for failure messages."""
    rng = random.Random(seed)
    conn = server.connect(autocommit=False)
    session = conn.thread_id()
    cur = conn.cursor()

    def note(keys, text):
        journal.append((datetime.datetime.now(), session, keys, text))

    while not stop.is_set():
        try:
            for _ in range(rng.randint(1, 4)):
                action = rng.random()
                key = rng.randint(1, KEYS)
                try:
                    if action < 0.35:
                        note((key,), "INSERT id %d" % key)
                        cur.execute("INSERT INTO src.t (id, v, n, payload, ts) VALUES (%s, %s, %s, %s, NOW(6))",
                                    (key, "w%d-%d" % (seed, rng.randint(0, 10**6)), rng.randint(-10**12, 10**12),
                                     "p" * rng.randint(0, 3000) if rng.random() < 0.3 else None))
                    elif action < 0.70:
                        if rng.random() < 0.5:
                            note((key,), "UPDATE v WHERE id = %d" % key)
                            cur.execute("UPDATE src.t SET v = %s, n = n + 1 WHERE id = %s",
                                        ("u%d-%d" % (seed, rng.randint(0, 10**6)), key))
                        else:
                            note(tuple(range(key, key + 4)), "UPDATE payload WHERE id BETWEEN %d AND %d" % (key, key + 3))
                            cur.execute("UPDATE src.t SET payload = %s WHERE id BETWEEN %s AND %s",
                                        ("q" * rng.randint(0, 5000), key, key + 3))
                    elif action < 0.85:
                        note((key,), "DELETE id %d" % key)
                        cur.execute("DELETE FROM src.t WHERE id = %s", (key,))
                    else:
                        new_key = rng.randint(1, KEYS)
                        note((key, new_key), "UPDATE SET id = %d WHERE id = %d" % (new_key, key))
                        cur.execute("UPDATE src.t SET id = %s WHERE id = %s", (new_key, key))
                    note((), "  %d row(s)" % cur.rowcount)
                except pymysql.err.IntegrityError:
                    note((), "  duplicate key: statement undone")
                    stats["duplicates"] += 1  # the statement is undone, the transaction goes on
            time.sleep(rng.random() * 0.03)
            if rng.random() < 0.15:
                conn.rollback()
                note(None, "ROLLBACK")
                stats["rollbacks"] += 1
            else:
                conn.commit()
                note(None, "COMMIT")
                stats["commits"] += 1
        except pymysql.err.OperationalError as error:
            if error.args[0] not in (1205, 1213):  # lock wait timeout, deadlock: retry
                raise
            conn.rollback()
            note(None, "ROLLBACK after error %d" % error.args[0])
            stats["deadlocks"] += 1
    conn.close()


def statements_for(journal, key):
    """The journal's transactions that touched key: their statements and how they ended."""
    lines, open_lines, touched = [], {}, {}
    for when, session, keys, text in journal:
        pending = open_lines.setdefault(session, [])
        pending.append("%s session %d: %s" % (when.strftime("%H:%M:%S.%f"), session, text))
        if keys and key in keys:
            touched[session] = True
        if keys is None:
            if touched.pop(session, False):
                lines.extend(pending)
            open_lines[session] = []
    return lines


def explain_difference(admin, replayer, journal, enable_times):
    """Which rows differ between source and copy, and for each key its history: the log's
    changes applied to the copy and the writers' statements."""
    columns = "id, v, n, MD5(payload), ts"
    source = {row[0]: row for row in query(admin, "SELECT %s FROM src.t" % columns)}
    copy = {row[0]: row for row in query(admin, "SELECT %s FROM dst.t" % columns)}
    keys = sorted(k for k in set(source) | set(copy) if source.get(k) != copy.get(k))
    lines = ["enable: %s" % enable_times]
    for key in keys[:5]:
        lines.append("id %d: source %r, copy %r" % (key, source.get(key), copy.get(key)))
        lines.extend("  applied: " + line for line in replayer.history_of("src.t", {"id": key}))
        lines.extend("  wrote:   " + line for line in statements_for(journal, key))
    return "\n".join(lines)


def long_transaction(server, seed, hold_seconds, done):
    rng = random.Random(seed * 7919)
    conn = server.connect(autocommit=False)
    with conn.cursor() as cur:
        for _ in range(5):
            key = rng.randint(KEYS + 1, KEYS + 50)  # keys no writer touches, so nobody waits for us
            cur.execute("INSERT INTO src.t (id, v, n) VALUES (%s, 'long', 1) ON DUPLICATE KEY UPDATE n = n + 1",
                        (key,))
        time.sleep(hold_seconds)
    conn.commit()
    conn.close()
    done.set()


def run(plugin_dir, seed, seconds):
    rng = random.Random(seed)
    with Server(plugin_dir) as server:
        admin = server.connect()
        query(admin, "CREATE DATABASE src CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        query(admin, "CREATE DATABASE dst CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        for db in ("src", "dst"):
            query(admin, "CREATE TABLE %s.t (id INT PRIMARY KEY, v VARCHAR(40), n BIGINT, payload TEXT, "
                         "ts TIMESTAMP(6) NULL) ENGINE=InnoDB" % db)
        query(admin, "INSERT INTO src.t (id, v, n) SELECT seq, CONCAT('seed', seq), seq FROM src.seq_1_to_%d" % (KEYS // 2))

        stop = threading.Event()
        stats = {"commits": 0, "rollbacks": 0, "duplicates": 0, "deadlocks": 0}
        journal = []
        writers = [threading.Thread(target=writer, args=(server, seed * 100 + i, stop, stats, journal))
                   for i in range(4)]
        for thread in writers:
            thread.start()
        time.sleep(0.5)

        # Capture on while the writers run (the script waits for their metadata locks).
        enable_started = datetime.datetime.now()
        enable_capture(server, "src.t")
        enable_times = "started %s, triggers created %s, baseline %s, finished %s" % (
            enable_started.strftime("%H:%M:%S.%f"),
            ", ".join("%s %s" % row for row in query(admin, "SELECT EVENT_MANIPULATION, CREATED FROM "
                                                             "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'src' "
                                                             "ORDER BY CREATED")),
            query(admin, "SELECT enabled_at FROM fingerprint.capture_state WHERE table_name = 'src.t'")[0][0],
            datetime.datetime.now().strftime("%H:%M:%S.%f"))
        # The long transaction starts after capture is on, so its changes are captured.
        long_done = threading.Event()
        holder = threading.Thread(target=long_transaction, args=(server, seed, min(4.0, seconds / 2), long_done))
        holder.start()
        time.sleep(0.3)

        # The bulk copy: one consistent snapshot, taken after the triggers exist.
        copier = server.connect(autocommit=False)
        with copier.cursor() as cur:
            cur.execute("SET SESSION time_zone = '+00:00'")
            enable_times += "; copy snapshot %s" % datetime.datetime.now().strftime("%H:%M:%S.%f")
            cur.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
            cur.execute("SELECT id, v, n, payload, ts FROM src.t")
            rows = cur.fetchall()
            copier.commit()
        target = server.connect("dst", autocommit=False)
        with target.cursor() as cur:
            cur.execute("SET SESSION time_zone = '+00:00'")
            cur.executemany("INSERT INTO dst.t VALUES (%s, %s, %s, %s, %s)", rows)
        target.commit()
        target.close()

        # The reader: crashes at random steps, re-applies some batches a second time.
        crash_rng = random.Random(seed * 31)
        replayer = Replayer(server, "reader", "dst", batch_size=crash_rng.randint(5, 40),
                            crash=lambda step: crash_rng.random() < 0.04)
        reapplied = 0
        deadline = time.time() + seconds
        while time.time() < deadline:
            if not replayer.step():
                time.sleep(0.05)
            if crash_rng.random() < 0.1:
                reapplied += replay_twice(server, replayer)
        stop.set()
        for thread in writers:
            thread.join()
        holder.join()
        check(long_done.is_set(), "the long transaction did not finish")
        replayer.crash = None
        replayer.drain()

        source_fp = table_fingerprint(admin, "src.t")
        copy_fp = table_fingerprint(admin, "dst.t")
        logged_fp = call(admin, "SELECT fingerprint FROM fingerprint.capture_state WHERE table_name = 'src.t'")[0][
            "fingerprint"]
        log_rows = query(admin, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0]
        check_row = call(admin, "CALL fingerprint.capture_check('src.t')")[0]
        long_rows = query(admin, "SELECT COUNT(*) FROM dst.t WHERE v = 'long'")[0][0]
        print("seed %d: %d commits, %d rollbacks, %d duplicate-key statements, %d deadlocks/timeouts; %d rows copied; "
              "%d batches, %d changes applied, %d reader crashes, %d batches re-applied"
              % (seed, stats["commits"], stats["rollbacks"], stats["duplicates"], stats["deadlocks"], len(rows),
                 replayer.batches, replayer.changes, replayer.crashes, reapplied))
        print("source %s\ncopy   %s\nlogged %s" % (source_fp, copy_fp, logged_fp))
        check(stats["commits"] > 20 and stats["rollbacks"] > 0, "the workload was too small")
        check(replayer.batches > 3, "too few batches")
        check(log_rows == 0, "%d changes left in the log after draining" % log_rows)
        if source_fp != copy_fp:
            print(explain_difference(admin, replayer, journal, enable_times))
        check(source_fp == copy_fp, "the copy differs from the source")
        check(logged_fp == source_fp, "the advanced fingerprint differs from the source's")
        check(check_row["status"] == "ok", "capture_check: %r" % check_row)
        check(long_rows > 0, "the long transaction's rows did not reach the copy")
        replayer.close()
        admin.close()
    print("ok")


def replay_twice(server, replayer):
    """Takes the reader's next batch, applies it twice without recording progress and
    checks that the second application changes nothing (the reader then applies it a
    third time, with progress). Returns 1 when a batch was applied twice."""
    conn = server.connect()
    crash, replayer.crash = replayer.crash, None
    try:
        rows = call(conn, "CALL fingerprint.next_batch(%s, %s)", (replayer.consumer, replayer.batch_size))
        if not rows:
            return 0
        batch_id = rows[0]["batch_id"]
        if replayer.applied_batch() >= batch_id:
            return 0
        changes = call(conn, "CALL fingerprint.batch_changes(%s)", (batch_id,))
        replayer.apply(batch_id, changes, record=False)
        once = table_fingerprint(conn, "dst.t")
        replayer.apply(batch_id, changes, record=False)
        twice = table_fingerprint(conn, "dst.t")
        check(once == twice, "applying batch %d twice changed the copy: %s then %s" % (batch_id, once, twice))
        return 1
    finally:
        replayer.crash = crash
        conn.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 8.0))
