#!/bin/bash
# Tests of `fingerprint copy` against real servers: starts a throwaway PostgreSQL (the
# INSTALLED extension) and MariaDB (fingerprint_udf.so from the build tree), installs the
# extension and the procedures, loads the cross-engine corpus (tests/cross/*_data.sql)
# and runs copy_tests.py, which copies it both ways and back, with writers, refusals,
# kills and odd tables, and checks the exit status, the report and both servers' rows.
#
#   run_copy_tests.sh CLI UDF_PLUGIN_DIR [PG_CONFIG [BUILT_PG_MODULE]] [-- --only NAME]
#
# Hold /tmp/fingerprint-pg.lock around it when others install the extension.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=${1:?usage: run_copy_tests.sh CLI UDF_PLUGIN_DIR [PG_CONFIG [BUILT_PG_MODULE]]}
plugin_dir=${2:?usage: run_copy_tests.sh CLI UDF_PLUGIN_DIR [PG_CONFIG [BUILT_PG_MODULE]]}
shift 2
pg_config=pg_config
built_module=
if [ $# -gt 0 ] && [ "$1" != "--" ]; then pg_config=$1 && shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then built_module=$1 && shift; fi
if [ "${1:-}" = "--" ]; then shift; fi

pkglibdir=$("$pg_config" --pkglibdir)
[ -x "$cli" ] || { echo "run_copy_tests.sh: $cli is not built" >&2; exit 1; }
if [ -n "$built_module" ] && ! cmp -s "$built_module" "$pkglibdir/fingerprint.so"; then
    echo "run_copy_tests.sh: the installed $pkglibdir/fingerprint.so differs from the built $built_module;" \
        "run 'cmake --install <build dir>' again" >&2
    exit 1
fi

pg_port=${COPY_PG_PORT:-55438}
. "$root/tests/lib/servers.sh"
start_test_servers "$pg_port" "$plugin_dir" /tmp/fingerprint-copy.XXXXXX

export PGCLIENTENCODING=UTF8
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$pg_port" -U postgres "$@"; }
my() { mariadb --no-defaults --default-character-set=utf8mb4 -S "$work/my/mysqld.sock" -u root "$@"; }
pg -d postgres -f "$root/tests/cross/pg_data.sql" >/dev/null
# The build's assembled install.sql (CTest sets FINGERPRINT_MYSQL_SQL_DIR).
my <"${FINGERPRINT_MYSQL_SQL_DIR:-$root/build/sql/mysql}/install.sql" >/dev/null
my -e "CREATE DATABASE corpus"
my corpus <"$root/tests/cross/mysql_data.sql"

/usr/bin/python3 "$here/copy_tests.py" --cli "$cli" --pg-host "$work/pg" --pg-port "$pg_port" \
    --my-socket "$work/my/mysqld.sock" "$@"
