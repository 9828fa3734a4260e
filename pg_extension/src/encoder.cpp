// Reads each PostgreSQL value from its Datum and hands it to the matching RowHasher
// call. No type output function is used: output text depends on settings (DateStyle,
// TimeZone, extra_float_digits, bytea_output), the binary value does not.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/hsearch.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"
}

#include "encoder.hpp"
#include "vendor/numeric_format.hpp"

#include "fingerprint/decimal_text.hpp"
#include "fingerprint/status.hpp"

#include <string_view>
#include <type_traits>

// The hasher lives on the stack of code that can longjmp; that is only sound because
// skipping its destructor skips nothing.
static_assert(std::is_trivially_destructible<fingerprint::RowHasher>::value,
              "RowHasher must be trivially destructible");

namespace fingerprint_pg {

namespace {

constexpr const char *kSupportedTypesHint =
    "Supported types are smallint, integer, bigint, numeric, oid, boolean, real, double precision, text, "
    "character varying, character, name, \"char\", untyped literals, bytea, uuid, enum types, date, "
    "timestamp, timestamp "
    "with time zone, time, json, jsonb, bit and bit varying of at most 64 bits, string types stored as text "
    "(such as citext), and domains over these.";

// ---------------------------------------------------------------------------------------
// Errors

const char *ColumnName(const RowCache *cache, int column) {
	return NameStr(TupleDescAttr(cache->desc, column)->attname);
}

int ErrcodeOfStatus(fingerprint::Status status) {
	switch (status) {
	case fingerprint::Status::invalid_utf8:
		return ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
	case fingerprint::Status::invalid_json:
		return ERRCODE_INVALID_TEXT_REPRESENTATION;
	case fingerprint::Status::json_too_deep:
	case fingerprint::Status::number_out_of_range:
	case fingerprint::Status::value_too_long:
		return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
	case fingerprint::Status::out_of_memory:
		return ERRCODE_OUT_OF_MEMORY;
	default:
		return ERRCODE_DATA_EXCEPTION;
	}
}

// A value the core refused: name the column and its type, the core says why.
pg_attribute_noreturn() void ReportValueError(const RowCache *cache, int column, fingerprint::Status status) {
	ereport(ERROR, (errcode(ErrcodeOfStatus(status)),
	                errmsg("could not fingerprint column \"%s\" of type %s", ColumnName(cache, column),
	                       format_type_be(TupleDescAttr(cache->desc, column)->atttypid)),
	                errdetail("%s", fingerprint::StatusMessage(status))));
}

void CheckStatus(const RowCache *cache, int column, fingerprint::Status status) {
	if (status != fingerprint::Status::ok)
		ReportValueError(cache, column, status);
}

// ---------------------------------------------------------------------------------------
// Text

// Text in the database encoding as UTF-8: as it is in UTF-8 and SQL_ASCII databases,
// converted (into palloc'd memory, returned for pfree) in any other encoding; the
// conversion itself rejects bad bytes.
char *ServerTextAsUtf8(const RowCache *cache, const char **data, size_t *length) {
	if (cache->encoding == PG_UTF8 || cache->encoding == PG_SQL_ASCII || *length == 0)
		return nullptr;
	char *converted = pg_server_to_any(*data, (int)*length, PG_UTF8);
	if (converted == *data)
		return nullptr;
	*data = converted;
	*length = strlen(converted);
	return converted;
}

// UTF-8 databases guarantee valid UTF-8, so the core skips its check; SQL_ASCII stores
// any bytes, so the core validates.
void AddServerText(const RowCache *cache, int column, const char *data, size_t length, bool padded,
                   bool always_validate, fingerprint::RowHasher *hasher) {
	const bool validate = always_validate || cache->encoding == PG_SQL_ASCII;
	char *converted = ServerTextAsUtf8(cache, &data, &length);
	const fingerprint::Status status =
	    padded ? hasher->AddPaddedText(data, length, validate) : hasher->AddText(data, length, validate);
	if (converted != nullptr)
		pfree(converted);
	CheckStatus(cache, column, status);
}

// JSON text in the database encoding; the core always validates UTF-8 while parsing.
void AddServerJson(const RowCache *cache, int column, const char *data, size_t length,
                   fingerprint::RowHasher *hasher) {
	char *converted = ServerTextAsUtf8(cache, &data, &length);
	const fingerprint::Status status = hasher->AddJsonText(std::string_view(data, length));
	if (converted != nullptr)
		pfree(converted);
	CheckStatus(cache, column, status);
}

// ---------------------------------------------------------------------------------------
// numeric (layout in vendor/numeric_format.hpp)

enum class NumericClass { finite, nan, positive_infinity, negative_infinity };

struct NumericParts {
	NumericClass kind;
	bool negative;
	int weight;
	int ndigits;
	const char *digit_bytes; // ndigits int16 values, possibly unaligned
};

// Decodes the bytes after the varlena header (VARDATA_ANY, VARSIZE_ANY_EXHDR). Packed
// (1-byte header) values are not aligned, so every field is read with memcpy.
NumericParts DecodeNumeric(const char *data, size_t length) {
	NumericParts parts{NumericClass::finite, false, 0, 0, data};
	uint16 header;
	memcpy(&header, data, sizeof header);
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL) {
		const uint16 flags = header & NUMERIC_EXT_SIGN_MASK;
		parts.kind = flags == NUMERIC_PINF   ? NumericClass::positive_infinity
		             : flags == NUMERIC_NINF ? NumericClass::negative_infinity
		                                     : NumericClass::nan;
		return parts;
	}
	size_t header_size;
	if (NUMERIC_HEADER_IS_SHORT(header)) {
		parts.negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		parts.weight = (header & NUMERIC_SHORT_WEIGHT_SIGN_MASK ? ~NUMERIC_SHORT_WEIGHT_MASK : 0) |
		               (header & NUMERIC_SHORT_WEIGHT_MASK);
		header_size = sizeof(uint16);
	} else {
		int16 weight;
		memcpy(&weight, data + sizeof(uint16), sizeof weight);
		parts.negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		parts.weight = weight;
		header_size = sizeof(uint16) + sizeof(int16);
	}
	parts.ndigits = (int)((length - header_size) / sizeof(int16));
	parts.digit_bytes = data + header_size;
	return parts;
}

// The digits as an aligned int16 array: in place when aligned, otherwise copied into
// `small` (32 digits) or into palloc'd memory, which the caller frees when != small.
const int16 *AlignedDigits(const NumericParts &parts, int16 *small) {
	if (reinterpret_cast<uintptr_t>(parts.digit_bytes) % alignof(int16) == 0)
		return reinterpret_cast<const int16 *>(parts.digit_bytes);
	// Unaligned digits (a short varlena inside a tuple): copy them out first.
	int16 *digits = parts.ndigits <= 32 ? small : (int16 *)palloc(sizeof(int16) * (size_t)parts.ndigits);
	memcpy(digits, parts.digit_bytes, sizeof(int16) * (size_t)parts.ndigits);
	return digits;
}

void FreeDigits(const int16 *digits, const NumericParts &parts, const int16 *small) {
	if (digits != small && digits != reinterpret_cast<const int16 *>(parts.digit_bytes))
		pfree(const_cast<int16 *>(digits));
}

void AddNumeric(const char *data, size_t length, fingerprint::RowHasher *hasher) {
	const NumericParts parts = DecodeNumeric(data, length);
	switch (parts.kind) {
	case NumericClass::nan:
		hasher->AddNumericSpecial(fingerprint::NumericSpecial::nan);
		return;
	case NumericClass::positive_infinity:
		hasher->AddNumericSpecial(fingerprint::NumericSpecial::positive_infinity);
		return;
	case NumericClass::negative_infinity:
		hasher->AddNumericSpecial(fingerprint::NumericSpecial::negative_infinity);
		return;
	case NumericClass::finite:
		break;
	}
	int16 small[32];
	const int16 *digits = AlignedDigits(parts, small);
	hasher->AddDecimalBase10000(parts.negative, parts.weight, digits, parts.ndigits);
	FreeDigits(digits, parts, small);
}

// Appends a finite numeric as the core's canonical decimal text (jsonb holds no NaN or
// infinity).
void AppendNumericText(StringInfo out, const char *data, size_t length) {
	const NumericParts parts = DecodeNumeric(data, length);
	if (parts.kind != NumericClass::finite) {
		appendStringInfoChar(out, '0');
		return;
	}
	int16 small[32];
	const int16 *digits = AlignedDigits(parts, small);
	const size_t needed =
	    fingerprint::FormatDecimalBase10000(parts.negative, parts.weight, digits, parts.ndigits, nullptr, 0);
	enlargeStringInfo(out, (int)needed);
	fingerprint::FormatDecimalBase10000(parts.negative, parts.weight, digits, parts.ndigits,
	                                    out->data + out->len, needed);
	out->len += (int)needed;
	out->data[out->len] = '\0';
	FreeDigits(digits, parts, small);
}

// ---------------------------------------------------------------------------------------
// jsonb: walked with the iterator and written as JSON text (not jsonb_out)

void AppendJsonString(StringInfo out, const char *data, int length) {
	static constexpr char kHex[] = "0123456789abcdef";
	appendStringInfoChar(out, '"');
	for (int i = 0; i < length; i++) {
		const unsigned char c = (unsigned char)data[i];
		if (c == '"' || c == '\\') {
			appendStringInfoChar(out, '\\');
			appendStringInfoChar(out, (char)c);
		} else if (c < 0x20) {
			appendStringInfoString(out, "\\u00");
			appendStringInfoChar(out, kHex[c >> 4]);
			appendStringInfoChar(out, kHex[c & 0xf]);
		} else {
			appendStringInfoChar(out, (char)c);
		}
	}
	appendStringInfoChar(out, '"');
}

// A comma goes before a key, an element or a value unless it opens a container or
// follows a key's colon. Only structure puts '[', '{' or ':' last in the buffer:
// strings end with '"'.
void AppendSeparator(StringInfo out) {
	if (out->len == 0)
		return;
	const char last = out->data[out->len - 1];
	if (last != '[' && last != '{' && last != ':')
		appendStringInfoChar(out, ',');
}

void AppendJsonbScalar(StringInfo out, const JsonbValue &value) {
	switch (value.type) {
	case jbvNull:
		appendStringInfoString(out, "null");
		break;
	case jbvBool:
		appendStringInfoString(out, value.val.boolean ? "true" : "false");
		break;
	case jbvString:
		AppendJsonString(out, value.val.string.val, value.val.string.len);
		break;
	case jbvNumeric: {
		const struct varlena *number = reinterpret_cast<const struct varlena *>(value.val.numeric);
		AppendNumericText(out, VARDATA_ANY(number), VARSIZE_ANY_EXHDR(number));
		break;
	}
	default:
		elog(ERROR, "unexpected jsonb value type %d", (int)value.type);
	}
}

void AppendJsonbText(StringInfo out, Jsonb *jsonb) {
	JsonbIterator *iterator = JsonbIteratorInit(&jsonb->root);
	JsonbValue value;
	JsonbIteratorToken token;
	int depth = 0;
	bool raw_scalar = false; // a top-level scalar is stored as a one-element array
	while ((token = JsonbIteratorNext(&iterator, &value, false)) != WJB_DONE) {
		switch (token) {
		case WJB_BEGIN_ARRAY:
			if (depth++ == 0 && value.val.array.rawScalar) {
				raw_scalar = true;
				break;
			}
			AppendSeparator(out);
			appendStringInfoChar(out, '[');
			break;
		case WJB_BEGIN_OBJECT:
			depth++;
			AppendSeparator(out);
			appendStringInfoChar(out, '{');
			break;
		case WJB_END_ARRAY:
			if (--depth == 0 && raw_scalar)
				break;
			appendStringInfoChar(out, ']');
			break;
		case WJB_END_OBJECT:
			depth--;
			appendStringInfoChar(out, '}');
			break;
		case WJB_KEY:
			AppendSeparator(out);
			AppendJsonString(out, value.val.string.val, value.val.string.len);
			appendStringInfoChar(out, ':');
			break;
		case WJB_VALUE:
		case WJB_ELEM:
			AppendSeparator(out);
			AppendJsonbScalar(out, value);
			break;
		case WJB_DONE:
			break;
		}
	}
}

// ---------------------------------------------------------------------------------------
// Other types

// The unsigned integer a bit string spells, most significant bit first.
void AddBitString(const RowCache *cache, int column, const char *data, fingerprint::RowHasher *hasher) {
	int32 bit_count;
	memcpy(&bit_count, data, sizeof bit_count);
	if (bit_count > 64)
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("could not fingerprint column \"%s\" of type %s", ColumnName(cache, column),
		                       format_type_be(TupleDescAttr(cache->desc, column)->atttypid)),
		                errdetail("The bit string has %d bits; at most 64 are supported.", bit_count)));
	const unsigned char *bytes = reinterpret_cast<const unsigned char *>(data + sizeof(int32));
	uint64 value = 0;
	for (int i = 0; i < bit_count; i++)
		value = (value << 1) | ((bytes[i / 8] >> (7 - i % 8)) & 1);
	hasher->AddUint64(value);
}

