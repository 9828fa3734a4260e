// Errors about one value: the core refused it, or PostgreSQL holds more than fingerprint
// reads. Each names the column and its type; the detail says why.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "access/tupdesc.h"
#include "utils/builtins.h"
}

#include "row_cache.hpp"
#include "value_encoders.hpp"

namespace fingerprint_pg {

namespace {

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

} // namespace

void ReportValueError(const RowCache *cache, int column, int sqlstate, const char *detail) {
	const Form_pg_attribute attribute = TupleDescAttr(cache->desc, column);
	ereport(ERROR, (errcode(sqlstate),
	                errmsg("could not fingerprint column \"%s\" of type %s", NameStr(attribute->attname),
	                       format_type_be(attribute->atttypid)),
	                errdetail("%s", detail)));
}

void ReportStatus(const RowCache *cache, int column, fingerprint::Status status) {
	ReportValueError(cache, column, ErrcodeOfStatus(status), fingerprint::StatusMessage(status));
}

} // namespace fingerprint_pg
