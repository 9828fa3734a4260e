"""`fingerprint migrate` onto a target whose tables have a foreign key and a trigger
(docs/migrate.md "Targets with foreign keys and triggers").

The target holds parent and child, child.parent_id REFERENCES parent ON DELETE CASCADE,
and an audit trigger on parent writing parent_audit. The source has the same tables
without either. The apply writes a batch as a DELETE of every touched key and an INSERT
of the final rows: an update of a parent row on the source must not cascade to the
target's children, nor reach the audit trigger.

  fk  PostgreSQL target: a role that may not set session_replication_role is refused at
      start, naming the foreign key and the trigger, with the GRANT as HINT, and nothing
      is copied; so is a trigger ENABLE ALWAYS (it fires in replica mode too); after
      GRANT SET ON PARAMETER the same role migrates.
      MariaDB target: the trigger is refused at start, named, nothing copied (MariaDB has
      no replica mode for triggers); once it is dropped the migration runs with
      foreign_key_checks = 0.
      Then writers update parent rows (keys too), delete and insert children while the
      migration copies and applies; a second run catches up. Every child row is still
      there, the audit table saw nothing, table fingerprints are equal and `fingerprint
      diff` exits 0 on both tables.

Usage: migrate_fk_test.py fk <pg_to_my|my_to_pg|pg_to_pg|my_to_my> <seed> <fingerprint CLI> <UDF dir>
"""

import random
import sys
import threading
import time

import psycopg2
import pymysql

from migrate_common import Servers, check, execute, main_guard, run_cli, table_fingerprint

NAME = "fk"
TABLES = ["parent", "child"]


def source_tables(engine):
    text = "text" if engine == "pg" else "VARCHAR(100)"
    tail = "" if engine == "pg" else " ENGINE=InnoDB"
    return [f"CREATE TABLE parent (id integer NOT NULL PRIMARY KEY, name {text}, v integer){tail}",
            f"CREATE TABLE child (id integer NOT NULL PRIMARY KEY, parent_id integer NOT NULL, note {text}){tail}"]


def target_tables(engine):
    parent, child = source_tables(engine)
    child = child.replace(f"note {'text' if engine == 'pg' else 'VARCHAR(100)'})",
                          f"note {'text' if engine == 'pg' else 'VARCHAR(100)'},"
                          " CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)"
                          " ON DELETE CASCADE)")
    check("child_parent_fk" in child, "the target's child table has no foreign key")
    if engine == "pg":
        audit = ["CREATE TABLE parent_audit (n serial PRIMARY KEY, op text, id integer)",
                 """CREATE FUNCTION parent_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        INSERT INTO parent_audit (op, id)
                        VALUES (TG_OP, CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
                        RETURN NULL;
                    END $$""",
                 "CREATE TRIGGER parent_audit AFTER INSERT OR UPDATE OR DELETE ON parent"
                 " FOR EACH ROW EXECUTE FUNCTION parent_audit_row()"]
    else:
        audit = ["CREATE TABLE parent_audit (n INT AUTO_INCREMENT PRIMARY KEY, op VARCHAR(10), id INT)",
                 "CREATE TRIGGER parent_audit AFTER DELETE ON parent FOR EACH ROW"
                 " INSERT INTO parent_audit (op, id) VALUES ('DELETE', OLD.id)"]
    return [parent, child] + audit


def initial_rows(engine, conn):
    concat = (lambda a, b: f"{a} || {b}") if engine == "pg" else (lambda a, b: f"CONCAT({a}, {b})")
    for low, high in ((1, 50), (100, 120)):
        if engine == "pg":
            execute(conn, f"INSERT INTO parent SELECT g, {concat(repr('p'), 'g')}, g"
                          f" FROM generate_series({low}, {high}) g")
        else:
            execute(conn, f"INSERT INTO parent SELECT seq, {concat(repr('p'), 'seq')}, seq FROM seq_{low}_to_{high}")
    if engine == "pg":
        execute(conn, "INSERT INTO child SELECT g, 1 + g % 50, 'c' || g FROM generate_series(1, 300) g")
    else:
        execute(conn, "INSERT INTO child SELECT seq, 1 + MOD(seq, 50), CONCAT('c', seq) FROM seq_1_to_300")


