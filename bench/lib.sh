# shellcheck shell=bash
# What the benchmark scripts share (bench/run.sh, diff.sh, capture_pg.sh,
# capture_mariadb.sh): messages and timing helpers, the throwaway servers, and the
# benchmark table with its deterministic rows. Sourced first thing, not run:
#
#   set -euo pipefail
#   . "$(dirname "$0")/lib.sh"   # sets root (the checkout) and BENCH_NAME; C locale
#
# The server helpers use these variables, set by the caller before calling them:
#   work        the temporary directory (bench_workdir sets it)
#   PG_PORT     names PostgreSQL's socket in $work/pg (no TCP is opened)
#   PLUGIN_DIR  MariaDB plugin dir holding fingerprint_udf.so ('' = the server's own)
#   KEEP        1: leave the (stopped) servers' directory in place
#   OUT         where logs go
# and they run scripts/... relative to the checkout: cd "$root" first.

# shellcheck disable=SC2034 # used by the scripts that source this file
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=bench/$(basename "$0")
export LC_ALL=C
export PGCLIENTENCODING=UTF8

# ------------------------------------------------------------------------------------
# Messages and timing

die() {
	echo >&2
	echo "$BENCH_NAME: FAILED: $*" >&2
	exit 1
}
log() { printf '== %s\n' "$*" >&2; }
now() { date +%s.%N; }
# elapsed START [DECIMALS]: seconds since START (a `now`), 3 decimals unless told
elapsed() { awk -v a="$1" -v b="$(now)" -v d="${2:-3}" 'BEGIN { printf "%.*f", d, b - a }'; }
# the median of the numbers on stdin (an even count: the mean of the middle two, %.3f)
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# read_bench_env DEFAULT_ROWS DEFAULT_RUNS DEFAULT_OUT DEFAULT_PG_PORT: the settings of
# the table benchmarks (run.sh, diff.sh) from BENCH_ROWS, BENCH_RUNS, BENCH_BUILD,
# BENCH_OUT, BENCH_PG_PORT, BENCH_PLUGIN_DIR and BENCH_KEEP, checked (exit 2 when
# wrong); $OUT is created and made absolute.
read_bench_env() {
	ROWS=${BENCH_ROWS:-$1}
	RUNS=${BENCH_RUNS:-$2}
	BUILD=${BENCH_BUILD:-1}
	OUT=${BENCH_OUT:-$3}
	PG_PORT=${BENCH_PG_PORT:-$4}
	PLUGIN_DIR=${BENCH_PLUGIN_DIR:-}
	KEEP=${BENCH_KEEP:-0}
	case "$ROWS" in '' | *[!0-9]*) echo "BENCH_ROWS must be a positive integer" >&2; exit 2 ;; esac
	case "$RUNS" in '' | *[!0-9]* | 0) echo "BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac
	[ "$ROWS" -ge 1 ] || { echo "BENCH_ROWS must be at least 1" >&2; exit 2; }
	mkdir -p "$OUT"
	OUT=$(cd "$OUT" && pwd)
}

# build_if_asked: with BUILD=1, builds and installs fingerprint (scripts/build.sh).
build_if_asked() {
	[ "$BUILD" = 1 ] || return 0
	log "building and installing fingerprint (scripts/build.sh)"
	scripts/build.sh >"$OUT/build.log" 2>&1 || { tail -n 40 "$OUT/build.log" >&2; die "build failed, see $OUT/build.log"; }
}

# ------------------------------------------------------------------------------------
# Servers: PostgreSQL in $work/pg, MariaDB in $work/my

# bench_workdir PREFIX: a fresh $work, and an EXIT trap that stops both servers and
# removes it (unless KEEP=1).
bench_workdir() {
	work=$(mktemp -d "/tmp/$1.XXXXXX")
	chmod 755 "$work" # the PostgreSQL cluster belongs to the postgres user when run as root
	trap bench_cleanup EXIT
}
bench_cleanup() {
	scripts/pg_server.sh stop "$work/pg" >/dev/null 2>&1 || true
	scripts/mariadb_server.sh stop "$work/my" >/dev/null 2>&1 || true
	if [ "${KEEP:-0}" = 1 ]; then
		echo "$BENCH_NAME: servers' directory kept in $work" >&2
	else
		rm -rf "$work"
	fi
}

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$PG_PORT" -U postgres -d postgres -At "$@"; }
my() { mariadb --no-defaults --default-character-set=utf8mb4 -S "$work/my/mysqld.sock" -u root -N -B "$@"; }

# The settings of a server that holds the whole benchmark table in memory and is not
# interrupted by checkpoints while it is loaded and timed (for start_pg).
# shellcheck disable=SC2034 # used by the scripts that source this file
PG_TABLE_SETTINGS=("effective_cache_size = '16GB'" "work_mem = '64MB'" "maintenance_work_mem = '1GB'"
	"max_wal_size = '16GB'" "checkpoint_timeout = '1h'")

