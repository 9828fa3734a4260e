#!/usr/bin/env python3
"""bench/scan_parts.sh's account: scan_parts.py ROWS REPEAT FILE.data...

Each FILE.data is a `perf record -g -p <postmaster>` of one session, with FILE.marks (two
CLOCK_MONOTONIC times around the timed queries) and FILE.out (psql's output: the
session's backend pid and the \\timing lines). Every sample inside the marks is classed by
process (the session's backend is the leader, any other backend a parallel worker) and by
function into a part; a part's CPU is given in nanoseconds per table row (samples /
frequency / (REPEAT x ROWS)), the median over the rounds (files named ROUND-WORKERS-QUERY).
"""
import collections
import re
import subprocess
import sys

FREQUENCY = 1999  # perf record -F in scan_parts.sh

# PostgreSQL's work per page: finding the buffer, pinning it, listing its visible tuples.
HEAP_PAGES = {
    'hash_search_with_hash_value', 'heapgetpage', 'heap_page_prune_opt', 'ReadBufferExtended', 'ReadBuffer_common',
    'LWLockAcquire', 'LWLockRelease', 'PinBuffer', 'UnpinBuffer', 'ReleaseBuffer', 'BufTableLookup', 'BufTableHashCode',
    'heap_getnextslot', 'heapgettup_pagemode', 'table_block_parallelscan_nextpage',
    'table_block_parallelscan_startblock_init', 'ResourceOwnerForgetBuffer', 'ResourceOwnerRememberBuffer',
    'ResourceOwnerEnlargeBuffers', 'HeapTupleSatisfiesVisibility', 'XidInMVCCSnapshot', 'pgstat_count_heap_getnext'
}
PARTS = ['core', 'walk', 'page loop', 'heap pages', 'executor/deform', 'kernel', 'start/exit', 'other']


def part_of(dso, symbol):
    """The part a sample's function belongs to."""
    if dso == '[kernel.kallsyms]':
        return 'kernel'  # page faults, fork and exit of a worker
    if 'ld-linux' in dso or 'libcrypto' in dso or symbol in ('_Fork', '__libc_fork'):
        return 'start/exit'  # loading libraries, a worker's fork and exit
    if (symbol.startswith('fingerprint_pg::AddStoredRow') or 'AddNumericBytes' in symbol or
            symbol.startswith('fingerprint_pg::Encode')):
        return 'walk'
    if 'ScanInto' in symbol or 'AddRestOfPage' in symbol:
        return 'page loop'
    if symbol.startswith('fingerprint::') or symbol.startswith('XXH') or 'memmove' in symbol or 'memcpy' in symbol:
        return 'core'
    if symbol in HEAP_PAGES:
        return 'heap pages'
    # The executor per tuple; postgres is stripped, so its static functions (the slot's
    # deform among them) show as addresses.
    if dso == 'postgres' and (symbol.startswith('0x') or symbol.startswith('Exec') or symbol.startswith('slot_') or
                              symbol in ('MemoryContextReset', 'int8inc', 'int8inc_any')):
        return 'executor/deform'
    return 'other'


def read_session(data_file):
    """Samples per (process, part) inside the marks, and the timed queries' wall ms."""
    stem = data_file[:-len('.data')]
    start, stop = open(stem + '.marks').read().split()
    out = open(stem + '.out').read()
    leader = re.search(r'backend\|(\d+)', out).group(1)
    wall = [float(ms) for ms in re.findall(r'Time: ([\d.]+) ms', out)]
    report = subprocess.run(['perf', 'report', '-i', data_file, '--time', f'{start},{stop}', '--no-children',
                             '--sort', 'pid,dso,sym', '-g', 'none', '--stdio', '-F', 'sample,pid,dso,sym'],
                            capture_output=True, text=True, check=True).stdout
    samples = collections.Counter()
    for line in report.splitlines():
        match = re.match(r'\s*(\d+)\s+(\d+):\S+\s+(\S+)\s+\[.\]\s+(.*?)\s*$', line)
        if match is None or line.startswith('#'):
            continue
        count, pid, dso, symbol = int(match.group(1)), match.group(2), match.group(3), match.group(4)
        samples['leader' if pid == leader else 'workers', part_of(dso, symbol)] += count
    return samples, wall


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def main():
    rows, repeat = int(sys.argv[1]), int(sys.argv[2])
    per_case = collections.defaultdict(list)  # (workers, query) -> [(samples, wall)]
    for data_file in sorted(sys.argv[3:]):
        _, workers, query = data_file.split('/')[-1][:-len('.data')].split('-', 2)
        per_case[workers, query].append(read_session(data_file))
    ns_per_row = 1e9 / FREQUENCY / (repeat * rows)
    for (workers, query), sessions in sorted(per_case.items()):
        walls = [ms for _, wall in sessions for ms in wall]
        print(f'## {query}, {workers} workers: wall ms median {median(walls):.1f} of {len(walls)} queries; '
              f'CPU ns per table row, medians of {len(sessions)} rounds')
        print()
        print('| process | ' + ' | '.join(PARTS) + ' | total |')
        print('|---|' + '---:|' * (len(PARTS) + 1))
        for process in ('leader', 'workers'):
            cells = [median([samples[process, part] for samples, _ in sessions]) * ns_per_row for part in PARTS]
            total = median([sum(samples[process, part] for part in PARTS) for samples, _ in sessions]) * ns_per_row
            if total == 0:
                continue
            print(f'| {process} | ' + ' | '.join(f'{cell:.1f}' for cell in cells) + f' | {total:.1f} |')
        print()


if __name__ == '__main__':
    main()
