#!/usr/bin/env bash
# A throwaway MariaDB server for tests, the cross-engine test, the demo and the benchmark.
#
#   scripts/mariadb_server.sh start DIR [PLUGIN_DIR]   create DIR/data, start mariadbd, wait
#   scripts/mariadb_server.sh stop DIR                 shut it down
#
# The server listens only on DIR/mysqld.sock (--skip-networking) and reads no option
# files (--no-defaults), so it never touches a system server. Connect with
#   mariadb --no-defaults -S DIR/mysqld.sock -u root
# PLUGIN_DIR defaults to the server's own plugin directory; tests pass the build
# directory that holds fingerprint_udf.so.
set -euo pipefail

usage() {
	echo "usage: $0 start DIR [PLUGIN_DIR] | stop DIR" >&2
	exit 2
}

find_tool() { # first of the given programs on PATH or in /usr/sbin, /usr/bin
	local name
	for name in "$@"; do
		if command -v "$name" >/dev/null 2>&1; then
			command -v "$name"
			return 0
		fi
		for dir in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
			if [ -x "$dir/$name" ]; then
				echo "$dir/$name"
				return 0
			fi
		done
	done
	echo "$0: none of $* found" >&2
	return 1
}

client() { # the client against our socket, as root
	"$CLIENT" --no-defaults -S "$DIR/mysqld.sock" -u root "$@"
}

start() {
	local plugin_dir="${1:-}"
	local server install_db user
	server=$(find_tool mariadbd mysqld)
	install_db=$(find_tool mariadb-install-db mysql_install_db)
	if [ -z "$plugin_dir" ]; then
		plugin_dir=$("$server" --no-defaults --verbose --help 2>/dev/null |
			awk '$1 == "plugin-dir" { print $2 }')
	fi
	[ -n "$plugin_dir" ] || { echo "$0: cannot find the server's plugin dir" >&2; exit 1; }
	plugin_dir=$(cd "$plugin_dir" && pwd)
	user=$(id -un)

	# A private tmpdir: every mariadbd deletes the #sql* files in its tmpdir at start-up,
	# so servers sharing /tmp would delete each other's temporary tables in use. The
	# bootstrap server of mariadb-install-db too (it passes --tmpdir on): its tables in
	# /tmp were deleted so ("Unknown table 'mysql.tmp_user_sys'") by servers starting beside.
	mkdir -p "$DIR" "$DIR/tmp"
	if [ ! -d "$DIR/data/mysql" ]; then
		"$install_db" --no-defaults --datadir="$DIR/data" --user="$user" --tmpdir="$DIR/tmp" \
			--auth-root-authentication-method=normal --skip-test-db \
			>"$DIR/install.log" 2>&1 || { cat "$DIR/install.log" >&2; exit 1; }
	fi

	# --user matters only when run as root (mariadbd refuses root without it); as
	# anyone else the server simply runs as that user.
	"$server" --no-defaults --user="$user" --datadir="$DIR/data" \
		--socket="$DIR/mysqld.sock" --skip-networking \
		--pid-file="$DIR/mysqld.pid" --log-error="$DIR/error.log" --tmpdir="$DIR/tmp" \
		--plugin-dir="$plugin_dir" >/dev/null 2>&1 &

	local tries=0
	until client -e 'SELECT 1' >/dev/null 2>&1; do
		tries=$((tries + 1))
		if [ "$tries" -gt 300 ] || ! kill -0 $! 2>/dev/null; then
			echo "$0: mariadbd did not start; $DIR/error.log:" >&2
			tail -n 30 "$DIR/error.log" >&2 || true
			exit 1
		fi
		sleep 0.1
	done
}

stop() {
	local pid
	[ -f "$DIR/mysqld.pid" ] || return 0
	pid=$(cat "$DIR/mysqld.pid")
	client -e 'SHUTDOWN' >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	local tries=0
	while kill -0 "$pid" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -gt 300 ]; then
			kill -9 "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
	rm -f "$DIR/mysqld.pid"
}

[ $# -ge 2 ] || usage
ACTION=$1
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
CLIENT=$(find_tool mariadb mysql)
case "$ACTION" in
start) start "${3:-}" ;;
stop) stop ;;
*) usage ;;
esac
