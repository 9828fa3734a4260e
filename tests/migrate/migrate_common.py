"""What the `fingerprint migrate` tests share: a throwaway PostgreSQL cluster and MariaDB
server (both always started, so every direction runs the same way), the test table on
either engine, the writers that change the source while the migration runs, and the
command-line calls."""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2
import pymysql

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


PG_TABLE = """CREATE TABLE items (
    id integer NOT NULL, name text, qty integer, price numeric(10,2), seen timestamptz, doc jsonb,
    ratio double precision, b bytea, d date,
    CONSTRAINT items_pkey PRIMARY KEY (id) DEFERRABLE INITIALLY IMMEDIATE)"""
# The target's key is an ordinary one (a deferrable key on the source lets a key swap
# happen in one statement, which is what the replay must get right).
PG_TARGET_TABLE = PG_TABLE.replace(" DEFERRABLE INITIALLY IMMEDIATE", "")
MY_TABLE = """CREATE TABLE items (
    id INT NOT NULL PRIMARY KEY, name VARCHAR(400), qty INT, price DECIMAL(10,2), seen TIMESTAMP(6) NULL,
    doc JSON, ratio DOUBLE, b VARBINARY(64), d DATE) ENGINE=InnoDB"""
COLUMNS = ["id", "name", "qty", "price", "seen", "doc", "ratio", "b", "d"]


class Servers:
    """A PostgreSQL cluster and a MariaDB server in one temporary directory."""

    def __init__(self, plugin_dir):
        self.dir = tempfile.mkdtemp(prefix="fp-migrate-", dir="/tmp")
        os.chmod(self.dir, 0o755)
        self.pg_dir = os.path.join(self.dir, "pg")
        self.my_dir = os.path.join(self.dir, "my")
        self.pg_port = 5900 + os.getpid() % 500
        self.plugin_dir = plugin_dir

    def __enter__(self):
        try:
            subprocess.run([os.path.join(ROOT, "scripts", "pg_server.sh"), "start", self.pg_dir, str(self.pg_port)],
                           check=True, stdout=subprocess.DEVNULL)
            subprocess.run([os.path.join(ROOT, "scripts", "mariadb_server.sh"), "start", self.my_dir,
                            os.path.abspath(self.plugin_dir)], check=True, stdout=subprocess.DEVNULL)
            # The build's assembled install.sql (CTest sets FINGERPRINT_MYSQL_SQL_DIR).
            sql_dir = os.environ.get("FINGERPRINT_MYSQL_SQL_DIR") or os.path.join(ROOT, "build", "sql", "mysql")
            with open(os.path.join(sql_dir, "install.sql"), "rb") as script:
                subprocess.run(["mariadb", "--no-defaults", "-S", self.socket(), "-u", "root"], stdin=script,
                               check=True, stdout=subprocess.DEVNULL)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        subprocess.run([os.path.join(ROOT, "scripts", "pg_server.sh"), "stop", self.pg_dir], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([os.path.join(ROOT, "scripts", "mariadb_server.sh"), "stop", self.my_dir], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)

    def socket(self):
        return os.path.join(self.my_dir, "mysqld.sock")

    def url(self, engine, db):
        if engine == "pg":
            return f"postgresql://postgres@/{db}?host={self.pg_dir}&port={self.pg_port}"
        return f"mysql://root@localhost/{db}?socket={self.socket()}"

    def connect(self, engine, db, autocommit=True):
        if engine == "pg":
            conn = psycopg2.connect(host=self.pg_dir, port=self.pg_port, user="postgres", dbname=db,
                                    options="-c TimeZone=UTC")
            conn.autocommit = autocommit
            return conn
        conn = pymysql.connect(unix_socket=self.socket(), user="root", database=db, autocommit=autocommit,
                               charset="utf8mb4", binary_prefix=True)
        with conn.cursor() as cur:
            cur.execute("SET SESSION time_zone = '+00:00', innodb_lock_wait_timeout = 5")
        return conn

    def create_database(self, engine, db):
        if engine == "pg":
            admin = self.connect("pg", "postgres")
            with admin.cursor() as cur:
                cur.execute(f"CREATE DATABASE {db}")
            admin.close()
            conn = self.connect("pg", db)
            with conn.cursor() as cur:
                cur.execute("CREATE EXTENSION fingerprint")
            return conn
        admin = self.connect("my", None)
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        admin.close()
        return self.connect("my", db)


def execute(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return list(cur.fetchall()) if cur.description else []


def table_fingerprint(engine, conn, table="items"):
    if engine == "pg":
        return execute(conn, "SELECT table_fingerprint(%s::regclass)", (table,))[0][0]
    rows = execute(conn, f"CALL fingerprint.table_fingerprint(CONCAT(DATABASE(), '.{table}'))")
    return rows[0][0]


def initial_rows(engine, conn, rows):
    """The same rows on either engine (exact binary fractions, UTC instants)."""
    if engine == "pg":
        execute(conn, """INSERT INTO items SELECT g, 'item ' || g, g %% 17, g * 1.25,
                         '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 hour 1.5 seconds',
                         jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g)), g / 8.0,
                         decode(lpad(to_hex(g), 8, '0'), 'hex'), date '2024-01-01' + g
                         FROM generate_series(1, %s) g""", (rows,))
    else:
        execute(conn, """INSERT INTO items SELECT seq, CONCAT('item ', seq), MOD(seq, 17), seq * 1.25,
                         TIMESTAMPADD(MICROSECOND, seq * 3601500000, '2024-01-01 00:00:00'),
                         JSON_OBJECT('g', seq, 'tags', JSON_ARRAY('a', seq)), seq / 8e0,
                         UNHEX(LPAD(HEX(seq), 8, '0')), DATE_ADD('2024-01-01', INTERVAL seq DAY)
                         FROM seq_1_to_%s""" % int(rows))


def random_row(rng, key):
    name = rng.choice([None, "", "é" * rng.randint(1, 3), "name %d" % rng.randint(0, 10**6), "x" * rng.randint(0, 300),
                       "tab\tquote' backslash\\ 😀"])
    qty = rng.choice([None, rng.randint(-1000, 1000)])
    price = rng.choice([None, "%d.%02d" % (rng.randint(0, 99999), rng.randint(0, 99))])
    seen = rng.choice([None, "2024-%02d-%02d %02d:%02d:%02d.%06d" % (
        rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
        rng.randint(0, 999999))])
    doc = rng.choice([None, json.dumps({"k": rng.randint(0, 9), "v": [1.5, "é", None, {"z": rng.randint(0, 99)}]})])
    ratio = rng.choice([None, rng.random() * 10 ** rng.randint(-8, 8), 0.1, -0.0, 1e300])
    b = rng.choice([None, b"", bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))])
    d = rng.choice([None, "20%02d-%02d-%02d" % (rng.randint(0, 37), rng.randint(1, 12), rng.randint(1, 28))])
    return (key, name, qty, price, seen, doc, ratio, b, d)


