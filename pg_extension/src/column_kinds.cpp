// The type table: every PostgreSQL type fingerprint reads, in the order the
// supported-types hint names them. Everything that asks "can this column be read, how,
// and in which value class" reads this one table (column_kind.hpp).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

#include "column_kind.hpp"
#include "value_encoders.hpp"

namespace fingerprint_pg {

namespace {

// A constexpr table: no static constructor runs inside dlopen (STYLE.md 3.9).
constexpr ColumnKind kColumnKinds[] = {
    {TypeMatch::oid, INT2OID, "exact", EncodeInt2, -1, "smallint"},
    {TypeMatch::oid, INT4OID, "exact", EncodeInt4, -1, "integer"},
    {TypeMatch::oid, INT8OID, "exact", EncodeInt8, -1, "bigint"},
    {TypeMatch::oid, NUMERICOID, "exact", EncodeNumeric, -1, "numeric"},
    {TypeMatch::oid, OIDOID, "exact", EncodeOid, -1, "oid"},
    {TypeMatch::oid, BOOLOID, "exact", EncodeBool, -1, "boolean"},
    {TypeMatch::oid, FLOAT4OID, "approx", EncodeFloat4, -1, "real"},
    {TypeMatch::oid, FLOAT8OID, "approx", EncodeFloat8, -1, "double precision"},
    {TypeMatch::oid, TEXTOID, "string", EncodeText, -1, "text"},
    {TypeMatch::oid, VARCHAROID, "string", EncodeText, -1, "character varying"},
    {TypeMatch::oid, BPCHAROID, "string", EncodePaddedText, -1, "character"},
    {TypeMatch::oid, NAMEOID, "string", EncodeName, -1, "name"},
    {TypeMatch::oid, CHAROID, "string", EncodeChar, -1, "\"char\""},
    {TypeMatch::oid, UNKNOWNOID, "string", EncodeCString, -1, "untyped literals"},
    {TypeMatch::oid, BYTEAOID, "string", EncodeBytes, -1, "bytea"},
    {TypeMatch::oid, UUIDOID, "string", EncodeUuid, -1, "uuid"},
    {TypeMatch::enum_type, InvalidOid, "string", EncodeEnumLabel, -1, "enum types"},
    {TypeMatch::oid, DATEOID, "date", EncodeDate, -1, "date"},
    // timestamptz is stored in UTC already: the same instant gives the same int64.
    {TypeMatch::oid, TIMESTAMPOID, "timestamp", EncodeTimestamp, -1, "timestamp"},
    {TypeMatch::oid, TIMESTAMPTZOID, "timestamp", EncodeTimestamp, -1, "timestamp with time zone"},
    {TypeMatch::oid, TIMEOID, "time", EncodeTime, -1, "time"},
    {TypeMatch::oid, JSONOID, "json", EncodeJson, -1, "json"},
    {TypeMatch::oid, JSONBOID, "json", EncodeJsonb, -1, "jsonb"},
    // A declared length over 64 can never fit; an undeclared one is checked per value.
    {TypeMatch::oid, BITOID, "exact", EncodeBitString, 64, "bit and bit varying of at most 64 bits"},
    {TypeMatch::oid, VARBITOID, "exact", EncodeBitString, 64, nullptr},
    {TypeMatch::text_storage, InvalidOid, "string", EncodeText, -1,
     "string types stored as text (such as citext)"},
};

// The string rule (docs/FORMAT.md): a base type outside the built-ins is fingerprinted as
// text when it is a variable-length type of the string category ('S') that casts to text
// without a function (binary coercible), i.e. its stored bytes are text's bytes. citext
// is one; a type that merely has a text output (every type has) is not.
bool IsStoredAsText(Oid base) {
	if (get_typtype(base) != TYPTYPE_BASE || get_typlen(base) != -1)
		return false;
	char category;
	bool preferred;
	get_type_category_preferred(base, &category, &preferred);
	return category == TYPCATEGORY_STRING && IsBinaryCoercible(base, TEXTOID);
}

bool MatchesByCatalog(const ColumnKind &kind, Oid base) {
	switch (kind.match) {
	case TypeMatch::enum_type:
		return get_typtype(base) == TYPTYPE_ENUM;
	case TypeMatch::text_storage:
		return IsStoredAsText(base);
	case TypeMatch::oid:
		break;
	}
	return false;
}

// The row naming this base type itself, whatever its typmod; nullptr when none does.
const ColumnKind *KindOfBaseOid(Oid base) {
	for (const ColumnKind &kind : kColumnKinds)
		if (kind.match == TypeMatch::oid && kind.type == base)
			return &kind;
	return nullptr;
}

// "Supported types are smallint, integer, ..., and domains over these."
const char *SupportedTypesHint() {
	StringInfoData hint;
	initStringInfo(&hint);
	appendStringInfoString(&hint, "Supported types are ");
	for (const ColumnKind &kind : kColumnKinds)
		if (kind.hint != nullptr)
			appendStringInfo(&hint, "%s, ", kind.hint);
	appendStringInfoString(&hint, "and domains over these.");
	return hint.data;
}

} // namespace

const ColumnKind *ClassifyType(Oid type_oid, int32 typmod) {
	int32 base_typmod = typmod;
	const Oid base = getBaseTypeAndTypmod(type_oid, &base_typmod);
	// Rows naming an OID first: they need no catalog lookup.
	if (const ColumnKind *kind = KindOfBaseOid(base))
		return kind->max_typmod >= 0 && base_typmod > kind->max_typmod ? nullptr : kind;
	for (const ColumnKind &kind : kColumnKinds)
		if (kind.match != TypeMatch::oid && MatchesByCatalog(kind, base))
			return &kind;
	return nullptr;
}

const char *ValueClassName(const ColumnKind *kind) {
	return kind == nullptr ? "unsupported" : kind->value_class;
}

void ReportUnsupportedColumn(const char *column_name, Oid type_oid, int32 typmod) {
	int32 base_typmod = typmod;
	const ColumnKind *base_kind = KindOfBaseOid(getBaseTypeAndTypmod(type_oid, &base_typmod));
	// A type refused for its declared length is named with it: bit(65), not bit.
	const bool typmod_matters = base_kind != nullptr && base_kind->max_typmod >= 0;
	ereport(ERROR,
	        (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
	         errmsg("cannot fingerprint column \"%s\" of type %s", column_name,
	                typmod_matters ? format_type_with_typemod(type_oid, typmod) : format_type_be(type_oid)),
	         errhint("%s", SupportedTypesHint())));
}

const ColumnKind *RequireSupportedType(const char *column_name, Oid type_oid, int32 typmod) {
	const ColumnKind *kind = ClassifyType(type_oid, typmod);
	if (kind == nullptr)
		ReportUnsupportedColumn(column_name, type_oid, typmod);
	return kind;
}

} // namespace fingerprint_pg
