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
#   - the raw transfers as a lower bound, each way: psql's COPY TO STDOUT piped into
#     MariaDB's LOAD DATA LOCAL INFILE, and `mariadb --batch --raw` piped into psql's
#     \copy FROM STDIN (no conversion, no snapshot sharing, no proof);
#   - pgloader MariaDB -> PostgreSQL (Debian's package, its default casts) and pgcopydb
#     clone PostgreSQL -> PostgreSQL (--table-jobs/--index-jobs 1 and 2), the usual tools;
# fingerprints every baseline's target table against the source (table_fingerprint):
# "DIFFERENT" where a baseline got values wrong; measures the peak resident memory of
# every fingerprint copy (/usr/bin/time -v); and writes the medians, rows per second and
# the ratios ours / baseline.
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
# Needs root (or a user who can start both servers and, with BENCH_BUILD=1, install);
# installs Debian's pgloader and pgcopydb with apt-get when they are missing.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"

read_bench_env 1000000 1 "$root/bench/out/copy" 55442
CLI=${BENCH_CLI:-$root/build/cli/fingerprint}
rm -f "$OUT"/results.md "$OUT"/results.tsv "$OUT"/*.log "$OUT"/*.json

build_if_asked
[ -x "$CLI" ] || die "$CLI is not built (set BENCH_CLI or build with scripts/build.sh)"
for tool in pgloader pgcopydb; do
	command -v "$tool" >/dev/null || {
		log "installing Debian's $tool"
		apt-get install -y "$tool" >"$OUT/apt-$tool.log" 2>&1 || die "apt-get install $tool failed, see $OUT/apt-$tool.log"
	}
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time): it measures the client's memory"

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
LOAD_AVG=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------
# Timing: every command runs RUNS times into a freshly emptied target; the median counts.

: >"$OUT/results.tsv"
record() { # LABEL SECONDS RESULT [PEAK_RSS_KB]
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$OUT/results.tsv"
	printf '   %-66s %8s s  %10s rows/s  %s\n' "$1" "$2" "$(awk -v r="$ROWS" -v s="$2" 'BEGIN { printf "%.0f", r / s }')" "$3" >&2
}

fresh_targets() { # drops and creates the targets: schema target, database target, the others
	pg -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS target CASCADE; CREATE SCHEMA target;
	       DROP SCHEMA IF EXISTS benchdb CASCADE"
	pg -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS pgcopydb_target"
	my -e "DROP DATABASE IF EXISTS target; CREATE DATABASE target"
}

# same_as_source ENGINE TABLE [DATABASE]: "identical" when the table's fingerprint is the
# source's, else "DIFFERENT (fingerprint)" (a baseline proves nothing itself)
same_as_source() {
	local fp
	case $1 in
	pg) fp=$(pg -d "${3:-postgres}" -c "SELECT table_fingerprint('$2')" 2>&1) || fp="error: $fp" ;;
	my) fp=$(my -e "CALL fingerprint.table_fingerprint('$2')" 2>&1) || fp="error: $fp" ;;
	esac
	if [ "$fp" = "$PG_FP" ]; then echo identical; else echo "DIFFERENT ($fp)"; fi
}

# time_copy LABEL SOURCE_URL TARGET_URL [OPTION...]: fingerprint copy of bench, which
# must exit 0 (copied and proven identical); its peak resident memory is the largest
# over the runs
time_copy() {
	local label=$1 source=$2 target=$3 times=() t rc rss=0 r file
	shift 3
	file="$OUT/${label//[^A-Za-z0-9-]/_}"
	for _ in $(seq "$RUNS"); do
		fresh_targets
		t=$(now)
		rc=0
		/usr/bin/time -v -o "$file.time" "$CLI" copy "$source" "$target" bench --create-tables --json \
			--no-progress "$@" >"$file.json" 2>>"$OUT/copy-stderr.log" || rc=$?
		times+=("$(elapsed "$t")")
		[ "$rc" = 0 ] || { cat "$file.json" >&2; die "fingerprint copy failed ($label)"; }
		r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$file.time")
		[ "${r:-0}" -gt "$rss" ] && rss=$r
	done
	record "$label" "$(printf '%s\n' "${times[@]}" | median)" "identical (proven)" "$rss"
}

# time_pipe LABEL CHECK COMMAND [PREPARE]: a shell pipeline into a fresh target; CHECK is
# the same_as_source arguments of the table it writes; PREPARE runs untimed before it
time_pipe() {
	local label=$1 check=$2 times=() t
	for _ in $(seq "$RUNS"); do
		fresh_targets
		[ -z "${4:-}" ] || bash -c "$4" >>"$OUT/pipe.log" 2>&1 || die "preparing $label failed (see $OUT/pipe.log)"
		t=$(now)
		bash -c "$3" >>"$OUT/pipe.log" 2>&1 || die "$label failed (see $OUT/pipe.log)"
		times+=("$(elapsed "$t")")
	done
	# shellcheck disable=SC2086 # CHECK is words
	record "$label" "$(printf '%s\n' "${times[@]}" | median)" "$(same_as_source $check)"
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

log "the raw transfers (no conversion, no proof)"
time_pipe "COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)" "my target.bench" \
	"$PSQL -c \"COPY bench TO STDOUT\" | $MARIADB target -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE bench\"" \
	"$MARIADB target -e \"$(bench_table_my bench)\""
# -N: without it the column names' line would be loaded as a row (and fail); utf8mb4:
# the client's default latin1 sends bytes that PostgreSQL rejects as UTF-8
time_pipe "mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)" "pg target.bench" \
	"$MARIADB --default-character-set=utf8mb4 --batch --raw -N benchdb -e 'SELECT * FROM bench' | $PSQL -c '\\copy target.bench FROM STDIN'" \
	"$PSQL -c \"$(bench_table_pg target.bench)\""

log "pgloader, MariaDB -> PostgreSQL (its default casts, no proof)"
# pgloader creates the schema benchdb (the source database's name) in the target. A
# socket path runs to the next colon in its URLs: hence the (unused) port 3306.
cat >"$work/bench.load" <<PGLOADER
LOAD DATABASE
     FROM mysql://root@unix:$SOCK:3306/benchdb
     INTO postgresql://postgres@unix:$work/pg:$PG_PORT/postgres
     INCLUDING ONLY TABLE NAMES MATCHING 'bench';
PGLOADER
time_pipe "pgloader (MariaDB -> PostgreSQL, default casts)" "pg benchdb.bench" \
	"pgloader $work/bench.load"

log "one engine: fingerprint copy beside dump and restore and pgcopydb (no proof)"
time_copy "copy PostgreSQL -> PostgreSQL, --jobs 1" "$PG_URL" "$PG_TARGET" --jobs 1
time_copy "copy PostgreSQL -> PostgreSQL, --jobs 2" "$PG_URL" "$PG_TARGET" --jobs 2 --chunk-rows $((ROWS / 8 + 1))
time_pipe "pg_dump -t bench | psql (PostgreSQL -> PostgreSQL)" "pg target.bench" \
	"pg_dump -h $work/pg -p $PG_PORT -U postgres -t public.bench postgres | sed 's/public\\./target./g' | $PSQL"
# pgcopydb clone of the one table into a database of its own (it keeps schema names):
# schema, data, primary key, in one snapshot, like copy --create-tables. With 2 jobs the
# table is split in about 8 parts (--split-tables-larger-than), as our --chunk-rows does.
printf '[include-only-table]\npublic.bench\n' >"$work/pgcopydb.filters"
PART_MB=$(($(pg -c "SELECT pg_relation_size('bench')") / 8 / 1024 / 1024 + 1))
for jobs in 1 2; do
	split=""
	[ "$jobs" = 1 ] || split="--split-tables-larger-than ${PART_MB}MB"
	time_pipe "pgcopydb clone --table-jobs $jobs --index-jobs $jobs (PostgreSQL -> PostgreSQL)" "pg bench pgcopydb_target" \
		"rm -rf $work/pgcopydb && pgcopydb clone --source '$PG_URL' \
		 --target 'postgresql://postgres@/pgcopydb_target?host=$work/pg&port=$PG_PORT' --dir $work/pgcopydb \
		 --filters $work/pgcopydb.filters --table-jobs $jobs --index-jobs $jobs $split --skip-extensions --no-owner --no-acl" \
		"$PSQL -c 'CREATE DATABASE pgcopydb_target' && $PSQL -d pgcopydb_target -c 'CREATE EXTENSION fingerprint'"
done
time_copy "copy MariaDB -> MariaDB, --jobs 1" "$MY_URL" "$MY_TARGET" --jobs 1
time_pipe "mysqldump benchdb bench | mariadb (MariaDB -> MariaDB)" "my target.bench" \
	"mysqldump --no-defaults -S $SOCK -u root --single-transaction benchdb bench | $MARIADB target"

# ours / baseline, for the pairs of the goals (bench/RESULTS.md, "fingerprint copy")
RATIOS=(
	"copy PostgreSQL -> MariaDB, --jobs 1|COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)"
	"copy PostgreSQL -> MariaDB, --jobs 2|COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)"
	"copy MariaDB -> PostgreSQL, --jobs 1|mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)"
	"copy MariaDB -> PostgreSQL, --jobs 2 --lock-for-snapshot|mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)"
	"copy MariaDB -> PostgreSQL, --jobs 1|pgloader (MariaDB -> PostgreSQL, default casts)"
	"copy MariaDB -> PostgreSQL, --jobs 2 --lock-for-snapshot|pgloader (MariaDB -> PostgreSQL, default casts)"
	"copy PostgreSQL -> PostgreSQL, --jobs 1|pgcopydb clone --table-jobs 1 --index-jobs 1 (PostgreSQL -> PostgreSQL)"
	"copy PostgreSQL -> PostgreSQL, --jobs 2|pgcopydb clone --table-jobs 2 --index-jobs 2 (PostgreSQL -> PostgreSQL)"
	"copy PostgreSQL -> PostgreSQL, --jobs 1|pg_dump -t bench | psql (PostgreSQL -> PostgreSQL)"
	"copy MariaDB -> MariaDB, --jobs 1|mysqldump benchdb bench | mariadb (MariaDB -> MariaDB)"
)
{
	echo "# fingerprint copy, $ROWS rows (bench/copy.sh, median of $RUNS)"
	echo
	echo "Load average at the start of the timing: $LOAD_AVG; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "| command | seconds | rows/s | target's table | client's peak RSS |"
	echo "|---|---:|---:|---|---:|"
	awk -F'\t' -v r="$ROWS" '{ gsub(/\|/, "\\|", $1); rss = $4 == "" ? "" : sprintf("%.0f MB", $4 / 1024)
		printf "| %s | %s | %.0f | %s | %s |\n", $1, $2, r / $2, $3, rss }' "$OUT/results.tsv"
	echo
	echo "| ours | baseline | ours / baseline |"
	echo "|---|---|---:|"
	for pair in "${RATIOS[@]}"; do
		# the labels through the environment: awk -v would eat the backslash of \copy
		OURS=${pair%%|*} BASE=${pair#*|} awk -F'\t' '
			BEGIN { ours = ENVIRON["OURS"]; base = ENVIRON["BASE"] }
			$1 == ours { o = $2 } $1 == base { b = $2 }
			END { gsub(/\|/, "\\|", ours); gsub(/\|/, "\\|", base)
			      if (o != "" && b != "") printf "| %s | %s | %.2f |\n", ours, base, o / b }' "$OUT/results.tsv"
	done
} >"$OUT/results.md"
echo
cat "$OUT/results.md"
echo
echo "markdown: $OUT/results.md   raw: $OUT/results.tsv   reports: $OUT/*.json, peak memory: $OUT/*.time"
