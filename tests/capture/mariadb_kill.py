"""An enable killed during its baseline (docs/capture.md, "Renames and column changes on
MariaDB"): the capture triggers may be left on the table with no enabled registration
behind them, logging writes that nothing checks. next_batch must then refuse, naming the
table, never hand those rows out as captured; enabling again repairs it, and
capture_check agrees with the table afterwards.

    /usr/bin/python3 tests/capture/mariadb_kill.py PLUGIN_DIR
"""

import sys
import threading
import time

import pymysql

from mariadb_common import Server, call, check, main_guard, query


def run(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        query(admin, "CREATE DATABASE app")
        query(admin, "CREATE TABLE app.big (id INT PRIMARY KEY, v VARCHAR(200))")
        query(admin, "INSERT INTO app.big SELECT seq, REPEAT('x', 200) FROM app.seq_1_to_1000")
        call(admin, "CALL fingerprint.next_batch('killer', 1000)")

        enabler = server.connect()
        enabler_id = query(enabler, "SELECT CONNECTION_ID()")[0][0]
        statements = [row["statement"] for row in call(enabler, "CALL fingerprint.capture_ddl('app.big', 'enable')")]
        check(len(statements) == 4 and statements[3].startswith("CALL fingerprint.capture_baseline("),
              "capture_ddl: %r" % statements[3:])
        for statement in statements[:3]:
            call(enabler, statement)
        failure = []

        def baseline():
            try:
                call(enabler, statements[3])
            except pymysql.err.MySQLError as error:
                failure.append(error)

        # Hold the baseline inside its transaction: its INSERT into capture_state waits for
        # this lock, so the KILL lands while the baseline runs, deterministically.
        locker = server.connect(autocommit=False)
        query(locker, "SELECT COUNT(*) FROM fingerprint.capture_state FOR UPDATE")
        thread = threading.Thread(target=baseline)
        thread.start()
        # KILL the enabling connection while its baseline reads the table.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            running = query(admin, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %s"
                            " AND INFO LIKE 'CALL fingerprint.capture_baseline%%'", (enabler_id,))[0][0]
            if running:
                break
            time.sleep(0.01)
        time.sleep(0.2)
        query(admin, "KILL %d" % enabler_id)
        thread.join(60)
        locker.rollback()
        check(failure, "the baseline was not interrupted")
        state = query(admin, "SELECT enabled FROM fingerprint.capture_state WHERE table_name = 'app.big'")
        triggers = query(admin, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'app'")[0][0]
        print("after KILL: capture_state %r, %d triggers" % (state, triggers))
        check(not state or not state[0][0], "the killed enable left capture enabled: %r" % state)

        query(admin, "UPDATE app.big SET v = 'y' WHERE id = 1")
        try:
            rows = call(admin, "CALL fingerprint.next_batch('killer', 1000)")
            check(triggers == 0, "next_batch handed out %r while %d capture triggers log for a table that is"
                  " not enabled" % (rows, triggers))
        except pymysql.err.OperationalError as error:
            check(triggers > 0 and "app.big" in error.args[1] and "not enabled" in error.args[1],
                  "next_batch refusal: %r" % (error.args,))
            print("next_batch refused: %s" % error.args[1][:120])

        # Enabling again repairs it; the log and the table agree.
        call(admin, "CALL fingerprint.capture_apply('app.big', 'enable')")
        query(admin, "UPDATE app.big SET v = 'z' WHERE id = 2")
        rows = call(admin, "CALL fingerprint.next_batch('killer', 1000)")
        check(rows, "next_batch after enabling again: %r" % rows)
        call(admin, "CALL fingerprint.finish_batch('killer', %s)", (rows[0]["batch_id"],))
        rows = call(admin, "CALL fingerprint.capture_check('app.big')")
        check(rows and rows[0]["status"] == "ok", "capture_check: %r" % rows)
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1]))
