# shellcheck shell=bash
# Throwaway servers for the shell test drivers (tests/cross/run_cross.sh,
# tests/cli/run_cli_tests.sh). Sourced, not run; needs $root (the checkout).
#
#   start_test_servers PG_PORT UDF_PLUGIN_DIR [MKTEMP_TEMPLATE]
#
# makes a fresh directory $work, starts PostgreSQL in $work/pg (socket only, named by
# PG_PORT; the INSTALLED extension) and MariaDB in $work/my (loading fingerprint_udf.so
# from UDF_PLUGIN_DIR; a private tmpdir), and sets an EXIT trap that stops both and
# removes $work.

start_test_servers() {
	work=$(mktemp -d ${3:+"$3"})
	chmod 755 "$work" # the postgres OS user runs the PostgreSQL server under it
	trap stop_test_servers EXIT
	"$root/scripts/pg_server.sh" start "$work/pg" "$1"
	"$root/scripts/mariadb_server.sh" start "$work/my" "$2"
}

stop_test_servers() {
	"$root/scripts/pg_server.sh" stop "$work/pg" >/dev/null 2>&1 || true
	"$root/scripts/mariadb_server.sh" stop "$work/my" >/dev/null 2>&1 || true
	rm -rf "$work"
}
