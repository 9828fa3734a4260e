// The shared half of bucket_fingerprints and bucket_rows: arguments, columns, keys, and
// the one pass over the table (bucket_plan.hpp).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

#include "algorithm_argument.hpp"
#include "bucket_plan.hpp"
#include "heap_scan.hpp"
#include "row_cache.hpp"
#include "select_query.hpp"
#include "table_arguments.hpp"
#include "table_scan.hpp"

#include "fingerprint/bucket.hpp"

namespace fingerprint_pg {

namespace {

// Rows fetched from the SPI cursor at a time.
constexpr long kFetchRows = 10000;

uint32 BucketCount(FunctionCallInfo fcinfo, int argno) {
	if (PG_ARGISNULL(argno))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("buckets must not be NULL")));
	const int32 buckets = PG_GETARG_INT32(argno);
	if (!fingerprint::IsValidBucketCount(buckets))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("buckets must be between %lld and %lld, not %d",
		                       (long long)fingerprint::kMinBucketCount,
		                       (long long)fingerprint::kMaxBucketCount, buckets)));
	return (uint32)buckets;
}

// The fingerprinted columns in attnum order, as in table_fingerprint (SelectColumns).
int *SelectRowColumns(FunctionCallInfo fcinfo, const BucketArguments &arguments, Relation relation,
                      int *count) {
	bool *selected = SelectColumns(fcinfo, arguments.include_columns, arguments.exclude_columns, relation);
	const int natts = RelationGetDescr(relation)->natts;
	int *columns = static_cast<int *>(palloc(sizeof(int) * (size_t)Max(natts, 1)));
	*count = 0;
	for (int column = 0; column < natts; column++)
		if (selected[column])
			columns[(*count)++] = column;
	pfree(selected);
	return columns;
}

// The primary key's columns in key order; ERROR when the relation has none.
int *PrimaryKeyColumns(Relation relation, int *count) {
	const Oid index_oid = RelationGetPrimaryKeyIndex(relation);
	if (!OidIsValid(index_oid))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("relation \"%s\" has no primary key", RelationGetRelationName(relation)),
		                errhint("Name the columns that identify a row in key_columns.")));
	HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_oid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for index %u", index_oid);
	const Form_pg_index index = (Form_pg_index)GETSTRUCT(tuple);
	*count = index->indnkeyatts;
	int *columns = static_cast<int *>(palloc(sizeof(int) * (size_t)Max(*count, 1)));
	for (int i = 0; i < *count; i++)
		columns[i] = index->indkey.values[i] - 1;
	ReleaseSysCache(tuple);
	return columns;
}

int *SelectKeyColumns(FunctionCallInfo fcinfo, const BucketArguments &arguments, Relation relation,
                      int *count) {
	int name_count;
	Datum *names = ColumnNameArgument(fcinfo, arguments.key_columns, "key_columns", &name_count);
	if (names == nullptr)
		return PrimaryKeyColumns(relation, count);
	if (name_count == 0)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("key_columns must name at least one column"),
		                errhint("Pass NULL to use the primary key.")));
	int *columns = static_cast<int *>(palloc(sizeof(int) * (size_t)name_count));
	for (int i = 0; i < name_count; i++)
		columns[i] = FindColumn(relation, TextDatumGetCString(names[i]));
	*count = name_count;
	return columns;
}

// The cache of the key and fingerprinted columns, the others not read. Key columns are
// refused first (in key order), then the rest in attnum order, before any row is read.
RowCache *BuildCache(const BucketPlan *plan) {
	const TupleDesc desc = RelationGetDescr(plan->relation);
	bool *read = static_cast<bool *>(palloc0(sizeof(bool) * (size_t)Max(desc->natts, 1)));
	for (int i = 0; i < plan->key_count; i++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, plan->key_columns[i]);
		RequireSupportedType(NameStr(attribute->attname), attribute->atttypid, attribute->atttypmod);
		read[plan->key_columns[i]] = true;
	}
	for (int i = 0; i < plan->row_count; i++)
		read[plan->row_columns[i]] = true;
	return MakeRowCache(desc, read, CurrentMemoryContext, false);
}

const char *FilterText(FunctionCallInfo fcinfo, int argno) {
	if (argno < 0 || PG_ARGISNULL(argno))
		return nullptr;
	char *filter = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	// An empty filter is no filter (the MariaDB procedures read '' the same way).
	for (const char *c = filter; *c != '\0'; c++)
		if (!isspace((unsigned char)*c))
			return filter;
	return nullptr;
}

void ScanDirectly(const BucketPlan *plan, RowVisitor visit, void *context) {
	TableScanDesc scan = table_beginscan(plan->relation, GetActiveSnapshot(), 0, nullptr);
	ScanHeap(plan->relation, scan, plan->cache, visit, context);
	table_endscan(scan);
}

void ReportQueryContext(void *query) {
	errcontext("reading the table with: %s", static_cast<const char *>(query));
}

