// Reading the arguments table_fingerprint and the bucket functions (bucket_plan.cpp)
// share: column-name arrays, the columns to fingerprint, the kind of relation. Include
// after the PostgreSQL headers. Every function raises a PostgreSQL ERROR naming the
// argument, column or relation at fault; all memory is palloc'd.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before table_arguments.hpp"
#endif

namespace fingerprint_pg {

// Opens a relation (AccessShareLock) for reading its column list: ERROR "relation with
// OID ... does not exist" when there is none, and "permission denied" before taking any
// lock unless the caller may SELECT the relation or at least one of its columns.
Relation OpenRelationForColumns(Oid relid);

// The names in a text[] argument: nullptr (and *count 0) when argno is negative or the
// argument is NULL; ERROR "<argument_name> must not contain NULL" for a NULL element.
Datum *ColumnNameArgument(FunctionCallInfo fcinfo, int argno, const char *argument_name, int *count);

// The 0-based index of the live user column of that name; ERROR when there is none.
int FindColumn(Relation relation, const char *name);

// ERROR unless the relation is a table, partitioned table, materialized view, view or
// foreign table.
void CheckRelationKind(Relation relation);

// The columns to fingerprint, as flags indexed by attnum - 1: all live columns, or the
// ones named in the include_columns argument, minus those in exclude_columns (argno -1:
// no such argument). ERROR for an unknown name or when no column is left.
bool *SelectColumns(FunctionCallInfo fcinfo, int include_argno, int exclude_argno, Relation relation);

} // namespace fingerprint_pg
