#!/usr/bin/python3
"""Whole-row identity on MariaDB (docs/capture.md, "Tables without a unique key").

    mariadb_keyless.py PLUGIN_DIR

A table with neither a primary key nor a usable unique key is captured with the whole row
as its identity: enabling it says so, and a table with a usable unique key is refused with
that key named. Three writers insert duplicates and NULLs, update or delete one of several
identical rows (LIMIT 1), and roll back, while a reader replays the batches onto a copy as
a multiset: an insert adds a row, a delete removes exactly one row NULL-safely equal to the
logged old row (the key image is the whole row), an update is both. After every batch the
copy's table_fingerprint equals the log-adjusted fingerprint; at the end the copy, the
source and that fingerprint agree and capture_check is ok.

Then, on a second server, rows of 70,000 bytes and 3 MB (past a BLOB's 64 KiB) are
inserted, updated and deleted under capture: every key image is the whole row image,
byte for byte, and the replayed copy has the source's fingerprint.
"""

import random
import sys
import threading
import time

import pymysql

from mariadb_common import (Failure, Replayer, Server, call, check, json_loads, main_guard, query, quote,
                            table_fingerprint, to_param)

DEFINITION = "(tid INT, delta INT, note VARCHAR(10), at DATETIME NULL) ENGINE=InnoDB"


class MultisetReplayer(Replayer):
    """Replays a whole-row identity table: no key, so no upsert; counts are what matter."""

    def apply_change(self, cur, change):
        names, classes, keys = self.schema(change["table_name"], change["schema_version"])
        check(keys == names, "whole-row identity: key columns %s are not every column %s" % (keys, names))
        klass = dict(zip(names, classes))
        target = quote(self.target_db) + "." + quote(change["table_name"].split(".", 1)[1])
        op = change["op"]
        old = change["key"] if op == "D" else change["old_key"]
        if op in ("U", "D"):
            check(old is not None, "change %d (%s) carries no old row" % (change["seq"], op))
            row = json_loads(old)
            where = " AND ".join(quote(n) + " <=> %s" for n in names)
            cur.execute("DELETE FROM " + target + " WHERE " + where + " LIMIT 1",
                        [to_param(row[n], klass[n]) for n in names])
            check(cur.rowcount == 1, "change %d (%s): no row %s on the copy to remove" % (change["seq"], op, old))
        if op in ("I", "U"):
            after = json_loads(change["after"])
            check(json_loads(change["key"]) == after, "change %d: the key image is not the row" % change["seq"])
            cur.execute("INSERT INTO " + target + " (" + ", ".join(quote(n) for n in names) + ") VALUES ("
                        + ", ".join(["%s"] * len(names)) + ")", [to_param(after[n], klass[n]) for n in names])


def writer(server, seed, stop, errors, counts):
    rng = random.Random(seed)
    conn = server.connect("src", autocommit=False)
    try:
        while not stop.is_set():
            try:
                step(conn, rng, counts)
            except pymysql.err.OperationalError as e:
                # Scans of a table without an index lock every row they pass: deadlocks
                # and lock waits happen, and roll the transaction back.
                if e.args[0] not in (1205, 1213):
                    raise
                conn.rollback()
                counts["retried"] += 1
            time.sleep(rng.random() * 0.005)
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        errors.append("writer %d: %s" % (seed, e))
    finally:
        conn.close()


def step(conn, rng, counts):
    """One transaction of one to four statements, rolled back now and then."""
    with conn.cursor() as cur:
        for _ in range(rng.randint(1, 4)):
            tid = rng.randint(1, 6)
            action = rng.random()
            if action < 0.45:
                cur.execute("INSERT INTO hist VALUES (%s, %s, %s, %s)",
                            (tid, rng.choice([None, 1, 2]), rng.choice([None, "x", "y"]),
                             rng.choice([None, "2024-05-01 10:00:00"])))
                counts["I"] += 1
            elif action < 0.75:
                counts["U"] += cur.execute("UPDATE hist SET delta = %s WHERE tid = %s LIMIT 1",
                                           (rng.choice([None, 1, 2, 3]), tid))
            else:
                counts["D"] += cur.execute("DELETE FROM hist WHERE tid = %s LIMIT 1", (tid,))
    if rng.random() < 0.15:
        conn.rollback()
    else:
        conn.commit()


def refusals(admin):
    query(admin, "CREATE TABLE src.uniq (a INT NOT NULL, b INT NOT NULL, c TEXT, UNIQUE KEY uniq_ba (b, a))")
    try:
        call(admin, "CALL fingerprint.capture_apply_with('src.uniq', 'enable', NULL, FALSE)")
        raise Failure("a table with a usable unique key was captured with whole-row identity")
    except Failure:
        raise
    except Exception as e:  # noqa: BLE001 - the refusal is the point
        check("unique key `uniq_ba`" in str(e) and "'b,a'" in str(e), "refusal does not name the key: %s" % e)
        print("ok   refused, naming the key:", e.args[1])
    # A nullable unique column identifies nothing: whole-row identity.
    query(admin, "CREATE TABLE src.weak (a INT NULL, b INT, UNIQUE KEY weak_a (a))")
    status = call(admin, "CALL fingerprint.capture_apply_with('src.weak', 'enable', NULL, FALSE)")[0]["status"]
    check("whole-row identity" in status, "enable of src.weak says: %s" % status)


