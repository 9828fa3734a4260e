#!/bin/sh
# A throwaway PostgreSQL cluster for tests, demos and benchmarks.
#
#   scripts/pg_server.sh start DIR [PORT]   create (if needed) and start a cluster in DIR
#   scripts/pg_server.sh stop DIR           stop it
#
# The cluster lives in DIR/data, logs to DIR/server.log, trusts every local user, uses
# UTF8 with the C locale, and listens only on a unix socket in DIR (no TCP), so PORT
# (default 5432) just names the socket and never clashes with another server.
# Connect with:  psql -h DIR -p PORT -U postgres
#
# initdb and the server refuse to run as root, so as root the cluster belongs to the
# `postgres` OS user (DIR must then be reachable by that user, e.g. under /tmp).
# Prints nothing but errors. PG_CONFIG selects the PostgreSQL installation.
set -eu

usage() {
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
}

[ $# -ge 2 ] || usage
command=$1
dir=$2
port=${3:-5432}

pg_config=${PG_CONFIG:-pg_config}
bindir=$("$pg_config" --bindir)

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C \
            --no-sync >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            echo "$0: initdb failed in $dir/data" >&2
            exit 1
        fi
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port" start >/dev/null; then
        tail -n 20 "$dir/server.log" >&2 || true
        echo "$0: could not start the server in $dir" >&2
        exit 1
    fi
    # pg_ctl -w returns once the server accepts connections; check the socket too.
    if ! "$bindir/pg_isready" -q -h "$dir" -p "$port" -U postgres -d postgres -t 30; then
        echo "$0: the server in $dir is not accepting connections" >&2
        exit 1
    fi
}

stop() {
    [ -d "$dir/data" ] || { echo "$0: no cluster in $dir" >&2; exit 1; }
    dir=$(cd "$dir" && pwd -P)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case "$command" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
