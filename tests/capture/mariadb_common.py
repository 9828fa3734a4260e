"""Shared pieces of the MariaDB change-capture tests: a private server, connections, and a
replayer that consumes fingerprint.next_batch / batch_changes / finish_batch and applies
the JSON renderings to a copy in another database, exactly once (docs/capture.md).

Run with /usr/bin/python3 (python3-pymysql)."""

import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

import pymysql

from checks import ROOT, Failure, check  # noqa: F401 (re-exported to the MariaDB tests)

SERVER = os.path.join(ROOT, "scripts", "mariadb_server.sh")
# The build's scripts: the assembled install.sql and uninstall.sql (sql/mysql/CMakeLists.txt).
# CTest sets FINGERPRINT_MYSQL_SQL_DIR; by hand, the default build directory's.
SQL_DIR = os.environ.get("FINGERPRINT_MYSQL_SQL_DIR") or os.path.join(ROOT, "build", "sql", "mysql")
INSTALL_SQL = os.path.join(SQL_DIR, "install.sql")


class Server:
    """A throwaway mariadbd whose plugin dir holds fingerprint_udf.so, with install.sql loaded."""

    def __init__(self, plugin_dir):
        self.dir = tempfile.mkdtemp(prefix="fp-capture-")
        self.socket = os.path.join(self.dir, "mysqld.sock")
        self.plugin_dir = plugin_dir

    def __enter__(self):
        subprocess.run([SERVER, "start", self.dir, self.plugin_dir], check=True)
        with open(INSTALL_SQL, "rb") as script:
            subprocess.run(self.client_args(), stdin=script, check=True, stdout=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc):
        subprocess.run([SERVER, "stop", self.dir], check=False)
        subprocess.run(["rm", "-rf", self.dir], check=False)

    def client_args(self):
        client = "mariadb" if subprocess.run(["which", "mariadb"], capture_output=True).returncode == 0 else "mysql"
        return [client, "--no-defaults", "-S", self.socket, "-u", "root"]

    def connect(self, db=None, autocommit=True):
        conn = pymysql.connect(unix_socket=self.socket, user="root", database=db, autocommit=autocommit,
                               charset="utf8mb4", binary_prefix=True)
        with conn.cursor() as cur:
            cur.execute("SET SESSION innodb_lock_wait_timeout = 20")
        return conn


def call(conn, sql, args=None):
    """Runs a CALL and returns the rows of its first result set (as dicts)."""
    with conn.cursor(pymysql.cursors.DictCursor) as cur:
        cur.execute(sql, args)
        rows = list(cur.fetchall()) if cur.description else []
        while cur.nextset():
            pass
    return rows