class Writers:
    """Threads that update parent rows (values and keys: ids 100..120 move by 1000 and
    back, those no child references), delete children and insert new ones."""

    def __init__(self, servers, engine, seed, count=3, duration=4.0):
        self.servers, self.engine, self.seed, self.duration = servers, engine, seed, duration
        self.errors, self.commits, self.key_moves = [], 0, 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(count)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        for t in self.threads:
            t.join()
        if self.errors:
            raise self.errors[0]

    def run(self, index):
        try:
            rng = random.Random(self.seed * 100 + index)
            conn = self.servers.connect(self.engine, "src", autocommit=False)
            next_child = 10000 * (index + 1)
            deadline = time.time() + self.duration
            errors = psycopg2.Error if self.engine == "pg" else pymysql.MySQLError
            while time.time() < deadline:
                try:
                    moved = False
                    for _ in range(rng.randint(1, 3)):
                        choice = rng.random()
                        if choice < 0.4:
                            execute(conn, "UPDATE parent SET v = v + 1, name = %s WHERE id = %s",
                                    ("p%d" % rng.randint(0, 10**6), rng.randint(1, 50)))
                        elif choice < 0.55:
                            key = rng.randint(100, 120)
                            moved = execute(conn, "SELECT COUNT(*) FROM parent WHERE id = %s", (key,))[0][0] == 1
                            if moved:
                                execute(conn, "UPDATE parent SET id = id + 1000 WHERE id = %s", (key,))
                            else:
                                execute(conn, "UPDATE parent SET id = id - 1000 WHERE id = %s", (key + 1000,))
                            moved = True
                        elif choice < 0.75:
                            execute(conn, "DELETE FROM child WHERE id = %s", (rng.randint(1, 300),))
                        elif choice < 0.9:
                            next_child += 1
                            execute(conn, "INSERT INTO child VALUES (%s, %s, %s)",
                                    (next_child, rng.randint(1, 50), "new %d" % next_child))
                        else:
                            execute(conn, "UPDATE child SET note = %s WHERE parent_id = %s",
                                    ("n%d" % rng.randint(0, 10**6), rng.randint(1, 50)))
                    conn.commit()
                    with self.lock:
                        self.commits += 1
                        self.key_moves += int(moved)
                except errors:
                    conn.rollback()
                time.sleep(rng.random() * 0.02)
            conn.close()
        except Exception as e:  # noqa: BLE001 - reported by join()
            self.errors.append(e)


def count(conn, table):
    return execute(conn, f"SELECT COUNT(*) FROM {table}")[0][0]


def refused_at_start(cli, src_url, tgt_url, tgt, words):
    refused = run_cli(cli, "migrate", src_url, tgt_url, *TABLES, "--name", NAME, check_status=(1, 2))
    print(refused.stderr.strip())
    for word in words:
        check(word in refused.stderr, f"the refusal does not name {word!r}:\n{refused.stderr}")
    check(count(tgt, "parent") == 0 and count(tgt, "child") == 0, "a refused start copied rows")


