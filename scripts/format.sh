#!/bin/bash
# Formats the project's C and C++ sources with clang-format and the repository's
# .clang-format (Debian 12's clang-format 14).
#
#   scripts/format.sh            format every tracked source in place
#   scripts/format.sh --check    change nothing; list the files that are not formatted and
#                                exit 1 if there are any (CTest runs this: format_check)
#   scripts/format.sh FILE...    format just these files
#
# Copied code kept in its own style (any vendor/ folder) is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = "--check" ]; then
	check=1
	shift
fi
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.c' '*.h' | grep -v '/vendor/')
fi
[ ${#files[@]} -gt 0 ] || exit 0

if [ "$check" = 0 ]; then
	clang-format -i "${files[@]}"
	exit 0
fi
unformatted=()
for file in "${files[@]}"; do
	if ! clang-format --dry-run -Werror "$file" >/dev/null 2>&1; then
		unformatted+=("$file")
	fi
done
if [ ${#unformatted[@]} -gt 0 ]; then
	printf 'not formatted (run scripts/format.sh):\n' >&2
	printf '  %s\n' "${unformatted[@]}" >&2
	exit 1
fi
