// row_fingerprint(spec, v1, v2, ...) RETURNS STRING: the fingerprint of one row,
// "fp1:<algorithm>:<32 hex digits>", or an "error: ..." string for a bad value.
//
// Every entry point catches everything: an exception escaping into mysqld's C frames
// calls std::terminate and takes the whole server down with it. The core is noexcept,
// so the handlers are a last line of defence, not a code path.
#include "call_state.hpp"

#include "fingerprint/printable.hpp"

#include <cstdio>

using fingerprint::udf::CallState;
using fingerprint::udf::StateOf;

// Validates the spec against the arguments and allocates the call site's state.
FP_EXPORT fp_init_result row_fingerprint_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		CallState *state = fingerprint::udf::InitCall("row_fingerprint", args, message);
		if (state == nullptr)
			return 1;
		fingerprint::udf::SetStatePointer(initid, state);
		// NULL is an ordinary input, so the result is never NULL.
		fingerprint::udf::SetResultShape(initid, fingerprint::udf::RowFingerprintLength(state->algorithm),
		                                 false);
		return 0;
	} catch (...) {
		std::snprintf(message, fingerprint::udf::kInitMessageSize, "row_fingerprint: internal error");
		return 1;
	}
}

// Frees the state (called only when _init succeeded).
FP_EXPORT void row_fingerprint_deinit(UDF_INIT *initid) {
	fingerprint::udf::FreeCall(initid);
}

// Hashes this row's values; the text lives in the state until the next call.
FP_EXPORT char *row_fingerprint(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/, unsigned long *length,
                                fp_flag *is_null, fp_flag *error) {
	try {
		CallState *state = StateOf(initid);
		fingerprint::Digest128 digest{};
		if (fingerprint::udf::HashRow(state, args, &digest))
			state->result_length = fingerprint::FormatRowFingerprint(state->algorithm, digest, state->result);
		*is_null = 0;
		*length = state->result_length;
		return state->result;
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
