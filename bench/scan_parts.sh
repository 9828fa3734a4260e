#!/bin/bash
# Where table_fingerprint's time goes against count(*) and count(active), per process
# (the leader, its parallel workers) and per part, from perf samples (issue 12;
# bench/RESULTS.md, "table_fingerprint against the scan in 1.6"). One build, one server.
#
#   SCAN_PARTS_ROWS=1000000 SCAN_PARTS_ROUNDS=4 bench/scan_parts.sh
#   SCAN_LOCK=/tmp/fingerprint-pg.lock SCAN_HUGE_PAGES=on SCAN_NR_HUGEPAGES=1200 bench/scan_parts.sh
#
# Environment:
#   SCAN_MODULE=build/pg_extension/fingerprint.so   the build measured
#   SCAN_PARTS_ROWS=1000000, SCAN_PARTS_ROUNDS=4, SCAN_PARTS_REPEAT=2 (queries per session)
#   SCAN_HUGE_PAGES=off, SCAN_NR_HUGEPAGES, SCAN_LOCK, SCAN_PG_PORT=55443: as bench/scan_ab.sh
#   SCAN_OUT=bench/out     where scan_parts.md and the perf files (scan_parts/) are written
#
# The server and the table are bench/scan_ab.sh's. Each round, at 0 and then 2 workers,
# for each of count(*), count(active) (PostgreSQL's deform of all seven columns) and
# table_fingerprint('bench'): a fresh session, one untimed serial count(active) (its first
# touch of the buffers), then SCAN_PARTS_REPEAT timed queries between two CLOCK_MONOTONIC
# marks, under `perf record -g -p <postmaster>` (inherited: the session's backend and every
# parallel worker it starts). bench/scan_parts.py then classes each sample of the marked
# window by process (the session's backend, or else a worker) and by function into parts,
# in nanoseconds of CPU per table row (medians over the rounds). Root only (perf).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"
MODULE=${SCAN_MODULE:-$root/build/pg_extension/fingerprint.so}
ROWS=${SCAN_PARTS_ROWS:-1000000}
ROUNDS=${SCAN_PARTS_ROUNDS:-4}
REPEAT=${SCAN_PARTS_REPEAT:-2}
HUGE_PAGES=${SCAN_HUGE_PAGES:-off}
OUT=${SCAN_OUT:-$root/bench/out}
PG_PORT=${SCAN_PG_PORT:-55443}
[ -f "$MODULE" ] || { echo "SCAN_MODULE: no file $MODULE (build first)" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf is needed (linux-perf)" >&2; exit 2; }
mkdir -p "$OUT/scan_parts"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/scan_parts/*
bench_workdir fp-scan-parts
mkdir -p "$work/lib"
cp "$MODULE" "$work/lib/fingerprint.so"
chmod -R a+rX "$work/lib"

log "starting PostgreSQL in $work (huge_pages = $HUGE_PAGES)"
start_pg_reserving_huge_pages "shared_buffers = '2GB'" "${PG_TABLE_SETTINGS[@]}" "jit = 'off'" \
	"huge_pages = '$HUGE_PAGES'" "max_worker_processes = 8" "max_parallel_workers = 8"
LOAD_MY=0 load_bench "$ROWS" "VACUUM (FREEZE, ANALYZE) bench; CHECKPOINT;"
pg -c "ALTER DATABASE postgres SET dynamic_library_path = '$work/lib'" -c "CREATE EXTENSION fingerprint" \
	-c "CREATE EXTENSION pg_prewarm" \
	-c "UPDATE pg_proc SET probin = 'fingerprint' WHERE probin = '\$libdir/fingerprint'" >/dev/null ||
	die "could not set up the database (is the extension's SQL installed?)"
pg -c "SELECT pg_prewarm('bench')" >/dev/null
postmaster=$(head -n 1 "$work/pg/data/postmaster.pid")

declare -A QUERY=([count]="SELECT count(*) FROM bench;" [deform]="SELECT count(active) FROM bench;"
	[fingerprint]="SELECT table_fingerprint('bench');")
mark="\\! python3 -c 'import time; print(\"%.6f\" % time.monotonic())'"
if [ -n "${SCAN_LOCK:-}" ]; then
	log "waiting for $SCAN_LOCK"
	exec 9>>"$SCAN_LOCK"
	flock 9
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M:%S')
for round in $(seq "$ROUNDS"); do
	for workers in 0 2; do
		for query in count deform fingerprint; do
			name="$OUT/scan_parts/$round-$workers-$query"
			perf record -q -F 1999 -g -k CLOCK_MONOTONIC -p "$postmaster" -o "$name.data" >/dev/null 2>&1 &
			perf_pid=$!
			sleep 0.5 # perf attached
			{
				echo "SET enable_indexonlyscan = off; SET enable_indexscan = off; SET enable_bitmapscan = off;"
				echo "SET max_parallel_workers_per_gather = 0; SELECT count(active) FROM bench;"
				echo "SELECT 'backend', pg_backend_pid();"
				echo "SET max_parallel_workers_per_gather = $workers;"
				echo "$mark > $name.marks"
				echo "\\timing on"
				for _ in $(seq "$REPEAT"); do echo "${QUERY[$query]}"; done
				echo "\\timing off"
				echo "$mark >> $name.marks"
			} | pg >"$name.out" 2>&1 || { kill -INT "$perf_pid"; die "a query failed: $(tail -n 3 "$name.out")"; }
			kill -INT "$perf_pid"
			wait "$perf_pid" || true
		done
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
[ -z "${SCAN_LOCK:-}" ] || flock -u 9
{
	echo "# Where table_fingerprint's time goes, per process and part"
	echo
	echo "- command: \`SCAN_PARTS_ROWS=$ROWS SCAN_PARTS_ROUNDS=$ROUNDS SCAN_PARTS_REPEAT=$REPEAT SCAN_HUGE_PAGES=$HUGE_PAGES bench/scan_parts.sh\`, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $START UTC"
	echo "- module: $(sha256sum "$MODULE" | cut -c1-12) ($MODULE); load average before $LOAD_BEFORE, after $LOAD_AFTER"
	echo
	python3 "$root/bench/scan_parts.py" "$ROWS" "$REPEAT" "$OUT"/scan_parts/*.data
} >"$OUT/scan_parts.md"
cat "$OUT/scan_parts.md"
