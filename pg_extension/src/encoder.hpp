// Reading PostgreSQL values into the core's RowHasher. Include after the PostgreSQL
// headers (access/htup_details.h, fmgr.h) and the core's row_hasher.hpp.
//
// Every function here is C-style: it may raise a PostgreSQL ERROR at any point, so its
// callers keep only trivially destructible C++ objects alive (see guard.hpp).
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before encoder.hpp"
#endif

extern "C" {
#include "utils/hsearch.h"
}

#include "fingerprint/algorithm.hpp"
#include "fingerprint/row_hasher.hpp"

namespace fingerprint_pg {

// How one column's values reach the core; decided once per row type from the base type.
enum class ColumnKind : uint8 {
	dropped,
	unsupported,
	int2,
	int4,
	int8,
	oid,
	boolean,
	numeric,
	float4,
	float8,
	text,    // text, varchar
	name,    // name
	cstring, // unknown: an untyped literal such as ROW('a')
	char1,   // "char"
	bpchar,  // char(n): pad spaces dropped by the core
	bytea,
	enum_label,
	uuid,
	date,
	timestamp, // timestamp and timestamptz (both microseconds since 2000-01-01 UTC)
	time,
	json,
	jsonb,
	bit, // bit, varbit of at most 64 bits
};

// The kind for a column of this declared type (domains resolved to their base type).
ColumnKind ClassifyType(Oid type_oid, int32 typmod);

// The kind of a column of a relation or row type: dropped for a dropped column.
ColumnKind ClassifyColumn(Form_pg_attribute attribute);

// The core's value class of a column kind, as both engines name it: exact, approx,
// string, date, timestamp, time, json, or unsupported (dropped and unsupported kinds).
const char *ValueClassName(ColumnKind kind);

// ERROR: cannot fingerprint column "name" of type T, with a hint listing supported types.
pg_attribute_noreturn() void ReportUnsupportedColumn(const char *column_name, Oid type_oid, int32 typmod);

// Per-row-type state kept in fn_extra (palloc'd in fn_mcxt): the decoded tuple
// descriptor, the per-column dispatch and the arrays heap_deform_tuple fills.
struct RowCache {
	Oid type_id;
	int32 typmod;
	TupleDesc desc;
	ColumnKind *kinds;
	Datum *values;
	bool *nulls;
	int encoding; // the database encoding
	// Enum labels seen so far (OID -> label), built on first use in `memory`, so an enum
	// column costs one catalog lookup per distinct value, not one per row.
	mutable HTAB *enum_labels;
	MemoryContext memory; // where the cache lives: it outlasts every row
};

// The cache for this record's row type, built (and type-checked) on first use or when
// the row type changes.
RowCache *GetRowCache(FmgrInfo *flinfo, HeapTupleHeader record);

// Feeds one non-NULL value of column `column` (0-based) to the hasher, by its kind.
void AddValue(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);

// Feeds every non-dropped column of the record to the hasher and returns the row digest.
fingerprint::Digest128 HashRecord(RowCache *cache, HeapTupleHeader record, fingerprint::RowHasher *hasher);

// Parses an algorithm argument; ERROR invalid algorithm "name" for anything else.
fingerprint::Algorithm AlgorithmFromText(const text *name);

// ERROR when an algorithm argument is NULL.
pg_attribute_noreturn() void ReportNullAlgorithm();

} // namespace fingerprint_pg
