#!/bin/bash
# A fresh install and an updated install of the extension end with the same objects.
#
#   install_paths.sh PG_CONFIG BUILT_INSTALL_SCRIPT
#
# On a private cluster, database "fresh" runs CREATE EXTENSION fingerprint (the current
# version's script, which the build assembles from sql/pg/src), and database "updated"
# runs CREATE EXTENSION fingerprint VERSION '1.0' (the released script) and then ALTER
# EXTENSION fingerprint UPDATE TO each version of the update path, one at a time. Both
# must then be at the control file's default version, and their pg_dump --schema-only
# --binary-upgrade outputs (which, unlike a plain dump, include every member of the
# extension: definitions, owners, ACLs, comments; OIDs and xids masked) and their
# install_members.sql listings (membership, comments, initial privileges, event triggers,
# configuration tables) must be identical. Every member must also have a comment.
#
# The extension must be installed (`cmake --install`), and its installed install script
# must be the one just built: a stale one is a failure, never a skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib/checks.sh"
check_labels=(got expected)
pg_config=${1:?usage: install_paths.sh PG_CONFIG BUILT_INSTALL_SCRIPT}
built_script=${2:?usage: install_paths.sh PG_CONFIG BUILT_INSTALL_SCRIPT}

installed_script="$("$pg_config" --sharedir)/extension/$(basename "$built_script")"
if ! cmp -s "$built_script" "$installed_script"; then
    echo "install_paths.sh: $installed_script is missing or differs from the built $built_script;" \
        "run 'cmake --install <build dir>' again" >&2
    exit 1
fi
bindir=$("$pg_config" --bindir)

work=$(mktemp -d /tmp/fingerprint-paths.XXXXXX)
chmod 755 "$work"
port=${INSTALL_PATHS_PG_PORT:-55437}
cleanup() {
    "$root/scripts/pg_server.sh" stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"$root/scripts/pg_server.sh" start "$work/pg" "$port"
psql_in() { # psql_in DATABASE [psql arguments]
    local db=$1
    shift
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$port" -U postgres -d "$db" -At "$@"
}

psql_in postgres -c "CREATE DATABASE fresh" -c "CREATE DATABASE updated"
psql_in fresh -c "CREATE EXTENSION fingerprint"
default_version=$(psql_in fresh -c "SELECT default_version FROM pg_available_extensions WHERE name = 'fingerprint'")
psql_in updated -c "CREATE EXTENSION fingerprint VERSION '1.0'"
# The path PostgreSQL would take, as a list of versions after 1.0 ({1.0,1.1,1.2} -> 1.1 1.2).
path=$(psql_in updated -c "SELECT array_to_string(string_to_array(path, '--'), ' ')
                           FROM pg_extension_update_paths('fingerprint')
                           WHERE source = '1.0' AND target = '$default_version'")
steps=0
for version in ${path#1.0 }; do
    psql_in updated -c "ALTER EXTENSION fingerprint UPDATE TO '$version'"
    steps=$((steps + 1))
done

same "the updated install took every released step to $default_version" \
    "$(psql_in updated -c "SELECT extversion FROM pg_extension WHERE extname = 'fingerprint'") after $steps steps" \
    "$default_version after $(($(ls "$root"/sql/pg/fingerprint--*--*.sql | wc -l))) steps"
same "the fresh install is at $default_version" \
    "$(psql_in fresh -c "SELECT fingerprint.version()")" "$default_version"

# pg_dump --binary-upgrade prints OIDs (binary_upgrade_set_next_*, the extension's
# configuration tables, the relations whose relfrozenxid it sets), xids and LSNs, and a
# random \restrict key (PostgreSQL 15.14 and later): masked.
dump() {
    "$bindir/pg_dump" -h "$work/pg" -p "$port" -U postgres --schema-only --binary-upgrade "$1" |
        sed -E -e "/binary_upgrade|relfrozenxid|relminmxid|pg_catalog\.oid|^WHERE oid = '/ {
                       s#[0-9A-F]+/[0-9A-F]+#LSN#g
                       s/[0-9]+/N/g
                   }" \
            -e 's/^\\(un)?restrict .*/\\\1restrict KEY/'
}
dump fresh >"$work/fresh.dump"
dump updated >"$work/updated.dump"
check "pg_dump --binary-upgrade of both installs is identical" \
    "$(cmp -s "$work/fresh.dump" "$work/updated.dump"; echo $?)" \
    "$(diff -u --label updated --label fresh "$work/updated.dump" "$work/fresh.dump" | head -n 80)"
check "the dumps show the extension's members" \
    "$(grep -q "ALTER EXTENSION fingerprint ADD EVENT TRIGGER fingerprint_capture_guard_triggers" "$work/fresh.dump"; echo $?)" \
    "$(grep -c "ALTER EXTENSION fingerprint ADD" "$work/fresh.dump") members in the fresh dump"

psql_in fresh -F $'\t' -f "$here/install_members.sql" >"$work/fresh.members"
psql_in updated -F $'\t' -f "$here/install_members.sql" >"$work/updated.members"
check "members, comments, owners, privileges and event triggers of both installs are identical" \
    "$(cmp -s "$work/fresh.members" "$work/updated.members"; echo $?)" \
    "$(diff -u --label updated --label fresh "$work/updated.members" "$work/fresh.members" | head -n 80)"
uncommented=$(awk -F'\t' '$1 == "member" && $4 == "" { print $2 }' "$work/fresh.members")
check "every member has a comment" "$([ -z "$uncommented" ]; echo $?)" "without one: $uncommented"

checks_summary "install paths"