def wide_rows(plugin_dir):
    """Key images of rows past 64 KiB: the log's key columns must hold the whole row."""
    with Server(plugin_dir) as server:
        admin = server.connect()
        for db in ("src", "dst"):
            query(admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % db)
            query(admin, "CREATE TABLE %s.w (t LONGTEXT, f DOUBLE) ENGINE=InnoDB" % db)
        status = call(admin, "CALL fingerprint.capture_apply_with('src.w', 'enable', NULL, TRUE)")[0]["status"]
        check("whole-row identity" in status, "enable of src.w says: %s" % status)
        sizes = (70000, 3 * 1024 * 1024)
        for size in sizes:
            query(admin, "INSERT INTO src.w VALUES (REPEAT('x', %s), 1), (REPEAT('x', %s), 1)", (size, size))
        query(admin, "UPDATE src.w SET f = 2 WHERE LENGTH(t) = %s LIMIT 1", (sizes[0],))
        query(admin, "UPDATE src.w SET f = 3 WHERE LENGTH(t) = %s LIMIT 1", (sizes[1],))
        query(admin, "DELETE FROM src.w WHERE LENGTH(t) = %s AND f = 2", (sizes[0],))
        query(admin, "DELETE FROM src.w WHERE LENGTH(t) = %s AND f = 1", (sizes[1],))
        # The key image is the row image: the new row's for I and U, the old row's for D
        # and for U's old key; the log was enabled with old images to compare with.
        rows = query(admin, "SELECT seq, op, LENGTH(key_image), LENGTH(old_key_image), LENGTH(new_image), "
                            "LENGTH(old_image), key_image = IF(op = 'D', old_image, new_image), "
                            "IF(op = 'U', old_key_image = old_image, TRUE) "
                            "FROM fingerprint.change_log WHERE table_name = 'src.w' ORDER BY seq")
        check([r[1] for r in rows] == ["I"] * 4 + ["U"] * 2 + ["D"] * 2, "logged ops: %s" % [r[1] for r in rows])
        for seq, op, key, old_key, new, old, same_key, same_old_key in rows:
            image = old if op == "D" else new
            check(key == image and image > sizes[0] and same_key == 1,
                  "change %d (%s): key image %s bytes, row image %s bytes" % (seq, op, key, image))
            check(op != "U" or (old_key == old and same_old_key == 1),
                  "change %d (U): old key image %s bytes, old row image %s bytes" % (seq, old_key, old))
        replayer = MultisetReplayer(server, "wide", "dst", batch_size=3)
        replayer.drain()
        replayer.close()
        source = table_fingerprint(admin, "src.w")
        check(table_fingerprint(admin, "dst.w") == source, "the copy of the wide rows differs from the source")
        logged = call(admin, "SELECT fingerprint FROM fingerprint.capture_state WHERE table_name = 'src.w'")
        check(logged[0]["fingerprint"] == source, "log-adjusted %s, source %s" % (logged, source))
        check(call(admin, "CALL fingerprint.capture_check('src.w')")[0]["status"] == "ok", "capture_check of src.w")
        print("ok   rows of %s bytes: %d changes, key images whole, copy equal" % (sizes, len(rows)))
        admin.close()


def run(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        for db in ("src", "dst"):
            query(admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % db)
            query(admin, "CREATE TABLE %s.hist %s" % (db, DEFINITION))
        refusals(admin)
        query(admin, "INSERT INTO src.hist VALUES (1, 1, 'x', NULL), (1, 1, 'x', NULL), (2, NULL, NULL, NULL), "
                     "(2, NULL, NULL, NULL), (3, 2, NULL, '2024-01-01 00:00:00')")
        query(admin, "INSERT INTO dst.hist SELECT * FROM src.hist")
        status = call(admin, "CALL fingerprint.capture_apply_with('src.hist', 'enable', NULL, FALSE)")[0]["status"]
        check("whole-row identity" in status, "enable says: %s" % status)
        registered = call(admin, "SELECT identity, key_columns FROM fingerprint.capture_tables "
                                 "WHERE table_name = 'src.hist'")
        check(registered == [{"identity": "row", "key_columns": "tid,delta,note,at"}], "registered: %s" % registered)

        stop = threading.Event()
        errors = []
        counts = {"I": 0, "U": 0, "D": 0, "retried": 0}
        writers = [threading.Thread(target=writer, args=(server, seed, stop, errors, counts)) for seed in (1, 2, 3)]
        for w in writers:
            w.start()
        replayer = MultisetReplayer(server, "keyless", "dst", batch_size=20)
        deadline = time.time() + 4
        batches = 0
        while True:
            if time.time() > deadline and not stop.is_set():
                stop.set()
                for w in writers:
                    w.join()
            if not replayer.step():
                if stop.is_set():
                    break
                time.sleep(0.05)
                continue
            batches += 1
            logged = call(admin, "SELECT fingerprint FROM fingerprint.capture_state WHERE table_name = 'src.hist'")
            copy = table_fingerprint(admin, "dst.hist")
            check(logged[0]["fingerprint"] == copy,
                  "after batch %d the copy has %s, the log-adjusted fingerprint is %s" % (batches, copy, logged))
        replayer.close()
        check(not errors, "; ".join(errors))
        source = table_fingerprint(admin, "src.hist")
        duplicates = query(admin, "SELECT COUNT(*) - (SELECT COUNT(*) FROM (SELECT DISTINCT * FROM src.hist) d) "
                                  "FROM src.hist")[0][0]
        print("ok   %d batches, %s, %d duplicate rows at the end" % (batches, counts, duplicates))
        check(table_fingerprint(admin, "dst.hist") == source, "the copy differs from the source")
        check(call(admin, "CALL fingerprint.capture_check('src.hist')")[0]["status"] == "ok", "capture_check")
        check(counts["U"] > 0 and counts["D"] > 0 and duplicates > 0, "no duplicates, updates or deletes: %s" % counts)
        admin.close()
    wide_rows(plugin_dir)
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) == 2:
        main_guard(lambda: run(sys.argv[1]))
    else:
        print(__doc__)
        sys.exit(2)
