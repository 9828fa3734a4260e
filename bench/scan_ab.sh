#!/bin/bash
# table_fingerprint against the sequential-scan count(*), two builds of the module in one
# run (issue 12; bench/RESULTS.md, "table_fingerprint against the scan at 5,000,000 rows").
#
#   SCAN_BASE_MODULE=/path/to/old/build/pg_extension/fingerprint.so bench/scan_ab.sh
#   SCAN_ROWS=200000 SCAN_ROUNDS=3 SCAN_BASE_MODULE=... bench/scan_ab.sh   # quick
#
# Environment:
#   SCAN_BASE_MODULE       the build to compare against (required)
#   SCAN_MODULE=build/pg_extension/fingerprint.so   the build under test
#   SCAN_ROWS=5000000      rows of bench/lib.sh's table
#   SCAN_ROUNDS=5          timed rounds, after one warm-up round
#   SCAN_HUGE_PAGES=try    PostgreSQL's huge_pages (on needs vm.nr_hugepages, about 1100)
#   SCAN_NR_HUGEPAGES      with huge_pages = on: set vm.nr_hugepages to this only while the
#                          server starts, under SCAN_LOCK, and put the old count back after,
#                          so no other session's server (huge_pages = try) takes the pool
#                          (bench/lib.sh, start_pg_reserving_huge_pages; root only)
#   SCAN_OUT=bench/out     where scan_ab.md and scan_ab.tsv are written
#   SCAN_PG_PORT=55442     names PostgreSQL's socket (no TCP is opened)
#   SCAN_LOCK              a lock file to hold only while timing (see above)
#
# One throwaway cluster holds two copies of the table (VACUUM FREEZE, pg_prewarm,
# shared_buffers 2GB, jit off): database `base` runs SCAN_BASE_MODULE and database
# `postgres` SCAN_MODULE. Neither is installed: after CREATE EXTENSION (the installed SQL,
# so compare builds with the same SQL) the functions' probin is set to `fingerprint` and
# each database's dynamic_library_path names a private directory holding its copy, so
# its parallel workers load the same build. Each round, at 0 and then 2 workers, each
# database in turn: a fresh session runs one untimed serial count(active), which reads
# every tuple (a process's first touch of the buffers costs more than the scan without
# huge pages: bench/RESULTS.md; parallel workers, new every query, still pay it), then
# the seq-scan count(*) and table_fingerprint('bench'),
# timed by psql's \timing, with the backend's CPU time (user + system, the leader's only
# with workers) from log_executor_stats. Nothing is installed, but other sessions'
# benchmarks would share the CPUs: hold the lock while it runs,
#   flock -o /tmp/fingerprint-pg.lock bench/scan_ab.sh
# or name it in SCAN_LOCK, and the script takes it only for the timed rounds (loading
# the table, minutes at 5,000,000 rows, then holds no one up):
#   SCAN_LOCK=/tmp/fingerprint-pg.lock bench/scan_ab.sh
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"
BASE_MODULE=${SCAN_BASE_MODULE:-}
MODULE=${SCAN_MODULE:-$root/build/pg_extension/fingerprint.so}
ROWS=${SCAN_ROWS:-5000000}
ROUNDS=${SCAN_ROUNDS:-5}
HUGE_PAGES=${SCAN_HUGE_PAGES:-try}
OUT=${SCAN_OUT:-$root/bench/out}
PG_PORT=${SCAN_PG_PORT:-55442}
[ -n "$BASE_MODULE" ] || { echo "SCAN_BASE_MODULE must name the build to compare against" >&2; exit 2; }
[ -f "$BASE_MODULE" ] || { echo "SCAN_BASE_MODULE: no file $BASE_MODULE" >&2; exit 2; }
[ -f "$MODULE" ] || { echo "SCAN_MODULE: no file $MODULE (build first)" >&2; exit 2; }
case "$ROWS" in '' | *[!0-9]* | 0) echo "SCAN_ROWS must be a positive integer" >&2; exit 2 ;; esac
case "$ROUNDS" in '' | *[!0-9]* | 0) echo "SCAN_ROUNDS must be a positive integer" >&2; exit 2 ;; esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
bench_workdir fp-scan-ab

# The two builds, each alone in the directory its database's dynamic_library_path names.
mkdir -p "$work/lib/base" "$work/lib/new"
cp "$BASE_MODULE" "$work/lib/base/fingerprint.so"
cp "$MODULE" "$work/lib/new/fingerprint.so"
chmod -R a+rX "$work/lib"

log "starting PostgreSQL in $work (huge_pages = $HUGE_PAGES)"
start_pg_reserving_huge_pages "shared_buffers = '2GB'" "${PG_TABLE_SETTINGS[@]}" "jit = 'off'" "huge_pages = '$HUGE_PAGES'" \
	"max_worker_processes = 8" "max_parallel_workers = 8"
