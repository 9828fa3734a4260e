// jsonb, walked with its iterator and written as JSON text (never jsonb_out, whose
// spacing and number spelling are PostgreSQL's), which the core then canonicalizes like
// any json text: a jsonb column equals a json column of the same value.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
}

#include "numeric_text.hpp"
#include "row_cache.hpp"
#include "value_encoders.hpp"

#include "fingerprint/json_string.hpp"

#include <string_view>

namespace fingerprint_pg {

namespace {

// A jsonb string or key, escaped by the core (fingerprint/json_string.hpp).
void AppendJsonString(StringInfo out, const char *data, int length) {
	const std::string_view text(data, (size_t)length);
	const size_t needed = fingerprint::FormatJsonString(text, nullptr, 0);
	enlargeStringInfo(out, (int)needed);
	fingerprint::FormatJsonString(text, out->data + out->len, needed);
	out->len += (int)needed;
	out->data[out->len] = '\0';
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

} // namespace

void EncodeJsonb(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	struct varlena *stored = reinterpret_cast<struct varlena *>(DatumGetPointer(value));
	// The jsonb iterator needs the aligned 4-byte-header form.
	Jsonb *jsonb = reinterpret_cast<Jsonb *>(pg_detoast_datum(stored));
	StringInfoData text;
	initStringInfo(&text);
	AppendJsonbText(&text, jsonb);
	AddServerJson(cache, column, text.data, (size_t)text.len, hasher);
	pfree(text.data);
	if (reinterpret_cast<struct varlena *>(jsonb) != stored)
		pfree(jsonb);
}

} // namespace fingerprint_pg
