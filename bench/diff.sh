#!/bin/bash
# The `fingerprint diff` benchmark: one script, one run (bench/README.md, "diff.sh").
#
# Starts a throwaway PostgreSQL and MariaDB, loads the table of bench/run.sh (bench/lib.sh) into both
# (BENCH_ROWS rows; the same definition and generator), and times, in the same run:
#   - the baselines: table_fingerprint on each engine (the goal is stated against the
#     slower one), pt-table-checksum on the MariaDB table and pg_comparator between two
#     identical PostgreSQL tables, where Debian packages them (percona-toolkit,
#     postgresql-comparator);
#   - fingerprint diff PostgreSQL -> MariaDB with 0, 10 and 1,000 differing rows (and
#     PostgreSQL -> PostgreSQL with 0, beside pg_comparator);
# checks that each diff reports exactly the changed keys, and writes the medians, the
# ratios to the goals and the bytes read from each server.
#
#   bench/diff.sh                                  # 5,000,000 rows, 3 runs per command
#   BENCH_ROWS=200000 BENCH_RUNS=1 bench/diff.sh   # quick smoke run
#
# Environment:
#   BENCH_ROWS=5000000     rows in the table
#   BENCH_RUNS=3           timed runs of each command (after one untimed warm-up)
#   BENCH_BUILD=1          0: use what is built and installed, do not build
#   BENCH_CLI=build/cli/fingerprint   the fingerprint binary to time
#   BENCH_OUT=bench/out/diff          where results.md, results.tsv and the logs go
#   BENCH_PG_PORT=55441    names PostgreSQL's socket (no TCP is opened)
#   BENCH_PLUGIN_DIR=      MariaDB plugin dir holding fingerprint_udf.so (default: the server's)
#   BENCH_KEEP=0           1: keep the (stopped) servers' directory
#
# Needs root (or a user who can start both servers and, with BENCH_BUILD=1, install).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"

read_bench_env 5000000 3 "$root/bench/out/diff" 55441
CLI=${BENCH_CLI:-$root/build/cli/fingerprint}

# As in bench/run.sh: both caches hold the whole table on a 24 GiB machine. PostgreSQL
# holds two copies here (the second for pg_comparator and the PostgreSQL -> PostgreSQL diff).
PG_SHARED_BUFFERS=3GB
MY_BUFFER_POOL=$((4 * 1024 * 1024 * 1024))

[ "$ROWS" -ge 2000 ] || { echo "BENCH_ROWS must be at least 2000 (1,000 differing rows are made)" >&2; exit 2; }

