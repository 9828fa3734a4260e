#!/usr/bin/python3
"""Replay tests of MariaDB change capture (docs/capture.md).

    mariadb_replay.py PLUGIN_DIR

1. Every operation on tables covering every value class (NULLs, a 200 KB value updated and
   not updated, a primary-key chain, a key swap through a free key, a table without a
   primary key captured with a named key) is replayed from the JSON renderings onto
   copies; each copy's table_fingerprint equals its source's, and the advanced
   fingerprints equal both.
2. Applying a batch twice changes nothing.
3. A reader process killed with SIGKILL at random moments (mid-batch, between target
   commit and finish_batch, ...) resumes without losing or duplicating a change: every
   batch is recorded once on the target (a primary key forbids a second time) and the
   number of changes applied equals the number captured.
"""

import os
import random
import signal
import subprocess
import sys
import time

from mariadb_common import Replayer, Server, call, check, enable_capture, main_guard, query, table_fingerprint

TABLES = {
    "t": """(id INT NOT NULL PRIMARY KEY, i BIGINT, u BIGINT UNSIGNED, d DECIMAL(12,3), f DOUBLE, s VARCHAR(50),
             c CHAR(5), b VARBINARY(20), dt DATE, ts TIMESTAMP(6) NULL, dtm DATETIME(3), tm TIME(2), j JSON, uu UUID,
             bt BIT(5), e ENUM('x', 'y'), l LONGTEXT, lat VARCHAR(20) CHARACTER SET latin1) ENGINE=InnoDB""",
    "k": "(id INT PRIMARY KEY, v VARCHAR(5)) ENGINE=InnoDB",
    "nokey": "(a INT NOT NULL, b INT NULL, c TEXT) ENGINE=InnoDB",
}


class Attached(Server):
    """A server started by someone else (the killed reader process)."""

    def __init__(self, socket):
        self.socket = socket


def workload(conn):
    statements = [
        "INSERT INTO src.t (id) VALUES (1)",
        "INSERT INTO src.t VALUES (2, -9000000000, 18446744073709551615, -12.500, 0.1, 'Zoë', 'ab  ', x'00ff', "
        "'2024-02-29', '2024-06-01 12:00:00.25', '2024-06-01 12:00:00.125', '-838:59:59.99', "
        "'{\"b\": [1, 2.50], \"a\": null, \"s\": \"x\"}', '123E4567-E89B-12D3-A456-426614174000', b'10101', 'y', "
        "REPEAT('x', 10), 'Müller')",
        "UPDATE src.t SET s = 'changed', d = 1 WHERE id = 2",
        "UPDATE src.t SET s = s WHERE id = 2",
        "UPDATE src.t SET s = 'CHANGED', f = -0.0 WHERE id = 2",
        "UPDATE src.t SET id = 10 WHERE id = 1",
        "UPDATE src.t SET id = 11 WHERE id = 10",
        "DELETE FROM src.t WHERE id = 0",
        "INSERT INTO src.t (id, l) VALUES (3, REPEAT('0123456789', 20000))",
        "UPDATE src.t SET s = 'other column' WHERE id = 3",
        "UPDATE src.t SET l = CONCAT(REPEAT('0123456789', 20000), '!') WHERE id = 3",
        "UPDATE src.k SET id = 0 WHERE id = 1",
        "UPDATE src.k SET id = 1 WHERE id = 2",
        "UPDATE src.k SET id = 2 WHERE id = 0",
        "INSERT INTO src.k VALUES (5, 'five')",
        "UPDATE src.k SET id = 6, v = 'six' WHERE id = 5",
        "INSERT INTO src.nokey VALUES (3, NULL, 'three'), (4, 4, NULL)",
        "UPDATE src.nokey SET c = 'changed' WHERE a = 1",
        "UPDATE src.nokey SET a = 7 WHERE a = 2",
        "DELETE FROM src.nokey WHERE a = 4",
    ]
    with conn.cursor() as cur:
        cur.execute("SET SESSION time_zone = '+05:00'")  # TIMESTAMPs are captured in UTC anyway
        cur.execute("START TRANSACTION")
        for number, statement in enumerate(statements):
            cur.execute(statement)
            if number % 4 == 3:
                cur.execute("COMMIT")
                cur.execute("START TRANSACTION")
        cur.execute("COMMIT")


def compare(admin, tables):
    for name in tables:
        source = table_fingerprint(admin, "src." + name)
        copy = table_fingerprint(admin, "dst." + name)
        logged = call(admin, "SELECT fingerprint FROM fingerprint.capture_state WHERE table_name = %s",
                      ("src." + name,))[0]["fingerprint"]
        check(source == copy, "%s: the copy has %s, the source %s" % (name, copy, source))
        check(logged == source, "%s: the advanced fingerprint is %s, the table's %s" % (name, logged, source))
        check(call(admin, "CALL fingerprint.capture_check(%s)", ("src." + name,))[0]["status"] == "ok", name)
        print("ok   %s: %s" % (name, source))


