#!/bin/bash
# Fills the two hash columns of encoding.tsv from the encoding column using the xxhsum
# and sha256sum command-line tools, so the known answers do not come from our own code.
# Usage: tests/core/vectors/hash_columns.sh  (needs Debian's xxhash and coreutils)
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.bin"' EXIT
while IFS=$'\t' read -r name method input encoding _xxh3 _sha; do
    if [[ "$name" == \#* ]]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$method" "$input" "$encoding" "$_xxh3" "$_sha" | sed 's/\t*$//' >>"$tmp"
        continue
    fi
    printf '%s' "$encoding" | xxd -r -p >"$tmp.bin"
    xxh3=$(xxhsum -H2 "$tmp.bin" | cut -d' ' -f1)
    sha=$(sha256sum "$tmp.bin" | cut -c1-32)
    printf '%s\t%s\t%s\t%s\tfp1:xxh3:%s\tfp1:sha256:%s\n' "$name" "$method" "$input" "$encoding" "$xxh3" "$sha" >>"$tmp"
done <encoding.tsv
mv "$tmp" encoding.tsv
