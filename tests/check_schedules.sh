#!/bin/bash
# Fails when a test file exists that nothing runs: every tests/pg/sql/NAME.sql and
# tests/mysql/sql/NAME.sql must be a `test: NAME` line of its schedule (and have an
# expected output), every tests/core and tests/cli/unit source must be in its
# CMakeLists.txt, and every Python test script under tests/ must be named by a
# CMakeLists.txt or by the shell driver that runs it.
set -euo pipefail
cd "$(dirname "$0")"
missing=0
fail() {
	echo "not run: $*" >&2
	missing=1
}

for engine in pg mysql; do
	for file in "$engine"/sql/*.sql; do
		name=$(basename "$file" .sql)
		grep -Eq "^test:[[:space:]]*${name}[[:space:]]*$" "$engine/schedule" ||
			fail "$file (no 'test: $name' in tests/$engine/schedule)"
		[ -f "$engine/expected/$name.out" ] || fail "$file (no tests/$engine/expected/$name.out)"
	done
done
for file in core/*.cpp cli/unit/*.cpp; do
	dir=${file%%/*}
	base=${file#*/}
	[ "$(basename "$file")" = guard_probe.cpp ] && continue # compiled by its own test
	grep -q "$base" "$dir/CMakeLists.txt" || fail "$file (not in tests/$dir/CMakeLists.txt)"
done
for file in */*.py; do
	name=$(basename "$file")
	dir=$(dirname "$file")
	case "$name" in checks.py | *_common.py) continue ;; esac # libraries, not tests
	grep -q "$name" "$dir"/CMakeLists.txt "$dir"/*.sh 2>/dev/null || fail "$file (nothing runs it)"
done
if [ "$missing" = 0 ]; then
	echo "every test file is run"
fi
exit "$missing"
