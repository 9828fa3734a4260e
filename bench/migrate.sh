#!/bin/bash
# `fingerprint migrate` replay throughput and lag (docs/migrate.md).
#
# Throughput, each direction (PostgreSQL -> MariaDB, MariaDB -> PostgreSQL, PostgreSQL ->
# PostgreSQL): MIGRATE_ROWS rows inserted on the source in one statement, then every row
# updated, then every row deleted; after each statement one `fingerprint migrate` run
# replays the captured changes into the target and proves every batch. Reports per
# phase the changes, the wall-clock time of the run (start-up included), the apply time
# the tool measured, the rate, the share of the proof (reading back the touched rows and
# keeping the running fingerprints) and the batches; checks table_fingerprint on both
# sides after each phase.
#
# PostgreSQL -> PostgreSQL's changes come in transactions of MIGRATE_TXN_ROWS rows (1,000,
# an OLTP-sized transaction; 0: one statement as the other directions): pgcopydb 0.10
# never applies a transaction whose WAL crosses a segment boundary (see the initdb
# below), so the 50,000- and 200,000-row statements measured nothing. Ours applies the
# same transactions (one batch: every transaction committed).
#
# Baseline, PostgreSQL -> PostgreSQL, in the same run: Debian's pgcopydb (0.10) `follow`
# (logical decoding with wal2json) replays the same transactions, run on a database of
# its own (pgcsrc, no capture triggers: its WAL holds only the benchmark table's
# changes) into another (pgctgt). pgcopydb follows all the time; each statement runs on
# pgcsrc after our run of that phase is over, so the two never compete for the cores.
# Its "until applied" is from the last transaction's commit until the target holds the
# phase's result (count and sum of qty, polled every 50 ms); its "apply" from the start
# of the first apply transaction seen (pg_stat_activity) to that moment; "ours / pgcopydb"
# is pgcopydb's apply time over ours on the same changes. pgcopydb 0.10 turns
# a WAL segment's changes into SQL only once changes of a later segment arrive, so after
# each statement the script switches the WAL and writes one row to a table `tick` (on
# both sides): without it a statement waits for unrelated writes, for ever on a quiet
# server. pgcopydb gets MIGRATE_PGCOPYDB_WAIT seconds (300) per statement; when it has not
# applied a statement by then, the table says so and its later phases are not measured.
#
# Baseline of a change to the tool: MIGRATE_BASELINE_CLI=<another build's fingerprint>
# applies the same changes of a PostgreSQL source (a second consumer, a target database
# of its own) right after ours in every phase, each run's rate in the table with the
# ratio ours / baseline; ours runs first unless MIGRATE_BASELINE_FIRST=1 (the second
# reader of a freshly written log may find it cached, its hint bits set: run both
# orders). MIGRATE_DIRECTIONS (default "pg_to_my my_to_pg pg_to_pg")
# limits the directions of both parts.
#
# Bounded MariaDB batches in the same run: MIGRATE_MY_BOUNDED=N (e.g. 10000, 1.6's
# default) replays each phase of a MariaDB source a second time with `--batch-changes N`
# (1.7's default is one snapshot batch holding every committed transaction whole): the
# same statement on a second table, benchb, of the same migration (MariaDB's log has one
# consumer), replayed by a run with that option right after ours (before it with
# MIGRATE_BASELINE_FIRST=1), so the log holds only one table's changes at each run; its
# row is "bounded N" with the ratio ours / bounded.
#
# Lag, PostgreSQL -> MariaDB and MariaDB -> PostgreSQL: `fingerprint migrate --follow`
# while a writer inserts MIGRATE_LAG_RATE rows/s (5,000) for MIGRATE_LAG_SECONDS (60),
# 1/50 of them per transaction every 20 ms; lag = when a poll of the target (every
# 50 ms) first shows a transaction's rows - when the source's commit returned to the
# writer (bench/migrate_watch.py). MIGRATE_LAG_SECONDS=0 skips it.
#
#   bench/migrate.sh                        # 200,000 rows, 60 s of lag per direction
#   MIGRATE_ROWS=20000 MIGRATE_LAG_SECONDS=10 bench/migrate.sh
#
# Uses the installed PostgreSQL extension and build/ (BENCH_PLUGIN_DIR, BENCH_CLI to
# override); hold /tmp/fingerprint-pg.lock while it runs. Installs Debian's pgcopydb and
# postgresql-15-wal2json with apt-get when they are missing. Results in
# $MIGRATE_OUT/migrate.md (default bench/out).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROWS=${MIGRATE_ROWS:-200000}
OUT=${MIGRATE_OUT:-$root/bench/out}
PG_PORT=${MIGRATE_PG_PORT:-55443}
PLUGIN_DIR=${BENCH_PLUGIN_DIR:-$root/build/mysql_udf}
CLI=${BENCH_CLI:-$root/build/cli/fingerprint}
LAG_SECONDS=${MIGRATE_LAG_SECONDS:-60}
LAG_RATE=${MIGRATE_LAG_RATE:-5000}
PGCOPYDB_WAIT=${MIGRATE_PGCOPYDB_WAIT:-300}
TXN_ROWS=${MIGRATE_TXN_ROWS:-1000}
BASE_CLI=${MIGRATE_BASELINE_CLI:-}
BASE_FIRST=${MIGRATE_BASELINE_FIRST:-0}
MY_BOUNDED=${MIGRATE_MY_BOUNDED:-}
DIRECTIONS=${MIGRATE_DIRECTIONS:-pg_to_my my_to_pg pg_to_pg}
pgcopydb_failed=
PY=/usr/bin/python3
case "$ROWS" in '' | *[!0-9]* | 0) echo "MIGRATE_ROWS must be a positive integer" >&2; exit 2 ;; esac
case "$LAG_SECONDS$LAG_RATE$TXN_ROWS$MY_BOUNDED" in *[!0-9]*) echo "MIGRATE_LAG_SECONDS/RATE/TXN_ROWS/MY_BOUNDED must be integers" >&2; exit 2 ;; esac
for direction in $DIRECTIONS; do
	case "$direction" in pg_to_my | my_to_pg | pg_to_pg) ;; *) echo "MIGRATE_DIRECTIONS: unknown direction $direction" >&2; exit 2 ;; esac
