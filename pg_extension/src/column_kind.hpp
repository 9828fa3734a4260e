// The type table (column_kinds.cpp): which PostgreSQL types fingerprint reads, how each
// one's values reach the core, and the value class it gives them. Include after the
// PostgreSQL headers.
//
// Adding a type is one row of that table and, when no existing encoder reads it, one
// encoder (value_encoders.hpp); classification, value classes, table_columns,
// column_classes and the supported-types hint all follow from the row.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before column_kind.hpp"
#endif

#include "fingerprint/row_hasher.hpp"

namespace fingerprint_pg {

struct RowCache;

// Feeds one non-NULL value of column `column` (0-based) of the cache's row type to the
// hasher. C-style: it may raise a PostgreSQL ERROR (see guard.hpp).
using ValueEncoder = void (*)(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);

// How a row of the type table matches a (base) type.
enum class TypeMatch : uint8 {
	oid,          // exactly `type`
	enum_type,    // any enum type
	text_storage, // a variable-length string-category type binary coercible to text (citext)
};

// One row of the type table: a column's kind.
struct ColumnKind {
	TypeMatch match;
	Oid type;                // the base type, for TypeMatch::oid
	const char *value_class; // exact, approx, string, date, timestamp, time or json (docs/FORMAT.md)
	ValueEncoder encode;
	int32 max_typmod; // a declared typmod above it is refused; -1: no limit
	const char *hint; // the type as the supported-types hint names it; nullptr: another row names it
};

// The kind of a column of this declared type (domains resolved to their base type), or
// nullptr when fingerprint cannot read it.
const ColumnKind *ClassifyType(Oid type_oid, int32 typmod);

// The kind's value class as both engines name it; "unsupported" for nullptr.
const char *ValueClassName(const ColumnKind *kind);

// ERROR: cannot fingerprint column "name" of type T, with a hint listing the supported
// types (from the type table).
pg_attribute_noreturn() void ReportUnsupportedColumn(const char *column_name, Oid type_oid, int32 typmod);

// The one "refuse an unsupported column" check: the column's kind, or the ERROR above.
const ColumnKind *RequireSupportedType(const char *column_name, Oid type_oid, int32 typmod);

} // namespace fingerprint_pg
