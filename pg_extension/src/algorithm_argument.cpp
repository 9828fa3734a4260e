// The algorithm argument (algorithm_argument.hpp).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "utils/builtins.h"
}

#include "algorithm_argument.hpp"

#include <string_view>

namespace fingerprint_pg {

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
