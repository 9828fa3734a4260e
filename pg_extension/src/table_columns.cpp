// table_columns(tbl): every live column of a table in ordinal order, with the value
// class fingerprint gives it and its place in the primary key (docs/diff.md). The
// `fingerprint diff` tool compares these lists across engines before comparing data, so
// that a type mismatch is reported by column name, not as a fingerprint difference.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/pg_index.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
}

#include "column_kind.hpp"
#include "table_arguments.hpp"
#include "guard.hpp"

FINGERPRINT_PG_FUNCTION(table_columns)

namespace {

using fingerprint_pg::ColumnKind;

// key_positions[attnum - 1] = 1-based position in the primary key, 0 when not in it.
int *KeyPositions(Relation relation) {
	const int natts = RelationGetDescr(relation)->natts;
	int *positions = static_cast<int *>(palloc0(sizeof(int) * (size_t)Max(natts, 1)));
	const Oid index_oid = RelationGetPrimaryKeyIndex(relation);
	if (!OidIsValid(index_oid))
		return positions;
	HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_oid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for index %u", index_oid);
	const Form_pg_index index = (Form_pg_index)GETSTRUCT(tuple);
	for (int i = 0; i < index->indnkeyatts; i++)
		if (index->indkey.values[i] > 0)
			positions[index->indkey.values[i] - 1] = i + 1;
	ReleaseSysCache(tuple);
	return positions;
}

Datum TableColumns(PG_FUNCTION_ARGS) {
	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum)0;
	ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
	Relation relation = fingerprint_pg::OpenRelationForColumns(PG_GETARG_OID(0));
	const TupleDesc desc = RelationGetDescr(relation);
	const int *key_positions = KeyPositions(relation);
	int position = 0;
	for (int column = 0; column < desc->natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (attribute->attisdropped)
			continue;
		const ColumnKind *kind = fingerprint_pg::ClassifyType(attribute->atttypid, attribute->atttypmod);
		Datum values[5] = {
		    Int32GetDatum(++position), CStringGetTextDatum(NameStr(attribute->attname)),
		    CStringGetTextDatum(format_type_with_typemod(attribute->atttypid, attribute->atttypmod)),
		    CStringGetTextDatum(fingerprint_pg::ValueClassName(kind)), Int32GetDatum(key_positions[column])};
		bool nulls[5] = {false, false, false, false, key_positions[column] == 0};
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	relation_close(relation, NoLock);
	return (Datum)0;
}

} // namespace

// The columns of a table with their value classes and primary-key positions.
Datum table_columns(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("table_columns", TableColumns, fcinfo);
}