def random_updates(conn, rng, count):
    with conn.cursor() as cur:
        for _ in range(count):
            key = rng.randint(100, 160)
            action = rng.random()
            if action < 0.4:
                cur.execute("INSERT INTO src.k VALUES (%s, %s) ON DUPLICATE KEY UPDATE v = VALUES(v)",
                            (key, str(rng.randint(0, 99999))))
            elif action < 0.7:
                cur.execute("UPDATE src.k SET v = %s WHERE id = %s", (str(rng.randint(0, 99999)), key))
            elif action < 0.85:
                cur.execute("DELETE FROM src.k WHERE id = %s", (key,))
            else:
                cur.execute("UPDATE IGNORE src.k SET id = %s WHERE id = %s", (rng.randint(100, 160), key))


def run(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        for db in ("src", "dst"):
            query(admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" % db)
            for name, definition in TABLES.items():
                query(admin, "CREATE TABLE %s.%s %s" % (db, name, definition))
        query(admin, "INSERT INTO src.t (id, s) VALUES (0, 'zero')")
        query(admin, "INSERT INTO src.k VALUES (1, 'one'), (2, 'two')")
        query(admin, "INSERT INTO src.nokey VALUES (1, 1, 'one'), (2, NULL, 'two')")
        for name in TABLES:
            query(admin, "INSERT INTO dst.%s SELECT * FROM src.%s" % (name, name))
        enable_capture(server, "src.t")
        enable_capture(server, "src.k")
        enable_capture(server, "src.nokey", {"FINGERPRINT_CAPTURE_KEY": "a", "FINGERPRINT_CAPTURE_OLD_IMAGES": "1"})
        workload(server.connect())

        # 1 and 2: replay every batch twice, then once more with progress.
        replayer = Replayer(server, "replay", "dst", batch_size=4)
        twice = 0
        while True:
            rows = call(admin, "CALL fingerprint.next_batch('replay', 4)")
            if not rows:
                break
            changes = call(admin, "CALL fingerprint.batch_changes(%s)", (rows[0]["batch_id"],))
            replayer.apply(rows[0]["batch_id"], changes, record=False)
            once = [table_fingerprint(admin, "dst." + name) for name in TABLES]
            replayer.apply(rows[0]["batch_id"], changes, record=False)
            again = [table_fingerprint(admin, "dst." + name) for name in TABLES]
            check(once == again, "applying batch %d twice changed the copy: %s\n%s" % (rows[0]["batch_id"], "\n".join(
                "%s %s %s %s" % (c["seq"], c["op"], c["key"], c["old_key"]) for c in changes), (once, again)))
            twice += 1
            check(replayer.step(), "the batch vanished")
        print("ok   %d batches applied twice, no change the second time" % twice)
        compare(admin, TABLES)
        replayer.close()

        # 3: a reader process killed at random moments.
        rng = random.Random(3)
        random_updates(admin, rng, 400)
        captured = query(admin, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0]
        applied_before = query(admin, "SELECT COALESCE(SUM(changes), 0), COUNT(*) FROM dst.capture_applied")[0]
        kills = 0
        for _ in range(6):
            child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "reader", server.socket])
            time.sleep(rng.uniform(0.3, 1.2))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            child.wait()
        resumed = Replayer(server, "replay", "dst", batch_size=25)
        resumed.drain()
        resumed.close()
        applied_after = query(admin, "SELECT COALESCE(SUM(changes), 0), COUNT(*) FROM dst.capture_applied")[0]
        applied = int(applied_after[0]) - int(applied_before[0])
        print("ok   reader killed %d times; %d changes captured, %d applied in %d batches"
              % (kills, captured, applied, applied_after[1] - applied_before[1]))
        check(kills >= 3, "the reader finished before it could be killed")
        check(applied == captured, "%d changes captured but %d applied" % (captured, applied))
        check(query(admin, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 0, "log not drained")
        compare(admin, TABLES)
        admin.close()
    print("ok")


def reader(socket):
    """The process the test kills: consumes slowly until killed or drained."""
    replayer = Replayer(Attached(socket), "replay", "dst", batch_size=25, delay=0.02)
    replayer.drain()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "reader":
        reader(sys.argv[2])
    elif len(sys.argv) == 2:
        main_guard(lambda: run(sys.argv[1]))
    else:
        print(__doc__)
        sys.exit(2)
