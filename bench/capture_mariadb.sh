#!/bin/bash
# Change-capture benchmark on MariaDB (docs/capture.md): INSERT, UPDATE and
# DELETE of BENCH_ROWS rows of the benchmark table (bench/lib.sh's definition and data)
# with no trigger, with the cheapest possible logging trigger (the floor), with an audit
# trigger logging JSON_OBJECT(...) of the rows, with fingerprint's capture triggers, and
# (BENCH_BEFORE) with the previous release's capture triggers: that release's install.sql
# is loaded first, its triggers are enabled on a table of their own, and the current
# install.sql then upgrades it in place (the triggers keep logging into the same log).
# Rounds are interleaved (each round runs every variant, in a rotating order); medians
# and ratios to "no trigger", the floor and JSON_OBJECT are reported. Then the log is
# consumed with next_batch/finish_batch, and the log's file is measured over several
# write-and-consume cycles to show that delete-on-consume does not bloat it.
#
#   bench/capture_mariadb.sh                      # 200,000 rows, 5 rounds
#   BENCH_ROWS=20000 BENCH_ROUNDS=3 bench/capture_mariadb.sh
#
# Environment:
#   BENCH_ROWS=200000    rows per statement
#   BENCH_ROUNDS=5       interleaved rounds
#   BENCH_CYCLES=4       write-and-consume cycles for the bloat measurement
#   BENCH_BATCH=10000    batch size of the consumer
#   BENCH_PLUGIN_DIR=    directory of fingerprint_udf.so (default: the server's plugin dir)
#   BENCH_BEFORE=tests/mysql/upgrade/install-1.5.sql   the previous release's install.sql
#                        ("before"); empty: no such variant
#   BENCH_OUT=bench/out  capture_mariadb.md and capture_mariadb.tsv are written there
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"
ROWS=${BENCH_ROWS:-200000}
ROUNDS=${BENCH_ROUNDS:-5}
CYCLES=${BENCH_CYCLES:-4}
BATCH=${BENCH_BATCH:-10000}
PLUGIN_DIR=${BENCH_PLUGIN_DIR:-}
BEFORE=${BENCH_BEFORE-tests/mysql/upgrade/install-1.5.sql}
OUT=${BENCH_OUT:-$root/bench/out}
for v in "$ROWS" "$ROUNDS" "$CYCLES" "$BATCH"; do
	case "$v" in '' | *[!0-9]* | 0) echo "BENCH_ROWS, BENCH_ROUNDS, BENCH_CYCLES and BENCH_BATCH must be positive integers" >&2; exit 2 ;; esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

bench_workdir fingerprint-capture-bench

log "starting MariaDB in $work"
start_mariadb 1073741824
if [ -n "$BEFORE" ]; then
	my <"$BEFORE" >"$OUT/mariadb-install-before.log" 2>&1 || { cat "$OUT/mariadb-install-before.log" >&2; die "$BEFORE failed"; }
else
	install_mariadb_procedures
fi