rm -f "$OUT"/results.md "$OUT"/results.tsv "$OUT"/*.log "$OUT"/*.json

build_if_asked
[ -x "$CLI" ] || die "$CLI is not built (set BENCH_CLI or build with scripts/build.sh)"

# ------------------------------------------------------------------------------------
# Servers

bench_workdir fingerprint-diffbench

SOCK="$work/my/mysqld.sock"
PG_URL="postgresql://postgres@/postgres?host=$work/pg&port=$PG_PORT"
PG_COPY_URL="$PG_URL&schema=copy"
MY_URL="mysql://root@localhost/benchdb?socket=$SOCK"

log "starting PostgreSQL and MariaDB in $work"
start_pg "shared_buffers = '$PG_SHARED_BUFFERS'" "${PG_TABLE_SETTINGS[@]}" "jit = off"
start_mariadb "$MY_BUFFER_POOL"

log "installing the extension and the procedures"
pg -c "CREATE EXTENSION fingerprint" || die "CREATE EXTENSION fingerprint failed (is the extension installed?)"
install_mariadb_procedures

# ------------------------------------------------------------------------------------
# The table of bench/lib.sh, on both engines, plus a second PostgreSQL copy.

load_bench "$ROWS" "CREATE SCHEMA copy;
CREATE TABLE copy.bench (LIKE bench INCLUDING ALL);
INSERT INTO copy.bench SELECT * FROM bench;
VACUUM (FREEZE, ANALYZE) bench;
VACUUM (FREEZE, ANALYZE) copy.bench;
CHECKPOINT;"

PG_FP=$(pg -c "SELECT table_fingerprint('bench')")
MY_FP=$(my -e "CALL fingerprint.table_fingerprint('benchdb.bench')")
[ "$PG_FP" = "$MY_FP" ] || die "the engines disagree before any change: PostgreSQL $PG_FP, MariaDB $MY_FP"
log "fingerprints equal: $PG_FP"

# ------------------------------------------------------------------------------------
# Timing helpers. Every command runs once untimed, then RUNS times; the median counts.

: >"$OUT/results.tsv"
# LABEL SECONDS [SOURCE_BYTES TARGET_BYTES BUCKETS DIFFERING_BUCKETS FINGERPRINT_S DRILL_S]
# (the last four from the last run's JSON: its phase timings)
record() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:-}" "${4:-}" "${5:-}" "${6:-}" "${7:-}" "${8:-}" >>"$OUT/results.tsv"
	printf '   %-58s %8s s  %s\n' "$1" "$2" "${3:+bytes read: source $3, target $4; $6 of $5 buckets differ}" >&2
}

# time_command LABEL COMMAND...: RUNS timed runs of the command (its warm-up, if any,
# already done), recorded under LABEL
time_command() {
	local label=$1 times=() t
	shift
	for _ in $(seq "$RUNS"); do
		t=$(now)
		"$@"
		times+=("$(elapsed "$t")")
	done
	record "$label" "$(printf '%s\n' "${times[@]}" | median)"
}

run_sql() { # ENGINE SQL
	if [ "$1" = pg ]; then pg -c "$2" >/dev/null; else my benchdb -e "$2" >/dev/null; fi
}
time_sql() { # LABEL ENGINE SQL: one untimed run, then time_command
	run_sql "$2" "$3"
	time_command "$1" run_sql "$2" "$3"
}

# time_diff LABEL EXPECTED_KEYS SOURCE_URL TARGET_URL: times fingerprint diff and checks
# that it reports exactly EXPECTED_KEYS keys (the key list is checked by the caller).
time_diff() {
	local label=$1 expected=$2 source=$3 target=$4 times=() i t rc json="$OUT/${1// /_}.json"
	for i in $(seq 0 "$RUNS"); do
		t=$(now)
		rc=0
		"$CLI" diff "$source" "$target" bench --json --no-progress >"$json" 2>"$OUT/diff-stderr.log" || rc=$?
		[ "$i" = 0 ] || times+=("$(elapsed "$t")")
		if [ "$rc" -gt 1 ]; then
			cat "$OUT/diff-stderr.log" >&2
			/usr/bin/python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["tables"]:
    print(t["table"] + ": " + t.get("error", t["status"]), file=sys.stderr)' "$json" 2>&1 >&2 || true
			die "fingerprint diff failed ($label)"
		fi
	done
	local found
	found=$(/usr/bin/python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(len(r["tables"][0]["differences"]))' "$json")
	[ "$found" = "$expected" ] || die "$label: fingerprint diff reported $found keys, expected $expected (see $json)"
	local details
	details=$(/usr/bin/python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); t = r["tables"][0]; p = t["phase_seconds"]
print(r["bytes_read"]["source"], r["bytes_read"]["target"], t["buckets"], t["differing_buckets"], p["bucket_fingerprints"], p["bucket_rows"] + p["row_images"])' "$json")
	record "$label" "$(printf '%s\n' "${times[@]}" | median)" ${details}
}

# ------------------------------------------------------------------------------------
# Baselines

log "timing the baselines ($RUNS runs each)"
time_sql "PostgreSQL table_fingerprint('bench')" pg "SELECT table_fingerprint('bench')"
time_sql "MariaDB CALL fingerprint.table_fingerprint" my "CALL fingerprint.table_fingerprint('benchdb.bench')"

PT_NOTE="pt-table-checksum: not installed (Debian package percona-toolkit)"
if command -v pt-table-checksum >/dev/null 2>&1; then
	# It writes its chunk checksums into percona.checksums (so it needs a writable server)
	# and checks replicas; here there are none.
	pt() {
		pt-table-checksum --no-check-binlog-format --no-check-replication-filters --recursion-method=none \
			--databases=benchdb --tables=bench "S=$SOCK,u=root" >>"$OUT/pt-table-checksum.log" 2>&1
	}
	if pt; then
		time_command "MariaDB pt-table-checksum (one table, no replicas)" pt
		PT_NOTE="pt-table-checksum $(pt-table-checksum --version | awk '{ print $2 }')"
	else
		PT_NOTE="pt-table-checksum failed, see pt-table-checksum.log"
	fi
fi

PGC_NOTE="pg_comparator: not installed (Debian package postgresql-comparator)"
if command -v pg_comparator >/dev/null 2>&1 && pg -c "CREATE EXTENSION pgcmp" 2>>"$OUT/pg_comparator.log"; then
	# Two identical PostgreSQL tables; its own C checksum functions (pgcmp), temporary
	# tables (so a writable server), one connection per side.
	pgc() {
		PGHOST="$work/pg" pg_comparator --cf=ck --max-ratio=2 \
			"pgsql://postgres@:$PG_PORT/postgres/public.bench?id" "pgsql://postgres@:$PG_PORT/postgres/copy.bench?id" \
			>>"$OUT/pg_comparator.log" 2>&1
	}
	if pgc; then
		time_command "PostgreSQL pg_comparator, 2 identical tables" pgc
		PGC_NOTE="pg_comparator $(dpkg-query -W -f='${Version}' postgresql-comparator 2>/dev/null || echo '?')"
	else
		PGC_NOTE="pg_comparator failed, see pg_comparator.log"
	fi
fi

# ------------------------------------------------------------------------------------
# fingerprint diff

log "timing fingerprint diff"
time_diff "fingerprint diff PostgreSQL -> PostgreSQL, 0 differences" 0 "$PG_URL" "$PG_COPY_URL"
time_diff "fingerprint diff PostgreSQL -> MariaDB, 0 differences" 0 "$PG_URL" "$MY_URL"

# change_target COUNT: changes COUNT rows of the MariaDB table: 60% updates (one column
# each, cycling through qty, price, name, note, created, active), 20% deletes, 20%
# inserts of new keys. Ids are spread over the table by a fixed stride.
CHANGED=0
change_target() {
	local count=$1 j id kind sql=""
	for j in $(seq $((CHANGED + 1)) $((CHANGED + count))); do
		id=$(((j * 2654435761) % (ROWS - 1) + 1))
		kind=$((j % 10))
		case $kind in
		0 | 1) sql+="DELETE FROM bench WHERE id = $id;" ;;
		2 | 3) sql+="INSERT INTO bench SELECT $MY_ROW FROM (SELECT $((ROWS + j)) AS n) AS s;" ;;
		4) sql+="UPDATE bench SET qty = qty + 1 WHERE id = $id;" ;;
		5) sql+="UPDATE bench SET price = price + 0.01 WHERE id = $id;" ;;
		6) sql+="UPDATE bench SET name = CONCAT(COALESCE(name, ''), '!') WHERE id = $id;" ;;
		7) sql+="UPDATE bench SET note = IF(note IS NULL, 'set', NULL) WHERE id = $id;" ;;
		8) sql+="UPDATE bench SET created = created + INTERVAL 1 MICROSECOND WHERE id = $id;" ;;
		9) sql+="UPDATE bench SET active = NOT active WHERE id = $id;" ;;
		esac
	done
	my benchdb -e "START TRANSACTION; $sql COMMIT;"
	CHANGED=$((CHANGED + count))
	# The baselines ran on a quiet server: let InnoDB write back the changed pages and
	# purge the old row versions before timing, so background work does not compete.
	flush_innodb
}
# The stride visits distinct ids for these j (checked here, so the expected count is exact).
distinct=$(for j in $(seq 1 1000); do echo $(((j * 2654435761) % (ROWS - 1) + 1)); done | sort -u | wc -l)
[ "$distinct" = 1000 ] || die "the change ids are not distinct for BENCH_ROWS=$ROWS"

change_target 10
time_diff "fingerprint diff PostgreSQL -> MariaDB, 10 differences" 10 "$PG_URL" "$MY_URL"
change_target 990
time_diff "fingerprint diff PostgreSQL -> MariaDB, 1000 differences" 1000 "$PG_URL" "$MY_URL"

# ------------------------------------------------------------------------------------
# Report

value() { awk -F'\t' -v l="$1" -v c="${2:-2}" '$1 == l { print $c }' "$OUT/results.tsv"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v l="$2" 'BEGIN { if (r == "-") print "n/a"; else if (r + 0 <= l + 0) print "met"; else print "NOT met" }'; }

TF_PG=$(value "PostgreSQL table_fingerprint('bench')")
TF_MY=$(value "MariaDB CALL fingerprint.table_fingerprint")
SLOWER=$(awk -v a="$TF_PG" -v b="$TF_MY" 'BEGIN { print (a > b ? a : b) }')
EQUAL=$(value "fingerprint diff PostgreSQL -> MariaDB, 0 differences")
TEN=$(value "fingerprint diff PostgreSQL -> MariaDB, 10 differences")
THOUSAND=$(value "fingerprint diff PostgreSQL -> MariaDB, 1000 differences")
R_EQUAL=$(ratio "$EQUAL" "$SLOWER")
R_THOUSAND=$(ratio "$THOUSAND" "$EQUAL")

{
	echo "# fingerprint diff benchmark run"
	echo
	echo "- command: \`BENCH_ROWS=$ROWS BENCH_RUNS=$RUNS bench/diff.sh\`, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(uname -sr)"
	echo "- PostgreSQL $(pg -c 'SHOW server_version'), MariaDB $(my -e 'SELECT VERSION()'); the table of bench/run.sh, $ROWS rows; $PT_NOTE; $PGC_NOTE"
	echo "- fingerprint diff: \`--json --no-progress\`, one table, default buckets; median of $RUNS runs after a warm-up, seconds (client wall clock)"
	echo
	echo "| command | median s | x slower table_fingerprint | bytes read from source | bytes read from target | differing / buckets | bucket_fingerprints s | drill-down s |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	while IFS=$'\t' read -r label seconds sb tb buckets differing fs ds; do
		echo "| $label | $seconds | $(ratio "$seconds" "$SLOWER") | ${sb:--} | ${tb:--} | ${buckets:+$differing / $buckets} | ${fs:--} | ${ds:--} |"
	done <"$OUT/results.tsv"
	echo
	echo "The last three columns come from the last run's JSON (\`phase_seconds\`): the"
	echo "concurrent bucket_fingerprints of both sides, and the bucket_rows drill-down."
	echo
	echo "Goals (reported, not asserted):"
	echo
	echo "- two equal tables compared in no more than the slower engine's table_fingerprint + 20%: ${R_EQUAL}x, $(verdict "$R_EQUAL" 1.2)"
	echo "- 1,000 differences found in under twice the equal-table time: ${R_THOUSAND}x, $(verdict "$R_THOUSAND" 2) (10 differences: $(ratio "$TEN" "$EQUAL")x)"
} >"$OUT/results.md"

echo
cat "$OUT/results.md"
echo
echo "markdown: $OUT/results.md   raw: $OUT/results.tsv   diff output: $OUT/*.json"