done
[ -z "$BASE_CLI" ] || [ -x "$BASE_CLI" ] || { echo "MIGRATE_BASELINE_CLI: $BASE_CLI is not executable" >&2; exit 2; }
[ -x "$CLI" ] || die "$CLI is not built"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$root"
command -v pgcopydb >/dev/null || apt-get install -y pgcopydb >"$OUT/apt-pgcopydb.log" 2>&1 ||
	die "apt-get install pgcopydb failed, see $OUT/apt-pgcopydb.log"
[ -f "$(pg_config --pkglibdir)/wal2json.so" ] || apt-get install -y postgresql-15-wal2json >"$OUT/apt-wal2json.log" 2>&1 ||
	die "apt-get install postgresql-15-wal2json failed, see $OUT/apt-wal2json.log"
bench_workdir fp-migrate-bench
pgcopydb_pid=
# pgcopydb 0.10's follow does not end on SIGTERM or SIGINT: SIGKILL its processes.
stop_pgcopydb() {
	[ -n "$pgcopydb_pid" ] || return 0
	local children grandchildren
	children=$(pgrep -P "$pgcopydb_pid" || true)
	grandchildren=$(for child in $children; do pgrep -P "$child" || true; done)
	# shellcheck disable=SC2086 # lists of process ids
	kill -KILL "$pgcopydb_pid" $children $grandchildren 2>/dev/null || true
	wait "$pgcopydb_pid" 2>/dev/null || true
	pgcopydb_pid=
}
trap 'stop_pgcopydb; bench_cleanup' EXIT