# start_pg SETTING...: starts PostgreSQL, writes each "name = value" with ALTER SYSTEM
# (kept in the throwaway cluster) and restarts it, so that shared_buffers applies.
start_pg() {
	local setting
	scripts/pg_server.sh start "$work/pg" "$PG_PORT" || die "PostgreSQL did not start"
	for setting in "$@"; do
		echo "ALTER SYSTEM SET $setting;"
	done | pg -f - || die "could not configure PostgreSQL"
	scripts/pg_server.sh stop "$work/pg" || die "could not restart PostgreSQL"
	scripts/pg_server.sh start "$work/pg" "$PG_PORT" || die "PostgreSQL did not restart"
}

# start_mariadb BUFFER_POOL_BYTES: starts MariaDB (with PLUGIN_DIR when set), sizes its
# buffer pool and redo log (both dynamic in 10.11) and waits until the pool is resized.
start_mariadb() {
	local pool=$1 status
	if [ -n "${PLUGIN_DIR:-}" ]; then
		scripts/mariadb_server.sh start "$work/my" "$PLUGIN_DIR" || die "MariaDB did not start"
	else
		scripts/mariadb_server.sh start "$work/my" || die "MariaDB did not start"
	fi
	my -e "SET GLOBAL innodb_buffer_pool_size = $pool; SET GLOBAL innodb_log_file_size = 1073741824;" ||
		die "could not configure MariaDB"
	# Resizing the buffer pool runs in the background; wait until it is done.
	for _ in $(seq 600); do
		status=$(my -e "SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'" | cut -f2)
		[ "$(my -e 'SELECT @@innodb_buffer_pool_size')" = "$pool" ] &&
			case "$status" in '' | Completed*) true ;; *) false ;; esac && break
		sleep 0.1
	done
}

# install_mariadb_procedures: the build's assembled install.sql (build/sql/mysql, or
# FINGERPRINT_MYSQL_SQL_DIR) into the MariaDB server.
install_mariadb_procedures() {
	local sql=${FINGERPRINT_MYSQL_SQL_DIR:-build/sql/mysql}/install.sql
	my <"$sql" >"$OUT/mariadb-install.log" 2>&1 ||
		{ cat "$OUT/mariadb-install.log" >&2; die "$sql failed"; }
}

# flush_innodb: lets InnoDB write back dirty pages and purge old row versions before
# anything is timed, so that background work does not compete with the queries for the
# 2 cores (the default innodb_io_capacity of 200 pages/s would take minutes).
flush_innodb() {
	local dirty history
	my -e "SET GLOBAL innodb_io_capacity_max = 100000; SET GLOBAL innodb_io_capacity = 50000;
	       SET GLOBAL innodb_max_dirty_pages_pct = 0"
	for _ in $(seq 1200); do
		dirty=$(my -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{ print $2 }')
		history=$(my -e "SHOW GLOBAL STATUS LIKE 'Innodb_history_list_length'" | awk '{ print $2 }')
		[ "${dirty:-1}" -le 10 ] && [ "${history:-0}" -eq 0 ] && break
		sleep 0.5
	done
	my -e "SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT; SET GLOBAL innodb_io_capacity = DEFAULT;
	       SET GLOBAL innodb_io_capacity_max = DEFAULT"
}

# ------------------------------------------------------------------------------------
# The benchmark table: the same deterministic rows on both engines, built from n with
# integer arithmetic only: ~5% non-ASCII names, 2% NULL names, 1/7 NULL notes of 20..99
# characters, prices 0.00..99999.99, microsecond timestamps over ~6 years.

# bench_table_pg NAME / bench_table_my NAME: the CREATE TABLE statement
bench_table_pg() {
	echo "CREATE TABLE $1 (
    id bigint PRIMARY KEY, qty int, price numeric(12,2), name varchar(64), note text,
    created timestamp(6), active boolean
);"
}
bench_table_my() {
	echo "CREATE TABLE $1 (
    id BIGINT PRIMARY KEY, qty INT, price DECIMAL(12,2), name VARCHAR(64), note TEXT,
    created DATETIME(6), active BOOLEAN
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;"
}

# The row for n, as a select list.
PG_ROW="n, (n * 7919 % 1000 - 100)::int, (n * 104729 % 10000000) / 100.0,
       CASE WHEN n % 50 = 0 THEN NULL WHEN n % 10 = 0 THEN 'Zoë Müller ' || n ELSE 'customer ' || n END,
       CASE WHEN n % 7 = 0 THEN NULL ELSE left(repeat(md5(n::text), 3), (20 + n % 80)::int) END,
       timestamp '2020-01-01 00:00:00' + n * 37 * interval '1 second' + (n % 999983) * interval '1 microsecond',
       n % 3 <> 0"
