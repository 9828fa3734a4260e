#!/bin/bash
# `fingerprint migrate` replay throughput (docs/migrate.md), each direction: MIGRATE_ROWS
# rows inserted on the source in one statement, then every row updated, then every row
# deleted; after each statement one `fingerprint migrate` run replays the captured
# changes into the target and proves every batch. Reports per phase the changes, the
# wall-clock time of the run (start-up included), the apply time the tool measured, the
# rate, the share of the proof (reading back the touched rows and keeping the running
# fingerprints) and the batches; checks table_fingerprint on both sides after each phase.
#
#   bench/migrate.sh                        # 200,000 rows
#   MIGRATE_ROWS=20000 bench/migrate.sh
#
# Uses the installed PostgreSQL extension and build/ (BENCH_PLUGIN_DIR, BENCH_CLI to
# override); hold /tmp/fingerprint-pg.lock while it runs. Results in
# $MIGRATE_OUT/migrate.md (default bench/out).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROWS=${MIGRATE_ROWS:-200000}
OUT=${MIGRATE_OUT:-$root/bench/out}
PG_PORT=${MIGRATE_PG_PORT:-55443}
PLUGIN_DIR=${BENCH_PLUGIN_DIR:-$root/build/mysql_udf}
CLI=${BENCH_CLI:-$root/build/cli/fingerprint}
case "$ROWS" in '' | *[!0-9]* | 0) echo "MIGRATE_ROWS must be a positive integer" >&2; exit 2 ;; esac
[ -x "$CLI" ] || die "$CLI is not built"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$root"
bench_workdir fp-migrate-bench

log "starting PostgreSQL and MariaDB in $work"
start_pg "shared_buffers = '512MB'" "max_wal_size = '8GB'" "checkpoint_timeout = '30min'" "jit = off"
start_mariadb 1073741824
install_mariadb_procedures
pg -c "CREATE DATABASE src" -c "CREATE DATABASE tgt"
for db in src tgt; do
	psql -X -q -h "$work/pg" -p "$PG_PORT" -U postgres -d "$db" -c "CREATE EXTENSION fingerprint"
	my -e "CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
done
pgdb() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$PG_PORT" -U postgres -d "$1" -At -c "$2"; }
mydb() { my "$1" -e "$2"; }
url() {
	if [ "$1" = pg ]; then echo "postgresql://postgres@/$2?host=$work/pg&port=$PG_PORT"; else
		echo "mysql://root@localhost/$2?socket=$work/my/mysqld.sock"; fi
}
sql() { if [ "$1" = pg ]; then pgdb "$2" "$3"; else mydb "$2" "$3"; fi; }
fingerprint_of() {
	if [ "$1" = pg ]; then pgdb "$2" "SELECT table_fingerprint('bench')"; else
		mydb "$2" "CALL fingerprint.table_fingerprint('$2.bench')"; fi
}

{
	echo "# fingerprint migrate: $ROWS-row statements replayed"
	echo
	echo "| direction | phase | changes | batches | run (s) | apply (s) | changes/s | proof share |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|"
} >"$OUT/migrate.md"

for direction in pg_to_my my_to_pg; do
	src=${direction%%_to_*}
	tgt=${direction##*_to_}
	name="bench_$direction"
	log "$direction: tables, capture, the (empty) copy"
	sql "$src" src "DROP TABLE IF EXISTS bench"
	sql "$tgt" tgt "DROP TABLE IF EXISTS bench"
	if [ "$src" = pg ]; then
		pgdb src "$(bench_table_pg bench)"
		pgdb src "SELECT fingerprint_capture_enable('bench')" >/dev/null
		pgdb src "SELECT fingerprint.register_consumer('migrate:$name')" >/dev/null
	else
		mydb src "$(bench_table_my bench)"
		"$CLI" capture enable "$(url my src)" bench >/dev/null
	fi
	if [ "$tgt" = pg ]; then pgdb tgt "$(bench_table_pg bench)"; else mydb tgt "$(bench_table_my bench)"; fi
	"$CLI" migrate "$(url "$src" src)" "$(url "$tgt" tgt)" bench --name "$name" --no-copy >/dev/null 2>&1
	for phase in insert update delete; do
		case "$phase" in
		insert) if [ "$src" = pg ]; then statement="INSERT INTO bench $(bench_rows_pg "$ROWS")"; else
			statement="INSERT INTO bench $(bench_rows_my "$ROWS")"; fi ;;
		update) statement="UPDATE bench SET qty = qty + 1, price = price + 0.01" ;;
		delete) statement="DELETE FROM bench" ;;
		esac
		log "$direction: $phase of $ROWS rows on the source"
		sql "$src" src "$statement"
		t0=$(now)
		"$CLI" migrate "$(url "$src" src)" "$(url "$tgt" tgt)" --name "$name" --json >"$OUT/migrate-$direction-$phase.jsonl"
		run=$(elapsed "$t0")
		source_fp=$(fingerprint_of "$src" src)
		target_fp=$(fingerprint_of "$tgt" tgt)
		[ "$source_fp" = "$target_fp" ] || die "$direction $phase: source $source_fp, target $target_fp"
		/usr/bin/python3 - "$OUT/migrate-$direction-$phase.jsonl" "$direction" "$phase" "$run" >>"$OUT/migrate.md" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
batches = [l for l in lines if "batch" in l]
changes = sum(b["changes"] for b in batches)
apply = sum(b["apply_seconds"] for b in batches)
proof = sum(b["proof_seconds"] for b in batches)
rate = changes / apply if apply else 0
print(f"| {sys.argv[2]} | {sys.argv[3]} | {changes} | {len(batches)} | {float(sys.argv[4]):.2f} | {apply:.2f} | "
      f"{rate:,.0f} | {100 * proof / apply if apply else 0:.0f} % |")
PY
	done
done
cat "$OUT/migrate.md"
