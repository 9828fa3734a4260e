#!/bin/bash
# The `fingerprint copy` benchmark: one script, one run (bench/README.md, "copy.sh").
#
# Starts a throwaway PostgreSQL and MariaDB, loads the table of bench/run.sh (bench/lib.sh)
# into both (BENCH_ROWS rows), and times, in the same run:
#   - fingerprint copy PostgreSQL -> MariaDB and MariaDB -> PostgreSQL with
#     --create-tables, --jobs 1 and --jobs 2 (MariaDB sources with --lock-for-snapshot,
#     so that the chunks of the one table are spread over both workers), each proving
#     the copy identical;
#   - fingerprint copy between two databases of one engine, beside the usual dump and
#     restore (pg_dump -t | psql; mysqldump | mariadb), which prove nothing;
#   - the raw transfer as a lower bound: psql's COPY TO STDOUT piped into MariaDB's
#     LOAD DATA LOCAL INFILE (no conversion, no snapshot sharing, no proof);
# and writes the medians and rows per second.
#
#   bench/copy.sh                                   # 1,000,000 rows, 1 run per command
#   BENCH_ROWS=100000 BENCH_BUILD=0 bench/copy.sh   # quick smoke run
#
# Environment:
#   BENCH_ROWS=1000000     rows in the table
#   BENCH_RUNS=1           timed runs of each command (the median counts)
#   BENCH_BUILD=1          0: use what is built and installed, do not build
#   BENCH_CLI=build/cli/fingerprint   the fingerprint binary to time
#   BENCH_OUT=bench/out/copy          where results.md, results.tsv and the logs go
#   BENCH_PG_PORT=55442    names PostgreSQL's socket (no TCP is opened)
#   BENCH_PLUGIN_DIR=      MariaDB plugin dir holding fingerprint_udf.so (default: the server's)
#   BENCH_KEEP=0           1: keep the (stopped) servers' directory
#
# Needs root (or a user who can start both servers and, with BENCH_BUILD=1, install).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"

