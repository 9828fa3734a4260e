#!/bin/bash
# The fingerprint benchmark: one script, one run (bench/README.md).
#
# Builds and installs fingerprint (unless BENCH_BUILD=0), starts a throwaway PostgreSQL
# and a throwaway MariaDB in a temporary directory, loads the same BENCH_ROWS-row table
# into both, checks that the two table fingerprints are equal (and stops if not), then
# times each query BENCH_RUNS times on a warm cache and reports the medians, their
# ratio to count(*) at the same parallelism and, on MariaDB, to CHECKSUM TABLE.
#
#   bench/run.sh                     # 5,000,000 rows, 5 runs per query
#   BENCH_ROWS=100000 bench/run.sh   # quick smoke run
#   BENCH_MODE=scan BENCH_ROWS=2000000 bench/run.sh   # table_fingerprint against the scan only
#
# Environment:
#   BENCH_ROWS=5000000     rows in the table
#   BENCH_RUNS=5           timed runs of every query (after one untimed warm-up round)
#   BENCH_BUILD=1          0: use the fingerprint already installed, do not build
#   BENCH_OUT=bench/out    where results.md, results.tsv and the logs are written
#   BENCH_PG_PORT=55440    names PostgreSQL's socket (no TCP is opened)
#   BENCH_PG_JIT=off       PostgreSQL's jit setting (on: the server default)
#   BENCH_PG_HUGE_PAGES=try  PostgreSQL's huge_pages (on needs vm.nr_hugepages: about 1100
#                          for the 2 GB of shared_buffers). Without huge pages every
#                          parallel worker first fills its page tables for the buffers it
#                          reads, which on the benchmark VM costs more than the scan
#                          (bench/RESULTS.md, "the first touch of shared memory")
#   BENCH_PERF=0           1: also profile table_fingerprint on each engine with perf
#                          (PostgreSQL's samples kept in BENCH_OUT/perf-pg.data)
#   BENCH_MODE=all         scan: PostgreSQL alone, only the seq-scan count(*) and
#                          table_fingerprint at 0 and 2 workers (issue 12's goal; keeps the
#                          run, and the install lock it is held under, short)
#   BENCH_KEEP=0           1: leave the servers' directory in place (still stopped)
#   BENCH_PLUGIN_DIR=      MariaDB plugin dir to load fingerprint_udf.so from
#                          (default: the server's own, where cmake --install puts it)
#   BENCH_ENGINES=both     mariadb: MariaDB alone (no PostgreSQL started, nothing installed
#                          into it: with BENCH_BUILD=0 no lock is needed); postgresql: PostgreSQL alone
#   BENCH_NOOP_UDF=build/bench/fingerprint_noop_udf.so
#                          the bench-only no-op UDF aggregate (bench/noop_udf.cpp): when it
#                          exists, MariaDB also times it with the procedure's arguments, the
#                          floor of the UDF interface; it is loaded from a private plugin dir
#                          next to a copy of fingerprint_udf.so
#
# Needs root (or a user who can start both servers and, with BENCH_BUILD=1, install).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"

read_bench_env 5000000 5 "$root/bench/out" 55440
PG_JIT=${BENCH_PG_JIT:-off}
PG_HUGE_PAGES=${BENCH_PG_HUGE_PAGES:-try}
PERF=${BENCH_PERF:-0}
ENGINES=${BENCH_ENGINES:-both}
NOOP_UDF=${BENCH_NOOP_UDF:-$root/build/bench/fingerprint_noop_udf.so}
case "$ENGINES" in both) WANT_PG=1 WANT_MY=1 ;; mariadb) WANT_PG=0 WANT_MY=1 ;; postgresql) WANT_PG=1 WANT_MY=0 ;;
*) echo "BENCH_ENGINES must be both, mariadb or postgresql" >&2; exit 2 ;; esac
# BENCH_MODE=scan: PostgreSQL alone, only the seq-scan count(*) and table_fingerprint
# (issue 12's scan goals), for short runs.
MODE=${BENCH_MODE:-all}
case "$MODE" in all) ;; scan) WANT_MY=0 ;; *) echo "BENCH_MODE must be all or scan" >&2; exit 2 ;; esac
[ "$WANT_PG" = 1 ] || [ "$MODE" = all ] || { echo "BENCH_MODE=scan needs PostgreSQL (BENCH_ENGINES both or postgresql)" >&2; exit 2; }
# shellcheck disable=SC2034 # read by load_bench (bench/lib.sh)
LOAD_PG=$WANT_PG LOAD_MY=$WANT_MY

