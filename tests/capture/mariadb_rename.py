"""A gh-ost-style table swap under live writes and a live consumer (MariaDB has no DDL
triggers; docs/capture.md, "Renames and column changes on MariaDB").

Writers insert into shop.orders (keys below 1,000,000) and, once it exists, into
shop.scratch (keys from 1,000,000: after the swap the capture triggers sit on scratch and
log these rows as shop.orders, i.e. forged rows). A consumer loops next_batch /
finish_batch taking everything visible each time. In the middle, `RENAME TABLE orders TO scratch,
orders_new TO orders` swaps the tables. Checked:
- no batch ever handed out holds a forged row (next_batch checks the triggers after its
  snapshot has started, so a row logged after a rename its check did not see is not
  visible to the batch);
- after the swap, next_batch refuses, naming shop.orders and shop.scratch;
- disable finds the moved triggers on scratch, consumption goes on, and what it hands
  out then contains the forged rows (they are in the log, and the re-copy that follows
  overwrites them on the target).
The swap happens once, at a moment the test does not control, so the first check is a
sample, not a proof: with the check moved before the snapshot (and a 10 ms pause
between them) three runs still passed. The ordering is argued in next_batch's comments.

    /usr/bin/python3 tests/capture/mariadb_rename.py PLUGIN_DIR
"""

import json
import sys
import threading
import time

import pymysql

from mariadb_common import Server, call, check, main_guard, query

FORGED = 1_000_000


def run(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        query(admin, "CREATE DATABASE shop")
        query(admin, "CREATE TABLE shop.orders (id INT PRIMARY KEY, v INT)")
        query(admin, "CREATE TABLE shop.orders_new LIKE shop.orders")
        call(admin, "CALL fingerprint.capture_apply('shop.orders', 'enable')")

        stop = threading.Event()
        errors = []

        def writer(table, first):
            conn = server.connect()
            key = first
            while not stop.is_set():
                try:
                    query(conn, "INSERT INTO shop.%s VALUES (%%s, 1)" % table, (key,))
                    key += 1
                except pymysql.err.ProgrammingError:  # scratch does not exist yet
                    time.sleep(0.001)
                except pymysql.err.MySQLError as error:
                    if error.args[0] not in (1146, 1205, 1213):
                        errors.append(error)
                        return
            conn.close()

        threads = [threading.Thread(target=writer, args=("orders", 1)),
                   threading.Thread(target=writer, args=("scratch", FORGED))]
        for thread in threads:
            thread.start()

        consumer = server.connect()
        handed_out = []
        refusal = None
        swapped_at = None
        start = time.monotonic()
        while time.monotonic() - start < 20:
            if swapped_at is None and time.monotonic() - start > 2:
                query(admin, "RENAME TABLE shop.orders TO shop.scratch, shop.orders_new TO shop.orders")
                swapped_at = time.monotonic()
            try:
                rows = call(consumer, "CALL fingerprint.next_batch('c', 1000000)")
            except pymysql.err.OperationalError as error:
                check(swapped_at is not None, "next_batch refused before the swap: %r" % (error,))
                refusal = error.args[1]
                break
            if not rows:
                continue
            batch = rows[0]["batch_id"]
            changes = call(consumer, "CALL fingerprint.batch_changes(%s)", (batch,))
            handed_out.extend(changes)
            call(consumer, "CALL fingerprint.finish_batch('c', %s)", (batch,))
        stop.set()
        for thread in threads:
            thread.join()
        check(not errors, "writer errors: %r" % errors)
        check(refusal is not None, "next_batch never refused after the swap")
        check("shop.orders" in refusal and "shop.scratch" in refusal, "refusal: %r" % refusal)
        keys = [json.loads(change["key"])["id"] for change in handed_out]
        forged = [k for k in keys if k >= FORGED]
        check(not forged, "forged rows handed out: %r" % forged[:10])
        check(len(keys) > 0, "no batch was handed out before the swap")
        print("ok   %d changes handed out before the swap, none forged; then refused: %s"
              % (len(keys), refusal[:100]))

        rows = call(admin, "CALL fingerprint.capture_apply('shop.orders', 'disable')")
        check("found on shop.scratch" in rows[0]["status"], "disable: %r" % rows)
        waiting = query(admin, "SELECT COUNT(*) FROM fingerprint.change_log WHERE CAST(JSON_VALUE("
                        "fingerprint_image_json(key_image, 'id'), '$.id') AS UNSIGNED) >= %s", (FORGED,))[0][0]
        rows = call(consumer, "CALL fingerprint.next_batch('c', 1000000)")
        check(waiting > 0 and rows and rows[0]["changes"] >= waiting,
              "after disable: %r waiting forged rows, batch %r" % (waiting, rows))
        call(consumer, "CALL fingerprint.finish_batch('c', %s)", (rows[0]["batch_id"],))
        print("ok   disable dropped the triggers found on shop.scratch; consumption goes on (%d forged rows"
              " reach the consumer, to be overwritten by the re-copy)" % waiting)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1]))
