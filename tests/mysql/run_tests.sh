#!/usr/bin/env bash
# Output format (deterministic): each sql/NAME.sql is fed to
#   stdbuf -o0 mariadb --no-defaults --batch --force -v < sql/NAME.sql > results/NAME.out 2>&1
# --batch prints tab-separated rows, -v echoes every statement, --force goes on after an
# error and prints it ("ERROR 1644 (22023) at line N: ..."), and stdbuf -o0 unbuffers
# stdout so each error lands right after its own statement, not before buffered rows.
#
# Regression tests for the MySQL/MariaDB UDFs, laid out like pg_regress: the tests in
# `schedule` run in order against a private mariadbd (scripts/mariadb_server.sh) whose
# plugin dir is the build directory of fingerprint_udf.so; results are diffed against
# expected/NAME.out. The assembled install.sql is loaded twice first (idempotence).
#
#   tests/mysql/run_tests.sh UDF_DIR WORK_ROOT [--accept] [NAME...]
#
# UDF_DIR holds fingerprint_udf.so; the server lives in a mktemp dir under WORK_ROOT and
# the outputs stay in WORK_ROOT/results. --accept copies results over expected (review
# the diff before committing). Exits non-zero if any output differs.
#
# The scripts are the build's: FINGERPRINT_MYSQL_SQL_DIR (CTest sets it; default
# build/sql/mysql) holds the assembled install.sql and uninstall.sql. The tests run from
# the directory above its sql/mysql/, so that `system ... < sql/mysql/uninstall.sql` in a
# test loads those.
# The test `vectors` loads the known answers from FINGERPRINT_MYSQL_VECTORS (CTest sets it
# to the SQL tests/mysql/vectors_sql.py wrote at build time); unset, that test fails.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 UDF_DIR WORK_ROOT [--accept] [NAME...]" >&2; exit 2; }
UDF_DIR=$(cd "$1" && pwd)
WORK_ROOT=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
ACCEPT=0
if [ "${1:-}" = "--accept" ]; then
	ACCEPT=1
	shift
fi

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SERVER="$ROOT/scripts/mariadb_server.sh"
[ -f "$UDF_DIR/fingerprint_udf.so" ] || { echo "$0: no fingerprint_udf.so in $UDF_DIR" >&2; exit 2; }
command -v stdbuf >/dev/null || { echo "$0: stdbuf (coreutils) is required" >&2; exit 2; }
CLIENT=$(command -v mariadb || command -v mysql)
SQL_DIR=$(cd "${FINGERPRINT_MYSQL_SQL_DIR:-$ROOT/build/sql/mysql}" 2>/dev/null && pwd) &&
	[ -f "$SQL_DIR/install.sql" ] && [ -f "$SQL_DIR/uninstall.sql" ] &&
	[ "$(basename "$SQL_DIR")" = mysql ] && [ "$(basename "$(dirname "$SQL_DIR")")" = sql ] || {
	echo "$0: no assembled install.sql in ${FINGERPRINT_MYSQL_SQL_DIR:-$ROOT/build/sql/mysql} (build first)" >&2
	exit 2
}

if [ $# -gt 0 ]; then
	TESTS=("$@")
else
	mapfile -t TESTS < <(sed -n 's/^test:[[:space:]]*//p' "$HERE/schedule")
fi

# A unix socket path must fit in 108 bytes; fall back to $TMPDIR for deep build trees.
DIR=$(mktemp -d "$WORK_ROOT/server.XXXXXX")
if [ ${#DIR} -gt 80 ]; then
	rmdir "$DIR"
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/fingerprint-mysql.XXXXXX")
fi
cleanup() {
	"$SERVER" stop "$DIR" || true
	rm -rf "$DIR"
}
trap cleanup EXIT

"$SERVER" start "$DIR" "$UDF_DIR"
client() { "$CLIENT" --no-defaults -S "$DIR/mysqld.sock" -u root "$@"; }

# The uninstall test runs the scripts by relative path in a second client (`system`): from
# here, sql/mysql/ is the build's (the assembled install.sql and uninstall.sql).
cd "$SQL_DIR/../.."
export MYSQL_UNIX_PORT="$DIR/mysqld.sock"
client < sql/mysql/install.sql
client < sql/mysql/install.sql

mkdir -p "$WORK_ROOT/results"
failed=()
for name in "${TESTS[@]}"; do
	sql="$HERE/sql/$name.sql"
	expected="$HERE/expected/$name.out"
	result="$WORK_ROOT/results/$name.out"
	stdbuf -o0 "$CLIENT" --no-defaults -S "$DIR/mysqld.sock" -u root \
		--batch --force -v <"$sql" >"$result" 2>&1 || true
	if [ "$ACCEPT" = 1 ]; then
		cp "$result" "$expected"
		echo "accepted $name"
	elif diff -u "$expected" "$result"; then
		echo "ok       $name"
	else
		echo "FAILED   $name"
		failed+=("$name")
	fi
done

if ! client -e 'SELECT 1' >/dev/null 2>&1; then
	echo "the server died during the tests; $DIR/error.log:" >&2
	tail -n 40 "$DIR/error.log" >&2 || true
	exit 1
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "${#failed[@]} of ${#TESTS[@]} tests failed: ${failed[*]}"
	exit 1
fi
echo "all ${#TESTS[@]} tests passed"
