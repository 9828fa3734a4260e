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
#   BENCH_ONLY=            pg-to-mariadb: only the PostgreSQL -> MariaDB copy (--jobs 1) and
#                          the raw pipe it is measured against, interleaved (each of the
#                          BENCH_RUNS rounds runs both, in alternating order), so that the
#                          ratio is not skewed by the machine's drift; also skips pgloader
#                          and pgcopydb
#                          mariadb-to-pg: the same for MariaDB -> PostgreSQL (--jobs 1,
#                          against mariadb --batch --raw | \copy)
#   BENCH_CLI_BEFORE=      with BENCH_ONLY: another fingerprint binary (the code before a
#                          change), timed in the same rounds as a third command
#   BENCH_PERF=0           1: after the timing, one more (untimed) run of the PostgreSQL ->
#                          MariaDB copy and of the raw pipe under `perf record -a -g`, with
#                          the CPU time per process and the copy's hottest symbols in
#                          $BENCH_OUT/perf-*.txt
#
# Needs root (or a user who can start both servers and, with BENCH_BUILD=1, install);
# installs Debian's pgloader and pgcopydb with apt-get when they are missing.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"

read_bench_env 1000000 1 "$root/bench/out/copy" 55442
CLI=${BENCH_CLI:-$root/build/cli/fingerprint}
ONLY=${BENCH_ONLY:-}
CLI_BEFORE=${BENCH_CLI_BEFORE:-}
PERF=${BENCH_PERF:-0}
case "$ONLY" in '' | pg-to-mariadb | mariadb-to-pg) ;; *) echo "BENCH_ONLY must be empty, pg-to-mariadb or mariadb-to-pg" >&2; exit 2 ;; esac
rm -f "$OUT"/results.md "$OUT"/results.tsv "$OUT"/*.log "$OUT"/*.json "$OUT"/perf-*

build_if_asked
[ -x "$CLI" ] || die "$CLI is not built (set BENCH_CLI or build with scripts/build.sh)"
for tool in pgloader pgcopydb; do
	[ -z "$ONLY" ] || break
	command -v "$tool" >/dev/null || {
		log "installing Debian's $tool"
		apt-get install -y "$tool" >"$OUT/apt-$tool.log" 2>&1 || die "apt-get install $tool failed, see $OUT/apt-$tool.log"
	}
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time): it measures the client's memory"
[ "$PERF" = 0 ] || command -v perf >/dev/null || die "BENCH_PERF=1 needs perf (Debian package linux-perf)"

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
# Timing: every command runs RUNS times into a freshly emptied target (all runs of one
# command in a row, or with BENCH_ONLY interleaved with its baseline); the median counts.
# runs.tsv holds every run, results.tsv one line per command (its median).

: >"$OUT/runs.tsv"
record() { # LABEL SECONDS RESULT [PEAK_RSS_KB]: one run
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$OUT/runs.tsv"
	printf '   %-66s %8s s  %10s rows/s  %s\n' "$1" "$2" "$(awk -v r="$ROWS" -v s="$2" 'BEGIN { printf "%.0f", r / s }')" "$3" >&2
}
# summarize: results.tsv from runs.tsv, in the order the commands first ran: the median
# seconds, "DIFFERENT ..." if any run's table was, the largest peak memory
summarize() {
	local label
	: >"$OUT/results.tsv"
	cut -f1 "$OUT/runs.tsv" | awk '!seen[$0]++' | while IFS= read -r label; do
		LABEL=$label awk -F'\t' '$1 == ENVIRON["LABEL"]' "$OUT/runs.tsv" >"$OUT/one.tsv"
		printf '%s\t%s\t%s\t%s\n' "$label" "$(cut -f2 "$OUT/one.tsv" | median)" \
			"$(cut -f3 "$OUT/one.tsv" | sort | awk '/^DIFFERENT|^error/ { print; bad = 1; exit } { last = $0 } END { if (!bad) print last }')" \
			"$(cut -f4 "$OUT/one.tsv" | sort -n | tail -n 1)" >>"$OUT/results.tsv"
	done
	rm -f "$OUT/one.tsv"
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

# time_copy LABEL SOURCE_URL TARGET_URL [OPTION...]: fingerprint copy of bench (RUNS
# times), which must exit 0 (copied and proven identical), with its peak resident memory
time_copy() {
	local label=$1 source=$2 target=$3 t rc file
	shift 3
	file="$OUT/${label//[^A-Za-z0-9-]/_}"
	for _ in $(seq "$RUNS"); do
		fresh_targets
		t=$(now)
		rc=0
		/usr/bin/time -v -o "$file.time" "$CLI" copy "$source" "$target" bench --create-tables --json \
			--no-progress "$@" >"$file.json" 2>>"$OUT/copy-stderr.log" || rc=$?
		t=$(elapsed "$t")
		[ "$rc" = 0 ] || { cat "$file.json" >&2; die "fingerprint copy failed ($label)"; }
		record "$label" "$t" "identical (proven)" "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$file.time")"
	done
}

# time_pipe LABEL CHECK COMMAND [PREPARE]: a shell pipeline into a fresh target; CHECK is
# the same_as_source arguments of the table it writes; PREPARE runs untimed before it
time_pipe() {
	local label=$1 check=$2 t
	for _ in $(seq "$RUNS"); do
		fresh_targets
		[ -z "${4:-}" ] || bash -c "$4" >>"$OUT/pipe.log" 2>&1 || die "preparing $label failed (see $OUT/pipe.log)"
		t=$(now)
		bash -c "$3" >>"$OUT/pipe.log" 2>&1 || die "$label failed (see $OUT/pipe.log)"
		t=$(elapsed "$t")
		# shellcheck disable=SC2086 # CHECK is words
		record "$label" "$t" "$(same_as_source $check)"
	done
}

PG_TARGET="$PG_URL&schema=target"
MY_TARGET="mysql://root@localhost/target?socket=$SOCK"
PSQL="psql -X -q -h $work/pg -p $PG_PORT -U postgres -d postgres"
MARIADB="mariadb --no-defaults --local-infile=1 -S $SOCK -u root"

copy_pg_to_mariadb() { # the copy the goal of 1.25x the raw pipe is about
	time_copy "copy PostgreSQL -> MariaDB, --jobs 1" "$PG_URL" "$MY_TARGET" --jobs 1
}
copy_pg_to_mariadb_before() { # the same with BENCH_CLI_BEFORE, when given
	[ -n "$CLI_BEFORE" ] || return 0
	CLI=$CLI_BEFORE time_copy "copy PostgreSQL -> MariaDB, --jobs 1 (BENCH_CLI_BEFORE)" "$PG_URL" "$MY_TARGET" --jobs 1
}
PIPE_PG_MY="$PSQL -c \"COPY bench TO STDOUT\" | $MARIADB target -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE bench\""
pipe_pg_to_mariadb() {
	time_pipe "COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)" "my target.bench" \
		"$PIPE_PG_MY" "$MARIADB target -e \"$(bench_table_my bench)\""
}

copy_mariadb_to_pg() {
	time_copy "copy MariaDB -> PostgreSQL, --jobs 1" "$MY_URL" "$PG_TARGET" --jobs 1
}
copy_mariadb_to_pg_before() {
	[ -n "$CLI_BEFORE" ] || return 0
	CLI=$CLI_BEFORE time_copy "copy MariaDB -> PostgreSQL, --jobs 1 (BENCH_CLI_BEFORE)" "$MY_URL" "$PG_TARGET" --jobs 1
}
pipe_mariadb_to_pg() {
	# -N: without it the column names' line would be loaded as a row (and fail); utf8mb4:
	# the client's default latin1 sends bytes that PostgreSQL rejects as UTF-8
	time_pipe "mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)" "pg target.bench" \
		"$MARIADB --default-character-set=utf8mb4 --batch --raw -N benchdb -e 'SELECT * FROM bench' | $PSQL -c '\\copy target.bench FROM STDIN'" \
		"$PSQL -c \"$(bench_table_pg target.bench)\""
}

if [ -n "$ONLY" ]; then
	direction=pg_to_mariadb
	[ "$ONLY" = pg-to-mariadb ] || direction=mariadb_to_pg
	log "fingerprint copy $ONLY and the raw pipe, interleaved, $RUNS rounds"
	ROUNDS=$RUNS
	RUNS=1
	for round in $(seq "$ROUNDS"); do
		if [ $((round % 2)) = 1 ]; then
			copy_$direction
			pipe_$direction
			copy_${direction}_before
		else
			copy_${direction}_before
			pipe_$direction
			copy_$direction
		fi
	done
	RUNS=$ROUNDS
else
	log "fingerprint copy across the engines"
	copy_pg_to_mariadb
	time_copy "copy PostgreSQL -> MariaDB, --jobs 2" "$PG_URL" "$MY_TARGET" --jobs 2 --chunk-rows $((ROWS / 8 + 1))
	MY_FP=$(my -e "CALL fingerprint.table_fingerprint('target.bench')")
	[ "$MY_FP" = "$PG_FP" ] || die "the copy's fingerprint $MY_FP is not the source's $PG_FP"
	time_copy "copy MariaDB -> PostgreSQL, --jobs 1" "$MY_URL" "$PG_TARGET" --jobs 1
	time_copy "copy MariaDB -> PostgreSQL, --jobs 2 --lock-for-snapshot" "$MY_URL" "$PG_TARGET" --jobs 2 \
		--lock-for-snapshot --chunk-rows $((ROWS / 8 + 1))

	log "the raw transfers (no conversion, no proof)"
	pipe_pg_to_mariadb
	pipe_mariadb_to_pg
fi
LOAD_AVG_END=$(cut -d' ' -f1-3 /proc/loadavg)

# perf_run NAME COMMAND: one untimed run of COMMAND under perf record -a -g (every
# process: ours and both servers), then where the CPU went: per process and per shared
# object ($OUT/perf-NAME.txt), our process's hottest symbols ($OUT/perf-NAME-symbols.txt)
perf_run() {
	perf record -q -a -g -F 499 -o "$OUT/perf-$1.data" -- bash -c "$2" >>"$OUT/perf.log" 2>&1 ||
		die "perf record of $1 failed (see $OUT/perf.log)"
	local comm
	perf report -i "$OUT/perf-$1.data" --no-children --sort comm,dso -g none --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -n 25 >"$OUT/perf-$1.txt" || true # head ends the pipe early
	# a process's name as perf knows it: the first 15 bytes of the binary's
	for comm in "$(basename "$CLI" | cut -c1-15)" mariadbd postgres; do
		echo "== $comm"
		perf report -i "$OUT/perf-$1.data" --no-children --comm "$comm" --sort sym -g none --stdio 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -n 25 || true
	done >"$OUT/perf-$1-symbols.txt"
	rm -f "$OUT/perf-$1.data"
}
# statement_log_on / statement_log_off: every statement's duration in the servers' logs
# (PostgreSQL: log_min_duration_statement = 0; MariaDB: the slow log, long_query_time = 0)
statement_log_on() {
	pg -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
	my -e "SET GLOBAL slow_query_log_file = '$work/my/statements.log', GLOBAL long_query_time = 0,
	       GLOBAL log_output = 'FILE', GLOBAL slow_query_log = 1"
}
statement_log_off() {
	pg -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
	my -e "SET GLOBAL slow_query_log = 0"
}
if [ "$PERF" = 1 ]; then
	log "profiling one copy and one raw pipe, PostgreSQL -> MariaDB (perf record -a -g)"
	fresh_targets
	perf_run copy "$CLI copy '$PG_URL' '$MY_TARGET' bench --create-tables --json --no-progress --jobs 1 >/dev/null"
	fresh_targets
	$MARIADB target -e "$(bench_table_my bench)"
	perf_run pipe "$PIPE_PG_MY"
	log "one more copy with every statement's duration logged by both servers"
	fresh_targets
	statement_log_on
	t=$(now)
	"$CLI" copy "$PG_URL" "$MY_TARGET" bench --create-tables --json --no-progress --jobs 1 >/dev/null
	echo "the copy: $(elapsed "$t") s; its statements of over 0.05 s:" >"$OUT/perf-copy-statements.txt"
	statement_log_off
	{
		echo "== PostgreSQL (ms)"
		grep -h 'duration: ' "$work"/pg/*.log "$work"/pg/log/* 2>/dev/null |
			sed 's/.*duration: \([0-9.]*\) ms *\(statement\|execute[^:]*\): /\1\t/' |
			awk -F'\t' '$1 > 50 { printf "%10.0f  %s\n", $1, substr($2, 1, 110) }' || true
		echo "== MariaDB (s)"
		awk '/^# Query_time:/ { t = $3; next } /^(SET timestamp|use |# )/ { next }
		     t != "" { if (t > 0.05) printf "%10.3f  %s\n", t, substr($0, 1, 110); t = "" }' "$work/my/statements.log"
	} >>"$OUT/perf-copy-statements.txt"
fi

if [ -z "$ONLY" ]; then
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
fi
summarize

# ours / baseline, for the pairs of the goals (bench/RESULTS.md, "fingerprint copy")
RATIOS=(
	"copy PostgreSQL -> MariaDB, --jobs 1|COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)"
	"copy PostgreSQL -> MariaDB, --jobs 1 (BENCH_CLI_BEFORE)|COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)"
	"copy PostgreSQL -> MariaDB, --jobs 1|copy PostgreSQL -> MariaDB, --jobs 1 (BENCH_CLI_BEFORE)"
	"copy PostgreSQL -> MariaDB, --jobs 2|COPY TO STDOUT | LOAD DATA LOCAL INFILE (raw, PostgreSQL -> MariaDB)"
	"copy MariaDB -> PostgreSQL, --jobs 1|mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)"
	"copy MariaDB -> PostgreSQL, --jobs 1 (BENCH_CLI_BEFORE)|mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)"
	"copy MariaDB -> PostgreSQL, --jobs 1|copy MariaDB -> PostgreSQL, --jobs 1 (BENCH_CLI_BEFORE)"
	"copy MariaDB -> PostgreSQL, --jobs 2 --lock-for-snapshot|mariadb --batch --raw | \\copy FROM STDIN (raw, MariaDB -> PostgreSQL)"
	"copy MariaDB -> PostgreSQL, --jobs 1|pgloader (MariaDB -> PostgreSQL, default casts)"
	"copy MariaDB -> PostgreSQL, --jobs 2 --lock-for-snapshot|pgloader (MariaDB -> PostgreSQL, default casts)"
	"copy PostgreSQL -> PostgreSQL, --jobs 1|pgcopydb clone --table-jobs 1 --index-jobs 1 (PostgreSQL -> PostgreSQL)"
	"copy PostgreSQL -> PostgreSQL, --jobs 2|pgcopydb clone --table-jobs 2 --index-jobs 2 (PostgreSQL -> PostgreSQL)"
	"copy PostgreSQL -> PostgreSQL, --jobs 1|pg_dump -t bench | psql (PostgreSQL -> PostgreSQL)"
	"copy MariaDB -> MariaDB, --jobs 1|mysqldump benchdb bench | mariadb (MariaDB -> MariaDB)"
)
{
	echo "# fingerprint copy, $ROWS rows (bench/copy.sh, median of $RUNS${ONLY:+, $ONLY only, interleaved})"
	echo
	echo "Load average at the start of the timing: $LOAD_AVG; at the end: $LOAD_AVG_END."
	echo
	echo "Commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- cli shared || echo " (with uncommitted changes)")."
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
