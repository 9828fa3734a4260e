#!/usr/bin/env bash
# fingerprint_udf.so must export exactly the UDF entry points mysqld looks up with
# dlsym, and no C++ symbol that could interpose on (or be interposed by) mysqld's own.
#   tests/mysql/check_exports.sh path/to/fingerprint_udf.so
set -euo pipefail
lib=$1
expected="fingerprint_agg
fingerprint_agg_add
fingerprint_agg_clear
fingerprint_agg_deinit
fingerprint_agg_init
row_fingerprint
row_fingerprint_deinit
row_fingerprint_init"
actual=$(nm -D --defined-only "$lib" | awk '{ print $NF }' | LC_ALL=C sort)
if [ "$actual" != "$expected" ]; then
	echo "unexpected export list of $lib:"
	diff <(echo "$expected") <(echo "$actual") || true
	exit 1
fi
echo "exports ok: $(echo "$actual" | tr '\n' ' ')"