def fk(cli, servers, source_engine, target_engine, seed):
    src = servers.create_database(source_engine, "src")
    tgt = servers.create_database(target_engine, "tgt")
    for statement in source_tables(source_engine):
        execute(src, statement)
    for statement in target_tables(target_engine):
        execute(tgt, statement)
    initial_rows(source_engine, src)
    src_url, tgt_url = servers.url(source_engine, "src"), servers.url(target_engine, "tgt")

    if target_engine == "pg":
        # A role with every privilege the migration needs but session_replication_role.
        execute(tgt, "CREATE ROLE applier LOGIN")
        execute(tgt, "GRANT CREATE ON DATABASE tgt TO applier")
        execute(tgt, "GRANT ALL ON SCHEMA public TO applier")
        execute(tgt, "ALTER TABLE parent OWNER TO applier")
        execute(tgt, "ALTER TABLE child OWNER TO applier")
        execute(tgt, "GRANT USAGE, CREATE ON SCHEMA fingerprint TO applier")  # copy's progress table
        tgt_url = tgt_url.replace("postgres@", "applier@")
        refused_at_start(cli, src_url, tgt_url, tgt,
                         ["foreign key child_parent_fk of public.child references public.parent ON DELETE CASCADE",
                          "trigger parent_audit on public.parent",
                          'GRANT SET ON PARAMETER session_replication_role TO "applier"'])
        execute(tgt, "GRANT SET ON PARAMETER session_replication_role TO applier")
        # A trigger that fires in replica mode too is refused even so.
        execute(tgt, "ALTER TABLE parent ENABLE ALWAYS TRIGGER parent_audit")
        refused_at_start(cli, src_url, tgt_url, tgt,
                         ["trigger parent_audit on target table public.parent is ENABLE ALWAYS",
                          "ALTER TABLE public.parent ENABLE TRIGGER"])
        execute(tgt, "ALTER TABLE parent ENABLE TRIGGER parent_audit")
    else:
        refused_at_start(cli, src_url, tgt_url, tgt, ["trigger parent_audit on tgt.parent", "DROP TRIGGER"])
        execute(tgt, "DROP TRIGGER parent_audit")

    writers = Writers(servers, source_engine, seed)
    writers.start()
    time.sleep(0.5)
    first = run_cli(cli, "migrate", src_url, tgt_url, *TABLES, "--name", NAME, check_status=0)
    writers.join()
    check(writers.commits > 20 and writers.key_moves > 0, "the writers wrote too little")
    run_cli(cli, "migrate", src_url, tgt_url, "--name", NAME, check_status=0)
    print(first.stderr.strip().splitlines()[-1] if first.stderr.strip() else "")

    for table in TABLES:
        source_fp = table_fingerprint(source_engine, src, table)
        target_fp = table_fingerprint(target_engine, tgt, table)
        print(f"{table}: source {source_fp} target {target_fp}")
        check(source_fp == target_fp, f"the target's {table} differs from the source's")
    check(count(tgt, "child") == count(src, "child"),
          f"the target holds {count(tgt, 'child')} child rows, the source {count(src, 'child')}")
    check(count(tgt, "parent_audit") == 0,
          f"the target's audit trigger fired {count(tgt, 'parent_audit')} times during the migration")
    diff = run_cli(cli, "diff", src_url, tgt_url, *TABLES, "--no-progress")
    check(diff.returncode == 0, f"fingerprint diff exited {diff.returncode}:\n{diff.stdout}{diff.stderr}")
    # The target's foreign key and trigger are still in force for everyone else.
    with tgt.cursor() as cur:
        cur.execute("DELETE FROM parent WHERE id = 1")
    check(execute(tgt, "SELECT COUNT(*) FROM child WHERE parent_id = 1")[0][0] == 0,
          "the target's ON DELETE CASCADE no longer works for ordinary sessions")
    if target_engine == "pg":
        check(count(tgt, "parent_audit") == 1, "the target's audit trigger no longer fires for ordinary sessions")
    print(f"{writers.commits} source transactions, {writers.key_moves} with parent key updates; "
          f"{count(src, 'child')} child rows on both sides")


def main():
    if len(sys.argv) != 6 or sys.argv[1] != "fk":
        print(__doc__)
        sys.exit(2)
    direction, seed, cli, plugin_dir = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    source_engine, target_engine = direction.split("_to_")
    started = time.time()
    with Servers(plugin_dir) as servers:
        fk(cli, servers, source_engine, target_engine, seed)
    print(f"fk {direction} {seed}: {time.time() - started:.1f} s")


if __name__ == "__main__":
    main_guard(main)