LOAD_MY=0 load_bench "$ROWS" "VACUUM (FREEZE, ANALYZE) bench; CHECKPOINT;"
pg -c "CREATE DATABASE base TEMPLATE postgres" || die "could not copy the table into database base"
for db in base postgres; do
	lib=new
	[ "$db" = postgres ] || lib=base
	pg -d "$db" -c "ALTER DATABASE $db SET dynamic_library_path = '$work/lib/$lib'" \
		-c "CREATE EXTENSION fingerprint" -c "CREATE EXTENSION pg_prewarm" \
		-c "UPDATE pg_proc SET probin = 'fingerprint' WHERE probin = '\$libdir/fingerprint'" >/dev/null ||
		die "could not set up database $db (is the extension's SQL installed?)"
	pg -d "$db" -c "VACUUM (FREEZE, ANALYZE) bench" -c "SELECT pg_prewarm('bench')" >/dev/null
done

# The script: "@@ ROUND WORKERS DB QUERY" markers, each timed query between them.
script() {
	local round workers db
	for round in $(seq 0 "$ROUNDS"); do
		for workers in 0 2; do
			for db in base postgres; do
				echo "\\c $db"
				echo "SET enable_indexonlyscan = off; SET enable_indexscan = off; SET enable_bitmapscan = off;"
				echo "SET max_parallel_workers_per_gather = 0; SELECT count(active) FROM bench;"
				echo "SET max_parallel_workers_per_gather = $workers; SET client_min_messages = warning;"
				echo "SET log_executor_stats = on;"
				echo "\\echo @@ $round $workers $db count"
				echo "\\timing on"
				echo "SELECT count(*) FROM bench;"
				echo "\\timing off"
				echo "\\echo @@ $round $workers $db fingerprint"
				echo "\\timing on"
				echo "SELECT table_fingerprint('bench');"
				echo "\\timing off"
				echo "RESET log_executor_stats;"
			done
		done
	done
}

if [ -n "${SCAN_LOCK:-}" ]; then
	log "waiting for $SCAN_LOCK"
	exec 9>>"$SCAN_LOCK"
	flock 9
fi
log "timing: $ROUNDS rounds after one warm-up round"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M:%S')
log_start=$(wc -c <"$work/pg/server.log")
script | pg -d postgres >"$work/timing.out" 2>&1 || { tail -n 20 "$work/timing.out" >&2; die "a query failed"; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
[ -z "${SCAN_LOCK:-}" ] || flock -u 9
sleep 0.5
FPS=$(grep '^fp1:' "$work/timing.out" | sort -u)
[ "$(printf '%s\n' "$FPS" | grep -c .)" = 1 ] || die "the builds or rounds gave different fingerprints: $FPS"
# Wall times in order of the markers; CPU times in order of the executor statistics.
awk '/^@@ / { key = $2 "\t" $3 "\t" $4 "\t" $5 } /^Time: / { print key "\t" $2 / 1000 }' "$work/timing.out" >"$work/wall.tsv"
tail -c +"$((log_start + 1))" "$work/pg/server.log" |
	awk '/s user, .* s system, .* s elapsed/ && !/total/ { print $2 + $5 }' >"$work/cpu.txt"
[ "$(wc -l <"$work/wall.tsv")" = "$(wc -l <"$work/cpu.txt")" ] || die "timings and executor statistics do not pair up"
paste "$work/wall.tsv" "$work/cpu.txt" | awk -F'\t' '$1 > 0' >"$OUT/scan_ab.tsv"

# median of the numbers on stdin, %.3f
med() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v w="$1" -v d="$2" -v q="$3" -v c="$4" '$2 == w && $3 == d && $4 == q { print $c }' "$OUT/scan_ab.tsv"; }
# per-round ratios fingerprint / count of one workers/db, and their median
ratios() {
	awk -F'\t' -v w="$1" -v d="$2" -v c="$3" '$2 == w && $3 == d { t[$1 "/" $4] = $c; r[$1] = 1 }
		END { for (k in r) printf "%.2f\n", t[k "/fingerprint"] / t[k "/count"] }' "$OUT/scan_ab.tsv" | sort -g
}
{
	echo "# table_fingerprint against the seq-scan count(*), two builds"
	echo
	echo "- command: \`SCAN_ROWS=$ROWS SCAN_ROUNDS=$ROUNDS SCAN_HUGE_PAGES=$HUGE_PAGES bench/scan_ab.sh\`, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $START UTC"
	echo "- base: $(sha256sum "$BASE_MODULE" | cut -c1-12) ($BASE_MODULE); new: $(sha256sum "$MODULE" | cut -c1-12) ($MODULE)"
	echo "- load average before $LOAD_BEFORE, after $LOAD_AFTER; fingerprint \`$FPS\`"
	echo
	echo "| workers | build | count(*) wall s | table_fingerprint wall s | ratio (median of rounds) | per round | CPU ratio |"
	echo "|---|---|---:|---:|---:|---|---:|"
	for w in 0 2; do
		for db in base postgres; do
			name=base
			[ "$db" = base ] || name=new
			echo "| $w | $name | $(col "$w" "$db" count 5 | med) | $(col "$w" "$db" fingerprint 5 | med) |" \
				"$(ratios "$w" "$db" 5 | med) | $(ratios "$w" "$db" 5 | paste -sd ' ') | $(ratios "$w" "$db" 6 | med) |"
		done
	done
} >"$OUT/scan_ab.md"
cat "$OUT/scan_ab.md"
