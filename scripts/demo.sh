#!/bin/bash
# Shows the main job on a fresh Debian 12 machine: installs what is missing, builds and
# installs fingerprint, starts a throwaway PostgreSQL and a throwaway MariaDB in a
# temporary directory, loads the same sample table into both, prints the two table
# fingerprints side by side, then changes one value on one side and shows that the
# fingerprints (and the row fingerprints of that row) differ, finds the row with
# `fingerprint diff`, captures changes on both engines, and moves the PostgreSQL table to
# a new MariaDB database with `fingerprint migrate`: copy, replay of the writes made
# since, cutover with a certificate. Everything is removed at the end. Run as root (or
# with sudo available).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

echo "== installing dependencies and building (first run takes a few minutes)"
scripts/install_deps.sh
scripts/build.sh >/dev/null

work=$(mktemp -d)
chmod 755 "$work"
pg_port=55434
cleanup() {
    scripts/pg_server.sh stop "$work/pg" >/dev/null 2>&1 || true
    scripts/mariadb_server.sh stop "$work/my" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
echo "== starting throwaway servers in $work"
scripts/pg_server.sh start "$work/pg" "$pg_port"
scripts/mariadb_server.sh start "$work/my" "$root/build/mysql_udf"

export PGCLIENTENCODING=UTF8
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$pg_port" -U postgres -d postgres -At "$@"; }
my() { mariadb --no-defaults --default-character-set=utf8mb4 -S "$work/my/mysqld.sock" -u root -N -B "$@"; }

echo "== loading the same 'orders' table into both"
pg <<'SQL'
CREATE EXTENSION fingerprint;
CREATE TABLE orders (
    id bigint PRIMARY KEY, customer text, total numeric(10,2), placed_at timestamptz, paid boolean, items jsonb
);
INSERT INTO orders
SELECT n, 'customer ' || n || ' ✓', n * 1.25, timestamptz '2024-01-01 00:00:00+00' + n * interval '1 minute 0.5 second',
       n % 3 = 0, jsonb_build_object('sku', 'A-' || n, 'qty', n % 7)
FROM generate_series(1, 10000) AS n;
SQL
my <build/sql/mysql/install.sql >/dev/null
my <<'SQL'
CREATE DATABASE shop;
CREATE TABLE shop.orders (
    id BIGINT PRIMARY KEY, customer VARCHAR(100), total DECIMAL(12,3), placed_at TIMESTAMP(6), paid BOOLEAN, items JSON
) DEFAULT CHARSET = utf8mb4;
USE shop;
SET time_zone = '+00:00';
INSERT INTO shop.orders
SELECT seq, CONCAT('customer ', seq, ' ✓'), seq * 1.25,
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE + INTERVAL seq * 500000 MICROSECOND,
       seq % 3 = 0, JSON_OBJECT('qty', seq % 7, 'sku', CONCAT('A-', seq))
FROM seq_1_to_10000;
SQL

show() {
    printf '   %-12s %s\n' "PostgreSQL" "$(pg -c "SELECT table_fingerprint('orders')")"
    printf '   %-12s %s\n' "MariaDB" "$(my -e "CALL fingerprint.table_fingerprint('shop.orders')")"
}
echo
echo "== SELECT table_fingerprint('orders')  |  CALL fingerprint.table_fingerprint('shop.orders')"
show
echo
echo "== UPDATE orders SET total = total + 0.01 WHERE id = 4242   (on MariaDB only)"
my -e "UPDATE shop.orders SET total = total + 0.01 WHERE id = 4242"
show
echo
echo "== the row fingerprints of that row"
printf '   %-12s %s\n' "PostgreSQL" "$(pg -c "SELECT row_fingerprint(o) FROM orders o WHERE id = 4242")"
printf '   %-12s %s\n' "MariaDB" "$(my -e "CALL fingerprint.row_fingerprints('shop.orders')" | awk -F'\t' '$1 == 4242 {print $2}')"

echo
echo "== fingerprint diff: the exact keys that differ, and which columns"
fp=build/cli/fingerprint
"$fp" diff --no-progress "postgresql://postgres@/postgres?host=$work/pg&port=$pg_port" \
    "mysql://root@localhost/shop?socket=$work/my/mysqld.sock" orders || true

echo
echo "== change capture on PostgreSQL: enable, write, read one batch in commit order"
pg >/dev/null <<'SQL'
SELECT fingerprint_capture_enable('orders');
SELECT fingerprint.register_consumer('demo');
SQL
before=$(pg -c "SELECT table_fingerprint('orders')")
pg >/dev/null <<'SQL'
UPDATE orders SET paid = NOT paid WHERE id = 7;
DELETE FROM orders WHERE id = 8;
INSERT INTO orders VALUES (10001, 'new customer', 9.99, '2024-06-01 12:00:00+00', false, '{"sku": "B-1", "qty": 1}');
SQL
batch=$(pg -c "SELECT fingerprint.next_batch('demo')")
pg -P footer=off -F ' | ' -c "SELECT seq, op, key, changed_columns FROM fingerprint.batch_changes_json('demo', $batch)" |
    sed 's/^/   /'
printf '   %-34s %s\n' "table_fingerprint before" "$before"
printf '   %-34s %s\n' "advanced over the batch" \
    "$(pg -c "SELECT fingerprint_advance('$before', op, old_fingerprint, new_fingerprint ORDER BY seq) FROM fingerprint.batch_changes('demo', $batch)")"
printf '   %-34s %s\n' "table_fingerprint after" "$(pg -c "SELECT table_fingerprint('orders')")"
pg -c "SELECT fingerprint.finish_batch('demo', $batch)" >/dev/null

echo
echo "== change capture on MariaDB: fingerprint capture enable, then the log"
"$fp" capture enable "mysql://root@localhost/shop?socket=$work/my/mysqld.sock" orders
my -e "UPDATE shop.orders SET customer = 'renamed' WHERE id = 9; DELETE FROM shop.orders WHERE id = 10"
my -e "SELECT seq, op, \`key\`, changed_columns FROM fingerprint.changes ORDER BY seq" | sed 's/^/   /'

echo
echo "== fingerprint migrate: move PostgreSQL's orders to a new MariaDB database while it is written"
src="postgresql://postgres@/postgres?host=$work/pg&port=$pg_port"
tgt="mysql://root@localhost/shop_new?socket=$work/my/mysqld.sock"
my -e "CREATE DATABASE shop_new"
echo "\$ fingerprint migrate \"\$SRC\" \"\$TGT\" orders --name move --create-tables"
"$fp" migrate "$src" "$tgt" orders --name move --create-tables 2>&1 | sed 's/^/   /'
echo
echo "== the application writes on PostgreSQL meanwhile; the next run replays and proves it"
pg >/dev/null <<'SQL'
UPDATE orders SET total = total + 1 WHERE id BETWEEN 100 AND 599;
DELETE FROM orders WHERE id BETWEEN 600 AND 699;
UPDATE orders SET id = 20000 WHERE id = 5;
INSERT INTO orders VALUES (10002, 'late customer', 19.99, '2024-06-02 08:30:00.25+00', true, '{"qty": 2, "sku": "C-7"}');
SQL
echo "\$ fingerprint migrate \"\$SRC\" \"\$TGT\" --name move"
"$fp" migrate "$src" "$tgt" --name move 2>&1 | sed 's/^/   /'
echo
echo "== the application stops writing: cut over with a full proof and a certificate"
echo "\$ fingerprint migrate \"\$SRC\" \"\$TGT\" --name move --cutover --quiet 1 --certificate move.json"
"$fp" migrate "$src" "$tgt" --name move --cutover --quiet 1 --certificate "$work/move.json" 2>&1 |
    sed 's/^/   /'
grep -E '"(result|rows|source_fingerprint|target_fingerprint|equal)"' "$work/move.json" | sed 's/^ */   /'
printf '   %-12s %s\n' "PostgreSQL" "$(pg -c "SELECT table_fingerprint('orders')")"
printf '   %-12s %s\n' "MariaDB" "$(my -e "CALL fingerprint.table_fingerprint('shop_new.orders')")"
echo "\$ fingerprint status \"\$SRC\" \"\$TGT\" --name move"
"$fp" status "$src" "$tgt" --name move 2>&1 | sed 's/^/   /'
