// What bucket_fingerprints and bucket_rows share: resolving the table, its key columns
// and its fingerprinted columns from the SQL arguments, and one pass over the table that
// hands every row's values to a visitor. Include after the PostgreSQL headers.
//
// Everything here is C-style (palloc'd, trivially destructible), so any ERROR may longjmp
// through it (guard.hpp).
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before bucket_plan.hpp"
#endif

#include "heap_scan.hpp"
#include "row_cache.hpp"

#include "fingerprint/algorithm.hpp"

namespace fingerprint_pg {

struct BucketPlan {
	Relation relation;   // opened with AccessShareLock, kept until the end of the transaction
	uint32 bucket_count; // 1 .. 2^24
	fingerprint::Algorithm algorithm;
	int key_count;
	int *key_columns; // 0-based attribute indices of the key, in key order
	int row_count;
	int *row_columns;   // 0-based attribute indices of the fingerprinted columns, in attnum order
	const char *filter; // an SQL boolean expression, or nullptr
	RowCache *cache;    // the dispatch for every key or fingerprinted column of the relation
};

// Where the arguments are in the SQL function's argument list (-1: not an argument).
struct BucketArguments {
	int table;
	int buckets;
	int key_columns;
	int include_columns;
	int exclude_columns;
	int filter;
	int algorithm;
};

// Checks every argument and resolves the columns; ERRORs name the offending argument,
// column or type. Opens the relation.
BucketPlan *MakeBucketPlan(FunctionCallInfo fcinfo, const BucketArguments &arguments);

// The start of both set-returning bucket functions: InitMaterializedSRF, then the plan;
// nullptr when the table argument is NULL (the function returns no rows).
BucketPlan *BeginBucketFunction(FunctionCallInfo fcinfo, const BucketArguments &arguments);

// One pass over the table, each row handed to visit (heap_scan.hpp) with the key and
// fingerprinted columns valid: a direct heap scan when the caller may read the whole table
// and there is no filter (table_scan.hpp), otherwise SELECT ... WHERE (filter) through an
// SPI cursor under the caller's privileges and row-level security.
void ScanBucketPlan(const BucketPlan *plan, RowVisitor visit, void *context);

} // namespace fingerprint_pg
