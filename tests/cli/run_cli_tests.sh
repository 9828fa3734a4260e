#!/bin/bash
# Tests of the `fingerprint` command-line tool: starts a throwaway PostgreSQL (with the
# INSTALLED extension) and a throwaway MariaDB (loading fingerprint_udf.so from the build
# directory), installs the extension and the procedures, then runs cli_tests.py, which
# loads data, changes it and checks what `fingerprint diff` reports.
#
#   run_cli_tests.sh CLI UDF_PLUGIN_DIR [PG_CONFIG [BUILT_PG_MODULE]] [-- --only NAME]
#
# A missing or stale PostgreSQL installation (the installed fingerprint.so differs from
# BUILT_PG_MODULE) is a failure, never a skip. Hold /tmp/fingerprint-pg.lock around it
# when other people install the extension on the same machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=${1:?usage: run_cli_tests.sh CLI UDF_PLUGIN_DIR [PG_CONFIG [BUILT_PG_MODULE]]}
plugin_dir=${2:?usage: run_cli_tests.sh CLI UDF_PLUGIN_DIR [PG_CONFIG [BUILT_PG_MODULE]]}
pg_config=${3:-pg_config}
built_module=${4:-}
shift $(($# < 4 ? $# : 4))
[ "${1:-}" = "--" ] && shift

pkglibdir=$("$pg_config" --pkglibdir)
[ -x "$cli" ] || { echo "run_cli_tests.sh: $cli is not built" >&2; exit 1; }
[ -f "$pkglibdir/fingerprint.so" ] ||
    { echo "run_cli_tests.sh: the PostgreSQL extension is not installed; run 'cmake --install <build dir>'" >&2; exit 1; }
if [ -n "$built_module" ] && ! cmp -s "$built_module" "$pkglibdir/fingerprint.so"; then
    echo "run_cli_tests.sh: the installed $pkglibdir/fingerprint.so differs from the built $built_module;" \
        "run 'cmake --install <build dir>' again" >&2
    exit 1
fi

pg_port=${CLI_PG_PORT:-55436}
. "$here/../lib/servers.sh"
# mariadb_server.sh gives the server a private tmpdir (a test below checks it).
start_test_servers "$pg_port" "$plugin_dir" /tmp/fingerprint-cli.XXXXXX

# The role pw logs in with a password (scram), everyone else is trusted: lets the tests
# try a wrong and a right password.
pg_hba="$work/pg/data/pg_hba.conf"
{ echo "local all pw scram-sha-256"; cat "$pg_hba"; } >"$work/pg_hba.conf"
cat "$work/pg_hba.conf" >"$pg_hba"
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$pg_port" -U postgres -d postgres -At "$@"; }
pg -c "SELECT pg_reload_conf()" >/dev/null
pg -c "CREATE EXTENSION fingerprint"
# The build's assembled install.sql (CTest sets FINGERPRINT_MYSQL_SQL_DIR).
mariadb --no-defaults -S "$work/my/mysqld.sock" -u root \
    <"${FINGERPRINT_MYSQL_SQL_DIR:-$root/build/sql/mysql}/install.sql" >/dev/null

/usr/bin/python3 "$here/cli_tests.py" --cli "$cli" --pg-host "$work/pg" --pg-port "$pg_port" \
    --my-socket "$work/my/mysqld.sock" "$@"
