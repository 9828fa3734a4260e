#!/bin/bash
# Checks the dynamic symbol table of the built fingerprint.so: the module magic and every
# V1 function (with its pg_finfo_ record) are exported, and nothing of the C++ core is
# (hidden visibility, --exclude-libs). PostgreSQL 15 cannot load the module otherwise.
#
#   check_exports.sh path/to/fingerprint.so path/to/built/fingerprint--X.Y.sql
#
# The second argument is the current version's install script, which the build assembles
# from sql/pg/src (sql/pg/CMakeLists.txt); the released scripts are read from sql/pg.
set -euo pipefail
module=${1:?usage: check_exports.sh MODULE BUILT_INSTALL_SCRIPT}
install_script=${2:?usage: check_exports.sh MODULE BUILT_INSTALL_SCRIPT}
symbols=$(nm -D --defined-only "$module" | awk '{print $3}')

status=0
for name in Pg_magic_func row_fingerprint table_fingerprint fingerprint_agg_transfn \
    fingerprint_agg_finalfn fingerprint_agg_combinefn fingerprint_agg_serialfn fingerprint_agg_deserialfn \
    table_columns bucket_fingerprints bucket_rows \
    fingerprint_capture_trigger fingerprint_capture_trigger_v11 fingerprint_capture_invalidate \
    fingerprint_column_classes fingerprint_image_json \
    fingerprint_advance_transfn fingerprint_advance_finalfn; do
    for symbol in "$name" "pg_finfo_$name"; do
        [ "$symbol" = pg_finfo_Pg_magic_func ] && continue
        if ! grep -qx "$symbol" <<<"$symbols"; then
            echo "not exported: $symbol" >&2
            status=1
        fi
    done
done

leaked=$(nm -D --defined-only -C "$module" | grep -E 'fingerprint::|fingerprint_pg::' || true)
if [ -n "$leaked" ]; then
    echo "C++ symbols exported:" >&2
    echo "$leaked" >&2
    status=1
fi

unexpected=$(grep -vxE 'Pg_magic_func|_PG_init|fingerprint_scan_worker|(pg_finfo_)?(row_fingerprint|table_fingerprint|table_columns|bucket_fingerprints|bucket_rows|fingerprint_capture_trigger(_v11)?|fingerprint_capture_invalidate|fingerprint_column_classes|fingerprint_type_class|fingerprint_image_json|fingerprint_advance_(transfn|finalfn)|fingerprint_agg_(transfn|finalfn|combinefn|serialfn|deserialfn))' <<<"$symbols" || true)
if [ -n "$unexpected" ]; then
    echo "unexpected exported symbols:" >&2
    echo "$unexpected" >&2
    status=1
fi
# The parallel-scan worker entry point, found by name by PostgreSQL's parallel machinery.
if ! grep -qx fingerprint_scan_worker <<<"$symbols"; then
    echo "not exported: fingerprint_scan_worker" >&2
    status=1
fi
# Every C symbol any shipped script names (1.0 included: after a binary upgrade the new
# library serves 1.0's SQL until ALTER EXTENSION fingerprint UPDATE) is exported.
scripts_dir="$(cd "$(dirname "$0")/../../sql/pg" && pwd)"
scripts=("$scripts_dir"/fingerprint--*.sql "$install_script")
for script in "${scripts[@]}"; do
    [ -f "$script" ] || { echo "no such script: $script" >&2; exit 1; }
done
for symbol in $(grep -ho "'MODULE_PATHNAME', '[A-Za-z0-9_]*'" "${scripts[@]}" | cut -d"'" -f4 | sort -u); do
    for name in "$symbol" "pg_finfo_$symbol"; do
        if ! grep -qx "$name" <<<"$symbols"; then
            echo "a shipped script names $symbol but the module does not export $name" >&2
            status=1
        fi
    done
done
[ $status -eq 0 ] && echo "exports of $module: OK (scripts: ${scripts[*]##*/})"
exit $status
