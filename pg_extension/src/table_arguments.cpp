// The arguments table_fingerprint and the bucket functions share (table_arguments.hpp).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/relation.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

#include "table_arguments.hpp"

namespace fingerprint_pg {

Relation OpenRelationForColumns(Oid relid) {
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		ereport(ERROR,
		        (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation with OID %u does not exist", relid)));
	// Before any lock: a role that may read nothing of the relation must not be able to
	// queue behind (and so block) an ALTER TABLE of it.
	const Oid user = GetUserId();
	if (pg_class_aclcheck(relid, user, ACL_SELECT) != ACLCHECK_OK &&
	    pg_attribute_aclcheck_all(relid, user, ACL_SELECT, ACLMASK_ANY) != ACLCHECK_OK) {
		const char relkind = get_rel_relkind(relid);
		const char *name = get_rel_name(relid);
		aclcheck_error(ACLCHECK_NO_PRIV, get_relkind_objtype(relkind), name != nullptr ? name : "?");
	}
	Relation relation = try_relation_open(relid, AccessShareLock);
	if (relation == nullptr)
		ereport(ERROR,
		        (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation with OID %u does not exist", relid)));
	return relation;
}

Datum *ColumnNameArgument(FunctionCallInfo fcinfo, int argno, const char *argument_name, int *count) {
	*count = 0;
	if (argno < 0 || PG_ARGISNULL(argno))
		return nullptr;
	ArrayType *array = PG_GETARG_ARRAYTYPE_P(argno);
	Datum *names;
	bool *nulls;
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, count);
	for (int i = 0; i < *count; i++) {
		if (nulls[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			                errmsg("%s must not contain NULL", argument_name)));
	}
	return names;
}

int FindColumn(Relation relation, const char *name) {
	const TupleDesc desc = RelationGetDescr(relation);
	for (int column = 0; column < desc->natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (!attribute->attisdropped && strcmp(NameStr(attribute->attname), name) == 0)
			return column;
	}
	ereport(ERROR,
	        (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("column \"%s\" of relation \"%s\" does not exist",
	                                                   name, RelationGetRelationName(relation))));
}

void CheckRelationKind(Relation relation) {
	switch (relation->rd_rel->relkind) {
	case RELKIND_RELATION:
	case RELKIND_PARTITIONED_TABLE:
	case RELKIND_MATVIEW:
	case RELKIND_VIEW:
	case RELKIND_FOREIGN_TABLE:
		return;
	default:
		ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
		                errmsg("cannot fingerprint \"%s\"", RelationGetRelationName(relation)),
		                errdetail("Only tables, partitioned tables, materialized views, views and foreign "
		                          "tables can be fingerprinted.")));
	}
}

bool *SelectColumns(FunctionCallInfo fcinfo, int include_argno, int exclude_argno, Relation relation) {
	int include_count, exclude_count;
	Datum *include = ColumnNameArgument(fcinfo, include_argno, "include_columns", &include_count);
	Datum *exclude = ColumnNameArgument(fcinfo, exclude_argno, "exclude_columns", &exclude_count);
	const TupleDesc desc = RelationGetDescr(relation);
	bool *selected = static_cast<bool *>(palloc0(sizeof(bool) * (size_t)Max(desc->natts, 1)));
	if (include != nullptr) {
		for (int i = 0; i < include_count; i++)
			selected[FindColumn(relation, TextDatumGetCString(include[i]))] = true;
	} else {
		for (int column = 0; column < desc->natts; column++)
			selected[column] = !TupleDescAttr(desc, column)->attisdropped;
	}
	for (int i = 0; i < exclude_count; i++)
		selected[FindColumn(relation, TextDatumGetCString(exclude[i]))] = false;

	bool any = false;
	for (int column = 0; column < desc->natts && !any; column++)
		any = selected[column];
	if (!any)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		         errmsg("no columns of relation \"%s\" selected", RelationGetRelationName(relation)),
		         errhint("include_columns and exclude_columns together must leave at least one column.")));
	return selected;
}

} // namespace fingerprint_pg
