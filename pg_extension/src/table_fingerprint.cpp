// table_fingerprint(tbl, include_columns, exclude_columns, algorithm): fingerprint_agg
// over a whole table. A plain table is scanned directly, with parallel workers when it
// is large (table_scan.cpp); partitioned tables, inheritance parents, views and foreign
// tables run SELECT fingerprint_agg(...) through SPI, so that they are read exactly as a
// plain SELECT reads them (and the planner may still use parallel workers).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include "algorithm_argument.hpp"
#include "guard.hpp"
#include "row_cache.hpp"
#include "select_query.hpp"
#include "table_arguments.hpp"
#include "table_scan.hpp"

#include "fingerprint/algorithm.hpp"
#include "fingerprint/printable.hpp"

FINGERPRINT_PG_FUNCTION(table_fingerprint)

namespace {

// The cache of the columns to fingerprint from the include/exclude lists; every selected
// column's type is checked before anything is read.
const fingerprint_pg::RowCache *SelectedColumns(FunctionCallInfo fcinfo, Relation relation) {
	const bool *selected = fingerprint_pg::SelectColumns(fcinfo, 1, 2, relation);
	return fingerprint_pg::MakeRowCache(RelationGetDescr(relation), selected, CurrentMemoryContext, false);
}

// SELECT schema.fingerprint_agg(ROW(t.c1, t.c3), 'xxh3') FROM schema.tbl t, with the
// selected columns in attnum order.
char *AggregateQuery(FunctionCallInfo fcinfo, Relation relation, const fingerprint_pg::RowCache *cache,
                     fingerprint::Algorithm algorithm) {
	const Oid aggregate_schema = get_func_namespace(fcinfo->flinfo->fn_oid);
	const char *before =
	    psprintf("%s.fingerprint_agg(ROW(", quote_identifier(get_namespace_name(aggregate_schema)));
	const char *after = psprintf("), '%s')", fingerprint::AlgorithmName(algorithm));
	return fingerprint_pg::BuildSelectQuery(relation, cache, before, after, nullptr);
}

// Runs the query through SPI and returns its one text result, copied out of SPI memory.
Datum RunQuery(const char *query) {
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	// Read-only: runs under the caller's snapshot (the function is STABLE).
	const int status = SPI_execute(query, true, 0);
	if (status != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "table_fingerprint query failed: %s", SPI_result_code_string(status));
	bool is_null;
	const Datum value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
	if (is_null)
		elog(ERROR, "table_fingerprint query returned NULL");
	const Datum result = SPI_datumTransfer(value, false, -1);
	SPI_finish();
	return result;
}

Datum TableFingerprint(PG_FUNCTION_ARGS) {
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(3))
		fingerprint_pg::ReportNullAlgorithm();
	const fingerprint::Algorithm algorithm = fingerprint_pg::AlgorithmFromText(PG_GETARG_TEXT_PP(3));
	Relation relation = relation_open(PG_GETARG_OID(0), AccessShareLock);
	fingerprint_pg::CheckRelationKind(relation);
	const fingerprint_pg::RowCache *cache = SelectedColumns(fcinfo, relation);
	Datum result;
	if (fingerprint_pg::CanScanDirectly(relation)) {
		const fingerprint::AggregateState state = fingerprint_pg::ScanTable(relation, cache, algorithm);
		char printable[fingerprint::kMaxPrintableLength];
		const size_t length = fingerprint::FormatTableFingerprint(state, printable);
		result = PointerGetDatum(cstring_to_text_with_len(printable, (int)length));
	} else {
		result = RunQuery(AggregateQuery(fcinfo, relation, cache, algorithm));
	}
	// The lock is kept until the end of the transaction, as a SELECT keeps it.
	relation_close(relation, NoLock);
	PG_RETURN_DATUM(result);
}

} // namespace

// The fingerprint of a whole table (or of some of its columns).
Datum table_fingerprint(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("table_fingerprint", TableFingerprint, fcinfo);
}
