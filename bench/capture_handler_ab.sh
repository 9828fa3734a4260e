#!/bin/bash
# A/B of the capture triggers' error handler on MariaDB (docs/capture.md, "What the
# triggers log"): the same triggers with the handler of this release (EXIT HANDLER FOR
# SQLEXCEPTION, lock waits and deadlocks passed on) and with the earlier one (EXIT HANDLER
# FOR 4025, 1264, 1292, 1366), on two copies of the benchmark table, in interleaved rounds
# (the order alternates), medians of INSERT ... SELECT, UPDATE of every row, DELETE of
# every row. Only the error path differs, so the ratio should be 1 within noise.
#
#   BENCH_ROWS=50000 BENCH_ROUNDS=10 bench/capture_handler_ab.sh
#
# Environment: BENCH_ROWS (50000), BENCH_ROUNDS (10), BENCH_PLUGIN_DIR (directory of
# fingerprint_udf.so; default: the server's plugin dir), BENCH_OUT (bench/out).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$root"
ROWS=${BENCH_ROWS:-50000}
ROUNDS=${BENCH_ROUNDS:-10}
PLUGIN_DIR=${BENCH_PLUGIN_DIR:-}
OUT=${BENCH_OUT:-$root/bench/out}
for v in "$ROWS" "$ROUNDS"; do
	case "$v" in '' | *[!0-9]* | 0) echo "BENCH_ROWS and BENCH_ROUNDS must be positive integers" >&2; exit 2 ;; esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

bench_workdir fingerprint-handler-ab
log "starting MariaDB in $work"
start_mariadb 536870912
install_mariadb_procedures

log "loading $ROWS rows"
my <<SQL || die "loading failed"
CREATE DATABASE ab CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE ab;
$(bench_table_my bench_src)
INSERT INTO bench_src $(bench_rows_my "$ROWS");
CREATE TABLE b_old LIKE bench_src;
CREATE TABLE b_new LIKE bench_src;
CALL fingerprint.capture_apply('ab.b_old', 'enable');
CALL fingerprint.capture_apply('ab.b_new', 'enable');
SQL

# b_old gets the earlier handler: the same trigger text with the handler's head replaced.
new_head='DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN GET DIAGNOSTICS CONDITION 1 @fingerprint_errno = MYSQL_ERRNO, @fingerprint_refusal = MESSAGE_TEXT; IF @fingerprint_errno IN (1205, 1213, 1317, 1969, 1927) THEN RESIGNAL; END IF;'
old_head='DECLARE EXIT HANDLER FOR 4025, 1264, 1292, 1366 BEGIN GET DIAGNOSTICS CONDITION 1 @fingerprint_errno = MYSQL_ERRNO, @fingerprint_refusal = MESSAGE_TEXT;'
statements=$(my -e "SELECT CONCAT('CREATE OR REPLACE TRIGGER ab.', TRIGGER_NAME, ' AFTER ', EVENT_MANIPULATION,
                                  ' ON ab.b_old FOR EACH ROW ', REPLACE(ACTION_STATEMENT, '$new_head', '$old_head'))
                      FROM information_schema.TRIGGERS
                     WHERE TRIGGER_SCHEMA = 'ab' AND EVENT_OBJECT_TABLE = 'b_old'
                       AND LOCATE('$new_head', ACTION_STATEMENT) > 0")
[ "$(printf '%s\n' "$statements" | grep -c .)" = 3 ] || die "the capture triggers of ab.b_old do not have this release's handler"
delimiter=$'\x1f'
while IFS= read -r statement; do
	my --delimiter="$delimiter" -e "$statement" || die "could not recreate a trigger of ab.b_old"
done <<<"$statements"
[ "$(my -e "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'ab'
             AND EVENT_OBJECT_TABLE = 'b_old' AND LOCATE('FOR 4025, 1264, 1292, 1366', ACTION_STATEMENT) > 0")" = 3 ] ||
	die "ab.b_old does not have the earlier handler"

timed() { my ab -e "SET @t0 = SYSDATE(6); $1; SELECT TIMESTAMPDIFF(MICROSECOND, @t0, SYSDATE(6));"; }
: >"$work/times.tsv"
for round in $(seq "$ROUNDS"); do
	if [ $((round % 2)) = 1 ]; then order="b_old b_new"; else order="b_new b_old"; fi
	for t in $order; do
		flush_innodb
		{
			printf '%s\tINSERT\t%s\n' "$t" "$(timed "INSERT INTO $t SELECT * FROM bench_src")"
			printf '%s\tUPDATE\t%s\n' "$t" "$(timed "UPDATE $t SET qty = qty + 1")"
			printf '%s\tDELETE\t%s\n' "$t" "$(timed "DELETE FROM $t")"
		} >>"$work/times.tsv"
		my -e "TRUNCATE fingerprint.change_log"
	done
	log "round $round done"
done

{
	echo "# Capture trigger handler A/B: $ROWS-row statements, $ROUNDS interleaved rounds, medians in seconds"
	echo "| operation | FOR 4025, 1264, 1292, 1366 | FOR SQLEXCEPTION | ratio |"
	echo "|---|---:|---:|---:|"
	for op in INSERT UPDATE DELETE; do
		a=$(awk -v t=b_old -v o="$op" '$1 == t && $2 == o { print $3 / 1e6 }' "$work/times.tsv" | median)
		b=$(awk -v t=b_new -v o="$op" '$1 == t && $2 == o { print $3 / 1e6 }' "$work/times.tsv" | median)
		awk -v o="$op" -v a="$a" -v b="$b" 'BEGIN { printf "| %s | %.3f | %.3f | %.3f |\n", o, a, b, b / a }'
	done
} | tee "$OUT/capture_handler_ab.md"