# Memory for a 24 GiB, 2-core machine: both caches hold the whole table (about 0.8 GB
# in PostgreSQL and 0.9 GB in InnoDB at 5M rows) with room to spare, and neither server
# can push the other out of RAM.
PG_SHARED_BUFFERS=2GB
MY_BUFFER_POOL=$((4 * 1024 * 1024 * 1024))

rm -f "$OUT"/results.md "$OUT"/results.tsv "$OUT"/raw.tsv "$OUT"/*.log "$OUT"/perf-*.txt "$OUT"/perf-pg.*

# ------------------------------------------------------------------------------------
# Build and install

build_if_asked

# ------------------------------------------------------------------------------------
# Servers

bench_workdir fingerprint-bench

# The floor UDF and fingerprint_udf.so must share one plugin dir: a private one, with copies.
NOOP=0
if [ "$WANT_MY" = 1 ] && [ -f "$NOOP_UDF" ]; then
	mkdir "$work/plugin"
	from=$PLUGIN_DIR
	[ -n "$from" ] || from=$("$(command -v mariadbd || echo /usr/sbin/mariadbd)" --no-defaults --verbose --help 2>/dev/null |
		awk '$1 == "plugin-dir" { print $2 }')
	cp "$from/fingerprint_udf.so" "$NOOP_UDF" "$work/plugin/" || die "cannot copy the UDF libraries into $work/plugin"
	PLUGIN_DIR=$work/plugin
	NOOP=1
fi

log "starting the servers in $work"
if [ "$WANT_PG" = 1 ]; then
	start_pg "shared_buffers = '$PG_SHARED_BUFFERS'" "${PG_TABLE_SETTINGS[@]}" "jit = '$PG_JIT'" \
		"huge_pages = '$PG_HUGE_PAGES'" "max_worker_processes = 8" "max_parallel_workers = 8"
fi
[ "$WANT_MY" = 0 ] || start_mariadb "$MY_BUFFER_POOL"

log "installing the extension and the UDFs"
if [ "$WANT_PG" = 1 ]; then
	pg -c "CREATE EXTENSION fingerprint" || die "CREATE EXTENSION fingerprint failed (is the extension installed?)"
	pg -c "CREATE EXTENSION pg_prewarm" || die "CREATE EXTENSION pg_prewarm failed"
fi
if [ "$WANT_MY" = 1 ]; then
	install_mariadb_procedures
	[ "$NOOP" = 0 ] || my -e "CREATE AGGREGATE FUNCTION fingerprint_noop_agg RETURNS INTEGER SONAME '$(basename "$NOOP_UDF")'" ||
		die "cannot load the floor UDF $NOOP_UDF"
fi

# ------------------------------------------------------------------------------------
# The table (bench/lib.sh), on both engines.

load_bench "$ROWS" "VACUUM (FREEZE, ANALYZE) bench;
CHECKPOINT;
SELECT pg_prewarm('bench'), pg_prewarm('bench_pkey');"

# ------------------------------------------------------------------------------------
# Correctness first: the benchmark only means something if both engines agree.

MY_DIRECT="SELECT fingerprint_agg('iidssTi', id, qty, price, CONVERT(name USING utf8mb4), CONVERT(note USING utf8mb4), created, active) FROM bench"

# The fingerprint of the first BENCH_ROWS rows of bench/lib.sh's table that every build
# gave (one engine alone is checked against it; both engines also against each other).
case "$ROWS" in
5000000) KNOWN_FP=fp1:xxh3:5000000:5b831b69e58d24bbe13c429741e7b5bc ;;
*) KNOWN_FP= ;;
esac
log "checking the fingerprints"
PG_FP='' PG_AGG='' MY_FP='' MY_AGG=''
if [ "$WANT_PG" = 1 ]; then
	PG_FP=$(pg -c "SELECT table_fingerprint('bench')") || die "SELECT table_fingerprint('bench') failed on PostgreSQL"
	PG_AGG=$(pg -c "SELECT fingerprint_agg(t) FROM bench t") || die "fingerprint_agg(t) failed on PostgreSQL"
	printf '   %-44s %s\n' "PostgreSQL table_fingerprint('bench')" "$PG_FP" "PostgreSQL fingerprint_agg(t)" "$PG_AGG" >&2
	[ "$PG_AGG" = "$PG_FP" ] || die "PostgreSQL fingerprint_agg(t) $PG_AGG differs from table_fingerprint $PG_FP"
fi
if [ "$WANT_MY" = 1 ]; then
	MY_FP=$(my -e "CALL fingerprint.table_fingerprint('benchdb.bench')") || die "CALL fingerprint.table_fingerprint failed on MariaDB"
	MY_AGG=$(my benchdb -e "$MY_DIRECT") || die "fingerprint_agg('iidssTi', ...) failed on MariaDB"
	printf '   %-44s %s\n' "MariaDB fingerprint.table_fingerprint" "$MY_FP" "MariaDB fingerprint_agg('iidssTi', ...)" "$MY_AGG" >&2
	[ "$MY_AGG" = "$MY_FP" ] || die "MariaDB fingerprint_agg('iidssTi', ...) $MY_AGG differs from the procedure's $MY_FP"
fi
[ "$WANT_PG" = 0 ] || [ "$WANT_MY" = 0 ] || [ "$PG_FP" = "$MY_FP" ] ||
	die "the engines disagree: PostgreSQL $PG_FP, MariaDB $MY_FP"
FP=${PG_FP:-$MY_FP}
case "$FP" in "fp1:xxh3:$ROWS:"*) ;; *) die "the fingerprint '$FP' does not cover $ROWS rows" ;; esac
[ -z "$KNOWN_FP" ] || [ "$FP" = "$KNOWN_FP" ] || die "the fingerprint $FP is not the known $KNOWN_FP for $ROWS rows"
log "fingerprints equal: $FP"

# ------------------------------------------------------------------------------------
# Timing. Every query runs RUNS + 1 times and the first round only warms up. The runs
# are interleaved, round by round (every query once, then every query again, ...), in one
# session per engine: this machine is a VM whose speed drifts by 10-20% over minutes,
# and interleaving spreads that drift over all queries instead of charging it to
# whichever query happened to run during a slow spell.
# PostgreSQL: psql's \timing (client wall clock, send to last byte received).
# MariaDB: SYSDATE(6) read by the server right before and right after the query, in the
# same session (the client has no finer timer than milliseconds).

SEP=$'\x1f'
: >"$work/queries"
# query ENGINE WORKERS LABEL SQL [SETTING...]: adds one query to the list
query() {
	local engine=$1 workers=$2 label=$3 sql=$4 settings
	shift 4
	settings=$(IFS=';' && echo "$*")
	printf '%s\n' "$engine$SEP$workers$SEP$label$SEP$settings$SEP$sql" >>"$work/queries"
}

# After VACUUM the planner answers count(*) from the primary key (an index-only scan);
# "count(*) seq scan" reads the heap like every other query here does.
for workers in 0 2; do
	[ "$WANT_PG" = 1 ] || break
	if [ "$MODE" = scan ]; then
		query PostgreSQL "$workers" "count(*) seq scan" "SELECT count(*) FROM bench" \
			"enable_indexonlyscan = off" "enable_indexscan = off" "enable_bitmapscan = off"
		query PostgreSQL "$workers" "table_fingerprint('bench')" "SELECT table_fingerprint('bench')"
		continue
	fi
	query PostgreSQL "$workers" "count(*)" "SELECT count(*) FROM bench"
	query PostgreSQL "$workers" "count(*) seq scan" "SELECT count(*) FROM bench" \
		"enable_indexonlyscan = off" "enable_indexscan = off" "enable_bitmapscan = off"
	query PostgreSQL "$workers" "table_fingerprint('bench')" "SELECT table_fingerprint('bench')"
	query PostgreSQL "$workers" "fingerprint_agg(t)" "SELECT fingerprint_agg(t) FROM bench t"
	query PostgreSQL "$workers" "sum(hashtext(t::text))" "SELECT sum(hashtext(t::text)) FROM bench t"
	query PostgreSQL "$workers" "md5 sum (data-diff style)" \
		"SELECT sum(('x' || substr(md5(t::text), 1, 16))::bit(64)::bigint::numeric) FROM bench t"
	query PostgreSQL "$workers" "sum(hash_record_extended(t, 0))" "SELECT sum(hash_record_extended(t, 0)) FROM bench t"
	# diagnostic: the scan plus building each row's composite datum, nothing hashed
	query PostgreSQL "$workers" "diag: count(t)" "SELECT count(t) FROM bench t"
done
if [ "$WANT_MY" = 1 ]; then
query MariaDB - "count(*)" "SELECT count(*) FROM bench"
query MariaDB - "CHECKSUM TABLE" "CHECKSUM TABLE bench"
query MariaDB - "pt-table-checksum style BIT_XOR(CRC32(...))" \
	"SELECT COUNT(*), BIT_XOR(CRC32(CONCAT_WS('#', id, qty, price, name, note, created, active, CONCAT(ISNULL(name), ISNULL(note))))) FROM bench"
query MariaDB - "CALL fingerprint.table_fingerprint" "CALL fingerprint.table_fingerprint('benchdb.bench')"
query MariaDB - "fingerprint_agg('iidssTi', ...)" "$MY_DIRECT"
# diagnostic: the same UDF call without CONVERT(... USING utf8mb4) on the columns, which
# are utf8mb4 already (same fingerprint; shows what the conversion costs)
query MariaDB - "diag: fingerprint_agg without CONVERT" \
	"SELECT fingerprint_agg('iidssTi', id, qty, price, name, note, created, active) FROM bench"
# The floor of the UDF interface: the procedure's own arguments (its spec and columns, as
# fingerprint.run_fingerprint writes them), handed to a UDF aggregate that does nothing.
if [ "$NOOP" = 1 ]; then
	query MariaDB - "floor: no-op UDF aggregate, same arguments" \
		"SELECT fingerprint_noop_agg('xxh3:iidssTi', id AS id, qty AS qty, price AS price, name AS name, note AS note, created AS created, active AS active) FROM bench"
fi
fi

# The psql script: "@@ QUERY ROUND" markers, then each query under \timing.
pg_script() {
	local round n engine workers label settings sql s x
	for round in $(seq 0 "$RUNS"); do
		n=0
		while IFS=$SEP read -r engine workers label settings sql; do
			n=$((n + 1))
			[ "$engine" = PostgreSQL ] || continue
			IFS=';' read -r -a s <<<"$settings"
			echo "\\echo @@ $n $round"
			echo "SET max_parallel_workers_per_gather = $workers;"
			for x in "${s[@]}"; do echo "SET $x;"; done
			echo '\timing on'
			echo "$sql;"
			echo '\timing off'
			for x in "${s[@]}"; do echo "RESET ${x%%=*};"; done
		done <"$work/queries"
	done
}

# The mariadb script: the same markers, each query between two SYSDATE(6) readings.
my_script() {
	local round n engine workers label settings sql
	echo "USE benchdb;"
	for round in $(seq 0 "$RUNS"); do
		n=0
		while IFS=$SEP read -r engine workers label settings sql; do
			n=$((n + 1))
			[ "$engine" = MariaDB ] || continue
			echo "SELECT '@@ $n $round';"
			echo "SET @bench_t0 = SYSDATE(6);"
			echo "$sql;"
			echo "SELECT CONCAT('elapsed ', TIMESTAMPDIFF(MICROSECOND, @bench_t0, SYSDATE(6)));"
		done <"$work/queries"
	done
}

# Both turn the output into QUERY ROUND T seconds / QUERY ROUND R result-line.
pg_parse() {
	awk -v runs="$RUNS" '
		/^@@ / { q = $2; r = $3
		         if (q == first || first == "") { first = q; printf "   PostgreSQL round %d of %d\n", r, runs > "/dev/stderr" }
		         next }
		/^Time: / { print q "\t" r "\tT\t" $2 / 1000; next }
		/^Timing is/ { next }
		{ print q "\t" r "\tR\t" $0 }'
}
my_parse() {
	awk -v runs="$RUNS" '
		/^@@ / { split($0, a, " "); q = a[2]; r = a[3]
		         if (q == first || first == "") { first = q; printf "   MariaDB round %d of %d\n", r, runs > "/dev/stderr" }
		         next }
		/^elapsed / { split($0, a, " "); print q "\t" r "\tT\t" a[2] / 1e6; next }
		{ print q "\t" r "\tR\t" $0 }'
}

# median min max of the numbers on stdin (seconds)
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.4f\t%.4f\t%.4f\n", m, v[1], v[NR] }'
}

# record N ENGINE LABEL WORKERS RAWFILE: checks query N's runs agreed, appends its line
record() {
	local n=$1 engine=$2 label=$3 workers=$4 raw=$5 results timings s
	timings=$(awk -F'\t' -v n="$n" '$1 == n && $2 > 0 && $3 == "T" { print $4 }' "$raw")
	results=$(awk -F'\t' -v n="$n" '$1 == n && $3 == "R"' "$raw" | cut -f4- | sort -u)
	[ "$(printf '%s\n' "$timings" | grep -c .)" = "$RUNS" ] ||
		{ grep "^$n	" "$raw" >&2; die "$engine '$label': expected $RUNS timed runs"; }
	[ "$(printf '%s\n' "$results" | grep -c .)" -le 1 ] ||
		{ grep "^$n	" "$raw" >&2; die "$engine '$label': runs returned different results"; }
	case "$results" in
	fp1:*) [ "$results" = "$FP" ] || die "$engine '$label' returned $results, not $FP" ;;
	esac
	results=${results//$'\t'/ }
	s=$(printf '%s\n' "$timings" | stats)
	printf '%s\t%s\t%s\t%s\t%s\n' "$engine" "$label" "$workers" "$s" "$results" >>"$OUT/results.tsv"
	printf '%s\t%s\t%s\t%s\n' "$engine" "$label" "$workers" "$(printf '%s\n' "$timings" | paste -sd ' ')" >>"$OUT/raw.tsv"
	printf '   %-10s %-44s %-2s median %ss\n' "$engine" "$label" "$workers" "$(cut -f1 <<<"$s")" >&2
}

: >"$OUT/results.tsv"
: >"$OUT/raw.tsv"
: >"$OUT/plans.log"
# Somebody else's `cmake --install` during the run would swap the PostgreSQL module under
# us (each new session loads it afresh): remember both libraries and compare at the end.
libraries() {
	{
		[ "$WANT_PG" = 0 ] || echo "$(pg_config --pkglibdir)/fingerprint.so"
		[ "$WANT_MY" = 0 ] || echo "$(my -e 'SELECT @@plugin_dir' | sed 's:/*$::')/fingerprint_udf.so"
	} | xargs -d '\n' sha256sum 2>&1 | awk '{ print substr($1, 1, 12), $2 }'
}
LIBS_BEFORE=$(libraries)

log "timing: $RUNS rounds of every query after one warm-up round"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(now)
if [ "$WANT_PG" = 1 ]; then
	pg_script | pg 2>&1 | pg_parse >"$work/pg.raw" || { tail -n 20 "$work/pg.raw" >&2; die "a PostgreSQL query failed"; }
fi
if [ "$WANT_MY" = 1 ]; then
	my_script | my 2>&1 | my_parse >"$work/my.raw" || { tail -n 20 "$work/my.raw" >&2; die "a MariaDB query failed"; }
fi
n=0
while IFS=$SEP read -r engine workers label settings sql; do
	n=$((n + 1))
	if [ "$engine" = PostgreSQL ]; then
		record "$n" "$engine" "$label" "$workers" "$work/pg.raw"
		IFS=';' read -r -a s <<<"$settings"
		{
			echo "-- $label, max_parallel_workers_per_gather = $workers"
			pg -c "SET max_parallel_workers_per_gather = $workers" "${s[@]/#/--command=SET }" -c "EXPLAIN $sql"
			echo
		} >>"$OUT/plans.log" 2>&1 </dev/null || true
	else
		record "$n" "$engine" "$label" "$workers" "$work/my.raw"
	fi
done <"$work/queries"
TIMING_SECONDS=$(elapsed "$t0" 1)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
LIBS_AFTER=$(libraries)
LIBS_NOTE="unchanged during the run"
if [ "$LIBS_BEFORE" != "$LIBS_AFTER" ]; then
	LIBS_NOTE="**CHANGED during the run (someone reinstalled): the timings mix builds, run again**"
	log "WARNING: the installed fingerprint libraries changed during the run; the timings mix builds"
fi

# ------------------------------------------------------------------------------------
# Optional profile: where table_fingerprint spends its time on each engine (serial).

# perf_report PID DATA: the share of PID's samples by object, then its top symbols
perf_report() {
	echo "# share of the server process's samples, by object"
	perf report -i "$2" --no-children --pid "$1" --percentage relative --sort dso --stdio 2>/dev/null |
		grep '%' | grep -v '^#' | head -n 8
	echo "# top symbols"
	perf report -i "$2" --no-children --pid "$1" --percentage relative --sort dso,sym --stdio 2>/dev/null |
		grep '%' | grep -v '^#' | head -n 40
}
if [ "$PERF" = 1 ]; then
	if command -v perf >/dev/null 2>&1; then
		log "profiling table_fingerprint on each engine with perf"
		if [ "$WANT_PG" = 1 ]; then
			# Serial plan, so the whole query runs in the one backend whose pid psql prints.
			perf record -q -a -F 999 -o "$work/perf-pg.data" -- \
				psql -X -q -h "$work/pg" -p "$PG_PORT" -U postgres -d postgres -At \
				-c "SET max_parallel_workers_per_gather = 0" -c "SELECT pg_backend_pid()" \
				-c "SELECT table_fingerprint('bench')" >"$work/perf-pg.out" 2>"$OUT/perf.log" || true
			perf_report "$(head -n 1 "$work/perf-pg.out")" "$work/perf-pg.data" >"$OUT/perf-pg.txt" || true
		fi
		if [ "$WANT_MY" = 1 ]; then
			perf record -q -a -F 999 -o "$work/perf-my.data" -- \
				mariadb --no-defaults -S "$work/my/mysqld.sock" -u root -N -B benchdb \
				-e "CALL fingerprint.table_fingerprint('benchdb.bench')" \
				>/dev/null 2>>"$OUT/perf.log" || true
			perf_report "$(cat "$work/my/mysqld.pid")" "$work/perf-my.data" >"$OUT/perf-mariadb.txt" || true
		fi
	else
		log "perf not found: no profile"
	fi
fi

# ------------------------------------------------------------------------------------
# Report

if [ "$WANT_PG" = 1 ]; then
	PG_VERSION=$(pg -c "SHOW server_version")
	PG_SIZE=$(pg -c "SELECT pg_size_pretty(pg_table_size('bench'))")
	PG_SETTINGS=$(pg -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', 'max_parallel_workers', 'huge_pages')")
fi
if [ "$WANT_MY" = 1 ]; then
	MY_VERSION=$(my -e "SELECT VERSION()")
	MY_SIZE=$(my -e "SELECT CONCAT(ROUND((data_length + index_length) / 1048576), ' MB') FROM information_schema.tables WHERE table_schema = 'benchdb' AND table_name = 'bench'")
	MY_SETTINGS=$(my -e "SELECT CONCAT('innodb_buffer_pool_size=', @@innodb_buffer_pool_size DIV 1048576, 'MB, innodb_log_file_size=', @@innodb_log_file_size DIV 1048576, 'MB')")
fi
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes)" || true)

# ratios: PostgreSQL to count(*) at the same workers; MariaDB to count(*) and CHECKSUM TABLE
awk -F'\t' '
	{ row[NR] = $0; e[NR] = $1; q[NR] = $2; w[NR] = $3; m[NR] = $4; lo[NR] = $5; hi[NR] = $6 }
	$2 == "count(*)" { base[$1 "/" $3] = $4 }
	$2 == "count(*) seq scan" { seq[$1 "/" $3] = $4 }
	$2 == "CHECKSUM TABLE" { ck = $4 }
	$2 ~ /^floor: / { fl = $4 }
	END {
		for (i = 1; i <= NR; i++) {
			b = base[e[i] "/" w[i]]
			s = seq[e[i] "/" w[i]]
			r1 = b > 0 ? sprintf("%.2f", m[i] / b) : "-"
			r2 = s > 0 ? sprintf("%.2f", m[i] / s) : ""
			r3 = (e[i] == "MariaDB" && ck > 0) ? sprintf("%.2f", m[i] / ck) : ""
			r4 = (e[i] == "MariaDB" && fl > 0) ? sprintf("%.2f", m[i] / fl) : ""
			printf "%s\t%s\t%s\t%.3f\t%.3f-%.3f\t%s\t%s\t%s\t%s\n", e[i], q[i], w[i], m[i], lo[i], hi[i], r1, r2, r3, r4
		}
	}' "$OUT/results.tsv" >"$work/table.tsv"

ratio() { # ENGINE LABEL WORKERS COLUMN (6: x count(*), 7: x seq-scan count(*), 8: x CHECKSUM TABLE, 9: x the UDF floor)
	awk -F'\t' -v e="$1" -v q="$2" -v w="$3" -v c="$4" '$1 == e && $2 == q && $3 == w { print $c }' "$work/table.tsv"
}
verdict() { # RATIO LIMIT
	awk -v r="$1" -v l="$2" 'BEGIN { if (r == "" || r == "-") print "n/a"; else if (r + 0 <= l + 0) print "met"; else print "NOT met" }'
}

{
	echo "# fingerprint benchmark run"
	echo
	echo "- command: \`BENCH_ROWS=$ROWS BENCH_RUNS=$RUNS BENCH_ENGINES=$ENGINES BENCH_MODE=$MODE bench/run.sh\`, commit $COMMIT$DIRTY, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) CPUs ($CPU), $MEM RAM, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
	[ "$WANT_PG" = 0 ] || echo "- PostgreSQL $PG_VERSION: $PG_SETTINGS; table $PG_SIZE, VACUUM FREEZE + pg_prewarm before timing"
	[ "$WANT_MY" = 0 ] || echo "- MariaDB $MY_VERSION: $MY_SETTINGS; table $MY_SIZE (InnoDB, utf8mb4)"
	echo "- $ROWS rows loaded in ${LOAD_SECONDS}s; timing took ${TIMING_SECONDS}s;" \
		"load average before timing $LOAD_BEFORE, after $LOAD_AFTER (the benchmark itself keeps one core busy)"
	echo "- fingerprint: \`$FP\`"
	echo "- libraries (sha256 prefix): $(echo "$LIBS_BEFORE" | paste -sd ';' | sed 's/;/; /g'); $LIBS_NOTE"
	echo "- 1 warm-up round, then $RUNS timed rounds of every query, interleaved; median and range in seconds"
	echo
	echo "| engine | query | workers | median s | range s | x \`count(*)\` | x \`count(*)\` seq scan | x \`CHECKSUM TABLE\` | x UDF floor |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' '{ printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$work/table.tsv"
	echo
	echo "Goals (reported, not asserted):"
	echo
	for w in 0 2; do
		[ "$WANT_PG" = 1 ] || break
		r=$(ratio PostgreSQL "table_fingerprint('bench')" "$w" 7)
		goal=1.5
		[ "$w" = 0 ] || goal=2
		echo "- PostgreSQL table_fingerprint within ${goal}x of the seq-scan count(*) at $w workers (issue 12): ${r}x, $(verdict "$r" "$goal")"
		[ "$MODE" = all ] || continue
		for q in "fingerprint_agg(t)" "table_fingerprint('bench')"; do
			r=$(ratio PostgreSQL "$q" "$w" 6)
			r2=$(ratio PostgreSQL "$q" "$w" 7)
			echo "- PostgreSQL $q within 2x of count(*) at $w workers: ${r}x, $(verdict "$r" 2) (${r2}x the seq-scan count(*), $(verdict "$r2" 2))"
		done
	done
	for q in "CALL fingerprint.table_fingerprint" "fingerprint_agg('iidssTi', ...)"; do
		[ "$WANT_MY" = 1 ] || break
		r=$(ratio MariaDB "$q" - 8)
		echo "- MariaDB $q no slower than CHECKSUM TABLE: ${r}x, $(verdict "$r" 1)"
	done
	if [ "$NOOP" = 1 ]; then
		r=$(ratio MariaDB "CALL fingerprint.table_fingerprint" - 9)
		echo "- MariaDB CALL fingerprint.table_fingerprint within 1.15x of the UDF floor (a no-op UDF aggregate, same arguments): ${r}x, $(verdict "$r" 1.15)"
	fi
} >"$OUT/results.md"

echo
printf '%-10s  %-44s  %-7s  %8s  %13s  %10s  %10s  %10s  %8s\n' engine query workers "median s" "range s" "x count(*)" "x seq cnt" "x CHECKSUM" "x floor"
awk -F'\t' '{ printf "%-10s  %-44s  %-7s  %8s  %13s  %10s  %10s  %10s  %8s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$work/table.tsv"
echo
sed -n '/^Goals/,$p' "$OUT/results.md"
echo
echo "markdown: $OUT/results.md   raw timings: $OUT/raw.tsv   plans: $OUT/plans.log"
if [ "$PERF" = 1 ]; then
	echo "profiles: $OUT/perf-*.txt"
fi
