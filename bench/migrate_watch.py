"""Timing helpers of bench/migrate.sh that need a live connection (Debian's psycopg2 and
pymysql, as the migrate tests use them). Run with /usr/bin/python3.

  migrate_watch.py lag SOURCE TARGET TABLE RATE SECONDS
      A steady writer: every 20 ms one source transaction inserts RATE/50 rows into
      TABLE (ids 1, 2, ...), each commit's time noted as the client sees it return.
      A poller reads max(id) on the target every 50 ms: a change is applied when the
      target first shows its id (batches are applied whole and in order, so every
      smaller id is there too). Prints a JSON object: changes written, the achieved
      rate, and lag (target commit seen - source commit) p50/p99/max in seconds.
      Waits up to 60 s after the writer stops for the target to catch up.

  migrate_watch.py converge TARGET TABLE COUNT SUM APP
      pgcopydb's apply, measured on the target: polls every 50 ms until TABLE holds COUNT
      rows whose qty add up to SUM. Meanwhile notes the start of the first transaction
      that a session whose application_name is LIKE APP is seen to have open in the target
      database. Prints "seconds_until_converged apply_seconds" (apply: from the start of
      that first transaction to the moment the rows were there; with many source
      transactions replayed one by one, the first may finish between two polls, which
      leaves at most one transaction's time out).

SOURCE/TARGET: "pg:<libpq conninfo>" or "my:<unix socket>:<database>".
"""

import json
import sys
import threading
import time

import psycopg2
import pymysql


def connect(spec):
    kind, rest = spec.split(":", 1)
    if kind == "pg":
        conn = psycopg2.connect(rest)
        conn.autocommit = True
        return "pg", conn
    socket, database = rest.rsplit(":", 1)
    return "my", pymysql.connect(unix_socket=socket, user="root", database=database, autocommit=True)


def scalar(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
        return row[0] if row else None


def lag(source, target, table, rate, seconds):
    _, src = connect(source)
    _, tgt = connect(target)
    per_tick = max(1, rate // 50)
    commits = []  # (last id of the transaction, commit time)
    done = threading.Event()
    seen = []  # (max id on the target, time seen)

    def poll():
        while True:
            value = scalar(tgt, f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            seen.append((int(value), time.time()))
            if done.is_set() and commits and int(value) >= commits[-1][0]:
                return
            if done.is_set() and time.time() > stop_at + 60:
                return
            time.sleep(0.05)

    stop_at = time.time() + seconds + 3600
    poller = threading.Thread(target=poll)
    poller.start()
    start = time.time()
    next_id = 1
    tick = 0
    with src.cursor() as cur:
        while time.time() - start < seconds:
            due = start + tick * 0.02
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            tick += 1
            ids = range(next_id, next_id + per_tick)
            values = ", ".join(f"({i}, {i % 1000}, 'row {i}')" for i in ids)
            cur.execute(f"INSERT INTO {table} (id, qty, note) VALUES {values}")
            commits.append((next_id + per_tick - 1, time.time()))
            next_id += per_tick
    elapsed = time.time() - start
    stop_at = time.time()
    done.set()
    poller.join()
    # For each commit: the first poll that saw its last id.
    lags = []
    j = 0
    for last_id, committed in commits:
        while j < len(seen) and (seen[j][0] < last_id or seen[j][1] < committed):
            j += 1
        if j == len(seen):
            break
        lags.append(max(0.0, seen[j][1] - committed))
    lags.sort()

    def pct(p):
        return round(lags[min(len(lags) - 1, int(p * len(lags)))], 3) if lags else None

    print(json.dumps({
        "changes": next_id - 1,
        "seconds": round(elapsed, 1),
        "rate": round((next_id - 1) / elapsed),
        "applied": len(lags) * per_tick,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": round(lags[-1], 3) if lags else None,
    }))


def converge(target, table, count, total, app):
    _, tgt = connect(target)
    start = time.time()
    xact_start = None
    with tgt.cursor() as cur:
        while True:
            cur.execute("SELECT EXTRACT(EPOCH FROM xact_start) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND application_name LIKE %s"
                        " AND xact_start IS NOT NULL AND state <> 'idle'", (app,))
            row = cur.fetchone()
            if row and row[0] is not None and xact_start is None:
                xact_start = float(row[0])
            cur.execute(f"SELECT COUNT(*), COALESCE(SUM(qty), 0) FROM {table}")
            rows, qty = cur.fetchone()
            if int(rows) == count and int(qty) == total:
                now = time.time()
                apply = now - xact_start if xact_start is not None else now - start
                print(f"{now - start:.3f} {apply:.3f}")
                return
            if time.time() - start > 1800:
                sys.exit(f"{table}: not converged after 30 minutes ({rows} rows, qty sum {qty})")
            time.sleep(0.05)


if __name__ == "__main__":
    if sys.argv[1] == "lag":
        lag(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
    elif sys.argv[1] == "converge":
        converge(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    else:
        sys.exit(__doc__)