log "starting PostgreSQL and MariaDB in $work"
# pgcopydb 0.10 loses a transaction whose WAL crosses a segment boundary (observed: of
# 50 transactions of 1,000 rows on 16 MB segments it never applied the one that crossed;
# a transaction spanning several made its transform process exit). The cluster gets
# 1 GB segments (scripts/pg_server.sh keeps a cluster it finds) and each pgcopydb phase
# starts on a fresh one (pgcopydb_phase), so no transaction it replays crosses one.
mkdir -p "$work/pg"
if [ "$(id -u)" = 0 ]; then chown postgres: "$work/pg"; as_owner() { runuser -u postgres -- "$@"; }; else
	as_owner() { "$@"; }; fi
as_owner "$(pg_config --bindir)/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync \
	--wal-segsize=1024 >"$OUT/initdb.log" 2>&1 || die "initdb failed, see $OUT/initdb.log"
start_pg "shared_buffers = '512MB'" "min_wal_size = '2GB'" "max_wal_size = '8GB'" "checkpoint_timeout = '30min'" "jit = off" \
	"wal_level = logical"
# A server that only lets listed libraries be output plugins must list wal2json too.
if pg -c "SHOW output_plugin_libraries" >/dev/null 2>&1; then
	pg -c "ALTER SYSTEM SET output_plugin_libraries = pgoutput, test_decoding, wal2json" -c "SELECT pg_reload_conf()" >/dev/null
fi
start_mariadb 1073741824
install_mariadb_procedures
load_start=$(uptime | sed 's/.*load average: //')
pg -c "CREATE DATABASE src" -c "CREATE DATABASE tgt" -c "CREATE DATABASE pgtgt" -c "CREATE DATABASE pgcsrc" \
	-c "CREATE DATABASE pgctgt" -c "CREATE DATABASE tgt_base" -c "CREATE DATABASE pgtgt_base"
for db in src tgt pgtgt tgt_base pgtgt_base; do
	psql -X -q -h "$work/pg" -p "$PG_PORT" -U postgres -d "$db" -c "CREATE EXTENSION fingerprint"
done
for db in src tgt tgt_base; do
	my -e "CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
done
pgdb() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$PG_PORT" -U postgres -d "$1" -At -c "$2"; }
mydb() { my "$1" -e "$2"; }
url() {
	if [ "$1" = pg ]; then echo "postgresql://postgres@/$2?host=$work/pg&port=$PG_PORT"; else
		echo "mysql://root@localhost/$2?socket=$work/my/mysqld.sock"; fi
}
# The database of each side: pg_to_pg's target is a database of its own.
target_db() { if [ "$1" = pg_to_pg ]; then echo pgtgt; else echo tgt; fi; }
# source_phase ENGINE DB PHASE TXN_ROWS [TABLE]: the phase's changes on the source (table
# bench unless named), in one statement (TXN_ROWS 0) or in transactions of TXN_ROWS rows
# (PostgreSQL).
source_phase() {
	local first last table=${5:-bench}
	if [ "$4" = 0 ]; then
		case "$3" in
		insert) if [ "$1" = pg ]; then sql pg "$2" "INSERT INTO $table $(bench_rows_pg "$ROWS")"; else
			sql my "$2" "INSERT INTO $table $(bench_rows_my "$ROWS")"; fi ;;
		update) sql "$1" "$2" "UPDATE $table SET qty = qty + 1, price = price + 0.01" ;;
		delete) sql "$1" "$2" "DELETE FROM $table" ;;
		esac
		return
	fi
	[ "$1" = pg ] || die "transactions of $4 rows are written on PostgreSQL only"
	for ((first = 1; first <= ROWS; first += $4)); do
		last=$((first + $4 - 1 < ROWS ? first + $4 - 1 : ROWS))
		case "$3" in
		insert) echo "INSERT INTO bench SELECT $PG_ROW FROM generate_series(${first}::bigint, $last) AS n;" ;;
		update) echo "UPDATE bench SET qty = qty + 1, price = price + 0.01 WHERE id BETWEEN $first AND $last;" ;;
		delete) echo "DELETE FROM bench WHERE id BETWEEN $first AND $last;" ;;
		esac
	done | psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$PG_PORT" -U postgres -d "$2" >/dev/null
}
sql() { if [ "$1" = pg ]; then pgdb "$2" "$3"; else mydb "$2" "$3"; fi; }
# fingerprint_of ENGINE DB [TABLE]
fingerprint_of() {
	if [ "$1" = pg ]; then pgdb "$2" "SELECT table_fingerprint('${3:-bench}')"; else
		mydb "$2" "CALL fingerprint.table_fingerprint('$2.${3:-bench}')"; fi
}