read_bench_env 1000000 1 "$root/bench/out/copy" 55442
CLI=${BENCH_CLI:-$root/build/cli/fingerprint}
rm -f "$OUT"/results.md "$OUT"/results.tsv "$OUT"/*.log "$OUT"/*.json

build_if_asked
[ -x "$CLI" ] || die "$CLI is not built (set BENCH_CLI or build with scripts/build.sh)"

bench_workdir fingerprint-copybench
SOCK="$work/my/mysqld.sock"
PG_URL="postgresql://postgres@/postgres?host=$work/pg&port=$PG_PORT"
MY_URL="mysql://root@localhost/benchdb?socket=$SOCK"

log "starting PostgreSQL and MariaDB in $work"
start_pg "shared_buffers = '2GB'" "${PG_TABLE_SETTINGS[@]}" "jit = off"
start_mariadb $((4 * 1024 * 1024 * 1024))
log "installing the extension and the procedures"
pg -c "CREATE EXTENSION fingerprint" || die "CREATE EXTENSION fingerprint failed (is the extension installed?)"
install_mariadb_procedures
load_bench "$ROWS" "VACUUM (FREEZE, ANALYZE) bench; CHECKPOINT;"
PG_FP=$(pg -c "SELECT table_fingerprint('bench')")

# ------------------------------------------------------------------------------------
# Timing: every command runs RUNS times into a freshly emptied target; the median counts.

: >"$OUT/results.tsv"
record() { # LABEL SECONDS
	printf '%s\t%s\n' "$1" "$2" >>"$OUT/results.tsv"
	printf '   %-66s %8s s  %10s rows/s\n' "$1" "$2" "$(awk -v r="$ROWS" -v s="$2" 'BEGIN { printf "%.0f", r / s }')" >&2
}

fresh_targets() { # drops and creates the target schema and database
	pg -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS target CASCADE; CREATE SCHEMA target"
	my -e "DROP DATABASE IF EXISTS target; CREATE DATABASE target"
}

# time_copy LABEL SOURCE_URL TARGET_URL [OPTION...]: fingerprint copy of bench, which
# must exit 0 (copied and proven identical)
time_copy() {
	local label=$1 source=$2 target=$3 times=() t rc
	shift 3
	for _ in $(seq "$RUNS"); do
		fresh_targets
		t=$(now)
		rc=0
		"$CLI" copy "$source" "$target" bench --create-tables --json --no-progress "$@" \
			>"$OUT/${label// /_}.json" 2>>"$OUT/copy-stderr.log" || rc=$?
		times+=("$(elapsed "$t")")
		[ "$rc" = 0 ] || { cat "$OUT/${label// /_}.json" >&2; die "fingerprint copy failed ($label)"; }
	done
	record "$label" "$(printf '%s\n' "${times[@]}" | median)"
}

# time_pipe LABEL COMMAND: a shell pipeline into a fresh target
time_pipe() {
	local label=$1 times=() t
	for _ in $(seq "$RUNS"); do
		fresh_targets
		t=$(now)
		bash -c "$2" >>"$OUT/pipe.log" 2>&1 || die "$label failed (see $OUT/pipe.log)"
		times+=("$(elapsed "$t")")
	done
	record "$label" "$(printf '%s\n' "${times[@]}" | median)"
}

PG_TARGET="$PG_URL&schema=target"
MY_TARGET="mysql://root@localhost/target?socket=$SOCK"
PSQL="psql -X -q -h $work/pg -p $PG_PORT -U postgres -d postgres"
MARIADB="mariadb --no-defaults --local-infile=1 -S $SOCK -u root"

log "fingerprint copy across the engines"
time_copy "copy PostgreSQL -> MariaDB, --jobs 1" "$PG_URL" "$MY_TARGET" --jobs 1
time_copy "copy PostgreSQL -> MariaDB, --jobs 2" "$PG_URL" "$MY_TARGET" --jobs 2 --chunk-rows $((ROWS / 8 + 1))
MY_FP=$(my -e "CALL fingerprint.table_fingerprint('target.bench')")
[ "$MY_FP" = "$PG_FP" ] || die "the copy's fingerprint $MY_FP is not the source's $PG_FP"
time_copy "copy MariaDB -> PostgreSQL, --jobs 1" "$MY_URL" "$PG_TARGET" --jobs 1
time_copy "copy MariaDB -> PostgreSQL, --jobs 2 --lock-for-snapshot" "$MY_URL" "$PG_TARGET" --jobs 2 \
	--lock-for-snapshot --chunk-rows $((ROWS / 8 + 1))

log "one engine: fingerprint copy beside dump and restore (no proof)"
time_copy "copy PostgreSQL -> PostgreSQL, --jobs 1" "$PG_URL" "$PG_TARGET" --jobs 1
time_pipe "pg_dump -t bench | psql (PostgreSQL -> PostgreSQL)" \
	"pg_dump -h $work/pg -p $PG_PORT -U postgres -t public.bench postgres | sed 's/public\\./target./g' | $PSQL"
time_copy "copy MariaDB -> MariaDB, --jobs 1" "$MY_URL" "$MY_TARGET" --jobs 1
time_pipe "mysqldump benchdb bench | mariadb (MariaDB -> MariaDB)" \
	"mysqldump --no-defaults -S $SOCK -u root --single-transaction benchdb bench | $MARIADB target"

log "the raw transfer, PostgreSQL -> MariaDB (no conversion, no proof)"
my -e "CREATE DATABASE IF NOT EXISTS target"
time_pipe "COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)" \
	"$MARIADB target -e \"$(bench_table_my bench)\" &&
	 $PSQL -c \"COPY bench TO STDOUT\" | $MARIADB target -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE bench\""

{
	echo "# fingerprint copy, $ROWS rows (bench/copy.sh, median of $RUNS)"
	echo
	echo "| command | seconds | rows/s |"
	echo "|---|---:|---:|"
	awk -F'\t' -v r="$ROWS" '{ gsub(/\|/, "\\|", $1); printf "| %s | %s | %.0f |\n", $1, $2, r / $2 }' "$OUT/results.tsv"
} >"$OUT/results.md"
echo
cat "$OUT/results.md"
echo
echo "markdown: $OUT/results.md   raw: $OUT/results.tsv   reports: $OUT/*.json"
