#!/bin/bash
# Runs the pg_regress suite (tests/pg/schedule) against the INSTALLED extension on a
# temporary PostgreSQL instance.
#
#   run_regress.sh [PG_CONFIG] [BUILT_MODULE] [BUILT_INSTALL_SCRIPT]
#
# The extension must already be installed into the server pg_config names (the test
# command runs `cmake --install` first). A missing or stale installation is a failure,
# never a skip. initdb refuses to run as root, so as root the suite runs as the
# `postgres` OS user in a private copy of sql/, expected/ and schedule.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pg_config=${1:-pg_config}
built_module=${2:-}
built_script=${3:-} # fingerprint--X.Y.sql as the build assembled it (sql/pg/CMakeLists.txt)

sharedir=$("$pg_config" --sharedir)
pkglibdir=$("$pg_config" --pkglibdir)
bindir=$("$pg_config" --bindir)
pg_regress="$pkglibdir/pgxs/src/test/regress/pg_regress"

fail() {
    echo "run_regress.sh: $*" >&2
    exit 1
}

[ -f "$sharedir/extension/fingerprint.control" ] ||
    fail "the extension is not installed ($sharedir/extension/fingerprint.control is missing); run 'cmake --install <build dir>' as root first"
[ -f "$pkglibdir/fingerprint.so" ] ||
    fail "the extension is not installed ($pkglibdir/fingerprint.so is missing); run 'cmake --install <build dir>' as root first"
if [ -n "$built_module" ] && ! cmp -s "$built_module" "$pkglibdir/fingerprint.so"; then
    fail "the installed $pkglibdir/fingerprint.so differs from the built $built_module; run 'cmake --install <build dir>' again"
fi
if [ -n "$built_script" ] && ! cmp -s "$built_script" "$sharedir/extension/$(basename "$built_script")"; then
    fail "the installed $sharedir/extension/$(basename "$built_script") is missing or differs from the built $built_script; run 'cmake --install <build dir>' again"
fi
[ -x "$pg_regress" ] || fail "pg_regress not found at $pg_regress (install postgresql-server-dev-15)"

work=$(mktemp -d /tmp/fingerprint-regress.XXXXXX)
cleanup() {
    local status=$?
    if [ $status -eq 0 ]; then
        rm -rf "$work"
    else
        echo "run_regress.sh: results kept in $work" >&2
    fi
}
trap cleanup EXIT
cp -r "$here/sql" "$here/expected" "$here/schedule" "$work/"
chmod 755 "$work"

run=()
if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$work"
    run=(runuser -u postgres --)
fi

status=0
(cd "$work" && "${run[@]}" "$pg_regress" \
    --temp-instance="$work/tmp_check" \
    --inputdir="$work" \
    --outputdir="$work" \
    --bindir="$bindir" \
    --schedule="$work/schedule" \
    --load-extension=fingerprint \
    --port=54329 \
    --encoding=UTF8 \
    --no-locale) || status=$?

if [ $status -ne 0 ]; then
    if [ -f "$work/regression.diffs" ]; then
        echo "==== regression.diffs ====" >&2
        cat "$work/regression.diffs" >&2
    fi
    [ -f "$work/log/postmaster.log" ] && tail -n 40 "$work/log/postmaster.log" >&2
    exit $status
fi
