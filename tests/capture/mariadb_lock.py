"""The consumer lock and batch ownership on MariaDB (issue 8, classes 6 and 7).

1. An account without any privilege holds GET_LOCK('fingerprint.capture_consumer') (the
   lock 1.0 serialized on): next_batch and finish_batch still complete at once.
2. That account, and one with only SELECT on the log, cannot take the new lock
   (UPDATE on fingerprint.consumer_lock is the consumer's privilege).
3. While a consumer holds the lock (an open next_batch transaction is simulated by a
   session holding the row lock), another consumer call waits, then goes on when it is
   released: the lock does serialize.
4. NULL arguments: finish_batch(NULL, id), finish_batch('', id), finish_batch(c, NULL),
   next_batch(NULL, n), next_batch(c, 0) fail with a clear error and change nothing
   (next_batch(c, NULL) is a snapshot batch since 1.7: mariadb_whole_batches.py);
   the batch is still open for its owner, who finishes it.

    /usr/bin/python3 tests/capture/mariadb_lock.py PLUGIN_DIR
"""

import sys
import threading
import time

import pymysql

from mariadb_common import Server, call, check, main_guard, query


def connect_as(server, user):
    return pymysql.connect(unix_socket=server.socket, user=user, autocommit=True, charset="utf8mb4")


def error_of(conn, sql, args=None):
    """The (errno, message) a statement fails with, or None if it succeeds."""
    try:
        call(conn, sql, args)
    except pymysql.err.MySQLError as error:
        return error.args[0], error.args[1]
    return None


def timed(conn, sql, args=None):
    start = time.monotonic()
    rows = call(conn, sql, args)
    return rows, time.monotonic() - start


def run(plugin_dir):
    with Server(plugin_dir) as server:
        admin = server.connect()
        query(admin, "CREATE DATABASE app")
        query(admin, "CREATE TABLE app.t (id INT PRIMARY KEY, v INT)")
        call(admin, "CALL fingerprint.capture_apply('app.t', 'enable')")
        query(admin, "INSERT INTO app.t VALUES (1, 1), (2, 2), (3, 3)")
        query(admin, "CREATE USER nobody@localhost")
        query(admin, "CREATE USER log_reader@localhost")
        query(admin, "GRANT SELECT ON fingerprint.change_log TO log_reader@localhost")
        query(admin, "CREATE USER consumer@localhost")
        query(admin, "GRANT EXECUTE ON fingerprint.* TO consumer@localhost")
        for table in ("change_log", "capture_batches", "capture_state", "capture_tables"):
            query(admin, "GRANT SELECT, INSERT, UPDATE, DELETE ON fingerprint.%s TO consumer@localhost" % table)
        query(admin, "GRANT UPDATE, SELECT ON fingerprint.consumer_lock TO consumer@localhost")
        # next_batch checks that each captured table still has its triggers and columns:
        # information_schema shows triggers only with TRIGGER, columns only with a privilege.
        query(admin, "GRANT SELECT, TRIGGER ON app.t TO consumer@localhost")

        # 1: the old lock name held by an account without privileges stalls nothing.
        nobody = connect_as(server, "nobody")
        held = query(nobody, "SELECT GET_LOCK('fingerprint.capture_consumer', 0)")[0][0]
        check(held == 1, "the unprivileged account could not take GET_LOCK (got %r)" % held)
        consumer = connect_as(server, "consumer")
        rows, seconds = timed(consumer, "CALL fingerprint.next_batch('c1', 100)")
        check(len(rows) == 1 and rows[0]["changes"] == 3, "next_batch: %r" % rows)
        check(seconds < 5, "next_batch took %.1f s while GET_LOCK was held by nobody" % seconds)
        batch = rows[0]["batch_id"]
        print("ok   next_batch in %.2f s while an unprivileged account holds the 1.0 lock" % seconds)

        # 2: neither the unprivileged account nor a log reader can take the new lock.
        for name, conn in (("nobody", nobody), ("log_reader", connect_as(server, "log_reader"))):
            error = error_of(conn, "UPDATE fingerprint.consumer_lock SET calls = calls + 1 WHERE id = 1")
            check(error is not None and error[0] == 1142, "%s could write the consumer lock: %r" % (name, error))
            error = error_of(conn, "SELECT * FROM fingerprint.consumer_lock FOR UPDATE")
            check(error is not None and error[0] == 1142, "%s could lock the consumer lock: %r" % (name, error))
        print("ok   accounts without the consumer's grants cannot take the consumer lock")

        # 4: NULL and empty consumers never pass the ownership test.
        for sql, args in (("CALL fingerprint.finish_batch(NULL, %s)", (batch,)),
                          ("CALL fingerprint.finish_batch('', %s)", (batch,)),
                          ("CALL fingerprint.finish_batch('c2', %s)", (batch,)),
                          ("CALL fingerprint.finish_batch('c1', NULL)", None),
                          ("CALL fingerprint.next_batch(NULL, 10)", None),
                          ("CALL fingerprint.next_batch('c2', 10)", None),
                          ("CALL fingerprint.next_batch('c1', 0)", None)):
            error = error_of(consumer, sql, args)
            check(error is not None and error[0] == 1644, "%s did not fail: %r" % (sql, error))
            print("ok   %s: %s" % (sql.replace("%s", str(batch)), error[1]))
        open_batch = query(admin, "SELECT consumer, finished_at FROM fingerprint.capture_batches WHERE batch_id = %s",
                           (batch,))
        check(open_batch == [("c1", None)], "the batch changed: %r" % open_batch)
        check(query(admin, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 3, "log rows vanished")

        # 3: the lock serializes: held by another transaction, finish_batch waits for it.
        holder = server.connect()
        query(holder, "START TRANSACTION")
        query(holder, "UPDATE fingerprint.consumer_lock SET calls = calls + 1 WHERE id = 1")
        result = {}

        def finish():
            result["rows"], result["seconds"] = timed(consumer, "CALL fingerprint.finish_batch('c1', %s)", (batch,))

        worker = threading.Thread(target=finish)
        worker.start()
        time.sleep(1.5)
        check(worker.is_alive(), "finish_batch did not wait for the consumer lock")
        query(holder, "COMMIT")
        worker.join(20)
        check(not worker.is_alive() and result.get("rows"), "finish_batch did not finish after the lock was released")
        check(result["seconds"] >= 1.4, "finish_batch returned after %.2f s" % result["seconds"])
        print("ok   finish_batch waited %.2f s for a consumer lock held elsewhere, then finished" % result["seconds"])
        check(query(admin, "SELECT COUNT(*) FROM fingerprint.change_log")[0][0] == 0, "the log was not consumed")
        rows = call(admin, "CALL fingerprint.capture_check('app.t')")
        check(rows and rows[0]["status"] == "ok", "capture_check: %r" % rows)
        query(nobody, "DO RELEASE_LOCK('fingerprint.capture_consumer')")
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    main_guard(lambda: run(sys.argv[1]))
