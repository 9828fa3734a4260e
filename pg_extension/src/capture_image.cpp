// fingerprint_image_json(image bytea [, column_names text[]]): a row image rendered as
// JSON by the core (RenderImageJson): an object keyed by column names, or an array.
// This rendering is what a replayer applies on the other engine (docs/capture.md).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
}

#include "guard.hpp"
#include "image_json.hpp"

#include "fingerprint/row_image.hpp"
#include "fingerprint/status.hpp"

#include <new>
#include <string>
#include <string_view>

FINGERPRINT_PG_FUNCTION(fingerprint_image_json)

void fingerprint_pg::AppendToStringInfo(void *context, const unsigned char *data,
                                        std::size_t length) noexcept {
	appendBinaryStringInfo(static_cast<StringInfo>(context), reinterpret_cast<const char *>(data),
	                       (int)length);
}

namespace {

// The column names as string views into the (detoasted) array elements.
std::string_view *ColumnNames(ArrayType *array, int *count) {
	Datum *elements;
	bool *nulls;
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, count);
	std::string_view *names =
	    static_cast<std::string_view *>(palloc(sizeof(std::string_view) * (size_t)Max(*count, 1)));
	for (int i = 0; i < *count; i++) {
		if (nulls[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			                errmsg("column_names must not contain NULL (element %d)", i + 1)));
		const text *name = reinterpret_cast<const text *>(DatumGetPointer(elements[i]));
		new (&names[i]) std::string_view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	}
	return names;
}

Datum ImageJson(PG_FUNCTION_ARGS) {
	const bytea *image = PG_GETARG_BYTEA_PP(0);
	int count = 0;
	const std::string_view *names = PG_NARGS() > 1 ? ColumnNames(PG_GETARG_ARRAYTYPE_P(1), &count) : nullptr;
	size_t length = 0;
	fingerprint::Status status = fingerprint::Status::ok;
	const char *json = fingerprint_pg::RenderImageJsonText(image, names, count, &length, &status);
	if (json == nullptr)
		ereport(ERROR, (errcode(status == fingerprint::Status::out_of_memory ? ERRCODE_OUT_OF_MEMORY
		                                                                     : ERRCODE_DATA_EXCEPTION),
		                errmsg("cannot render row image as JSON"),
		                errdetail("%s%s", fingerprint::StatusMessage(status),
		                          names != nullptr && status == fingerprint::Status::invalid_image
		                              ? " (or its value count differs from the number of column names)"
		                              : "")));
	// The core writes UTF-8; jsonb_in reads the database encoding.
	char *server = pg_any_to_server(json, (int)length, PG_UTF8);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(server));
}

} // namespace

namespace fingerprint_pg {

char *RenderImageJsonText(const bytea *image, const std::string_view *names, int count, size_t *length,
                          fingerprint::Status *status) noexcept {
	std::string out;
	*status = fingerprint::RenderImageJson(VARDATA_ANY(image), VARSIZE_ANY_EXHDR(image), names,
	                                       names == nullptr ? 0 : (size_t)count, &out);
	if (*status != fingerprint::Status::ok)
		return nullptr;
	char *copy = static_cast<char *>(palloc_extended(out.size() + 1, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM));
	if (copy == nullptr) {
		*status = fingerprint::Status::out_of_memory;
		return nullptr;
	}
	memcpy(copy, out.c_str(), out.size() + 1);
	*length = out.size();
	return copy;
}

} // namespace fingerprint_pg

// A row image as jsonb: an object keyed by column_names, or an array without them.
Datum fingerprint_image_json(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_image_json", ImageJson, fcinfo);
}