log "loading $ROWS rows"
# The benchmark table and rows (bench/lib.sh); bench_src is the source of every timed INSERT.
my <<SQL || die "loading failed"
CREATE DATABASE cb CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE cb;
$(bench_table_my bench_src)
INSERT INTO bench_src $(bench_rows_my "$ROWS");
CREATE TABLE b_none LIKE bench_src;
CREATE TABLE b_json LIKE bench_src;
CREATE TABLE b_ours LIKE bench_src;
CREATE TABLE b_floor LIKE bench_src;
CREATE TABLE b_before LIKE bench_src;
-- The floor of any row trigger that logs: one constant row into a two-column table.
CREATE TABLE floor_log (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, op CHAR(1) NOT NULL) ENGINE=InnoDB;
CREATE TRIGGER b_floor_i AFTER INSERT ON b_floor FOR EACH ROW INSERT INTO floor_log (op) VALUES ('I');
CREATE TRIGGER b_floor_u AFTER UPDATE ON b_floor FOR EACH ROW INSERT INTO floor_log (op) VALUES ('U');
CREATE TRIGGER b_floor_d AFTER DELETE ON b_floor FOR EACH ROW INSERT INTO floor_log (op) VALUES ('D');
-- The audit baseline: one JSON_OBJECT per row image, into an AUTO_INCREMENT log.
CREATE TABLE audit_log (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, op CHAR(1) NOT NULL, table_name VARCHAR(129) NOT NULL,
    new_data LONGTEXT NULL, old_data LONGTEXT NULL, changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TRIGGER b_json_i AFTER INSERT ON b_json FOR EACH ROW
  INSERT INTO audit_log (op, table_name, new_data) VALUES ('I', 'cb.b_json', JSON_OBJECT('id', NEW.id, 'qty', NEW.qty,
    'price', NEW.price, 'name', NEW.name, 'note', NEW.note, 'created', NEW.created, 'active', NEW.active));
CREATE TRIGGER b_json_u AFTER UPDATE ON b_json FOR EACH ROW
  INSERT INTO audit_log (op, table_name, new_data, old_data) VALUES ('U', 'cb.b_json', JSON_OBJECT('id', NEW.id,
    'qty', NEW.qty, 'price', NEW.price, 'name', NEW.name, 'note', NEW.note, 'created', NEW.created, 'active', NEW.active),
    JSON_OBJECT('id', OLD.id, 'qty', OLD.qty, 'price', OLD.price, 'name', OLD.name, 'note', OLD.note,
    'created', OLD.created, 'active', OLD.active));
CREATE TRIGGER b_json_d AFTER DELETE ON b_json FOR EACH ROW
  INSERT INTO audit_log (op, table_name, old_data) VALUES ('D', 'cb.b_json', JSON_OBJECT('id', OLD.id, 'qty', OLD.qty,
    'price', OLD.price, 'name', OLD.name, 'note', OLD.note, 'created', OLD.created, 'active', OLD.active));
SQL
variants=(none floor json ours)
if [ -n "$BEFORE" ]; then
	# The previous release's triggers, then the upgrade to the current install.sql.
	my -e "CALL fingerprint.capture_apply('cb.b_before', 'enable')" >/dev/null || die "enabling capture (before) failed"
	install_mariadb_procedures
	variants+=(before)
fi
# Ours, through the client-side script (what a DBA runs).
scripts/mariadb_capture.sh enable cb.b_ours --no-defaults -S "$work/my/mysqld.sock" -u root >/dev/null ||
	die "enabling capture failed"

# The server's CPU time (user + system, all its threads, clock ticks): on a shared machine
# it moves less with the other processes' load than the elapsed time does.
server_pid=$(cat "$work/my/mysqld.pid")
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# Times one statement, the logs emptied first: "<microseconds, server clock> <CPU ticks>".
timed() { # timed SQL
	local t0 us
	my cb -e "TRUNCATE fingerprint.change_log; TRUNCATE audit_log; TRUNCATE floor_log;" >/dev/null
	t0=$(cpu_ticks)
	us=$(my cb -e "SET @t0 = SYSDATE(6); $1; SELECT TIMESTAMPDIFF(MICROSECOND, @t0, SYSDATE(6));")
	echo "$us $(($(cpu_ticks) - t0))"
}

raw="$OUT/capture_mariadb.tsv"
printf 'round\tvariant\toperation\tseconds\tcpu_seconds\n' >"$raw"
for round in $(seq "$ROUNDS"); do
	for i in $(seq 0 $((${#variants[@]} - 1))); do
		v=${variants[$(((i + round) % ${#variants[@]}))]}
		ins=$(timed "INSERT INTO b_$v SELECT * FROM bench_src")
		upd=$(timed "UPDATE b_$v SET qty = qty + 1")
		del=$(timed "DELETE FROM b_$v")
		for op in insert update delete; do
			case $op in insert) us=$ins ;; update) us=$upd ;; delete) us=$del ;; esac
			awk -v r="$round" -v v="$v" -v o="$op" -v u="${us% *}" -v t="${us#* }" -v hz="$hz" \
				'BEGIN { printf "%s\t%s\t%s\t%.3f\t%.2f\n", r, v, o, u / 1e6, t / hz }' >>"$raw"
		done
		log "round $round $v: insert ${ins% *}us update ${upd% *}us delete ${del% *}us (CPU ticks ${ins#* } ${upd#* } ${del#* })"
	done
done

# A sanity check of what was measured: the capture triggers logged every row.
my cb -e "TRUNCATE fingerprint.change_log; INSERT INTO b_ours SELECT * FROM bench_src LIMIT 1000;"
logged=$(my -e "SELECT COUNT(*) FROM fingerprint.change_log")
[ "$logged" = 1000 ] || die "the capture triggers logged $logged rows for 1000 inserts"
my cb -e "DELETE FROM b_ours; TRUNCATE fingerprint.change_log;"

# Consumption and bloat: write ROWS changes (an UPDATE of every row), consume them in
# batches of BATCH with next_batch/finish_batch, measure the log's .ibd file; repeat.
log "consumption and log size over $CYCLES cycles"
# (the timed runs truncated the log behind the triggers' back: enable again to re-baseline)
my cb -e "INSERT INTO b_ours SELECT * FROM bench_src; TRUNCATE fingerprint.change_log; DELETE FROM fingerprint.capture_batches;"
my -e "CALL fingerprint.capture_apply('cb.b_ours', 'enable')" >/dev/null
datadir=$(my -e "SELECT @@datadir")
cycles="$OUT/capture_mariadb_cycles.tsv"
printf 'cycle\tchanges\tconsume_seconds\tbatches\tlog_ibd_bytes\n' >"$cycles"
for cycle in $(seq "$CYCLES"); do
	my cb -e "UPDATE b_ours SET qty = qty + 1" >/dev/null
	changes=$(my -e "SELECT COUNT(*) FROM fingerprint.change_log")
	t0=$(now)
	batches=0
	while :; do
		id=$(my -e "CALL fingerprint.next_batch('bench', $BATCH)" | cut -f1)
		[ -n "$id" ] || break
		my -e "CALL fingerprint.batch_changes($id)" >/dev/null
		my -e "CALL fingerprint.finish_batch('bench', $id)" >/dev/null
		batches=$((batches + 1))
	done
	secs=$(elapsed "$t0" 2)
	# Let InnoDB purge the deleted rows before measuring.
	for _ in $(seq 100); do
		[ "$(my -e "SHOW ENGINE INNODB STATUS" | grep -o 'History list length [0-9]*' | awk '{ print $4 }')" -lt 100 ] && break
		sleep 0.2
	done
	size=$(stat -c %s "$datadir/fingerprint/change_log.ibd")
	printf '%s\t%s\t%s\t%s\t%s\n' "$cycle" "$changes" "$secs" "$batches" "$size" >>"$cycles"
	log "cycle $cycle: $changes changes consumed in $batches batches, ${secs}s; change_log.ibd $size bytes"
done
check=$(my -e "CALL fingerprint.capture_check('cb.b_ours')" | cut -f2)
[ "$check" = ok ] || die "capture_check after the cycles: $check"

# ------------------------------------------------------------------------------------
# Report: medians and ratios to no trigger.
med() { awk -F'\t' -v v="$1" -v o="$2" -v c="${3:-4}" '$2 == v && $3 == o { print $c }' "$raw" | median; }
{
	echo "# MariaDB change capture: $ROWS-row statements"
	echo
	echo "bench/capture_mariadb.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(my -e 'SELECT VERSION()'), $ROUNDS interleaved rounds,"
	echo "medians in seconds; the benchmark table of bench/run.sh; one statement per operation (autocommit)."
	echo "\"JSON_OBJECT\" is an AFTER trigger inserting JSON_OBJECT(...) of the row(s) into an audit table;"
	echo "\"fingerprint\" is the triggers of fingerprint.capture_ddl (row image, key image, fingerprints, changed columns)."
	echo
	echo "\"floor\" is the cheapest logging trigger possible: it inserts one constant row into a two-column table."
	echo
	echo "\"before\" is the capture triggers of $BEFORE, enabled before the current install.sql upgraded it."
	echo
	echo "| operation | no trigger | floor | JSON_OBJECT | fingerprint | before | floor / none | JSON_OBJECT / none | fingerprint / none | fingerprint / JSON_OBJECT | fingerprint / floor | before / JSON_OBJECT | before / floor |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for op in insert update delete; do
		n=$(med none $op)
		f=$(med floor $op)
		j=$(med json $op)
		o=$(med ours $op)
		b=$(med before $op)
		awk -v op="$op" -v n="$n" -v f="$f" -v j="$j" -v o="$o" -v b="${b:-0}" \
			'BEGIN { printf "| %s | %.3f | %.3f | %.3f | %.3f | %s | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx | %s | %s |\n", toupper(op), n, f, j, o, (b > 0 ? sprintf("%.3f", b) : "-"), f / n, j / n, o / n, o / j, o / f, (b > 0 ? sprintf("%.2fx", b / j) : "-"), (b > 0 ? sprintf("%.2fx", b / f) : "-") }'
	done
	echo
	echo "The same statements by the server's CPU time (user + system of mariadbd, medians in seconds):"
	echo
	echo "| operation | no trigger | floor | JSON_OBJECT | fingerprint | before | fingerprint / JSON_OBJECT | fingerprint / floor | before / JSON_OBJECT | before / floor | fingerprint / before |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for op in insert update delete; do
		n=$(med none $op 5)
		f=$(med floor $op 5)
		j=$(med json $op 5)
		o=$(med ours $op 5)
		b=$(med before $op 5)
		awk -v op="$op" -v n="$n" -v f="$f" -v j="$j" -v o="$o" -v b="${b:-0}" \
			'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f | %s | %.2fx | %.2fx | %s | %s | %s |\n", toupper(op), n, f, j, o, (b > 0 ? sprintf("%.2f", b) : "-"), o / j, o / f, (b > 0 ? sprintf("%.2fx", b / j) : "-"), (b > 0 ? sprintf("%.2fx", b / f) : "-"), (b > 0 ? sprintf("%.2fx", o / b) : "-") }'
	done
	echo
	echo "Consumption (next_batch + batch_changes + finish_batch, batches of $BATCH, no apply) and the log's file"
	echo "after each cycle of $ROWS captured updates, once InnoDB's purge has caught up:"
	echo
	echo "| cycle | changes | seconds | batches | change_log.ibd bytes |"
	echo "|---:|---:|---:|---:|---:|"
	tail -n +2 "$cycles" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
} >"$OUT/capture_mariadb.md"
cat "$OUT/capture_mariadb.md"
