// fingerprint_agg(spec, v1, v2, ...) RETURNS STRING, an aggregate: the fingerprint of a
// group of rows, "fp1:<algorithm>:<row count>:<32 hex digits>", the same string the
// PostgreSQL extension gives for the same rows. A bad value makes the group's result
// the first "error: ..." string met.
//
// The server calls _clear at the start of each group, also several times in a row with
// no _add between when there are no rows, and may call the main function right after;
// so _clear fully resets and zero rows give the empty fingerprint. Rows come in no
// particular order; the core's modular sum does not care. Catch-all handlers: see
// row_fingerprint.cpp.
//
// GROUP BY ... WITH ROLLUP is refused (rollup_guard.hpp).
#include "call_state.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/printable.hpp"

#include <cstdio>

using fingerprint::udf::CallState;
using fingerprint::udf::StateOf;

// Validates the spec against the arguments and allocates the call site's state.
FP_EXPORT fp_init_result fingerprint_agg_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		CallState *state = fingerprint::udf::InitCall("fingerprint_agg", args, message);
		if (state == nullptr)
			return 1;
		fingerprint::udf::StartBatching(state); // without memory for it, rows are hashed one by one
		fingerprint::udf::SetStatePointer(initid, state);
		fingerprint::udf::SetResultShape(
		    initid, fingerprint::udf::MaxTableFingerprintLength(state->algorithm), false);
		return 0;
	} catch (...) {
		std::snprintf(message, fingerprint::udf::kInitMessageSize, "fingerprint_agg: internal error");
		return 1;
	}
}

// Frees the state (called only when _init succeeded).
FP_EXPORT void fingerprint_agg_deinit(UDF_INIT *initid) {
	fingerprint::udf::FreeCall(initid);
}

// Starts a group: zero rows, zero sum, no error.
FP_EXPORT void fingerprint_agg_clear(UDF_INIT *initid, fp_flag * /*is_null*/, fp_flag *error) {
	try {
		CallState *state = StateOf(initid);
		fingerprint::AggregateInit(&state->aggregate, state->algorithm);
		state->batch_used = 0;
		state->failed = false;
		state->result_length = 0;
		state->group_owner.Clear();
	} catch (...) {
		*error = 1;
	}
}

// Adds one row to the group (batched: call_state.hpp, BatchRow); after an error the rest
// of the group is skipped.
FP_EXPORT void fingerprint_agg_add(UDF_INIT *initid, UDF_ARGS *args, fp_flag * /*is_null*/, fp_flag *error) {
	try {
		CallState *state = StateOf(initid);
		if (state->failed)
			return;
		if (!state->group_owner.Accepts(initid)) {
			state->failed = true;
			state->result_length = static_cast<std::size_t>(std::snprintf(state->result, sizeof state->result,
			                                                              "error: fingerprint_agg%s",
			                                                              fingerprint::udf::kRollupRefusal));
			return;
		}
		if (!fingerprint::udf::BatchRow(state, args))
			state->failed = true;
	} catch (...) {
		*error = 1;
	}
}

// The group's table fingerprint (the batch's last rows hashed first), or its first error string.
FP_EXPORT char *fingerprint_agg(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/, unsigned long *length,
                                fp_flag *is_null, fp_flag *error) {
	try {
		CallState *state = StateOf(initid);
		if (!state->failed && !fingerprint::udf::FlushBatch(state, args))
			state->failed = true;
		if (!state->failed)
			state->result_length = fingerprint::FormatTableFingerprint(state->aggregate, state->result);
		*is_null = 0;
		*length = state->result_length;
		return state->result;
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
