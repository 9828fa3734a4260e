// Fingerprinting a plain table by scanning it directly, serially or with parallel
// workers. Include after the PostgreSQL headers.
//
// Why not just run SELECT fingerprint_agg(ROW(...)) FROM t: the executor then forms a
// composite datum for every row and the aggregate takes it apart again, which costs
// more than reading the table itself (count(t) is about 9x count(*) here). Scanning the
// table and encoding each value straight from the scan slot avoids both.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before table_scan.hpp"
#endif

#include "fingerprint/aggregate.hpp"

namespace fingerprint_pg {

struct RowCache;

// True when the relation can be read by one heap scan: a table or materialized view
// without inheritance children (partitioned tables and parents go through SQL), which
// the current user may SELECT in full and to which no row-level security applies.
bool CanScanDirectly(Relation relation);

// Scans the relation under the active snapshot and returns its aggregate over the
// columns the cache (made for the relation's descriptor) reads, using up to
// max_parallel_workers_per_gather workers when the table is large enough.
fingerprint::AggregateState ScanTable(Relation relation, const RowCache *cache,
                                      fingerprint::Algorithm algorithm);

} // namespace fingerprint_pg