{
	echo "# fingerprint migrate: $ROWS rows inserted, updated, deleted, replayed"
	echo
	echo "| direction | phase | tool | changes | transactions | batches | run (s) | apply (s) | changes/s | proof share |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$OUT/migrate.md"

# pgcopydb: its source and target databases, the slot, and `follow` running from here on.
pgcopydb_start() {
	local src_url tgt_url
	src_url=$(url pg pgcsrc)
	tgt_url=$(url pg pgctgt)
	for db in pgcsrc pgctgt; do
		pgdb "$db" "$(bench_table_pg bench)"
		pgdb "$db" "CREATE TABLE tick (id bigint PRIMARY KEY)"
	done
	pgcopydb stream setup --source "$src_url" --target "$tgt_url" --dir "$work/pgcopydb" \
		>"$OUT/pgcopydb-setup.log" 2>&1 || die "pgcopydb stream setup failed, see $OUT/pgcopydb-setup.log"
	pgdb pgcsrc "UPDATE pgcopydb.sentinel SET apply = true"
	pgcopydb follow --source "$src_url" --target "$tgt_url" --dir "$work/pgcopydb" --resume --not-consistent \
		>"$OUT/pgcopydb-follow.log" 2>&1 &
	pgcopydb_pid=$!
}
# pgcopydb_phase PHASE OURS_APPLY: the phase's transactions on pgcsrc, pgcopydb's replay
# timed, and the ratio to our apply seconds on the same changes.
pgcopydb_phase() {
	local expected t count sum
	if [ -n "$pgcopydb_failed" ]; then
		echo "| pg_to_pg | $1 | pgcopydb follow | $ROWS | not measured ($pgcopydb_failed) | | | $2 | |" >>"$OUT/pgcopydb.md"
		return 0
	fi
	kill -0 "$pgcopydb_pid" 2>/dev/null || die "pgcopydb follow exited, see $OUT/pgcopydb-follow.log"
	pgdb pgcsrc "SELECT pg_switch_wal()" >/dev/null # a fresh segment (see initdb above)
	source_phase pg pgcsrc "$1" "$TXN_ROWS"
	pgdb pgcsrc "SELECT pg_switch_wal()" >/dev/null
	pgdb pgcsrc "INSERT INTO tick SELECT COALESCE(MAX(id), 0) + 1 FROM tick"
	expected=$(pgdb pgcsrc "SELECT COUNT(*) || ' ' || COALESCE(SUM(qty), 0) FROM bench")
	count=${expected% *}
	sum=${expected#* }
	if ! t=$(timeout "$PGCOPYDB_WAIT" "$PY" bench/migrate_watch.py converge \
		"pg:host=$work/pg port=$PG_PORT user=postgres dbname=pgctgt" bench "$count" "$sum" 'pgcopydb%'); then
		pgcopydb_failed="pgcopydb had not applied the $1 phase after $PGCOPYDB_WAIT s"
		log "$pgcopydb_failed (see $OUT/pgcopydb-follow.log)"
		echo "| pg_to_pg | $1 | pgcopydb follow | $ROWS | not applied in $PGCOPYDB_WAIT s | | | $2 | |" >>"$OUT/pgcopydb.md"
		return 0
	fi
	echo "| pg_to_pg | $1 | pgcopydb follow | $ROWS | ${t% *} | ${t#* } |" \
		"$(awk -v n="$ROWS" -v a="${t#* }" 'BEGIN { printf "%.0f", n / a }') | $2 |" \
		"$(awk -v o="$2" -v a="${t#* }" 'BEGIN { printf "%.1fx", a / o }') |" >>"$OUT/pgcopydb.md"
}
{
	echo
	echo "pgcopydb follow, the same transactions of $TXN_ROWS rows (0: one statement) as ours (PostgreSQL -> PostgreSQL):"
	echo
	echo "| direction | phase | tool | changes | until applied (s) | apply (s) | changes/s | ours: apply (s) | ours / pgcopydb |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
} >"$OUT/pgcopydb.md"

# run_migrate TOOL CLI DIRECTION PHASE TXN_ROWS SRC TGT TDB NAME [TABLE [OPTION...]]: one
# `fingerprint migrate` run of the phase's changes, checked, its row in migrate.md; sets
# APPLY (its apply s).
run_migrate() {
	local t0 run jsonl=$OUT/migrate-$3-$4-${1// /-}.jsonl table=${10:-bench}
	t0=$(now)
	"$2" migrate "$(url "$6" src)" "$(url "$7" "$8")" --name "$9" --json "${@:11}" >"$jsonl"
	run=$(elapsed "$t0")
	[ "$(fingerprint_of "$6" src "$table")" = "$(fingerprint_of "$7" "$8" "$table")" ] ||
		die "$3 $4 ($1): source and target differ"
	APPLY=$("$PY" - "$jsonl" "$3" "$4" "$run" "$1" "$5" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
batches = [l for l in lines if "batch" in l]
changes = sum(b["changes"] for b in batches)
apply = sum(b["apply_seconds"] for b in batches)
proof = sum(b["proof_seconds"] for b in batches)
rate = changes / apply if apply else 0
txns = "1" if sys.argv[6] == "0" else f"{-(-changes // int(sys.argv[6]))}"
with open(sys.argv[1] + ".md", "w") as out:
    print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[5]} | {changes} | {txns} | {len(batches)} | "
          f"{float(sys.argv[4]):.2f} | {apply:.2f} | {rate:,.0f} | {100 * proof / apply if apply else 0:.0f} % |",
          file=out)
print(f"{apply:.3f}")
PY
)
	cat "$jsonl.md" >>"$OUT/migrate.md"
}

for direction in $DIRECTIONS; do
	src=${direction%%_to_*}
	tgt=${direction##*_to_}
	tdb=$(target_db "$direction")
	name="bench_$direction"
	txn_rows=0
	[ "$direction" != pg_to_pg ] || txn_rows=$TXN_ROWS
	# The baseline build, on a PostgreSQL source: its own consumer and target database.
	base=
	[ -z "$BASE_CLI" ] || [ "$src" != pg ] || base=1
	# Bounded MariaDB batches: a second table and migration (MIGRATE_MY_BOUNDED).
	bounded=
	[ -z "$MY_BOUNDED" ] || [ "$src" != my ] || bounded=1
	log "$direction: tables, capture, the (empty) copy"
	sql "$src" src "DROP TABLE IF EXISTS bench"
	for db in "$tdb" ${base:+"${tdb}_base"}; do
		sql "$tgt" "$db" "DROP TABLE IF EXISTS bench"
		if [ "$tgt" = pg ]; then pgdb "$db" "$(bench_table_pg bench)"; else mydb "$db" "$(bench_table_my bench)"; fi
	done
	if [ "$src" = pg ]; then
		pgdb src "$(bench_table_pg bench)"
		pgdb src "SELECT fingerprint_capture_enable('bench')" >/dev/null
		pgdb src "SELECT fingerprint.register_consumer('migrate:$name')" >/dev/null
		[ -z "$base" ] || pgdb src "SELECT fingerprint.register_consumer('migrate:${name}_base')" >/dev/null
	else
		mydb src "$(bench_table_my bench)"
		"$CLI" capture enable "$(url my src)" bench >/dev/null
		if [ -n "$bounded" ]; then
			sql my src "DROP TABLE IF EXISTS benchb"
			sql "$tgt" "$tdb" "DROP TABLE IF EXISTS benchb"
			mydb src "$(bench_table_my benchb)"
			if [ "$tgt" = pg ]; then pgdb "$tdb" "$(bench_table_pg benchb)"; else mydb "$tdb" "$(bench_table_my benchb)"; fi
			"$CLI" capture enable "$(url my src)" benchb >/dev/null
		fi
	fi
	"$CLI" migrate "$(url "$src" src)" "$(url "$tgt" "$tdb")" bench ${bounded:+benchb} --name "$name" --no-copy >/dev/null 2>&1
	[ -z "$base" ] ||
		"$BASE_CLI" migrate "$(url "$src" src)" "$(url "$tgt" "${tdb}_base")" bench --name "${name}_base" --no-copy >/dev/null 2>&1
	[ "$direction" != pg_to_pg ] || pgcopydb_start
	for phase in insert update delete; do
		log "$direction: $phase of $ROWS rows on the source"
		source_phase "$src" src "$phase" "$txn_rows"
		if [ -n "$base" ] && [ "$BASE_FIRST" = 1 ]; then
			run_migrate baseline "$BASE_CLI" "$direction" "$phase" "$txn_rows" "$src" "$tgt" "${tdb}_base" "${name}_base"
			base_apply=$APPLY
		fi
		if [ -n "$bounded" ] && [ "$BASE_FIRST" = 1 ]; then
			source_phase my src "$phase" 0 benchb
			run_migrate "bounded $MY_BOUNDED" "$CLI" "$direction" "$phase" 0 my "$tgt" "$tdb" "$name" benchb \
				--batch-changes "$MY_BOUNDED"
			bounded_apply=$APPLY
		fi
		run_migrate ours "$CLI" "$direction" "$phase" "$txn_rows" "$src" "$tgt" "$tdb" "$name"
		ours_apply=$APPLY
		if [ -n "$bounded" ]; then
			if [ "$BASE_FIRST" != 1 ]; then
				source_phase my src "$phase" 0 benchb
				run_migrate "bounded $MY_BOUNDED" "$CLI" "$direction" "$phase" 0 my "$tgt" "$tdb" "$name" \
					benchb --batch-changes "$MY_BOUNDED"
				bounded_apply=$APPLY
			fi
			echo "| $direction | $phase | ours / bounded $MY_BOUNDED | | | | | | $(awk -v o="$ours_apply" -v b="$bounded_apply" 'BEGIN { printf "%.2fx", b / o }') | |" >>"$OUT/migrate.md"
		fi
		if [ -n "$base" ]; then
			if [ "$BASE_FIRST" != 1 ]; then
				run_migrate baseline "$BASE_CLI" "$direction" "$phase" "$txn_rows" "$src" "$tgt" "${tdb}_base" "${name}_base"
				base_apply=$APPLY
			fi
			echo "| $direction | $phase | ours / baseline | | | | | | $(awk -v o="$ours_apply" -v b="$base_apply" 'BEGIN { printf "%.2fx", b / o }') | |" >>"$OUT/migrate.md"
		fi
		[ "$direction" != pg_to_pg ] || pgcopydb_phase "$phase" "$ours_apply"
	done
done
stop_pgcopydb
cat "$OUT/pgcopydb.md" >>"$OUT/migrate.md"

# Lag under a steady load: `migrate --follow` while the writer runs.
if [ "$LAG_SECONDS" -gt 0 ]; then
	{
		echo
		echo "Lag under $LAG_RATE inserts/s for $LAG_SECONDS s (migrate --follow --poll 0.1):"
		echo
		echo "| direction | changes | rate (changes/s) | lag p50 (s) | lag p99 (s) | lag max (s) |"
		echo "|---|---:|---:|---:|---:|---:|"
	} >>"$OUT/migrate.md"
	for direction in pg_to_my my_to_pg; do
		case " $DIRECTIONS " in *" $direction "*) ;; *) continue ;; esac
		src=${direction%%_to_*}
		tgt=${direction##*_to_}
		name="lag_$direction"
		log "$direction: lag under $LAG_RATE inserts/s for $LAG_SECONDS s"
		sql "$src" src "DROP TABLE IF EXISTS lagt"
		sql "$tgt" tgt "DROP TABLE IF EXISTS lagt"
		for side in "$src" "$tgt"; do
			db=src
			[ "$side" = "$src" ] || db=tgt
			if [ "$side" = pg ]; then pgdb "$db" "CREATE TABLE lagt (id bigint PRIMARY KEY, qty int, note text)"; else
				mydb "$db" "CREATE TABLE lagt (id BIGINT PRIMARY KEY, qty INT, note TEXT) CHARSET utf8mb4 COLLATE utf8mb4_bin"; fi
		done
		if [ "$src" = pg ]; then
			pgdb src "SELECT fingerprint_capture_enable('lagt')" >/dev/null
			pgdb src "SELECT fingerprint.register_consumer('migrate:$name')" >/dev/null
		else
			# MariaDB's log has one consumer: the throughput run's tables leave it first.
			"$CLI" capture disable "$(url my src)" bench >/dev/null
			[ -z "$MY_BOUNDED" ] || "$CLI" capture disable "$(url my src)" benchb >/dev/null
			"$CLI" capture enable "$(url my src)" lagt >/dev/null
		fi
		"$CLI" migrate "$(url "$src" src)" "$(url "$tgt" tgt)" lagt --name "$name" --no-copy >"$OUT/lag-$direction-start.log" 2>&1 ||
			die "$direction: starting the lag migration failed, see $OUT/lag-$direction-start.log"
		"$CLI" migrate "$(url "$src" src)" "$(url "$tgt" tgt)" --name "$name" --follow --poll 0.1 --json \
			>"$OUT/lag-$direction.jsonl" 2>"$OUT/lag-$direction.log" &
		follow_pid=$!
		spec() {
			if [ "$1" = pg ]; then echo "pg:host=$work/pg port=$PG_PORT user=postgres dbname=$2"; else
				echo "my:$work/my/mysqld.sock:$2"; fi
		}
		result=$("$PY" bench/migrate_watch.py lag "$(spec "$src" src)" "$(spec "$tgt" tgt)" lagt "$LAG_RATE" "$LAG_SECONDS") ||
			die "$direction: the lag writer failed"
		kill -INT "$follow_pid"
		wait "$follow_pid" || die "$direction: migrate --follow failed, see $OUT/lag-$direction.log"
		[ "$(sql "$src" src "SELECT COUNT(*) FROM lagt")" = "$(sql "$tgt" tgt "SELECT COUNT(*) FROM lagt")" ] ||
			die "$direction: lagt differs in row count after the follow run"
		"$PY" - "$direction" "$result" >>"$OUT/migrate.md" <<'PY'
import json, sys
r = json.loads(sys.argv[2])
print(f"| {sys.argv[1]} | {r['changes']:,} | {r['rate']:,} | {r['p50']} | {r['p99']} | {r['max']} |")
PY
	done
fi
echo >>"$OUT/migrate.md"
echo "Load average at start: $load_start; at the end: $(uptime | sed 's/.*load average: //')" >>"$OUT/migrate.md"
cat "$OUT/migrate.md"