struct EnumLabel {
	Oid value; // the hash key
	char label[NAMEDATALEN];
};

void AddEnumLabel(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const Oid oid = DatumGetObjectId(value);
	if (cache->enum_labels == nullptr) {
		HASHCTL control;
		control.keysize = sizeof(Oid);
		control.entrysize = sizeof(EnumLabel);
		control.hcxt = cache->memory;
		cache->enum_labels =
		    hash_create("fingerprint enum labels", 64, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	EnumLabel *entry = static_cast<EnumLabel *>(hash_search(cache->enum_labels, &oid, HASH_FIND, nullptr));
	if (entry == nullptr) {
		// Look up first, enter after: an ERROR here leaves no half-filled entry behind.
		char label[NAMEDATALEN];
		HeapTuple tuple = SearchSysCache1(ENUMOID, value);
		if (!HeapTupleIsValid(tuple))
			elog(ERROR, "cache lookup failed for enum value %u", oid);
		strlcpy(label, NameStr(((Form_pg_enum)GETSTRUCT(tuple))->enumlabel), sizeof label);
		ReleaseSysCache(tuple);
		entry = static_cast<EnumLabel *>(hash_search(cache->enum_labels, &oid, HASH_ENTER, nullptr));
		strlcpy(entry->label, label, sizeof entry->label);
	}
	AddServerText(cache, column, entry->label, strlen(entry->label), false, false, hasher);
}

// Variable-length values: detoasted (and decompressed) one at a time, freed right after.
void AddVarlena(const RowCache *cache, int column, Datum datum, fingerprint::RowHasher *hasher) {
	struct varlena *raw = reinterpret_cast<struct varlena *>(DatumGetPointer(datum));
	if (cache->kinds[column] == ColumnKind::jsonb) {
		// The jsonb iterator needs the aligned 4-byte-header form.
		Jsonb *jsonb = reinterpret_cast<Jsonb *>(pg_detoast_datum(raw));
		StringInfoData text;
		initStringInfo(&text);
		AppendJsonbText(&text, jsonb);
		AddServerJson(cache, column, text.data, (size_t)text.len, hasher);
		pfree(text.data);
		if (reinterpret_cast<struct varlena *>(jsonb) != raw)
			pfree(jsonb);
		return;
	}
	struct varlena *value = pg_detoast_datum_packed(raw);
	const char *data = VARDATA_ANY(value);
	const size_t length = VARSIZE_ANY_EXHDR(value);
	switch (cache->kinds[column]) {
	case ColumnKind::numeric:
		AddNumeric(data, length, hasher);
		break;
	case ColumnKind::text:
		AddServerText(cache, column, data, length, false, false, hasher);
		break;
	case ColumnKind::bpchar:
		AddServerText(cache, column, data, length, true, false, hasher);
		break;
	case ColumnKind::bytea:
		CheckStatus(cache, column, hasher->AddBytes(data, length));
		break;
	case ColumnKind::json:
		AddServerJson(cache, column, data, length, hasher);
		break;
	case ColumnKind::bit:
		AddBitString(cache, column, data, hasher);
		break;
	default:
		elog(ERROR, "column kind %d is not variable-length", (int)cache->kinds[column]);
	}
	if (value != raw)
		pfree(value);
}

} // namespace

void AddValue(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	switch (cache->kinds[column]) {
	case ColumnKind::int2:
		hasher->AddInt64(DatumGetInt16(value));
		break;
	case ColumnKind::int4:
		hasher->AddInt64(DatumGetInt32(value));
		break;
	case ColumnKind::int8:
		hasher->AddInt64(DatumGetInt64(value));
		break;
	case ColumnKind::oid:
		hasher->AddUint64(DatumGetObjectId(value));
		break;
	case ColumnKind::boolean:
		hasher->AddBool(DatumGetBool(value));
		break;
	case ColumnKind::float4:
		hasher->AddFloat(DatumGetFloat4(value));
		break;
	case ColumnKind::float8:
		hasher->AddDouble(DatumGetFloat8(value));
		break;
	case ColumnKind::name: {
		const char *name = NameStr(*DatumGetName(value));
		AddServerText(cache, column, name, strlen(name), false, false, hasher);
		break;
	}
	case ColumnKind::cstring: {
		const char *literal = DatumGetCString(value);
		AddServerText(cache, column, literal, strlen(literal), false, false, hasher);
		break;
	}
	case ColumnKind::char1: {
		// "char" holds one byte, any byte; '\0' is the empty string.
		const char byte = DatumGetChar(value);
		AddServerText(cache, column, &byte, byte == '\0' ? 0 : 1, false, true, hasher);
		break;
	}
	case ColumnKind::enum_label:
		AddEnumLabel(cache, column, value, hasher);
		break;
	case ColumnKind::uuid:
		hasher->AddUuid(DatumGetUUIDP(value)->data);
		break;
	case ColumnKind::date:
		hasher->AddDateDays(DatumGetDateADT(value));
		break;
	case ColumnKind::timestamp:
		// timestamptz is stored in UTC already: the same instant gives the same int64.
		hasher->AddTimestampMicros(DatumGetTimestamp(value));
		break;
	case ColumnKind::time:
		hasher->AddTimeMicros(DatumGetTimeADT(value));
		break;
	case ColumnKind::numeric:
	case ColumnKind::text:
	case ColumnKind::bpchar:
	case ColumnKind::bytea:
	case ColumnKind::json:
	case ColumnKind::jsonb:
	case ColumnKind::bit:
		AddVarlena(cache, column, value, hasher);
		break;
	case ColumnKind::dropped:
	case ColumnKind::unsupported:
		elog(ERROR, "column kind %d cannot be hashed", (int)cache->kinds[column]);
	}
}

// The string rule (docs/FORMAT.md): a base type outside the built-ins is fingerprinted as
// text when it is a variable-length type of the string category ('S') that casts to text
// without a function (binary coercible), i.e. its stored bytes are text's bytes. citext
// is one; a type that merely has a text output (every type has) is not.
static bool IsTextLike(Oid base) {
	if (get_typtype(base) != TYPTYPE_BASE || get_typlen(base) != -1)
		return false;
	char category;
	bool preferred;
	get_type_category_preferred(base, &category, &preferred);
	return category == TYPCATEGORY_STRING && IsBinaryCoercible(base, TEXTOID);
}

ColumnKind ClassifyType(Oid type_oid, int32 typmod) {
	int32 base_typmod = typmod;
	const Oid base = getBaseTypeAndTypmod(type_oid, &base_typmod);
	switch (base) {
	case INT2OID:
		return ColumnKind::int2;
	case INT4OID:
		return ColumnKind::int4;
	case INT8OID:
		return ColumnKind::int8;
	case OIDOID:
		return ColumnKind::oid;
	case BOOLOID:
		return ColumnKind::boolean;
	case NUMERICOID:
		return ColumnKind::numeric;
	case FLOAT4OID:
		return ColumnKind::float4;
	case FLOAT8OID:
		return ColumnKind::float8;
	case TEXTOID:
	case VARCHAROID:
		return ColumnKind::text;
	case NAMEOID:
		return ColumnKind::name;
	case UNKNOWNOID:
		return ColumnKind::cstring;
	case CHAROID:
		return ColumnKind::char1;
	case BPCHAROID:
		return ColumnKind::bpchar;
	case BYTEAOID:
		return ColumnKind::bytea;
	case UUIDOID:
		return ColumnKind::uuid;
	case DATEOID:
		return ColumnKind::date;
	case TIMESTAMPOID:
	case TIMESTAMPTZOID:
		return ColumnKind::timestamp;
	case TIMEOID:
		return ColumnKind::time;
	case JSONOID:
		return ColumnKind::json;
	case JSONBOID:
		return ColumnKind::jsonb;
	case BITOID:
	case VARBITOID:
		// A declared length over 64 can never fit; an undeclared one is checked per value.
		return base_typmod > 64 ? ColumnKind::unsupported : ColumnKind::bit;
	default:
		if (get_typtype(base) == TYPTYPE_ENUM)
			return ColumnKind::enum_label;
		return IsTextLike(base) ? ColumnKind::text : ColumnKind::unsupported;
	}
}

const char *ValueClassName(ColumnKind kind) {
	switch (kind) {
	case ColumnKind::int2:
	case ColumnKind::int4:
	case ColumnKind::int8:
	case ColumnKind::oid:
	case ColumnKind::boolean:
	case ColumnKind::numeric:
	case ColumnKind::bit:
		return "exact";
	case ColumnKind::float4:
	case ColumnKind::float8:
		return "approx";
	case ColumnKind::date:
		return "date";
	case ColumnKind::timestamp:
		return "timestamp";
	case ColumnKind::time:
		return "time";
	case ColumnKind::json:
	case ColumnKind::jsonb:
		return "json";
	case ColumnKind::dropped:
	case ColumnKind::unsupported:
		return "unsupported";
	default: // text, name, cstring, char1, bpchar, bytea, enum_label, uuid
		return "string";
	}
}

ColumnKind ClassifyColumn(Form_pg_attribute attribute) {
	return attribute->attisdropped ? ColumnKind::dropped
	                               : ClassifyType(attribute->atttypid, attribute->atttypmod);
}

void ReportUnsupportedColumn(const char *column_name, Oid type_oid, int32 typmod) {
	int32 base_typmod = typmod;
	const Oid base = getBaseTypeAndTypmod(type_oid, &base_typmod);
	const bool is_bit = base == BITOID || base == VARBITOID;
	ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
	                errmsg("cannot fingerprint column \"%s\" of type %s", column_name,
	                       is_bit ? format_type_with_typemod(type_oid, typmod) : format_type_be(type_oid)),
	                errhint("%s", kSupportedTypesHint)));
}

