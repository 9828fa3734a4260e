// Module magic and the exception guard shared by all SQL-callable functions.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
}

#include "guard.hpp"

#include <exception>

namespace fingerprint_pg {

Datum CallGuarded(const char *function_name, PGFunction body, FunctionCallInfo fcinfo) {
	char message[256];
	bool failed = false;
	Datum result = (Datum)0;
	try {
		result = body(fcinfo);
	} catch (const std::exception &e) {
		strlcpy(message, e.what(), sizeof message);
		failed = true;
	} catch (...) {
		strlcpy(message, "unknown exception", sizeof message);
		failed = true;
	}
	// The handler has closed: no exception object is alive any more.
	if (failed)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
		                errmsg("%s: unexpected C++ exception: %s", function_name, message)));
	return result;
}

} // namespace fingerprint_pg
