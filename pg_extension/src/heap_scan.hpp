// The loop over a heap scan that deforms each row into the slot, for the bucket functions
// (bucket_plan.cpp). table_fingerprint has its own loop, which reads the stored tuples in
// place (table_scan.cpp, stored_row.hpp). Include after the PostgreSQL headers and
// row_cache.hpp.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before heap_scan.hpp"
#endif

extern "C" {
#include "access/relscan.h"
#include "utils/relcache.h"
}

namespace fingerprint_pg {

struct RowCache;

// Called for every row read: values/nulls are indexed by attribute (0-based) and valid for
// the columns the cache reads; memory allocated in the call is freed after it
// (CurrentMemoryContext is a per-row context).
using RowVisitor = void (*)(void *context, const Datum *values, const bool *nulls);

// Hands every tuple `scan` returns to visit, deformed no further than the cache's last
// read column. A plain C-style loop: a cancel request or any ERROR may longjmp out of it.
void ScanHeap(Relation relation, TableScanDesc scan, const RowCache *cache, RowVisitor visit, void *context);

} // namespace fingerprint_pg