MY_ROW="n, n * 7919 % 1000 - 100, (n * 104729 % 10000000) / 100,
       CASE WHEN n % 50 = 0 THEN NULL WHEN n % 10 = 0 THEN CONCAT('Zoë Müller ', n) ELSE CONCAT('customer ', n) END,
       IF(n % 7 = 0, NULL, LEFT(REPEAT(MD5(n), 3), 20 + n % 80)),
       TIMESTAMP '2020-01-01 00:00:00' + INTERVAL n * 37 SECOND + INTERVAL n % 999983 MICROSECOND,
       n % 3 <> 0"

# bench_rows_pg ROWS / bench_rows_my ROWS: SELECT of the rows n = 1..ROWS
bench_rows_pg() { echo "SELECT $PG_ROW FROM generate_series(1::bigint, $1) AS n"; }
bench_rows_my() { echo "SELECT $MY_ROW FROM (SELECT CAST(seq AS SIGNED) AS n FROM seq_1_to_$1) AS s"; }

# start_pg_reserving_huge_pages SETTING...: start_pg, and with SCAN_NR_HUGEPAGES=N first
# sets vm.nr_hugepages to N (huge_pages = on needs about 1100 for shared_buffers = 2GB)
# and puts the old count back once the server has started: the server keeps the pages it
# mapped (as surplus pages, freed when it stops), and the pool holds none for another
# server, whose huge_pages = try would take them. Holds SCAN_LOCK (when set) meanwhile,
# the lock under which the other scripts and tests start their servers. Root only.
start_pg_reserving_huge_pages() {
	local before rc=0
	if [ -z "${SCAN_NR_HUGEPAGES:-}" ]; then
		start_pg "$@"
		return
	fi
	if [ -n "${SCAN_LOCK:-}" ]; then
		exec 8>>"$SCAN_LOCK"
		flock 8
	fi
	before=$(cat /proc/sys/vm/nr_hugepages)
	echo "$SCAN_NR_HUGEPAGES" >/proc/sys/vm/nr_hugepages || die "could not set vm.nr_hugepages"
	(start_pg "$@" 8>&-) || rc=$?
	echo "$before" >/proc/sys/vm/nr_hugepages
	if [ -n "${SCAN_LOCK:-}" ]; then
		flock -u 8
		exec 8>&-
	fi
	[ "$rc" = 0 ] || die "PostgreSQL did not start with vm.nr_hugepages = $SCAN_NR_HUGEPAGES"
	log "huge pages: $(grep -E 'HugePages_(Total|Surp)' /proc/meminfo | tr -s ' \n' ' ')"
}

# load_bench ROWS PG_AFTER_LOAD: the table bench with the rows 1..ROWS in PostgreSQL's
# database postgres and in MariaDB's database benchdb, both loaded at the same time (the
# output in $OUT/load-pg.log and $OUT/load-mariadb.log); PG_AFTER_LOAD is SQL that
# PostgreSQL runs right after its load (VACUUM and the like). Then lets InnoDB write the
# loaded pages back (flush_innodb). Sets LOAD_SECONDS. LOAD_PG=0 or LOAD_MY=0 leaves
# that engine out (its server was not started).
load_bench() {
	local rows=$1 pg_after=$2 t0 pg_pid='' my_pid='' pg_ok=0 my_ok=0
	log "loading $rows rows (both engines in parallel)"
	t0=$(now)
	[ "${LOAD_PG:-1}" = 0 ] || pg >"$OUT/load-pg.log" 2>&1 <<SQL &
$(bench_table_pg bench)
INSERT INTO bench $(bench_rows_pg "$rows");
$pg_after
SQL
	[ "${LOAD_PG:-1}" = 0 ] || pg_pid=$!
	[ "${LOAD_MY:-1}" = 0 ] || my >"$OUT/load-mariadb.log" 2>&1 <<SQL &
CREATE DATABASE benchdb;
USE benchdb;
$(bench_table_my bench)
INSERT INTO bench $(bench_rows_my "$rows");
ANALYZE TABLE bench;
SQL
	[ "${LOAD_MY:-1}" = 0 ] || my_pid=$!
	[ -z "$pg_pid" ] || wait "$pg_pid" || pg_ok=$?
	[ -z "$my_pid" ] || wait "$my_pid" || my_ok=$?
	[ "$pg_ok" = 0 ] || { cat "$OUT/load-pg.log" >&2; die "loading PostgreSQL failed"; }
	[ "$my_ok" = 0 ] || { cat "$OUT/load-mariadb.log" >&2; die "loading MariaDB failed"; }
	LOAD_SECONDS=$(elapsed "$t0" 1)
	log "loaded in ${LOAD_SECONDS}s"
	[ "${LOAD_MY:-1}" = 0 ] || flush_innodb
}
