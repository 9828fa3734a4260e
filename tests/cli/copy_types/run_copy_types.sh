#!/bin/bash
# Real-server test of the type rules of `fingerprint copy` (copy_types_real.cpp): starts
# a throwaway PostgreSQL (the INSTALLED extension) and MariaDB (fingerprint_udf.so from
# the build tree), loads the cross-engine corpus (tests/cross/*_data.sql) and this
# directory's extra tables, and runs the test program against both.
#
#   run_copy_types.sh TEST_PROGRAM UDF_PLUGIN_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
program=${1:?usage: run_copy_types.sh TEST_PROGRAM UDF_PLUGIN_DIR}
plugin_dir=${2:?usage: run_copy_types.sh TEST_PROGRAM UDF_PLUGIN_DIR}

pg_port=${COPY_TYPES_PG_PORT:-55437}
. "$root/tests/lib/servers.sh"
start_test_servers "$pg_port" "$plugin_dir" /tmp/fingerprint-copy-types.XXXXXX

export PGCLIENTENCODING=UTF8
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$pg_port" -U postgres -d postgres "$@"; }
my() { mariadb --no-defaults --default-character-set=utf8mb4 -S "$work/my/mysqld.sock" -u root "$@"; }

pg -f "$root/tests/cross/pg_data.sql" >/dev/null
pg -f "$here/pg_extra.sql" >/dev/null
# The build's assembled install.sql (CTest sets FINGERPRINT_MYSQL_SQL_DIR).
my <"${FINGERPRINT_MYSQL_SQL_DIR:-$root/build/sql/mysql}/install.sql" >/dev/null
my -e "CREATE DATABASE crossdb"
my crossdb <"$root/tests/cross/mysql_data.sql"
my crossdb <"$here/my_extra.sql"

"$program" "$work/pg" "$pg_port" "$work/my/mysqld.sock"
