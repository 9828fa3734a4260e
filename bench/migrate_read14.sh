#!/bin/bash
# The baseline "CLI" of bench/migrate.sh (MIGRATE_BASELINE_CLI) for a change to the SQL that
# reads a PostgreSQL batch: the same fingerprint binary (READ14_CLI, default build/cli/fingerprint)
# run while the source's fingerprint.batch_changes is the PL/pgSQL function of 1.1-1.4 (taken
# from the released sql/pg/fingerprint--1.0--1.1.sql); the installed definition is put back
# afterwards, also when the run fails. bench/migrate.sh runs ours and the baseline one after
# the other, never together, so ours always reads through the installed function.
#
#   MIGRATE_BASELINE_CLI=bench/migrate_read14.sh MIGRATE_DIRECTIONS="pg_to_my pg_to_pg" bench/migrate.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=${READ14_CLI:-$root/build/cli/fingerprint}
source_url=${2:-}
if [ "${1:-}" != migrate ] || [[ $source_url != postgresql://* ]]; then
	exec "$cli" "$@"
fi
# bench/migrate.sh's URLs: postgresql://postgres@/DB?host=DIR&port=PORT
host=$(sed -E 's/.*[?&]host=([^&]*).*/\1/' <<<"$source_url")
port=$(sed -E 's/.*[?&]port=([0-9]+).*/\1/' <<<"$source_url")
db=$(sed -E 's|postgresql://[^/]*/([^?]*).*|\1|' <<<"$source_url")
q() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres -d "$db" "$@"; }
installed=$(mktemp)
trap 'rm -f "$installed"' EXIT
# pg_get_functiondef ends a BEGIN ATOMIC body with END and no semicolon.
{
	q -c "SELECT pg_get_functiondef('fingerprint.batch_changes(text,bigint)'::regprocedure)"
	echo ";"
} >"$installed"
sed -n '/^CREATE OR REPLACE FUNCTION fingerprint.batch_changes(/,/^\$\$;/p' \
	"$root/sql/pg/fingerprint--1.0--1.1.sql" | q
status=0
"$cli" "$@" || status=$?
q -f "$installed"
exit $status