void CheckResultColumns(const BucketPlan *plan, TupleDesc result, const int *columns, int count,
                        const char *query) {
	bool same = result != nullptr && result->natts == count;
	for (int j = 0; same && j < count; j++)
		same = TupleDescAttr(result, j)->atttypid == TupleDescAttr(plan->cache->desc, columns[j])->atttypid;
	if (!same)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		         errmsg("filter changes the columns read from relation \"%s\"",
		                RelationGetRelationName(plan->relation)),
		         errdetail("The query \"%s\" must return the relation's own columns and types.", query),
		         errhint("filter must be a boolean expression over the relation's columns.")));
}

void ScanThroughSql(const BucketPlan *plan, RowVisitor visit, void *context) {
	const int natts = plan->cache->desc->natts;
	// SELECT t.c1, t.c3 FROM schema.tbl t [WHERE (filter)]: query column j is attribute
	// columns[j].
	const char *query = BuildSelectQuery(plan->relation, plan->cache, "", "", plan->filter);
	int *columns = static_cast<int *>(palloc(sizeof(int) * (size_t)Max(natts, 1)));
	int count = 0;
	for (int column = 0; column < natts; column++)
		if (plan->cache->kinds[column] != nullptr)
			columns[count++] = column;
	Datum *values = static_cast<Datum *>(palloc0(sizeof(Datum) * (size_t)Max(natts, 1)));
	bool *nulls = static_cast<bool *>(palloc0(sizeof(bool) * (size_t)Max(natts, 1)));
	Datum *fetched_values = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)count));
	bool *fetched_nulls = static_cast<bool *>(palloc(sizeof(bool) * (size_t)count));
	MemoryContext call_context = CurrentMemoryContext;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	// A syntax error or unknown column in the filter is raised here, as PostgreSQL words it;
	// the context line names the query it was found in.
	ErrorContextCallback context_callback;
	context_callback.callback = ReportQueryContext;
	context_callback.arg = const_cast<char *>(query);
	context_callback.previous = error_context_stack;
	error_context_stack = &context_callback;
	SPIPlanPtr prepared = SPI_prepare(query, 0, nullptr);
	error_context_stack = context_callback.previous;
	if (prepared == nullptr)
		elog(ERROR, "could not prepare \"%s\": %s", query, SPI_result_code_string(SPI_result));
	// Read-only: the query runs under the caller's snapshot (the functions are STABLE).
	Portal portal = SPI_cursor_open(nullptr, prepared, nullptr, nullptr, true);
	// The filter is spliced into the query text, so it can change the result's shape
	// ("true) UNION ALL (SELECT ..."): values of another type would be read as the
	// column's type. Refuse any result that is not exactly the selected columns.
	CheckResultColumns(plan, portal->tupDesc, columns, count, query);
	MemoryContext row_context =
	    AllocSetContextCreate(call_context, "fingerprint row", ALLOCSET_DEFAULT_SIZES);
	for (;;) {
		SPI_cursor_fetch(portal, true, kFetchRows);
		if (SPI_processed == 0)
			break;
		SPITupleTable *table = SPI_tuptable;
		MemoryContext old_context = MemoryContextSwitchTo(row_context);
		for (uint64 row = 0; row < SPI_processed; row++) {
			CHECK_FOR_INTERRUPTS();
			heap_deform_tuple(table->vals[row], table->tupdesc, fetched_values, fetched_nulls);
			for (int j = 0; j < count; j++) {
				values[columns[j]] = fetched_values[j];
				nulls[columns[j]] = fetched_nulls[j];
			}
			visit(context, values, nulls);
			MemoryContextReset(row_context);
		}
		MemoryContextSwitchTo(old_context);
		SPI_freetuptable(table);
	}
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(row_context);
}

} // namespace

BucketPlan *MakeBucketPlan(FunctionCallInfo fcinfo, const BucketArguments &arguments) {
	BucketPlan *plan = static_cast<BucketPlan *>(palloc0(sizeof(BucketPlan)));
	plan->bucket_count = BucketCount(fcinfo, arguments.buckets);
	if (PG_ARGISNULL(arguments.algorithm))
		ReportNullAlgorithm();
	plan->algorithm = AlgorithmFromText(PG_GETARG_TEXT_PP(arguments.algorithm));
	plan->relation = relation_open(PG_GETARG_OID(arguments.table), AccessShareLock);
	CheckRelationKind(plan->relation);
	plan->key_columns = SelectKeyColumns(fcinfo, arguments, plan->relation, &plan->key_count);
	plan->row_columns = SelectRowColumns(fcinfo, arguments, plan->relation, &plan->row_count);
	plan->filter = FilterText(fcinfo, arguments.filter);
	plan->cache = BuildCache(plan);
	return plan;
}

BucketPlan *BeginBucketFunction(FunctionCallInfo fcinfo, const BucketArguments &arguments) {
	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(arguments.table))
		return nullptr;
	return MakeBucketPlan(fcinfo, arguments);
}

void ScanBucketPlan(const BucketPlan *plan, RowVisitor visit, void *context) {
	if (plan->filter == nullptr && CanScanDirectly(plan->relation))
		ScanDirectly(plan, visit, context);
	else
		ScanThroughSql(plan, visit, context);
}

} // namespace fingerprint_pg