def query(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return list(cur.fetchall()) if cur.description else []


def table_fingerprint(conn, table):
    return call(conn, "CALL fingerprint.table_fingerprint(%s)", (table,))[0]["fingerprint"]


def enable_capture(server, table, extra_env=None):
    """Enables capture with scripts/mariadb_capture.sh (the client-side path)."""
    env = dict(os.environ)
    env.update(extra_env or {})
    subprocess.run([os.path.join(ROOT, "scripts", "mariadb_capture.sh"), "enable", table, "--no-defaults",
                    "-S", server.socket, "-u", "root"], check=True, env=env, stdout=subprocess.DEVNULL)


def json_loads(text):
    return None if text is None else json.loads(text, parse_float=Decimal)


def json_dumps(value):
    """JSON text with Decimals written as numbers (exactly as rendered)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + json_dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_dumps(v) for v in value) + "]"
    return json.dumps(value)


def to_param(value, column_class):
    """A JSON-rendered value as a query parameter for a column of the given class letter."""
    if value is None:
        return None
    if column_class == "j":
        return json_dumps(value)
    if isinstance(value, dict) and set(value) == {"$bytes"}:
        return bytes.fromhex(value["$bytes"])
    return value


def quote(name):
    return "`" + name.replace("`", "``") + "`"


class Replayer:
    """Applies batches to target_db (same table names), recording progress in
    target_db.capture_progress in the same target transaction."""

    def __init__(self, server, consumer, target_db, batch_size=50, crash=None, delay=0.0):
        self.server = server
        self.consumer = consumer
        self.target_db = target_db
        self.batch_size = batch_size
        self.crash = crash  # callable(step) -> bool: abandon the batch at this step
        self.delay = delay  # seconds to sleep per applied change (lets a test kill us mid-batch)
        self.source = server.connect()
        self.target = server.connect(target_db, autocommit=False)
        self.batches = 0
        self.changes = 0
        self.crashes = 0
        self.schemas = {}
        # Every change applied with progress recorded, for failure messages: what the
        # copy was given for a key (history_of).
        self.history = []
        query(self.target, "CREATE TABLE IF NOT EXISTS capture_progress (consumer VARCHAR(64) PRIMARY KEY, "
                           "batch_id BIGINT UNSIGNED NOT NULL)")
        # One row per applied batch, in the same target transaction: applying a batch
        # twice with progress would fail on the primary key.
        query(self.target, "CREATE TABLE IF NOT EXISTS capture_applied (batch_id BIGINT UNSIGNED PRIMARY KEY, "
                           "changes INT NOT NULL)")
        self.target.commit()

    def reconnect(self):
        self.crashes += 1
        for conn in (self.source, self.target):
            try:
                conn.close()
            except Exception:
                pass
        self.source = self.server.connect()
        self.target = self.server.connect(self.target_db, autocommit=False)

    def applied_batch(self):
        rows = query(self.target, "SELECT batch_id FROM capture_progress WHERE consumer = %s", (self.consumer,))
        self.target.commit()
        return rows[0][0] if rows else 0

    def schema(self, table, version):
        key = (table, version)
        if key not in self.schemas:
            row = call(self.source, "SELECT column_names, column_classes, key_columns FROM fingerprint.capture_tables "
                                    "WHERE table_name = %s AND schema_version = %s", (table, version))[0]
            self.schemas[key] = (row["column_names"].split(","), row["column_classes"], row["key_columns"].split(","))
        return self.schemas[key]

    def apply_change(self, cur, change):
        names, classes, keys = self.schema(change["table_name"], change["schema_version"])
        klass = dict(zip(names, classes))
        target = quote(self.target_db) + "." + quote(change["table_name"].split(".", 1)[1])

        def delete(key):
            where = " AND ".join(quote(k) + " = %s" for k in keys)
            cur.execute("DELETE FROM " + target + " WHERE " + where, [to_param(key[k], klass[k]) for k in keys])

        op = change["op"]
        if op == "D":
            delete(json_loads(change["key"]))
        elif op in ("I", "U"):
            if change["old_key"] is not None:
                delete(json_loads(change["old_key"]))
            # Upsert by the capture key: delete it, insert the row (the key need not be
            # unique on the target: a table captured with a named key has no such index).
            delete(json_loads(change["key"]))
            after = json_loads(change["after"])
            columns = ", ".join(quote(n) for n in names)
            marks = ", ".join(["%s"] * len(names))
            cur.execute("INSERT INTO " + target + " (" + columns + ") VALUES (" + marks + ")",
                        [to_param(after[n], klass[n]) for n in names])
        else:
            raise Failure("unexpected op %r in the MariaDB log" % op)

    def apply(self, batch_id, changes, record=True):
        """Applies changes in one target transaction (with the progress row when record)."""
        with self.target.cursor() as cur:
            cur.execute("SET SESSION time_zone = '+00:00'")
            for number, change in enumerate(changes):
                self.apply_change(cur, change)
                if self.delay:
                    time.sleep(self.delay)
                if self.crash and number == len(changes) // 2 and self.crash("mid-apply"):
                    raise ConnectionAbortedError("mid-apply")
            if record:
                cur.execute("INSERT INTO capture_applied VALUES (%s, %s)", (batch_id, len(changes)))
                cur.execute("INSERT INTO capture_progress VALUES (%s, %s) ON DUPLICATE KEY UPDATE batch_id = "
                            "VALUES(batch_id)", (self.consumer, batch_id))
        self.target.commit()

    def step(self):
        """Consumes one batch; False when the log had nothing."""
        try:
            rows = call(self.source, "CALL fingerprint.next_batch(%s, %s)", (self.consumer, self.batch_size))
            if not rows:
                return False
            batch = rows[0]
            batch_id = batch["batch_id"]
            if self.crash and self.crash("after-next"):
                raise ConnectionAbortedError("after-next")
            changes = call(self.source, "CALL fingerprint.batch_changes(%s)", (batch_id,))
            check(len(changes) == batch["changes"], "batch %d: %d changes read, %d announced"
                  % (batch_id, len(changes), batch["changes"]))
            check([c["seq"] for c in changes] == sorted(c["seq"] for c in changes), "batch not in seq order")
            applied = self.applied_batch()
            check(applied <= batch_id, "target has batch %d applied, source hands out %d" % (applied, batch_id))
            if applied < batch_id:
                self.apply(batch_id, changes)
                self.changes += len(changes)
                self.history.extend((batch_id, c) for c in changes)
            if self.crash and self.crash("before-finish"):
                raise ConnectionAbortedError("before-finish")
            call(self.source, "CALL fingerprint.finish_batch(%s, %s)", (self.consumer, batch_id))
            self.batches += 1
            return True
        except ConnectionAbortedError:
            self.reconnect()
            return True

    def history_of(self, table, key):
        """The applied changes of table that wrote or removed key (a dict of the key columns),
        one line each: batch, seq, op, key, old key, session, capture time, new row."""
        lines = []
        for batch_id, change in self.history:
            keys = [json_loads(change[k]) for k in ("key", "old_key") if change[k] is not None]
            if change["table_name"] == table and any(all(k.get(n) == v for n, v in key.items()) for k in keys):
                lines.append("batch %d seq %d %s key %s old_key %s session %d at %s after %s"
                             % (batch_id, change["seq"], change["op"], change["key"], change["old_key"],
                                change["session_id"], change["captured_at"], change["after"]))
        return lines

    def drain(self):
        while self.step():
            pass

    def close(self):
        self.source.close()
        self.target.close()


def main_guard(function):
    try:
        function()
    except Failure as failure:
        print("FAILED:", failure)
        sys.exit(1)
