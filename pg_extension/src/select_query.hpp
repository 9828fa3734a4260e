// The one builder of the SELECT that reads a relation through SPI, for relations a heap
// scan cannot read (table_fingerprint: views, partitioned tables, foreign tables, tables
// under row-level security; the bucket functions: also any filter). Include after the
// PostgreSQL headers and row_cache.hpp.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before select_query.hpp"
#endif

namespace fingerprint_pg {

struct RowCache;

// SELECT <before>t.c1, t.c3<after> FROM schema.tbl t [WHERE (filter)]: the columns the
// cache reads, quoted, in attnum order, between `before` and `after` (so query column j is
// the j-th column read, unless `before`/`after` wrap them in an expression). The filter is
// spliced in as SQL text: the caller checks what the query returns (palloc'd).
char *BuildSelectQuery(Relation relation, const RowCache *cache, const char *before, const char *after,
                       const char *filter);

} // namespace fingerprint_pg
