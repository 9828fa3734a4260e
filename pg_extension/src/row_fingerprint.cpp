// row_fingerprint(record [, algorithm]): the printable fingerprint of one row.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "utils/builtins.h"
}

#include "algorithm_argument.hpp"
#include "guard.hpp"
#include "row_cache.hpp"

#include "fingerprint/printable.hpp"

FINGERPRINT_PG_FUNCTION(row_fingerprint)

namespace {

Datum RowFingerprint(PG_FUNCTION_ARGS) {
	// STRICT: a NULL record or algorithm never gets here.
	HeapTupleHeader record = PG_GETARG_HEAPTUPLEHEADER(0);
	const fingerprint::Algorithm algorithm = PG_NARGS() > 1
	                                             ? fingerprint_pg::AlgorithmFromText(PG_GETARG_TEXT_PP(1))
	                                             : fingerprint::kDefaultAlgorithm;
	fingerprint_pg::RowCache *cache = fingerprint_pg::GetRowCache(fcinfo->flinfo, record);
	fingerprint::RowHasher hasher(algorithm);
	const fingerprint::Digest128 digest = fingerprint_pg::HashRecord(cache, record, &hasher);
	char printable[fingerprint::kMaxPrintableLength];
	const size_t length = fingerprint::FormatRowFingerprint(algorithm, digest, printable);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(printable, (int)length));
}

} // namespace

// The fingerprint of one row: fp1:<algorithm>:<32 hex digits>.
Datum row_fingerprint(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("row_fingerprint", RowFingerprint, fcinfo);
}