RowCache *GetRowCache(FmgrInfo *flinfo, HeapTupleHeader record) {
	const Oid type_id = HeapTupleHeaderGetTypeId(record);
	const int32 typmod = HeapTupleHeaderGetTypMod(record);
	RowCache *cache = static_cast<RowCache *>(flinfo->fn_extra);
	if (cache != nullptr && cache->type_id == type_id && cache->typmod == typmod)
		return cache;

	TupleDesc looked_up = lookup_rowtype_tupdesc(type_id, typmod);
	MemoryContext old_context = MemoryContextSwitchTo(flinfo->fn_mcxt);
	RowCache *fresh = static_cast<RowCache *>(palloc0(sizeof(RowCache)));
	fresh->type_id = type_id;
	fresh->typmod = typmod;
	fresh->desc = CreateTupleDescCopy(looked_up);
	const int natts = fresh->desc->natts;
	fresh->kinds = static_cast<ColumnKind *>(palloc(sizeof(ColumnKind) * (size_t)Max(natts, 1)));
	fresh->values = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(natts, 1)));
	fresh->nulls = static_cast<bool *>(palloc(sizeof(bool) * (size_t)Max(natts, 1)));
	fresh->encoding = GetDatabaseEncoding();
	fresh->memory = flinfo->fn_mcxt;
	MemoryContextSwitchTo(old_context);
	ReleaseTupleDesc(looked_up);

	// Type errors come before any value is read, even for columns that are all NULL.
	for (int i = 0; i < natts; i++) {
		const Form_pg_attribute attribute = TupleDescAttr(fresh->desc, i);
		fresh->kinds[i] = ClassifyColumn(attribute);
		if (fresh->kinds[i] == ColumnKind::unsupported)
			ReportUnsupportedColumn(NameStr(attribute->attname), attribute->atttypid, attribute->atttypmod);
	}
	if (cache != nullptr) {
		if (cache->enum_labels != nullptr)
			hash_destroy(cache->enum_labels);
		FreeTupleDesc(cache->desc);
		pfree(cache->kinds);
		pfree(cache->values);
		pfree(cache->nulls);
		pfree(cache);
	}
	flinfo->fn_extra = fresh;
	return fresh;
}

