#!/usr/bin/env bash
# Turns change capture of a MariaDB table on or off from the client side (docs/capture.md).
#
#   scripts/mariadb_capture.sh enable  db.tbl [mariadb client options]   create the triggers
#   scripts/mariadb_capture.sh disable db.tbl [mariadb client options]   drop them
#   scripts/mariadb_capture.sh ddl     db.tbl [mariadb client options]   print the enable DDL
#   scripts/mariadb_capture.sh ddl-disable db.tbl [options]              print the disable DDL
#
# Environment: FINGERPRINT_CAPTURE_KEY="k1,k2" names the key columns of a table without a
# primary key; FINGERPRINT_CAPTURE_OLD_IMAGES=1 also logs old row images;
# FINGERPRINT_LOCK_WAIT_TIMEOUT (seconds, default 5) bounds the wait of each CREATE/DROP
# TRIGGER for the table's metadata lock (every open transaction that touched the table
# holds it; new queries queue behind a waiting DDL), retried up to 10 times.
#
# It asks the server for the statements (CALL fingerprint.capture_ddl_with) and sends
# them back one per query, exactly as printed (the client's delimiter is set to a byte
# no statement contains, so the ';' inside trigger bodies stay as they are).
set -euo pipefail

usage() {
	echo "usage: $0 enable|disable|ddl|ddl-disable db.tbl [mariadb client options]" >&2
	exit 2
}
[ $# -ge 2 ] || usage
action=$1
table=$2
shift 2
case "$action" in
enable | ddl) mode=enable ;;
disable | ddl-disable) mode=disable ;;
*) usage ;;
esac
case "$table" in
*.*) ;;
*)
	echo "$0: pass the table as db.tbl" >&2
	exit 2
	;;
esac

CLIENT=$(command -v mariadb || command -v mysql) || {
	echo "$0: no mariadb/mysql client on PATH" >&2
	exit 2
}
sql_quote() { printf "'%s'" "$(printf '%s' "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/''/g")"; }

key=NULL
[ -n "${FINGERPRINT_CAPTURE_KEY:-}" ] && key=$(sql_quote "$FINGERPRINT_CAPTURE_KEY")
old_images=FALSE
[ "${FINGERPRINT_CAPTURE_OLD_IMAGES:-0}" = 1 ] && old_images=TRUE
timeout=${FINGERPRINT_LOCK_WAIT_TIMEOUT:-5}

# One statement per line: newlines inside a statement are escaped by --batch (\n), and
# the triggers capture_ddl writes contain none.
statements=$("$CLIENT" "$@" --batch --skip-column-names --raw \
	-e "CALL fingerprint.capture_ddl_with($(sql_quote "$table"), '$mode', $key, $old_images)")

if [ "$action" = ddl ] || [ "$action" = ddl-disable ]; then
	printf '%s;\n' "$statements"
	exit 0
fi

# The client splits -e text at its delimiter, and trigger bodies contain ';': use a
# delimiter that no statement contains (the ASCII unit separator).
delimiter=$'\x1f'
# All or nothing: if an enable statement fails for a table that was not captured, drop the
# capture triggers already created (capture_baseline does so for its own failure).
fresh=0
if [ "$mode" = enable ]; then
	fresh=$("$CLIENT" "$@" --batch --skip-column-names -e "SELECT NOT COALESCE((SELECT enabled FROM
		fingerprint.capture_state WHERE table_name = $(sql_quote "$table")), FALSE)")
fi
quoted=$(sql_quote "$table")
while IFS= read -r statement; do
	[ -n "$statement" ] || continue
	attempt=1
	while ! errors=$("$CLIENT" "$@" --batch --delimiter="$delimiter" \
		-e "SET SESSION lock_wait_timeout = $timeout$delimiter$statement" 2>&1); do
		# Only a metadata-lock timeout (ERROR 1205) is worth retrying.
		if [[ "$errors" != *"ERROR 1205"* ]] || [ "$attempt" -ge 10 ]; then
			echo "$errors" >&2
			echo "$0: failed on: ${statement:0:160}..." >&2
			if [ "$fresh" = 1 ]; then
				"$CLIENT" "$@" -e "CALL fingerprint.capture_drop_triggers(SUBSTRING_INDEX($quoted, '.', 1),
					SUBSTRING($quoted, LOCATE('.', $quoted) + 1))" &&
					echo "$0: dropped the capture triggers created for $table: nothing is captured" >&2
			fi
			exit 1
		fi
		attempt=$((attempt + 1))
		echo "$0: lock wait timeout, retrying (attempt $attempt of 10)" >&2
		sleep 1
	done
	[ -z "$errors" ] || echo "$errors"
done <<<"$statements"
