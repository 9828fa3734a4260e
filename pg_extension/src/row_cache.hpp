// The row cache: what reading one row type needs, decided once per row type (a record
// argument's type, a scanned table, a captured table) instead of once per row. Include
// after the PostgreSQL headers.
//
// Every function here is C-style: it may raise a PostgreSQL ERROR at any point, so its
// callers keep only trivially destructible C++ objects alive (see guard.hpp).
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before row_cache.hpp"
#endif

extern "C" {
#include "fmgr.h"
#include "access/htup.h"
#include "access/tupdesc.h"
#include "utils/hsearch.h"
}

#include "column_kind.hpp"

#include "fingerprint/row_hasher.hpp"

namespace fingerprint_pg {

struct RowCache {
	Oid type_id; // the record type (GetRowCache); InvalidOid for a relation's cache
	int32 typmod;
	TupleDesc desc;
	// Per column (0-based): its kind, or nullptr for a column that is not read (dropped,
	// or not among the selected columns).
	const ColumnKind **kinds;
	int last_column; // 1 + the index of the last column read: deform no further
	Datum *values;   // heap_deform_tuple's arrays, when asked for (else nullptr)
	bool *nulls;
	int encoding; // the database encoding
	// Enum labels seen so far (OID -> label), built on first use in `memory`, so an enum
	// column costs one catalog lookup per distinct value, not one per row.
	mutable HTAB *enum_labels;
	MemoryContext memory; // where the cache lives: it outlasts every row
};

// The one way a row cache is made. The columns of `desc` flagged in `selected` (indexed by
// attnum - 1; every live column when nullptr) are classified, and the first one (in
// attnum order) of a type fingerprint cannot read raises an ERROR, before any value is
// read. Allocated in `memory`; desc is kept as given. With `deform_arrays`, values and
// nulls arrays of desc->natts entries come with it.
RowCache *MakeRowCache(TupleDesc desc, const bool *selected, MemoryContext memory, bool deform_arrays);

// The cache for this record's row type, kept in flinfo->fn_extra: built (and type-checked)
// on first use or when the row type changes.
RowCache *GetRowCache(FmgrInfo *flinfo, HeapTupleHeader record);

// Feeds one value of column `column` (0-based, a column the cache reads) to the hasher.
inline void AddColumn(const RowCache *cache, int column, Datum value, bool isnull,
                      fingerprint::RowHasher *hasher) {
	if (isnull)
		hasher->AddNull();
	else
		cache->kinds[column]->encode(cache, column, value, hasher);
}

// Feeds every column the cache reads, in attnum order (values/nulls indexed by attribute).
inline void AddRow(const RowCache *cache, const Datum *values, const bool *nulls,
                   fingerprint::RowHasher *hasher) {
	for (int column = 0; column < cache->last_column; column++)
		if (cache->kinds[column] != nullptr)
			AddColumn(cache, column, values[column], nulls[column], hasher);
}

// Feeds the listed columns (0-based, each one the cache reads), in list order.
inline void AddColumns(const RowCache *cache, const int *columns, int count, const Datum *values,
                       const bool *nulls, fingerprint::RowHasher *hasher) {
	for (int i = 0; i < count; i++)
		AddColumn(cache, columns[i], values[columns[i]], nulls[columns[i]], hasher);
}

// Feeds every column of the record (a cache from GetRowCache) and returns the row digest.
fingerprint::Digest128 HashRecord(RowCache *cache, HeapTupleHeader record, fingerprint::RowHasher *hasher);

} // namespace fingerprint_pg