fingerprint::Digest128 HashRecord(RowCache *cache, HeapTupleHeader record, fingerprint::RowHasher *hasher) {
	// A plain C-style frame (the hasher up the stack is trivially destructible), so a
	// cancel request may longjmp from here.
	CHECK_FOR_INTERRUPTS();
	HeapTupleData tuple;
	tuple.t_len = HeapTupleHeaderGetDatumLength(record);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = record;
	heap_deform_tuple(&tuple, cache->desc, cache->values, cache->nulls);
	for (int i = 0; i < cache->desc->natts; i++) {
		if (cache->kinds[i] == ColumnKind::dropped)
			continue;
		if (cache->nulls[i])
			hasher->AddNull();
		else
			AddValue(cache, i, cache->values[i], hasher);
	}
	return hasher->Finish();
}

fingerprint::Algorithm AlgorithmFromText(const text *name) {
	fingerprint::Algorithm algorithm;
	if (!fingerprint::ParseAlgorithm(std::string_view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)),
	                                 &algorithm))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("invalid algorithm \"%s\"", text_to_cstring(name)),
		                errhint("Valid algorithms are \"xxh3\" and \"sha256\".")));
	return algorithm;
}

void ReportNullAlgorithm() {
	ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("algorithm must not be NULL"),
	                errhint("Valid algorithms are \"xxh3\" and \"sha256\".")));
}

} // namespace fingerprint_pg
