#!/bin/bash
# Two builds of fingerprint_agg against the floor of the UDF interface, in one MariaDB
# server, interleaved round by round (bench/README.md; issue 12).
#
#   bench/udf_ab.sh BASE_LIBRARY [NEW_DIR]
#
# BASE_LIBRARY is another build's fingerprint_udf.so (say, main's), NEW_DIR the directory
# of this build's (default build/mysql_udf). Each build is loaded through its own copy of
# bench/udf_ab_shim.cpp as fingerprint_agg_base / fingerprint_agg_new; NEW_DIR's library is
# also the plugin behind fingerprint_agg, which CALL fingerprint.table_fingerprint uses.
# Every round times CHECKSUM TABLE, the no-op floor (bench/noop_udf.cpp, which must be
# built), both builds with the procedure's own spec and arguments, and the CALL.
#
# Time is measured twice: wall clock, and the CPU time of the server's threads over the
# query (their schedstat in /proc): on a machine shared with other work the CPU time
# moves much less from round to round, and the ratios are taken in both.
#
# Environment: BENCH_ROWS=500000, BENCH_RUNS=5 (after one untimed round), BENCH_OUT
# (default bench/out: udf_ab.tsv, the raw times), BENCH_KEEP=1 (keep the stopped server's
# directory), BENCH_PERF=FILE (perf record of the server over the timed rounds, into FILE:
# read it with perf report --sort dso,sym). Needs root (or a user who can start mariadbd) and g++.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"

[ $# -ge 1 ] || { echo "usage: $0 BASE_LIBRARY [NEW_DIR]" >&2; exit 2; }
BASE_LIB=$(realpath "$1")
NEW_DIR=$(realpath "${2:-build/mysql_udf}")
read_bench_env 500000 5 "$root/bench/out" 0
NOOP_UDF=build/bench/fingerprint_noop_udf.so
INCLUDE=$(sed -n 's/^MYSQL_UDF_INCLUDE_DIR:PATH=//p' build/CMakeCache.txt)
[ -f "$NOOP_UDF" ] || die "$NOOP_UDF is missing: build the project first"
if [ ! -f "$BASE_LIB" ] || [ ! -f "$NEW_DIR/fingerprint_udf.so" ]; then die "no fingerprint_udf.so at $BASE_LIB or in $NEW_DIR"; fi

bench_workdir fingerprint-udf-ab
mkdir "$work/plugin" "$work/builds"
cp "$NEW_DIR/fingerprint_udf.so" "$NOOP_UDF" "$work/plugin/"
cp "$BASE_LIB" "$work/builds/base.so"
cp "$NEW_DIR/fingerprint_udf.so" "$work/builds/new.so"
for name in base new; do
	g++ -std=c++17 -O2 -shared -fPIC -fvisibility=hidden -isystem "$INCLUDE" -DNAME="$name" \
		-DLIB="\"$work/builds/$name.so\"" bench/udf_ab_shim.cpp -o "$work/plugin/shim_$name.so" -ldl ||
		die "cannot build the shim for $name"
done
PLUGIN_DIR=$work/plugin

log "starting MariaDB in $work"
start_mariadb $((2 * 1024 * 1024 * 1024))
install_mariadb_procedures
my -e "CREATE AGGREGATE FUNCTION fingerprint_noop_agg RETURNS INTEGER SONAME 'fingerprint_noop_udf.so';
       CREATE AGGREGATE FUNCTION fingerprint_agg_base RETURNS STRING SONAME 'shim_base.so';
       CREATE AGGREGATE FUNCTION fingerprint_agg_new RETURNS STRING SONAME 'shim_new.so';" ||
	die "cannot load the UDFs"
# shellcheck disable=SC2034 # read by load_bench (bench/lib.sh)
LOAD_PG=0 LOAD_MY=1
load_bench "$ROWS" ""

# The procedure's own spec and arguments (fingerprint.run_fingerprint) for bench/lib.sh's table.
ARGS="'xxh3:iidSSTi', id AS id, qty AS qty, price AS price, name AS name, note AS note, created AS created, active AS active"
LABELS=("CHECKSUM TABLE" "floor: no-op UDF aggregate" "fingerprint_agg, base build" "fingerprint_agg, new build"
	"CALL fingerprint.table_fingerprint (new)")
QUERIES=("CHECKSUM TABLE bench" "SELECT fingerprint_noop_agg($ARGS) FROM bench"
	"SELECT fingerprint_agg_base($ARGS) FROM bench" "SELECT fingerprint_agg_new($ARGS) FROM bench"
	"CALL fingerprint.table_fingerprint('benchdb.bench')")

base_fp=$(my benchdb -e "${QUERIES[2]}") new_fp=$(my benchdb -e "${QUERIES[3]}") call_fp=$(my benchdb -e "${QUERIES[4]}")
log "fingerprints: base $base_fp, new $new_fp, CALL $call_fp"
[ "$base_fp" = "$new_fp" ] && [ "$new_fp" = "$call_fp" ] || die "the builds disagree"

pid=$(cat "$work/my/mysqld.pid")
server_cpu_ns() { cat /proc/"$pid"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
perf_pid=
if [ -n "${BENCH_PERF:-}" ]; then
	perf record -q -F 1999 -p "$pid" -o "$BENCH_PERF" 2>/dev/null &
	perf_pid=$!
fi
: >"$OUT/udf_ab.tsv"
for round in $(seq 0 "$RUNS"); do
	for i in "${!QUERIES[@]}"; do
		cpu0=$(server_cpu_ns) t0=$(now)
		my benchdb -e "${QUERIES[$i]}" >/dev/null
		wall=$(elapsed "$t0") cpu1=$(server_cpu_ns)
		[ "$round" = 0 ] ||
			printf '%s\t%s\t%s\t%s\n' "$i" "$round" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" \
				"$wall" >>"$OUT/udf_ab.tsv"
	done
done
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$perf_pid" ]; then
	kill -INT "$perf_pid"
	wait "$perf_pid" || true
fi

printf '| query | CPU s | x floor | x CHECKSUM | wall s | x floor | x CHECKSUM |\n|---|---:|---:|---:|---:|---:|---:|\n'
for i in "${!QUERIES[@]}"; do
	cpu=$(awk -F'\t' -v i="$i" '$1 == i { print $3 }' "$OUT/udf_ab.tsv" | median)
	wall=$(awk -F'\t' -v i="$i" '$1 == i { print $4 }' "$OUT/udf_ab.tsv" | median)
	printf '%s\t%s\t%s\n' "${LABELS[$i]}" "$cpu" "$wall"
done | awk -F'\t' '{ l[NR] = $1; c[NR] = $2; w[NR] = $3 }
	END { for (n = 1; n <= NR; n++)
		printf "| %s | %.3f | %.2f | %.2f | %.3f | %.2f | %.2f |\n", l[n], c[n], c[n] / c[2], c[n] / c[1], w[n], w[n] / w[2], w[n] / w[1] }'
echo "($ROWS rows, $RUNS rounds after a warm-up, medians; fingerprint $new_fp)"