class Writers:
    """Threads that insert, update, delete, move keys (PK updates, swaps), delete and
    re-insert, roll back, and one transaction held open for most of the run."""

    def __init__(self, servers, engine, db, seed, count=4, duration=5.0, truncate=False, long_delay=0.0,
                 truncate_at=0.5):
        self.servers, self.engine, self.db, self.seed = servers, engine, db, seed
        self.count, self.duration, self.truncate, self.long_delay = count, duration, truncate, long_delay
        self.truncate_at = truncate_at  # the fraction of the duration after which writer 0 truncates
        self.stop = threading.Event()
        self.errors = []
        self.commits = self.rollbacks = self.swaps = self.truncates = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(count)]
        self.threads.append(threading.Thread(target=self.long_transaction))
        self.long_ids = []
        self.long_opened = self.long_committed = None  # when the long transaction wrote first, and committed
        self.truncated_at = []

    def start(self):
        for t in self.threads:
            t.start()

    def running(self):
        return any(t.is_alive() for t in self.threads)

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        if self.errors:
            raise self.errors[0]

    def errors_of_engine(self):
        return psycopg2.Error if self.engine == "pg" else pymysql.MySQLError

    def run(self, index):
        try:
            rng = random.Random(self.seed * 100 + index)
            conn = self.servers.connect(self.engine, self.db, autocommit=False)
            if self.engine == "pg":
                execute(conn, "SET lock_timeout = '500ms'")
                conn.commit()
            deadline = time.time() + self.duration
            truncate_at = time.time() + self.duration * self.truncate_at if self.truncate and index == 0 else None
            while time.time() < deadline and not self.stop.is_set():
                try:
                    if truncate_at and time.time() > truncate_at:
                        execute(conn, "TRUNCATE items")
                        conn.commit()
                        truncate_at = None
                        with self.lock:
                            self.truncates += 1
                            self.truncated_at.append(time.time())
                        continue
                    for _ in range(rng.randint(1, 4)):
                        self.operation(conn, rng)
                    time.sleep(rng.random() * 0.02)
                    if rng.random() < 0.15:
                        conn.rollback()
                        self.count_outcome(False)
                    else:
                        conn.commit()
                        self.count_outcome(True)
                except self.errors_of_engine():
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

    def operation(self, conn, rng):
        choice = rng.random()
        key = rng.randint(1, 300)
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        if choice < 0.3:
            ignore = "ON CONFLICT (id) DO NOTHING" if self.engine == "pg" else ""
            insert = "INSERT IGNORE" if self.engine == "my" else "INSERT"
            execute(conn, f"{insert} INTO items VALUES ({placeholders}) {ignore}", random_row(rng, key))
        elif choice < 0.6:
            row = random_row(rng, key)
            column = rng.randrange(1, len(COLUMNS))
            execute(conn, f"UPDATE items SET {COLUMNS[column]} = %s WHERE id = %s", (row[column], key))
        elif choice < 0.72:
            execute(conn, "DELETE FROM items WHERE id = %s", (key,))
        elif choice < 0.8:
            # Delete, then insert the key again in the same transaction.
            execute(conn, "DELETE FROM items WHERE id = %s", (key,))
            execute(conn, f"INSERT INTO items VALUES ({placeholders})", random_row(rng, key))
        elif choice < 0.9:
            execute(conn, "UPDATE items SET id = %s WHERE id = %s", (rng.randint(1, 300), key))
        elif choice < 0.95:
            other = rng.randint(1, 300)
            if self.engine == "pg":
                # One statement on a deferrable key: logged 1 -> 2 and 2 -> 1.
                execute(conn, "UPDATE items SET id = %s + %s - id WHERE id IN (%s, %s)", (key, other, key, other))
            else:
                # InnoDB checks row by row: through a free key.
                free = 100000 + rng.randint(0, 10**6)
                execute(conn, "UPDATE items SET id = %s WHERE id = %s", (free, key))
                execute(conn, "UPDATE items SET id = %s WHERE id = %s", (key, other))
                execute(conn, "UPDATE items SET id = %s WHERE id = %s", (other, free))
            with self.lock:
                self.swaps += 1
        else:
            execute(conn, "UPDATE items SET qty = COALESCE(qty, 0) + 1 WHERE id BETWEEN %s AND %s", (key, key + 5))

    def long_transaction(self):
        """Writes early, stays open for most of the run, then commits. With a TRUNCATE it
        opens after it (TRUNCATE waits for every open writer of the table, and would
        remove the long transaction's rows), so that its rows must reach the target."""
        try:
            started = time.time()
            time.sleep(self.long_delay)
            while self.truncate and not self.truncates and time.time() < started + self.duration * 0.5:
                time.sleep(0.01)
            conn = self.servers.connect(self.engine, self.db, autocommit=False)
            rng = random.Random(self.seed * 100 + 99)
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            self.long_opened = time.time()
            for i in range(5):
                key = 50000 + i
                execute(conn, f"INSERT INTO items VALUES ({placeholders})", random_row(rng, key))
                self.long_ids.append(key)
            time.sleep(max(0.5, self.duration * 0.7 - (time.time() - started)))
            execute(conn, "UPDATE items SET name = 'long transaction' WHERE id >= 50000")
            conn.commit()
            self.long_committed = time.time()
            conn.close()
        except Exception as e:  # noqa: BLE001
            self.errors.append(e)


def run_cli(cli, *args, check_status=None, timeout=300, env=None):
    result = subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout, env=env)
    if check_status is not None and result.returncode not in (check_status if isinstance(check_status, tuple)
                                                              else (check_status,)):
        raise Failure(f"fingerprint {' '.join(args[:1])} exited {result.returncode}:\n"
                      f"{result.stdout}\n{result.stderr}")
    return result


def main_guard(function):
    try:
        function()
    except Failure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
    print("ok")
