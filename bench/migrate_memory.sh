#!/bin/bash
# Peak memory of one `fingerprint migrate` run per batch size (docs/migrate.md: a batch
# is read into memory whole). A throwaway PostgreSQL server holds a source and a target
# database; a six-column table (about 120 bytes a row) is migrated, then each size in
# MEMORY_BATCHES (default "100000 400000") is inserted in one transaction, so that it is
# one snapshot batch, and replayed by one run under `/usr/bin/time`. Reports each run's
# peak RSS, its seconds and the kilobytes per change; the ratio of the largest to the
# smallest peak against the ratio of their sizes shows whether memory grows linearly.
# Run from the repository root after scripts/build.sh (which installs the extension).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
read -r -a sizes <<<"${MEMORY_BATCHES:-100000 400000}"
work=$(mktemp -d)
chmod 755 "$work"
port=${MEMORY_PG_PORT:-55477}
trap 'scripts/pg_server.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/pg_server.sh start "$work/pg" "$port" >/dev/null
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -p "$port" -U postgres -At "$@"; }
pg -c "CREATE DATABASE s" -c "CREATE DATABASE t"
for db in s t; do pg -d "$db" -c "CREATE EXTENSION fingerprint"; done
pg -d s -c "CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric(10,2),
            placed_at timestamptz, paid boolean, note text)"
src="postgresql://postgres@/s?host=$work/pg&port=$port"
tgt="postgresql://postgres@/t?host=$work/pg&port=$port"
build/cli/fingerprint migrate "$src" "$tgt" orders --name memory --create-tables >/dev/null 2>&1
echo "commit $(git rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%10s %12s %9s %14s\n' changes peak_kb seconds kb_per_change
first_kb=0
for n in "${sizes[@]}"; do
    pg -d s -c "INSERT INTO orders SELECT i + coalesce((SELECT max(id) FROM orders), 0), 'customer ' || i,
                i * 1.25, now(), i % 2 = 0, repeat('x', 40) FROM generate_series(1, $n) i"
    # Peak RSS (KB) and seconds of the run, by python3 (installed by scripts/install_deps.sh).
    read -r kb secs < <(python3 -c '
import resource, subprocess, sys, time
start = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "%.2f" % (time.monotonic() - start))
' build/cli/fingerprint migrate "$src" "$tgt" --name memory)
    [ "$first_kb" -eq 0 ] && first_kb=$kb first_n=$n
    awk -v n="$n" -v kb="$kb" -v s="$secs" 'BEGIN { printf "%10d %12d %9s %14.2f\n", n, kb, s, kb / n }'
done
awk -v kb="$kb" -v k1="$first_kb" -v n="$n" -v n1="$first_n" \
    'BEGIN { printf "peak ratio %.2f for a size ratio of %.2f\n", kb / k1, n / n1 }'
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
